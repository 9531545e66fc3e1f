//! Pemilih: the voter list imported all or nothing (TPS created, DPT L/P set in the elections
//! master, versions kept), the check by NIK and name (same answer for a wrong name and an
//! unknown NIK, 422 for an impossible NIK, no NIK in any answer, throttled with `Retry-After`),
//! the public's responses (filed through the API or the form, on a working-day clock) answered
//! by the PPS, the audited single-record view and the pages.

mod browser;
mod import;
mod lookup;
mod pages;
mod reports;
mod respond;
mod staff;
mod staff_forms;

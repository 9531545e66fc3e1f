//! Netralitas ASN: the appointments register — windows from the elections' schedules (and a
//! schedule changed afterwards), approvals, a city's appointment against the province's
//! election, scoping, the NIP kept out of every public view, CSV import, bad input and pages.

mod pages;
mod register;
mod scoping;

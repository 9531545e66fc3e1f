//! Kinerja: survey codes and answers, the exact index, the survey pages, extra questions, the
//! follow-up plan, codes on other features' receipts, the KPIs of every feature and their
//! targets, the grade bounds on hand-checked sets, the printable report, and where the sample
//! size's service users come from.

mod codes;
mod follow_ups;
mod grades;
mod ikm;
mod kpis;
mod more_kpis;
mod pages;
mod phone;
mod print;
mod questions;
mod receipts;
mod sample;
mod settings;
mod unit_settings;

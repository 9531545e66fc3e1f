//! Kinerja: survey codes and answers, the exact index, the survey pages, extra questions, the
//! follow-up plan, codes on other features' receipts, the KPIs of every feature and their
//! targets, the grade bounds on hand-checked sets, and the printable report.

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
mod settings;

//! Kinerja: survey codes and answers, the exact index, the survey pages, extra questions, the
//! follow-up plan, codes on other features' receipts, and the KPIs of every feature.

mod codes;
mod follow_ups;
mod ikm;
mod kpis;
mod more_kpis;
mod pages;
mod phone;
mod questions;
mod receipts;
mod settings;

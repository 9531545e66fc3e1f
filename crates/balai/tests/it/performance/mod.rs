//! Kinerja: survey codes and answers, the exact index, the survey pages.

mod codes;
mod ikm;
mod kpis;
mod pages;

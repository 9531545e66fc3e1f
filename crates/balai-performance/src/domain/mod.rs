//! Pure rules: the survey's elements and respondent facts, exact rationals, the index and its
//! grade, sample sizes, survey codes, KPIs, who may act, the audit vocabulary. No IO.

pub mod audit;
pub mod codes;
pub mod config;
pub mod elements;
pub mod extra;
pub mod follow_up;
pub mod ikm;
pub mod kpi;
pub mod period;
pub mod permissions;
pub mod ratio;
pub mod respondent;

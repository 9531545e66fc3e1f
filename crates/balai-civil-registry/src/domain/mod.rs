//! Pure rules: identity numbers, services, intake checks, the workflow, who may act, the audit
//! vocabulary and statistics. No IO.

pub mod access;
pub mod audit;
pub mod birth;
pub mod intake;
pub mod nik;
pub mod permissions;
pub mod service;
pub mod stats;
pub mod tracking;
pub mod workflow;

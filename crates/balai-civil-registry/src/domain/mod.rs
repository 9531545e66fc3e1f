//! Pure rules: identity numbers, services, workflow, intake and statistics. No IO.

pub mod intake;
pub mod nik;
pub mod service;
pub mod stats;
pub mod workflow;

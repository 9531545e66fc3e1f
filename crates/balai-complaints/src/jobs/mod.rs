//! Background work: the sweep that enforces the clocks.

pub mod sweep;

pub use sweep::{register_jobs, SWEEP_JOB};

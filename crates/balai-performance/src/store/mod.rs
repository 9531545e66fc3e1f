//! SQL for both backends, one module per table. Every write takes the caller's transaction.

pub mod codes;
pub mod extra;
pub mod follow_ups;
pub mod receipts;
pub mod responses;
pub mod settings;
pub mod targets;

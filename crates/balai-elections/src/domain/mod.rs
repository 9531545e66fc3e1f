//! Pure election rules: the C.Hasil-KWK form and its checks, turnout, elections and schedules,
//! and the publication log's hash chain. No IO here.

pub mod audit_actions;
pub mod checks;
pub mod election;
pub mod entry;
pub mod form;
pub mod permissions;
pub mod publog;
pub mod tally;
pub mod turnout;

//! Write use cases, one file (or folder) each: input → check → write → audit, in one
//! transaction.

pub mod act;
pub mod authorize;
pub mod classify;
pub mod extend_deadline;
pub mod file_report;
mod input;
pub mod internal_note;
pub mod notify;
pub mod record;
pub mod reporter_reply;
pub mod transition;

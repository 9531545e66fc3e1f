//! HTML pages: filing, tracking, the officials' queues and handling page, the dashboard and
//! the offline outbox's scripts.

pub mod dashboard;
pub mod file;
pub mod officials;
pub mod offline;
pub mod track;

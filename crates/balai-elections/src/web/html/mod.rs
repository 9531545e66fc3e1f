//! HTML: the public pages and the officials' result entry form.

pub mod disputes;
pub mod entry;
pub mod pages;
pub mod setup;
pub mod setup_forms;

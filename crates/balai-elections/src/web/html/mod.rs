//! HTML: the public pages and the officials' result entry form.

pub mod entry;
pub mod pages;

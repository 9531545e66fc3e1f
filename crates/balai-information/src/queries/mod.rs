//! Read models: the public view of a request (never the requester), the requester's own view
//! (with their credentials), and the PPID's queue.

pub mod archive;
pub mod kpi;
pub mod lists;
pub mod report;
pub mod request;
pub mod track;

pub use request::{public_view, RequestView};

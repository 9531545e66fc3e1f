//! Server-rendered pages: the public registration check with its printable card, the public's
//! responses as published and the form to file one, and the officials' pages of the list
//! (versions and counts, the upload, a TPS's masked entries, the audited single-record view,
//! the responses' queue).

pub mod check;
pub mod common;
pub mod dashboard;
pub mod lists;
pub mod public;
pub mod record;
pub mod respond;
pub mod responses;
pub mod stats;
pub mod tps;
pub mod upload;

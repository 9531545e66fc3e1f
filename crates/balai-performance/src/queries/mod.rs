//! Read models: what the pages and the API show.

pub mod extra;
pub mod ikm;
pub mod kpis;

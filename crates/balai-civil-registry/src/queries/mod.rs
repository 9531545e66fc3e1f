//! Read models: what pages and the API show.

pub mod applications;
pub mod kpi;
pub mod offerings;
pub mod stats;

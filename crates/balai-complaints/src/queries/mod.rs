//! Read models for the pages and the API: what each audience may see of a report, and the
//! lists (work queues, similar reports, public lists, dashboard rows).

pub mod complaint;
pub mod kpi;
pub mod lists;
pub mod stats;

//! Aduan: public complaints from the web, SMS, the assisted counter and the API, routed to the
//! agency that can act, with working-day deadlines and public tracking.
//!
//! Layout (the same in every feature crate): `domain/` pure rules, `commands/` one write use
//! case each, `queries/` read models, `store/` SQL per table, `web/` (every route in
//! `web/routes.rs`), `jobs/` the sweep, `errors.rs` the feature's refusals; `photo.rs` cleans
//! uploaded photos.

mod commands;
pub mod domain;
pub mod errors;
pub mod jobs;
pub mod photo;
mod queries;
mod store;
mod web;

pub use jobs::register_jobs;
pub use queries::kpi::ComplaintKpis;
pub use web::html::officials::work_counts;
pub use web::lookups::LookupBudget;
pub use web::routes::{api, open311_openapi, router, UPLOAD_PATHS};

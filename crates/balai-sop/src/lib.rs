//! SOP & kesiapan: standard operating procedures with versions, their adoption by a province's
//! regencies and cities (with overrides, and review when the province makes a major change),
//! the procedure at any date, the diff of two versions and the province's drift table.
//!
//! Layout (the same in every feature crate): `domain` (pure rules), `commands` (one module per
//! write use case), `queries` (read models), `store` (SQL), `web` (every route in
//! `web/routes.rs`), `errors` (the feature's refusals).

pub mod commands;
pub mod domain;
pub mod errors;
pub mod queries;
pub mod store;
pub mod web;

pub use web::html::readiness::{dashboard_lines, DashboardLine};
pub use web::routes::{api, router};

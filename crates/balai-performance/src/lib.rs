//! Kinerja: the community satisfaction survey (SKM) with single-use codes and its exact index
//! (IKM, PermenPANRB 14/2017), and each service unit's KPIs from Balai's own records.
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

pub use commands::answer::SurveyBudget;
pub use commands::receipt_codes::ReceiptCodes;
pub use web::routes::{api, router};

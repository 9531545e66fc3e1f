//! Population documents (Adminduk): online and assisted applications for KK, KTP-el,
//! Pindah/Datang and birth/death certificates, the officials' workflow, tracking and statistics.
//!
//! Layout (the same in every feature crate): `domain` (pure rules), `commands` (one module per
//! write use case), `queries` (read models), `store` (SQL), `web` (every route in
//! `web/routes.rs`), `errors` (the feature's refusals); `crypto` keeps personal data encrypted.

pub mod commands;
pub mod crypto;
pub mod domain;
pub mod errors;
pub mod queries;
pub mod store;
pub mod web;

pub use queries::kpi::CivilRegistryKpis;
pub use web::html::staff::work_counts;
pub use web::routes::{api, router};

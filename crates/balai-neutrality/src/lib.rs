//! Netralitas ASN: the public register of civil-service appointments (mutasi, promosi, rotasi)
//! checked against the windows of UU 10/2016 art. 71(2) and 162(3) taken from each election's
//! current schedule, recomputed in the same transaction when a schedule changes.
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

pub use commands::recompute::on_schedule_changed;

balai_core::id_newtype!(
    /// A neutrality case (`neutrality_cases.id`).
    CaseId
);
pub use web::routes::{api, router};

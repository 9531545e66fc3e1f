//! Keterbukaan informasi (UU 14/2008 KIP): requests for public information to an agency's PPID,
//! with every legal clock on the working-day calendar (answer, extension, objection, dispute),
//! the PPID's decisions (answer, partial answer, refusal on an art. 17 ground with its
//! consequence test, transfer, clarification) and the requester's tracking and objection.
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

pub use queries::kpi::InformationKpis;
pub use web::routes::{api, router};

balai_core::id_newtype!(
    /// A public-information request (`info_requests.id`).
    RequestId,
);

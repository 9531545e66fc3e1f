//! Partisipasi & kolaborasi: the written record of how the election commission, Kesbangpol and
//! their partners (ormas, FKUB, tokoh adat, schools) raise turnout — agreements with their
//! parties, clauses and renewals; forums and their members; outreach activities and meetings
//! with attendance, minutes approved by the attending agencies and follow-up actions — and the
//! turnout targets per election and region set against the turnout reached (DOMAIN.md §11).
//!
//! Layout (the same in every feature crate): `domain` (pure rules), `commands` (one module per
//! write use case), `queries` (read models), `store` (SQL), `web` (every route in
//! `web/routes.rs`), `errors` (the feature's refusals), `jobs` (the expiry reminders).

pub mod commands;
pub mod domain;
pub mod errors;
pub mod jobs;
pub mod queries;
pub mod store;
pub mod web;

pub use jobs::register_jobs;
pub use queries::kpi::ParticipationKpis;
pub use web::routes::{api, router};

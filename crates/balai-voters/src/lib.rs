//! Pemilih: the voter list (DPT) of each election per TPS, imported from the commission's CSV
//! and kept only encrypted, with a compact keyed-hash look-up index; a public registration
//! check by NIK *and* name that cannot be turned into a scraper (throttled per address, per
//! NIK and by a global breaker); public responses to the published list (tanggapan
//! masyarakat); officials' single-record views, each audited (DOMAIN §3, §9).
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

pub use commands::shield::LookupShield;
pub use domain::settings::VoterSettings;
pub use web::html::dashboard::work_counts;
pub use web::routes::{api, router};

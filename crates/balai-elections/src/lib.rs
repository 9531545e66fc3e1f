//! Pilkada: elections, a published schedule history, candidate pairs, TPS, C.Hasil-KWK result
//! forms with checks and versions, double entry, aggregation, turnout and a hash-chained
//! publication log (see [`domain::publog`] for the algorithm any script can verify).

pub mod anchor;
pub mod cache;
pub mod commands;
pub mod domain;
pub mod errors;
pub mod queries;
pub mod stages;
pub mod store;
pub mod turnout_source;
pub mod verify;
pub mod web;

pub use commands::tps_master::ElectionsTpsMaster;
pub use stages::ElectionStages;
pub use turnout_source::ElectionTurnouts;
pub use web::routes::{api, router};

/// RFC 3339 text of a timestamp (UTC).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

//! One module per write use case; each authorizes, decides with the domain rules, stores and
//! records its audit event in one transaction.

pub mod authorize;
pub mod cases;
pub mod import;
pub mod recompute;
pub mod record;

/// Today on western Indonesian time (WIB), the national default for "not too far ahead".
pub fn today() -> time::Date {
    balai_core::db::now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date()
}

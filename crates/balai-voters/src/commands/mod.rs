//! One module per use case; each authorizes, decides with the domain rules, stores and records
//! its audit event in one transaction. The check ([`lookup`]) writes nothing but its counts.

pub mod authorize;
pub mod import;
pub mod lookup;
pub mod report;
pub mod shield;
pub mod spill;
pub mod stream;
pub mod tally;
pub mod view;

/// The feature's purpose label for the shared personal-data keys ([`balai_core::pii`]).
pub const PII_PURPOSE: &str = "voters";

/// Today on western Indonesian time (WIB): the day the check's counts are kept under, and the
/// "today" a NIK's two-digit year is resolved against.
pub fn today() -> time::Date {
    balai_core::db::now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date()
}

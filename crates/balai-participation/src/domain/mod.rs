//! Pure rules: the typed vocabulary (target groups, forum kinds), the checks of agreements,
//! activities, forums and targets, the minutes' approval, the turnout arithmetic, who may act
//! and the audit vocabulary. No IO.

pub mod access;
pub mod activity;
pub mod agreement;
pub mod audit;
pub mod calendar;
pub mod change;
pub mod document;
pub mod ending;
pub mod forum;
pub mod ical;
pub mod invalid;
pub mod labels;
pub mod minutes;
pub mod permissions;
pub mod settings;
pub mod size;
pub mod target_group;
pub mod targets;
pub mod text;
pub mod withdrawal;

/// Today on western Indonesian time (WIB), the national default.
pub fn today() -> time::Date {
    balai_core::db::now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date()
}

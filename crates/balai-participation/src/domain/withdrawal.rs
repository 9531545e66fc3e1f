//! Withdrawing (cancelling) a recorded activity: its organiser gives the reason; the activity
//! is kept and shown as cancelled — in the lists, on its page, in the calendar, the iCalendar
//! feed and the exports — not deleted, no longer counts as outreach, and takes no further
//! change (no edit, minutes, approval, follow-up or attendance list: `409
//! activity_withdrawn`). Withdrawn once.

use super::invalid::Invalid;
use super::text::required;

/// The longest reason, in characters.
pub const REASON_MAX: usize = 1000;

/// The reason as sent: required, not blank.
pub fn reason(text: &str) -> Result<String, Invalid> {
    required(text, "reason", REASON_MAX)
}

/// May an activity still be changed (or withdrawn)? Not once it was withdrawn.
pub fn still_open(withdrawn: bool) -> Result<(), Invalid> {
    if withdrawn {
        Err(Invalid::Withdrawn)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_and_once_only() {
        assert_eq!(
            reason("  Hujan deras, gedung banjir. ").unwrap(),
            "Hujan deras, gedung banjir."
        );
        assert_eq!(reason(" \n "), Err(Invalid::Text("reason", REASON_MAX)));
        assert!(reason(&"x".repeat(REASON_MAX + 1)).is_err());
        assert_eq!(still_open(false), Ok(()));
        assert_eq!(still_open(true), Err(Invalid::Withdrawn));
        assert_eq!(Invalid::Withdrawn.code(), "activity_withdrawn");
    }
}

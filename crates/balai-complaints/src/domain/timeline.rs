//! The kinds of a report's timeline entries (`complaint_events.kind`); the tracking page and
//! the officials' page show them.

use super::status::Action;

pub const SUBMITTED: &str = "submitted";
pub const MORE_INFO_REQUESTED: &str = "more_info_requested";
pub const REPORTER_REPLY: &str = "reporter_reply";
pub const CLASSIFIED: &str = "classified";
pub const ESCALATED: &str = "escalated";

/// An entry only officials see, with the audit action it goes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Internal {
    Note,
    Assigned,
    Hidden,
    Redacted,
    PhotoHidden,
}

impl Internal {
    pub fn kind(self) -> &'static str {
        match self {
            Internal::Note => "note",
            Internal::Assigned => "assigned",
            Internal::Hidden => "hidden",
            Internal::Redacted => "redacted",
            Internal::PhotoHidden => "photo_hidden",
        }
    }

    pub fn audit_action(self) -> &'static str {
        use super::audit;
        match self {
            Internal::Note => audit::NOTE_ADDED,
            Internal::Assigned => audit::ASSIGNED,
            Internal::Hidden => audit::HIDDEN,
            Internal::Redacted => audit::REDACTED,
            Internal::PhotoHidden => audit::PHOTO_HIDDEN,
        }
    }
}

/// The timeline kind of a status change.
pub fn for_action(a: Action) -> &'static str {
    match a {
        Action::Dispatch => "dispatched",
        Action::StartFollowUp => "follow_up_started",
        Action::Answer => "answered",
        Action::ConfirmResolved => "confirmed_resolved",
        Action::AutoClose => "auto_closed",
        Action::Reopen => "reopened",
        Action::Reject => "rejected",
        Action::Reroute => "rerouted",
        Action::MarkDuplicate => "merged_as_duplicate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_entries_audit_as_before() {
        for i in [
            Internal::Note,
            Internal::Assigned,
            Internal::Hidden,
            Internal::Redacted,
            Internal::PhotoHidden,
        ] {
            assert_eq!(i.audit_action(), format!("complaint.{}", i.kind()));
        }
    }
}

//! The complaint status machine.
//!
//! submitted → dispatched → in_follow_up → answered → closed, with rejected, not_our_authority
//! (re-routed: the new agency must dispatch it again, the trail stays in the timeline) and
//! duplicate (merged into an original). Every change goes through [`Status::apply`].

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    Dispatched,
    InFollowUp,
    Answered,
    Closed,
    Rejected,
    NotOurAuthority,
    Duplicate,
}

/// What someone does to a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Verified and sent to the agency that will act.
    Dispatch,
    StartFollowUp,
    Answer,
    /// The reporter says the answer solved it.
    ConfirmResolved,
    /// No reply from the reporter within the auto-close window.
    AutoClose,
    /// The reporter is not satisfied (or replies to an answer).
    Reopen,
    Reject,
    /// Not this agency's authority: handed to another agency, which dispatches again.
    Reroute,
    MarkDuplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action:?} a report that is {from:?}")]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::Dispatched,
        Status::InFollowUp,
        Status::Answered,
        Status::Closed,
        Status::Rejected,
        Status::NotOurAuthority,
        Status::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Dispatched => "dispatched",
            Status::InFollowUp => "in_follow_up",
            Status::Answered => "answered",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::NotOurAuthority => "not_our_authority",
            Status::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Status::Submitted => "Diterima",
            Status::Dispatched => "Diverifikasi dan diteruskan",
            Status::InFollowUp => "Ditindaklanjuti",
            Status::Answered => "Dijawab",
            Status::Closed => "Selesai",
            Status::Rejected => "Ditolak",
            Status::NotOurAuthority => "Dialihkan ke instansi lain",
            Status::Duplicate => "Duplikat",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Submitted => "Submitted",
            Status::Dispatched => "Verified and dispatched",
            Status::InFollowUp => "In follow-up",
            Status::Answered => "Answered",
            Status::Closed => "Closed",
            Status::Rejected => "Rejected",
            Status::NotOurAuthority => "Re-routed to another agency",
            Status::Duplicate => "Duplicate",
        }
    }

    /// No further work happens on a terminal report (a closed one may still be reopened).
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected | Status::Duplicate)
    }

    /// Open311's coarse public status.
    pub fn open311(self) -> &'static str {
        if self.is_terminal() {
            "closed"
        } else {
            "open"
        }
    }

    /// Waiting for an agency to verify and dispatch (the "new" queue).
    pub fn awaits_dispatch(self) -> bool {
        matches!(self, Status::Submitted | Status::NotOurAuthority)
    }

    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: Action) -> Result<Status, TransitionError> {
        use Action as A;
        use Status as S;
        let next = match (self, action) {
            (S::Submitted | S::NotOurAuthority, A::Dispatch) => S::Dispatched,
            (S::Dispatched, A::StartFollowUp) => S::InFollowUp,
            (S::Dispatched | S::InFollowUp, A::Answer) => S::Answered,
            (S::Answered, A::ConfirmResolved | A::AutoClose) => S::Closed,
            (S::Answered | S::Closed, A::Reopen) => S::InFollowUp,
            (S::Submitted | S::NotOurAuthority | S::Dispatched | S::InFollowUp, A::Reject) => {
                S::Rejected
            }
            (S::Submitted | S::NotOurAuthority | S::Dispatched | S::InFollowUp, A::Reroute) => {
                S::NotOurAuthority
            }
            (
                S::Submitted | S::NotOurAuthority | S::Dispatched | S::InFollowUp,
                A::MarkDuplicate,
            ) => S::Duplicate,
            (from, action) => return Err(TransitionError { from, action }),
        };
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_happy_path() {
        let s = Status::Submitted
            .apply(Action::Dispatch)
            .and_then(|s| s.apply(Action::StartFollowUp))
            .and_then(|s| s.apply(Action::Answer))
            .and_then(|s| s.apply(Action::ConfirmResolved))
            .unwrap();
        assert_eq!(s, Status::Closed);
        // Answer straight after dispatch, then the auto-close.
        let s = Status::Dispatched.apply(Action::Answer).unwrap();
        assert_eq!(s.apply(Action::AutoClose).unwrap(), Status::Closed);
    }

    #[test]
    fn reroute_goes_back_to_dispatch_and_reopen_to_follow_up() {
        let s = Status::InFollowUp.apply(Action::Reroute).unwrap();
        assert_eq!(s, Status::NotOurAuthority);
        assert!(s.awaits_dispatch());
        assert_eq!(s.apply(Action::Dispatch).unwrap(), Status::Dispatched);
        assert_eq!(
            Status::Answered.apply(Action::Reopen).unwrap(),
            Status::InFollowUp
        );
        assert_eq!(
            Status::Closed.apply(Action::Reopen).unwrap(),
            Status::InFollowUp
        );
    }

    #[test]
    fn illegal_transitions_are_refused() {
        let illegal = [
            (Status::Submitted, Action::Answer),
            (Status::Submitted, Action::ConfirmResolved),
            (Status::Submitted, Action::StartFollowUp),
            (Status::Dispatched, Action::Dispatch),
            (Status::InFollowUp, Action::AutoClose),
            (Status::Answered, Action::Reject),
            (Status::Answered, Action::Reroute),
            (Status::Closed, Action::Answer),
            (Status::Rejected, Action::Reopen),
            (Status::Rejected, Action::Dispatch),
            (Status::Duplicate, Action::Reopen),
            (Status::Duplicate, Action::MarkDuplicate),
            (Status::Closed, Action::MarkDuplicate),
        ];
        for (from, action) in illegal {
            assert_eq!(
                from.apply(action),
                Err(TransitionError { from, action }),
                "{from:?} {action:?}"
            );
        }
    }

    #[test]
    fn every_status_has_a_name_and_open311_mapping() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert!(!s.label_id().is_empty());
        }
        assert_eq!(Status::Answered.open311(), "open");
        assert_eq!(Status::Rejected.open311(), "closed");
        // Terminal statuses accept nothing but a reopen of a closed report.
        for s in [Status::Rejected, Status::Duplicate] {
            for a in [
                Action::Dispatch,
                Action::StartFollowUp,
                Action::Answer,
                Action::ConfirmResolved,
                Action::AutoClose,
                Action::Reopen,
                Action::Reject,
                Action::Reroute,
                Action::MarkDuplicate,
            ] {
                assert!(s.apply(a).is_err());
            }
        }
    }
}

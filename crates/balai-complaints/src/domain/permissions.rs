//! Who may do what with a report: the role × action table the staff commands consult (written
//! out in `docs/ROLES.md`). Roles are those of the official's own agency, which must be the
//! agency the report is routed to (checked beside this table, in `commands::authorize`); a
//! super-admin may do everything.
//!
//! Duties are split (LAPOR! SP4N practice): a counter operator files reports for citizens and
//! nothing more; an officer handles them (dispatch, follow-up, answers, notes, assignment,
//! sorting, duplicates); what refuses a reporter, moves a report away or changes what the
//! public sees (reject, re-route, moderation) is a supervisor's or an admin's.

use balai_core::accounts::Role;

use super::status::{Action, Status};

/// An official's action on a report, as the table knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffAction {
    /// File a report for a citizen at the counter (the public files without an account).
    FileAtCounter,
    Dispatch,
    StartFollowUp,
    Answer,
    RequestMoreInfo,
    Note,
    Assign,
    Classify,
    MarkDuplicate,
    Reject,
    Reroute,
    Hide,
    Redact,
    HidePhoto,
}

impl StaffAction {
    pub const ALL: [StaffAction; 14] = [
        StaffAction::FileAtCounter,
        StaffAction::Dispatch,
        StaffAction::StartFollowUp,
        StaffAction::Answer,
        StaffAction::RequestMoreInfo,
        StaffAction::Note,
        StaffAction::Assign,
        StaffAction::Classify,
        StaffAction::MarkDuplicate,
        StaffAction::Reject,
        StaffAction::Reroute,
        StaffAction::Hide,
        StaffAction::Redact,
        StaffAction::HidePhoto,
    ];

    /// The action's name in `docs/ROLES.md` (and, but for filing, in the actions API).
    pub const fn as_str(self) -> &'static str {
        match self {
            StaffAction::FileAtCounter => "file_at_counter",
            StaffAction::Dispatch => "dispatch",
            StaffAction::StartFollowUp => "start_follow_up",
            StaffAction::Answer => "answer",
            StaffAction::RequestMoreInfo => "request_more_info",
            StaffAction::Note => "note",
            StaffAction::Assign => "assign",
            StaffAction::Classify => "classify",
            StaffAction::MarkDuplicate => "mark_duplicate",
            StaffAction::Reject => "reject",
            StaffAction::Reroute => "reroute",
            StaffAction::Hide => "hide",
            StaffAction::Redact => "redact",
            StaffAction::HidePhoto => "hide_photo",
        }
    }
}

/// May an official of the report's agency, with this role, take this action?
pub const fn may(role: Role, action: StaffAction) -> bool {
    match action {
        StaffAction::FileAtCounter => !matches!(role, Role::Viewer),
        StaffAction::Reject
        | StaffAction::Reroute
        | StaffAction::Hide
        | StaffAction::Redact
        | StaffAction::HidePhoto => matches!(role, Role::Admin | Role::Supervisor),
        StaffAction::Dispatch
        | StaffAction::StartFollowUp
        | StaffAction::Answer
        | StaffAction::RequestMoreInfo
        | StaffAction::Note
        | StaffAction::Assign
        | StaffAction::Classify
        | StaffAction::MarkDuplicate => {
            matches!(role, Role::Admin | Role::Supervisor | Role::Officer)
        }
    }
}

/// Does a report in `status` accept `action` at all (the status machine, before any role)?
/// The officials' page offers only what this and [`may`] both allow.
pub fn state_allows(status: Status, action: StaffAction) -> bool {
    let machine = |a: Action| status.apply(a).is_ok();
    match action {
        StaffAction::FileAtCounter => false,
        StaffAction::Dispatch => machine(Action::Dispatch),
        StaffAction::StartFollowUp => machine(Action::StartFollowUp),
        StaffAction::Answer => machine(Action::Answer),
        StaffAction::Reject => machine(Action::Reject),
        StaffAction::Reroute => machine(Action::Reroute),
        StaffAction::MarkDuplicate => machine(Action::MarkDuplicate),
        // Work on a report that is still open.
        StaffAction::RequestMoreInfo | StaffAction::Assign | StaffAction::Classify => {
            !status.is_terminal()
        }
        // Notes and moderation apply to every report.
        StaffAction::Note | StaffAction::Hide | StaffAction::Redact | StaffAction::HidePhoto => {
            true
        }
    }
}

/// Is `action` offered to an official with `role` on a report in `status`?
pub fn offered(role: Role, status: Status, action: StaffAction) -> bool {
    may(role, action) && state_allows(status, action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_state_allows_is_offered() {
        let of = |role, status| -> Vec<&str> {
            StaffAction::ALL
                .into_iter()
                .filter(|a| offered(role, status, *a))
                .map(StaffAction::as_str)
                .collect()
        };
        assert_eq!(
            of(Role::Officer, Status::Submitted),
            [
                "dispatch",
                "request_more_info",
                "note",
                "assign",
                "classify",
                "mark_duplicate"
            ]
        );
        assert_eq!(
            of(Role::Officer, Status::Answered),
            ["request_more_info", "note", "assign", "classify"]
        );
        assert!(of(Role::Supervisor, Status::Dispatched).contains(&"reject"));
        assert!(!of(Role::Supervisor, Status::Answered).contains(&"reject"));
        assert!(!of(Role::Officer, Status::Dispatched).contains(&"reject"));
        assert_eq!(
            of(Role::Supervisor, Status::Closed),
            ["note", "hide", "redact", "hide_photo"]
        );
    }

    #[test]
    fn a_counter_operator_files_and_nothing_more() {
        let allowed: Vec<&str> = StaffAction::ALL
            .into_iter()
            .filter(|a| may(Role::CounterOperator, *a))
            .map(StaffAction::as_str)
            .collect();
        assert_eq!(allowed, ["file_at_counter"]);
        assert!(StaffAction::ALL.iter().all(|a| !may(Role::Viewer, *a)));
        assert!(StaffAction::ALL.iter().all(|a| may(Role::Supervisor, *a)));
        assert!(!may(Role::Officer, StaffAction::Reject));
        assert!(may(Role::Officer, StaffAction::Answer));
    }
}

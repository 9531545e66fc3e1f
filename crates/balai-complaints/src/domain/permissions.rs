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

#[cfg(test)]
mod tests {
    use super::*;

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

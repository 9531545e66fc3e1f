//! Who may do what in the collaboration record: the role × action table every write consults
//! (written out in `docs/ROLES.md`). Which agency may act on which record (a party to the
//! agreement, the organiser or an attendee of an activity, the region's KPU for targets) is
//! checked beside this table, in [`super::access`]; a super-admin may do everything.

use balai_core::accounts::Role;

/// An official's action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Record an agreement, or renew, edit or end early one the agency is a party to.
    RecordAgreement,
    /// Record an activity or meeting, its attendance and follow-ups; write its draft minutes;
    /// withdraw (cancel) it.
    RecordActivity,
    /// Approve the minutes for the official's attending agency.
    ApproveMinutes,
    /// Update the progress of a follow-up action the agency organised or owns.
    UpdateFollowUp,
    /// Create a forum and keep its members.
    KeepForum,
    /// Set the turnout targets of an election (the region's KPU).
    SetTargets,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::RecordAgreement,
        Action::RecordActivity,
        Action::ApproveMinutes,
        Action::UpdateFollowUp,
        Action::KeepForum,
        Action::SetTargets,
    ];

    /// The action's name in `docs/ROLES.md`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::RecordAgreement => "record_agreement",
            Action::RecordActivity => "record_activity",
            Action::ApproveMinutes => "approve_minutes",
            Action::UpdateFollowUp => "update_followup",
            Action::KeepForum => "keep_forum",
            Action::SetTargets => "set_targets",
        }
    }
}

/// May an official with this role take this action (for an agency that may act on the record)?
pub const fn may(role: Role, action: Action) -> bool {
    match action {
        Action::RecordAgreement
        | Action::RecordActivity
        | Action::UpdateFollowUp
        | Action::KeepForum => matches!(role, Role::Admin | Role::Supervisor | Role::Officer),
        // Approving minutes and setting targets bind the agency: its admin or supervisor.
        Action::ApproveMinutes | Action::SetTargets => {
            matches!(role, Role::Admin | Role::Supervisor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(role: Role) -> Vec<&'static str> {
        Action::ALL
            .into_iter()
            .filter(|a| may(role, *a))
            .map(Action::as_str)
            .collect()
    }

    #[test]
    fn the_table_of_docs_roles() {
        let all = [
            "record_agreement",
            "record_activity",
            "approve_minutes",
            "update_followup",
            "keep_forum",
            "set_targets",
        ];
        assert_eq!(allowed(Role::Admin), all);
        assert_eq!(allowed(Role::Supervisor), all);
        assert_eq!(
            allowed(Role::Officer),
            [
                "record_agreement",
                "record_activity",
                "update_followup",
                "keep_forum"
            ]
        );
        assert!(allowed(Role::CounterOperator).is_empty());
        assert!(allowed(Role::Viewer).is_empty());
    }
}

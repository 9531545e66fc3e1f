//! Who may do what with a population-document application: the role × action table the staff
//! commands consult (written out in `docs/ROLES.md`). Roles are those of the official's own
//! agency, which must be the kelurahan counter or the Disdukcapil the application is routed to
//! for its stage (checked beside this table, in [`super::access`]); a super-admin may do
//! everything.
//!
//! Duties are split: a counter operator files applications for citizens and nothing more;
//! officers verify and process them; nobody approves an application they filed themselves
//! ([`approves_own_filing`]: four eyes on every assisted filing).

use balai_core::accounts::Role;

use super::workflow::Action;

/// An official's action on an application, as the table knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffAction {
    FileAtCounter,
    Take,
    Release,
    RequestCorrection,
    Approve,
    MarkReady,
    Complete,
    Reject,
    /// Switch the agency's services on or off.
    ManageOfferings,
}

impl StaffAction {
    pub const ALL: [StaffAction; 9] = [
        StaffAction::FileAtCounter,
        StaffAction::Take,
        StaffAction::Release,
        StaffAction::RequestCorrection,
        StaffAction::Approve,
        StaffAction::MarkReady,
        StaffAction::Complete,
        StaffAction::Reject,
        StaffAction::ManageOfferings,
    ];

    /// The action's name in `docs/ROLES.md` (and, but for filing and offerings, in the
    /// actions API).
    pub const fn as_str(self) -> &'static str {
        match self {
            StaffAction::FileAtCounter => "file_at_counter",
            StaffAction::Take => "take",
            StaffAction::Release => "release",
            StaffAction::RequestCorrection => "request_correction",
            StaffAction::Approve => "approve",
            StaffAction::MarkReady => "mark_ready",
            StaffAction::Complete => "complete",
            StaffAction::Reject => "reject",
            StaffAction::ManageOfferings => "manage_offerings",
        }
    }

    /// The table's action for a workflow step (a citizen's resubmission is none).
    pub fn of(action: &Action) -> Option<StaffAction> {
        Some(match action {
            Action::Take => StaffAction::Take,
            Action::Release => StaffAction::Release,
            Action::RequestCorrection { .. } => StaffAction::RequestCorrection,
            Action::Approve => StaffAction::Approve,
            Action::MarkReady => StaffAction::MarkReady,
            Action::Complete => StaffAction::Complete,
            Action::Reject { .. } => StaffAction::Reject,
            Action::Resubmit => return None,
        })
    }
}

/// May an official of the routed agency, with this role, take this action?
pub const fn may(role: Role, action: StaffAction) -> bool {
    match action {
        StaffAction::FileAtCounter => !matches!(role, Role::Viewer),
        StaffAction::ManageOfferings => matches!(role, Role::Admin),
        StaffAction::Take
        | StaffAction::Release
        | StaffAction::RequestCorrection
        | StaffAction::Approve
        | StaffAction::MarkReady
        | StaffAction::Complete
        | StaffAction::Reject => matches!(role, Role::Admin | Role::Supervisor | Role::Officer),
    }
}

/// Would this step approve an application the official filed themselves at the counter?
/// Refused whatever the role, a super-admin's too.
pub fn approves_own_filing(action: &Action, filed_by: Option<i64>, user_id: i64) -> bool {
    matches!(action, Action::Approve) && filed_by == Some(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_operator_files_and_nobody_approves_their_own_filing() {
        let allowed: Vec<&str> = StaffAction::ALL
            .into_iter()
            .filter(|a| may(Role::CounterOperator, *a))
            .map(StaffAction::as_str)
            .collect();
        assert_eq!(allowed, ["file_at_counter"]);
        assert!(StaffAction::ALL.iter().all(|a| !may(Role::Viewer, *a)));
        assert!(approves_own_filing(&Action::Approve, Some(7), 7));
        assert!(!approves_own_filing(&Action::Approve, Some(7), 8));
        assert!(!approves_own_filing(&Action::MarkReady, Some(7), 7));
        assert!(!approves_own_filing(&Action::Approve, None, 7));
    }
}

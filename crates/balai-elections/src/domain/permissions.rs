//! Who may do what in an election: the role × action table every election command consults
//! (written out in `docs/ROLES.md`). Roles are those of the official's own agency, which must be
//! a KPU whose region covers the place acted on (checked beside this table, in
//! `commands::require`); a super-admin may do everything.
//!
//! Duties are split: operators (officers, counter operators) enter and double-check TPS
//! results and upload form photos; the election itself, its candidates, its status, past
//! totals, recapitulations and re-votes (PSU) are decisions of a supervisor or an admin; what
//! undoes a decision (reopening a closed election or a recorded recapitulation) is an admin's.

use balai_core::accounts::Role;

/// An election write, as the table knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    CreateElection,
    SetSchedule,
    AddCandidate,
    SetCandidateStatus,
    AddTps,
    /// Close an open election (or confirm an open one open).
    Close,
    /// Open a closed election again.
    Reopen,
    ReplaceTotals,
    RecordRecap,
    /// Take back a recorded recapitulation (with a reason), so that results inside it may
    /// change again.
    ReopenRecap,
    EnterResult,
    /// Enter a re-vote's (PSU) result, which supersedes the earlier versions.
    EnterPsu,
    UploadPhoto,
    /// The supervisor's queue of disputed TPS.
    ViewDisputes,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::CreateElection,
        Action::SetSchedule,
        Action::AddCandidate,
        Action::SetCandidateStatus,
        Action::AddTps,
        Action::Close,
        Action::Reopen,
        Action::ReplaceTotals,
        Action::RecordRecap,
        Action::ReopenRecap,
        Action::EnterResult,
        Action::EnterPsu,
        Action::UploadPhoto,
        Action::ViewDisputes,
    ];

    /// The action's name in `docs/ROLES.md`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::CreateElection => "create_election",
            Action::SetSchedule => "set_schedule",
            Action::AddCandidate => "add_candidate",
            Action::SetCandidateStatus => "set_candidate_status",
            Action::AddTps => "add_tps",
            Action::Close => "close",
            Action::Reopen => "reopen",
            Action::ReplaceTotals => "replace_totals",
            Action::RecordRecap => "record_recap",
            Action::ReopenRecap => "reopen_recap",
            Action::EnterResult => "enter_result",
            Action::EnterPsu => "enter_psu",
            Action::UploadPhoto => "upload_photo",
            Action::ViewDisputes => "view_disputes",
        }
    }
}

/// May an official of a KPU covering the region, with this role, take this action?
pub const fn may(role: Role, action: Action) -> bool {
    match action {
        Action::EnterResult | Action::UploadPhoto => !matches!(role, Role::Viewer),
        Action::Reopen | Action::ReopenRecap => matches!(role, Role::Admin),
        Action::CreateElection
        | Action::SetSchedule
        | Action::AddCandidate
        | Action::SetCandidateStatus
        | Action::AddTps
        | Action::Close
        | Action::ReplaceTotals
        | Action::RecordRecap
        | Action::EnterPsu
        | Action::ViewDisputes => matches!(role, Role::Admin | Role::Supervisor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_enter_supervisors_decide_admins_undo() {
        for a in Action::ALL {
            assert!(may(Role::Admin, a), "{}", a.as_str());
            assert!(!may(Role::Viewer, a), "{}", a.as_str());
        }
        for r in [Role::Officer, Role::CounterOperator] {
            let allowed: Vec<&str> = Action::ALL
                .into_iter()
                .filter(|a| may(r, *a))
                .map(Action::as_str)
                .collect();
            assert_eq!(allowed, ["enter_result", "upload_photo"]);
        }
        assert!(!may(Role::Supervisor, Action::Reopen));
        assert!(!may(Role::Supervisor, Action::ReopenRecap));
        assert!(may(Role::Supervisor, Action::EnterPsu));
    }
}

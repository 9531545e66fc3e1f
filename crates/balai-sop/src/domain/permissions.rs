//! Who may do what with SOPs: the role × action table every SOP command consults (written out
//! in `docs/ROLES.md`). Roles are those of the SOP's owning agency (or, for an adoption, of the
//! adopting agency), checked beside this table in [`super::access`]; a super-admin may do
//! everything. Reading a published SOP needs no account.

use balai_core::accounts::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SopAction {
    /// Write a new SOP for the agency's own region.
    Create,
    /// Add a version (draft or published) to the agency's own SOP, or publish its draft.
    AddVersion,
    /// Adopt a province SOP for the agency's own regency or city.
    Adopt,
    /// Change the overrides of the agency's own adoption.
    EditAdoption,
    /// Accept the parent's new version after review, keeping or dropping the overrides.
    AcceptParent,
}

impl SopAction {
    pub const ALL: [SopAction; 5] = [
        SopAction::Create,
        SopAction::AddVersion,
        SopAction::Adopt,
        SopAction::EditAdoption,
        SopAction::AcceptParent,
    ];

    /// The action's name in `docs/ROLES.md`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SopAction::Create => "create",
            SopAction::AddVersion => "add_version",
            SopAction::Adopt => "adopt",
            SopAction::EditAdoption => "edit_adoption",
            SopAction::AcceptParent => "accept_parent",
        }
    }
}

/// May an official of the owning (or adopting) agency, with this role, take this action?
/// A procedure binds the whole office, so it is an admin's or a supervisor's decision.
pub const fn may(role: Role, action: SopAction) -> bool {
    match action {
        SopAction::Create
        | SopAction::AddVersion
        | SopAction::Adopt
        | SopAction::EditAdoption
        | SopAction::AcceptParent => matches!(role, Role::Admin | Role::Supervisor),
    }
}

/// What an official of a KPU does for training and readiness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrainingAction {
    /// Keep the roster of the regency's officers (staff, PPK, PPS, KPPS).
    EditRoster,
    /// Schedule a training session for the agency's region.
    CreateTraining,
    /// Record who attended a session (ticked off or imported as CSV).
    RecordAttendance,
    /// Read the roster, the sessions and the readiness figures.
    Read,
}

impl TrainingAction {
    pub const ALL: [TrainingAction; 4] = [
        TrainingAction::EditRoster,
        TrainingAction::CreateTraining,
        TrainingAction::RecordAttendance,
        TrainingAction::Read,
    ];

    /// The action's name in `docs/ROLES.md`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TrainingAction::EditRoster => "edit_roster",
            TrainingAction::CreateTraining => "create_training",
            TrainingAction::RecordAttendance => "record_attendance",
            TrainingAction::Read => "read_readiness",
        }
    }
}

/// May a KPU official with this role take this action (for the agency's own region)? The roster
/// and the sessions bind the office (admins and supervisors); the officer who runs a session
/// records its attendance; every role reads.
pub const fn may_train(role: Role, action: TrainingAction) -> bool {
    match action {
        TrainingAction::EditRoster | TrainingAction::CreateTraining => {
            matches!(role, Role::Admin | Role::Supervisor)
        }
        TrainingAction::RecordAttendance => {
            matches!(role, Role::Admin | Role::Supervisor | Role::Officer)
        }
        TrainingAction::Read => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_and_supervisors_write_procedures() {
        for a in SopAction::ALL {
            assert!(may(Role::Admin, a) && may(Role::Supervisor, a), "{a:?}");
            for r in [Role::Officer, Role::CounterOperator, Role::Viewer] {
                assert!(!may(r, a), "{r:?} {a:?}");
            }
        }
    }

    #[test]
    fn officers_record_attendance_and_everyone_reads() {
        assert!(may_train(Role::Officer, TrainingAction::RecordAttendance));
        assert!(!may_train(Role::Officer, TrainingAction::CreateTraining));
        assert!(!may_train(
            Role::CounterOperator,
            TrainingAction::RecordAttendance
        ));
        assert!(may_train(Role::Viewer, TrainingAction::Read));
        assert!(!may_train(Role::Viewer, TrainingAction::EditRoster));
    }
}

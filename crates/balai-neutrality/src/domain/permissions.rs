//! Who may do what in the neutrality feature: the role × action table every write consults
//! (written out in `docs/ROLES.md`). Roles are those of the official's own agency, which must
//! be the appointing government's Pemda (BKD/BKPSDM) or a BKN office covering it (checked
//! beside this table, in [`super::access`]); a super-admin may do everything.

use balai_core::accounts::Role;

/// An official's action in the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Record one appointment (form or API).
    RecordAppointment,
    /// Import appointments from CSV.
    ImportAppointments,
    /// See the agency's records with the officials' NIP.
    ReadRegister,
}

impl Action {
    pub const ALL: [Action; 3] = [
        Action::RecordAppointment,
        Action::ImportAppointments,
        Action::ReadRegister,
    ];

    /// The action's name in `docs/ROLES.md`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::RecordAppointment => "record_appointment",
            Action::ImportAppointments => "import_appointments",
            Action::ReadRegister => "read_register",
        }
    }
}

/// May an official of an agency that records appointments, with this role, take this action?
pub const fn may(role: Role, action: Action) -> bool {
    match action {
        Action::RecordAppointment => {
            matches!(role, Role::Admin | Role::Supervisor | Role::Officer)
        }
        Action::ImportAppointments => matches!(role, Role::Admin | Role::Supervisor),
        Action::ReadRegister => !matches!(role, Role::CounterOperator),
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
        assert_eq!(
            allowed(Role::Admin),
            ["record_appointment", "import_appointments", "read_register"]
        );
        assert_eq!(allowed(Role::Supervisor), allowed(Role::Admin));
        assert_eq!(
            allowed(Role::Officer),
            ["record_appointment", "read_register"]
        );
        assert!(allowed(Role::CounterOperator).is_empty());
        assert_eq!(allowed(Role::Viewer), ["read_register"]);
    }
}

//! Who may do what with the voter list: the role × action table (written out in
//! `docs/ROLES.md`). The agency must be a KPU whose area covers the election's region (or, for a
//! response to a TPS's list, the TPS's village: the PPS works for the KPU of the regency);
//! checked beside this table in `commands::authorize`. A super-admin may do everything.

use balai_core::accounts::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Import a version of an election's list.
    ImportList,
    /// Open one voter's full record (audited).
    ReadRecord,
    /// Answer a public response to the list.
    AnswerReport,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::ImportList, Action::ReadRecord, Action::AnswerReport];

    pub const fn as_str(self) -> &'static str {
        match self {
            Action::ImportList => "import_voter_list",
            Action::ReadRecord => "read_voter_record",
            Action::AnswerReport => "answer_voter_list_report",
        }
    }
}

pub const fn may(role: Role, action: Action) -> bool {
    match action {
        Action::ImportList => matches!(role, Role::Admin | Role::Supervisor),
        Action::ReadRecord | Action::AnswerReport => {
            matches!(role, Role::Admin | Role::Supervisor | Role::Officer)
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
        assert_eq!(allowed(Role::Admin), allowed(Role::Supervisor));
        assert_eq!(allowed(Role::Admin).len(), 3);
        assert_eq!(
            allowed(Role::Officer),
            ["read_voter_record", "answer_voter_list_report"]
        );
        assert!(allowed(Role::CounterOperator).is_empty());
        assert!(allowed(Role::Viewer).is_empty());
    }
}

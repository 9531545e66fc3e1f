//! Who may do what with an information request: the role × action table every official's
//! write consults (written out in `docs/ROLES.md`). Roles are those of the official's own
//! agency, which must be the PPID the request is addressed to (checked beside this table, in
//! [`super::access`]); a super-admin may do everything. The Atasan PPID's decisions (the
//! objection, the Komisi Informasi's outcome) are a supervisor's or an admin's.

use balai_core::accounts::Role;

use super::status::Action;

/// An official's action on a request, as the table knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffAction {
    FileAtCounter,
    Extend,
    Answer,
    AnswerPartly,
    Refuse,
    Transfer,
    Clarify,
    AnswerObjection,
    RecordDisputeOutcome,
    /// Keep a request, or its answers, out of public view (with a reason).
    MakePrivate,
    /// Edit the agency's Daftar Informasi Publik.
    EditList,
    /// See the queue and the requester's contact.
    ReadQueue,
}

impl StaffAction {
    pub const ALL: [StaffAction; 12] = [
        StaffAction::FileAtCounter,
        StaffAction::Extend,
        StaffAction::Answer,
        StaffAction::AnswerPartly,
        StaffAction::Refuse,
        StaffAction::Transfer,
        StaffAction::Clarify,
        StaffAction::AnswerObjection,
        StaffAction::RecordDisputeOutcome,
        StaffAction::MakePrivate,
        StaffAction::EditList,
        StaffAction::ReadQueue,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            StaffAction::FileAtCounter => "file_at_counter",
            StaffAction::Extend => "extend",
            StaffAction::Answer => "answer",
            StaffAction::AnswerPartly => "answer_partly",
            StaffAction::Refuse => "refuse",
            StaffAction::Transfer => "transfer",
            StaffAction::Clarify => "clarify",
            StaffAction::AnswerObjection => "answer_objection",
            StaffAction::RecordDisputeOutcome => "record_dispute_outcome",
            StaffAction::MakePrivate => "make_private",
            StaffAction::EditList => "edit_list",
            StaffAction::ReadQueue => "read_queue",
        }
    }

    /// The table's action for a request action (the requester's own are none).
    pub const fn of(action: Action) -> Option<StaffAction> {
        Some(match action {
            Action::Extend => StaffAction::Extend,
            Action::Answer => StaffAction::Answer,
            Action::AnswerPartly => StaffAction::AnswerPartly,
            Action::Refuse => StaffAction::Refuse,
            Action::Transfer => StaffAction::Transfer,
            Action::Clarify => StaffAction::Clarify,
            Action::AnswerObjection => StaffAction::AnswerObjection,
            Action::RecordDisputeOutcome => StaffAction::RecordDisputeOutcome,
            Action::Object | Action::Dispute | Action::Rate => return None,
        })
    }
}

/// May an official of the request's PPID, with this role, take this action?
pub const fn may(role: Role, action: StaffAction) -> bool {
    match action {
        StaffAction::FileAtCounter => !matches!(role, Role::Viewer),
        StaffAction::ReadQueue => true,
        StaffAction::AnswerObjection | StaffAction::RecordDisputeOutcome => {
            matches!(role, Role::Admin | Role::Supervisor)
        }
        StaffAction::Extend
        | StaffAction::Answer
        | StaffAction::AnswerPartly
        | StaffAction::Refuse
        | StaffAction::Transfer
        | StaffAction::Clarify
        | StaffAction::MakePrivate
        | StaffAction::EditList => matches!(role, Role::Admin | Role::Supervisor | Role::Officer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_atasan_ppid_decides_objections_and_viewers_only_read() {
        let by = |role| -> Vec<&str> {
            StaffAction::ALL
                .into_iter()
                .filter(|a| may(role, *a))
                .map(StaffAction::as_str)
                .collect()
        };
        assert_eq!(by(Role::Viewer), ["read_queue"]);
        assert_eq!(by(Role::CounterOperator), ["file_at_counter", "read_queue"]);
        assert!(!by(Role::Officer).contains(&"answer_objection"));
        assert!(by(Role::Supervisor).contains(&"answer_objection"));
        assert_eq!(by(Role::Admin).len(), StaffAction::ALL.len());
    }
}

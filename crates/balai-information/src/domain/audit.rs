//! The audit vocabulary of the feature: every action and target kind it records, in one place.

use super::status::Action;

pub const FILE: &str = "information.file";
pub const EXTEND: &str = "information.extend";
pub const ANSWER: &str = "information.answer";
pub const ANSWER_PARTLY: &str = "information.answer_partly";
pub const REFUSE: &str = "information.refuse";
pub const TRANSFER: &str = "information.transfer";
pub const CLARIFY: &str = "information.clarify";
pub const ANSWER_OBJECTION: &str = "information.answer_objection";
pub const RECORD_DISPUTE_OUTCOME: &str = "information.record_dispute_outcome";
pub const OBJECT: &str = "information.object";
pub const DISPUTE: &str = "information.dispute";
pub const RATE: &str = "information.rate";
/// The PPID kept a request, or its answers, out of public view.
pub const MAKE_PRIVATE: &str = "information.make_private";
/// An official reading the requester's contact (shared with other features).
pub const PERSONAL_DATA_READ: &str = "personal_data.read";

pub const TARGET_REQUEST: &str = "info_request";
/// An entry of a PPID's Daftar Informasi Publik added or changed.
pub const LIST_ADD: &str = "information.list_add";
pub const LIST_EDIT: &str = "information.list_edit";
pub const TARGET_LIST_ENTRY: &str = "dip_entry";

/// The audit action of a request action (`information.<action name>`).
pub const fn of_action(action: Action) -> &'static str {
    match action {
        Action::Extend => EXTEND,
        Action::Answer => ANSWER,
        Action::AnswerPartly => ANSWER_PARTLY,
        Action::Refuse => REFUSE,
        Action::Transfer => TRANSFER,
        Action::Clarify => CLARIFY,
        Action::AnswerObjection => ANSWER_OBJECTION,
        Action::RecordDisputeOutcome => RECORD_DISPUTE_OUTCOME,
        Action::Object => OBJECT,
        Action::Dispute => DISPUTE,
        Action::Rate => RATE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_follow_the_actions() {
        for a in Action::OFFICIAL
            .into_iter()
            .chain([Action::Object, Action::Dispute, Action::Rate])
        {
            assert_eq!(of_action(a), format!("information.{}", a.as_str()));
        }
    }
}

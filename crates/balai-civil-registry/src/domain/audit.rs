//! The audit vocabulary of the feature: every action and target kind it records, in one place.

use super::workflow::Action;

pub const SUBMIT: &str = "civil_registry.submit";
pub const RESUBMIT: &str = "civil_registry.resubmit";
pub const TAKE: &str = "civil_registry.take";
pub const RELEASE: &str = "civil_registry.release";
pub const REQUEST_CORRECTION: &str = "civil_registry.request_correction";
pub const APPROVE: &str = "civil_registry.approve";
pub const MARK_READY: &str = "civil_registry.mark_ready";
pub const COMPLETE: &str = "civil_registry.complete";
pub const REJECT: &str = "civil_registry.reject";
pub const OFFERINGS_UPDATE: &str = "civil_registry.offerings_update";
pub const SERVICE_UPDATE: &str = "civil_registry.service_update";
/// Reading personal data: a full record, a document (shared with other features).
pub const PERSONAL_DATA_READ: &str = "personal_data.read";
/// Looking a NIK up.
pub const PERSONAL_DATA_SEARCH: &str = "personal_data.search";

pub const TARGET_APPLICATION: &str = "cr_application";
pub const TARGET_DOCUMENT: &str = "cr_document";
pub const TARGET_SERVICE: &str = "cr_service";
pub const TARGET_AGENCY: &str = "agency";

/// The audit action of a workflow step (`civil_registry.<action name>`).
pub fn of_action(action: &Action) -> &'static str {
    match action {
        Action::Take => TAKE,
        Action::Release => RELEASE,
        Action::RequestCorrection { .. } => REQUEST_CORRECTION,
        Action::Resubmit => RESUBMIT,
        Action::Approve => APPROVE,
        Action::MarkReady => MARK_READY,
        Action::Complete => COMPLETE,
        Action::Reject { .. } => REJECT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_follow_the_workflow() {
        let all = [
            Action::Take,
            Action::Release,
            Action::RequestCorrection {
                reason: String::new(),
            },
            Action::Resubmit,
            Action::Approve,
            Action::MarkReady,
            Action::Complete,
            Action::Reject {
                reason: String::new(),
            },
        ];
        for a in all {
            assert_eq!(of_action(&a), format!("civil_registry.{}", a.name()));
        }
    }
}

//! The audit log's names for what happens to a report (`audit_events.action`), in one place:
//! dashboards and exports filter on these strings, so they never change.

use super::status::Action;

/// The audit log's `target_kind` of a report (also the `subject_kind` of its clocks).
pub const SUBJECT: &str = "complaint";

pub const REPORT_FILED: &str = "complaint.submit";
pub const MORE_INFO_REQUESTED: &str = "complaint.request_more_info";
pub const REPORTER_REPLIED: &str = "complaint.reporter_reply";
pub const CLASSIFIED: &str = "complaint.classify";
pub const ESCALATED: &str = "complaint.escalate";
pub const NOTE_ADDED: &str = "complaint.note";
pub const ASSIGNED: &str = "complaint.assigned";
pub const HIDDEN: &str = "complaint.hidden";
pub const REDACTED: &str = "complaint.redacted";
pub const PHOTO_HIDDEN: &str = "complaint.photo_hidden";
/// A report filed before reporter secrets existed was given one, sent to its contact.
pub const SECRET_SENT: &str = "complaint.secret_sent";
/// An official opened a report showing the reporter's contact details.
pub const PERSONAL_DATA_READ: &str = "personal_data.read";
pub const SMS_BLOCKED: &str = "sms.block";
pub const SMS_UNBLOCKED: &str = "sms.unblock";

/// The audit action of a status change.
pub fn for_action(a: Action) -> &'static str {
    match a {
        Action::Dispatch => "complaint.dispatch",
        Action::StartFollowUp => "complaint.start_follow_up",
        Action::Answer => "complaint.answer",
        Action::ConfirmResolved => "complaint.confirm_resolved",
        Action::AutoClose => "complaint.auto_close",
        Action::Reopen => "complaint.reopen",
        Action::Reject => "complaint.reject",
        Action::Reroute => "complaint.reroute",
        Action::MarkDuplicate => "complaint.mark_duplicate",
    }
}

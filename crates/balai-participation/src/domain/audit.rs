//! The audit vocabulary of the feature: every action and target kind it records, in one place.

pub const AGREEMENT_RECORDED: &str = "participation.agreement_recorded";
pub const AGREEMENT_EDITED: &str = "participation.agreement_edited";
pub const ACTIVITY_EDITED: &str = "participation.activity_edited";
pub const AGREEMENT_RENEWED: &str = "participation.agreement_renewed";
pub const AGREEMENT_ENDED: &str = "participation.agreement_ended";
pub const AGREEMENT_EXPIRY_REMINDED: &str = "participation.agreement_expiry_reminded";
pub const ACTIVITY_RECORDED: &str = "participation.activity_recorded";
pub const ACTIVITY_WITHDRAWN: &str = "participation.activity_withdrawn";
pub const DOCUMENT_UPLOADED: &str = "participation.document_uploaded";
pub const MINUTES_DRAFTED: &str = "participation.minutes_drafted";
pub const MINUTES_APPROVED: &str = "participation.minutes_approved";
pub const MINUTES_PUBLISHED: &str = "participation.minutes_published";
pub const FOLLOWUP_ADDED: &str = "participation.followup_added";
pub const FOLLOWUP_UPDATED: &str = "participation.followup_updated";
pub const FORUM_CREATED: &str = "participation.forum_created";
pub const FORUM_MEMBER_ADDED: &str = "participation.forum_member_added";
pub const TARGETS_SET: &str = "participation.targets_set";

pub const TARGET_AGREEMENT: &str = "agreement";
pub const TARGET_ACTIVITY: &str = "activity";
pub const TARGET_FOLLOWUP: &str = "followup";
pub const TARGET_FORUM: &str = "forum";
pub const TARGET_ELECTION: &str = "election";

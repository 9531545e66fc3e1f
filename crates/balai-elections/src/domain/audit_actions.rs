//! The audit actions this feature records, each written once (the strings are stored in the
//! audit chain and read by auditors: they never change).

pub const CANDIDATE_ADDED: &str = "elections.candidate_added";
pub const CANDIDATE_STATUS: &str = "elections.candidate_status";
pub const CREATED: &str = "elections.created";
pub const DISPUTE_RESOLVED: &str = "elections.dispute_resolved";
pub const PHOTO_UPLOADED: &str = "elections.photo_uploaded";
pub const RECAP_RECORDED: &str = "elections.recap_recorded";
pub const RECAP_REOPENED: &str = "elections.recap_reopened";
pub const RESULT_ENTERED: &str = "elections.result_entered";
pub const SCHEDULE_VERSIONED: &str = "elections.schedule_versioned";
pub const STATUS_CHANGED: &str = "elections.status_changed";
pub const TOTALS_REBUILT: &str = "elections.totals_rebuilt";
pub const TOTALS_REPLACED: &str = "elections.totals_replaced";
pub const TPS_ADDED: &str = "elections.tps_added";

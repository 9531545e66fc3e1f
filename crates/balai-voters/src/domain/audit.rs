//! The audit vocabulary of the feature: every action and target kind it records, in one place.

pub const LIST_IMPORTED: &str = "voters.list_imported";
pub const REPORT_FILED: &str = "voters.report_filed";
pub const REPORT_ANSWERED: &str = "voters.report_answered";
/// An official opened one voter's full record (shared with other features).
pub const PERSONAL_DATA_READ: &str = "personal_data.read";

pub const TARGET_ELECTION: &str = "election";
pub const TARGET_REPORT: &str = "voter_list_report";
pub const TARGET_VOTER: &str = "voter";

//! The audit vocabulary of Kinerja: every action and target kind it records, in one place.

pub const CODES_ISSUED: &str = "performance.codes_issued";
/// A survey answer: recorded without the client's address, and without the code or the
/// response's id, so the log does not tie an answer to a visit.
pub const SURVEY_ANSWERED: &str = "performance.survey_answered";
pub const SETTINGS_UPDATE: &str = "performance.settings_update";
pub const TARGET_SET: &str = "performance.target_set";
pub const QUESTION_ADDED: &str = "performance.question_added";
pub const QUESTION_RETIRED: &str = "performance.question_retired";
pub const FOLLOW_UP_RECORDED: &str = "performance.follow_up_recorded";
pub const FOLLOW_UP_UPDATED: &str = "performance.follow_up_updated";
/// A survey code issued for a receipt Balai shows (without the code).
pub const RECEIPT_CODE_ISSUED: &str = "performance.receipt_code_issued";

pub const TARGET_AGENCY: &str = "agency";

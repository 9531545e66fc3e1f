//! The audit vocabulary of Kinerja: every action and target kind it records, in one place.

pub const CODES_ISSUED: &str = "performance.codes_issued";
/// A survey answer: recorded without the client's address, and without the code or the
/// response's id, so the log does not tie an answer to a visit.
pub const SURVEY_ANSWERED: &str = "performance.survey_answered";
pub const SETTINGS_UPDATE: &str = "performance.settings_update";
pub const TARGET_SET: &str = "performance.target_set";
pub const FOLLOW_UP: &str = "performance.follow_up";

pub const TARGET_AGENCY: &str = "agency";

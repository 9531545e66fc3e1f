//! The feature's audit vocabulary.

pub const TARGET_SOP: &str = "sop";

pub const CREATE: &str = "sop.create";
pub const ADD_VERSION: &str = "sop.add_version";
pub const PUBLISH: &str = "sop.publish";
pub const ADOPT: &str = "sop.adopt";
pub const SET_OVERRIDES: &str = "sop.set_overrides";
pub const ACCEPT_PARENT: &str = "sop.accept_parent";
/// An adoption marked for review because its parent published a major version.
pub const REVIEW_NEEDED: &str = "sop.review_needed";

pub const TARGET_TRAINING: &str = "training";
pub const TARGET_ROSTER: &str = "officer_roster";
pub const ROSTER_ADD: &str = "training.roster_add";
pub const TRAINING_CREATE: &str = "training.create";
/// The attendance list of a session replaced (ticked off).
pub const ATTENDANCE_SET: &str = "training.attendance_set";
/// Attendance added from a CSV.
pub const ATTENDANCE_IMPORT: &str = "training.attendance_import";

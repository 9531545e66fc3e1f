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

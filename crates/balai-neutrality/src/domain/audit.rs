//! The audit vocabulary of the feature: every action and target kind it records, in one place.

pub const APPOINTMENT_RECORDED: &str = "neutrality.appointment_recorded";
pub const APPOINTMENTS_IMPORTED: &str = "neutrality.appointments_imported";
/// Reading the officials' NIP in the agency's register (shared with other features).
pub const PERSONAL_DATA_READ: &str = "personal_data.read";

pub const TARGET_APPOINTMENT: &str = "appointment";
pub const TARGET_REGION: &str = "region";

pub const CASE_OPENED: &str = "neutrality.case_opened";
pub const CASE_STEP_DECIDED: &str = "neutrality.case_step_decided";
pub const TARGET_CASE: &str = "neutrality_case";

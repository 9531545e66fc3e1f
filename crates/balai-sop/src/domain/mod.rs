//! Pure rules: steps and overrides, versions in time, the step diff, where an SOP may be
//! adopted, who may act, the audit vocabulary; training, the roster and readiness before each
//! election stage. No IO.

pub mod access;
pub mod adoption;
pub mod audit;
pub mod diff;
pub mod permissions;
pub mod readiness;
pub mod step_text;
pub mod steps;
pub mod training;
pub mod versions;

balai_core::id_newtype!(
    /// An SOP, a province's or an adoption (`sops.id`).
    SopId,
    /// A training session (`trainings.id`).
    TrainingId,
    /// An officer of a roster (`officers.id`).
    OfficerId,
);

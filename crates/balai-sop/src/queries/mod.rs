//! Read models: one SOP (at a version or a day), the step diff of two versions, the drift
//! table of a province SOP, and the list of SOPs; the training sessions and the readiness of a
//! regency's officers before each election stage.

pub mod drift;
pub mod history;
pub mod list;
pub mod readiness;
pub mod trainings;
pub mod view;

//! Read models: one SOP (at a version or a day), the step diff of two versions, the drift
//! table of a province SOP, and the list of SOPs.

pub mod drift;
pub mod history;
pub mod list;
pub mod view;

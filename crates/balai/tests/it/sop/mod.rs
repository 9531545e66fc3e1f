//! SOP & kesiapan (`balai-sop`): versions, adoptions with overrides, review after a major
//! version, the procedure at a date, the drift table, refusals and the pages; training,
//! attendance and readiness before each election stage.

mod forms;
mod lifecycle;
mod pages;
mod point_in_time;
mod readiness;
mod refusals;
mod training_refusals;

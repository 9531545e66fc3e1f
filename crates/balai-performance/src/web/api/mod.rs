//! The JSON API: survey codes and answers, the index, the unit's survey settings.

pub mod follow_ups;
pub mod kpis;
pub mod questions;
pub mod surveys;

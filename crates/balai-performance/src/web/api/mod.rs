//! The JSON API: survey codes and answers, the index, the unit's survey settings.

pub mod kpis;
pub mod surveys;

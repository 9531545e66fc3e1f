//! The elections JSON API under `/api/v1/elections`. Writes need a KPU official whose scope
//! covers the region; reading results, TPS histories and the publication log is public.

pub mod batch;
pub mod elections;
pub mod photos;
pub mod recaps;
pub mod resolutions;
pub mod results;

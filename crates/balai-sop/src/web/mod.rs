//! HTTP: every route in `routes`, the pages in `html`, the JSON API in `api` (SOPs) and
//! `training_api` (training and readiness).

pub mod api;
pub mod html;
pub mod routes;
pub mod training_api;

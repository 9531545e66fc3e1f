//! HTTP: every route in `routes.rs`; HTML pages under `html/`, the JSON API, the SMS gateway
//! and Open311 under `api/`.

pub mod api;
pub mod html;
pub mod lookups;
pub mod page;
pub mod photos;
pub mod routes;

//! HTTP: every route in `routes`, the JSON API in `api`.

pub mod api;
pub mod html;
pub mod routes;

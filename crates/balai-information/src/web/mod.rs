//! HTTP: every route in `routes`, the JSON API in `api`.

pub mod api;
pub mod archive;
pub mod html;
pub mod routes;

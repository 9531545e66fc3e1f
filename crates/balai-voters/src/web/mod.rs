//! HTTP: every route in `routes`, the public check and the officials' pages in `html`, the
//! JSON API in `api`.

pub mod api;
pub mod html;
pub mod routes;

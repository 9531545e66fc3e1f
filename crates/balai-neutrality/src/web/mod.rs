//! HTTP: every route in `routes`, the public and the agencies' pages in `html`, the JSON API in
//! `api` (appointments) and `cases_api` (neutrality cases, answered as `cases_out`).

pub mod api;
pub mod cases_api;
pub mod cases_out;
pub mod cases_schema;
pub mod html;
pub mod routes;

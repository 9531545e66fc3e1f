//! HTTP: every route in `routes`, the JSON API in `api`.

pub mod api;
pub mod archive;
pub mod counter;
pub mod csv;
pub mod html;
pub mod lists_api;
pub mod lists_html;
pub mod report;
pub mod routes;
pub mod staff;
pub mod staff_act;
pub mod track;

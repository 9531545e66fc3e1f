//! HTTP: every route in [`routes`]; public pages and the entry form in [`html`], the JSON API
//! in [`api`], the CSV and CDF exports in [`export`].

pub mod api;
pub mod export;
pub mod html;
pub mod labels;
pub mod present;
pub mod routes;
pub mod shared;

//! HTTP: public pages and the JSON API.

pub mod api;
pub mod cdf;
pub mod entry;
pub mod export;
pub mod html;
pub mod media;
pub mod view;

//! HTTP handlers of the foundation: public pages, the officials' shell, the JSON API, operations.

pub mod admin;
pub mod api;
pub mod audit_view;
pub mod home;
pub mod ops;
pub mod pages;
pub mod regions;
pub mod session;
pub mod tokens;

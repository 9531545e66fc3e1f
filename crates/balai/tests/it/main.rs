//! Balai's integration tests, one binary: each module below is one area of the app, laid out
//! like the features; `support` holds the harness they share (fresh databases on SQLite and
//! PostgreSQL, the app on a real port, `both_backends!`, the browser, the SMTP sink and each
//! feature's test world).
// Helpers outside `#[test]` functions fail a test by panicking, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod support;

mod civil_registry;
mod cli;
mod complaints;
mod elections;
mod foundation;
mod information;
mod neutrality;
mod participation;
mod performance;
mod roles;
mod sop;
mod voters;

//! The `balai` binary's library half: startup, the composed router, the shell pages, the JSON
//! API of the foundation, demo data and the CLI commands. Integration tests drive it in-process.

pub mod app;
pub mod cli;
pub mod demo;
pub mod imports;

pub mod keys;
pub mod logging;
pub mod server;
pub mod web;

//! The `balai` command line: set-up, serving, the other commands, and the results import.

mod base_url;
mod commands;
mod faults;
mod import;
mod keys;
mod serve;
mod setup;

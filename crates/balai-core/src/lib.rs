//! Balai's shared foundation: configuration, the two-backend database handle, regions, the
//! working-day calendar, accounts and scoping, the audit chain, jobs, the notification outbox,
//! idempotency and the web plumbing. No feature logic lives here.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod coalesce;
pub mod config;
pub mod db;
pub mod error;
pub mod group_commit;
pub mod i18n;
pub mod idempotency;
pub mod ids;
pub mod jobs;
pub mod maintenance;
pub mod outbox;
pub mod regions;
pub mod web;

pub use db::{Db, Tx};
pub use error::{AppError, AppResult};

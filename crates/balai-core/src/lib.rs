//! Balai's shared foundation: configuration, the two-backend database handle, regions, the
//! working-day calendar, accounts and scoping, the audit chain and its signed checkpoints, jobs,
//! the notification outbox, idempotency and the web plumbing. No feature logic lives here.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod checkpoints;
pub mod config;
pub mod disk;
pub mod error;
pub mod format;
pub mod gate;
pub mod health;
pub mod i18n;
pub mod idempotency;
pub mod identity;
pub mod ids;
pub mod jobs;
pub mod kpi;
pub mod maintenance;
pub mod nik;
pub mod outbox;
pub mod pii;
pub mod regions;
pub mod schedule;
pub mod secret;
pub mod survey;
pub mod text;
pub mod throttle;
pub mod tps;
pub mod turnout;
pub mod web;

/// Storage lives in its own crate; these paths keep the feature crates' imports short.
pub use balai_db as db;
pub use balai_db::{coalesce, group_commit, with_db, with_tx};
pub use db::{Db, Tx};
pub use error::{AppError, AppResult};

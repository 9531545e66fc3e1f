//! The platform under every feature: HTTP, accounts, instances sharing a database, writes,
//! the store on both backends, transaction parts, group commit and coalescing, migrations, and the harness's own
//! browser and SMTP checks.

mod accessibility;
mod accounts;
mod api_contract;
mod audit_log;
mod browser_smoke;
pub mod checkpoints;
mod coalesce;
mod e2e;
mod exhaustion;
mod group_commit;
mod health;
mod http;
mod migrations;
mod multi;
mod page_weight;
mod regions_finder;
mod sessions;
mod sms_once;
mod smtp_smoke;
mod store_conformance;
mod text_input;
mod tx_parts;
mod writes;

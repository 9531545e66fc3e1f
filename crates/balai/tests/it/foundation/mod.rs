//! The platform under every feature: HTTP, accounts, instances sharing a database, writes,
//! the store on both backends, transaction parts, group commit and coalescing, migrations, and the harness's own
//! browser and SMTP checks.

mod accounts;
mod api_contract;
mod browser_smoke;
mod coalesce;
mod e2e;
mod group_commit;
mod http;
mod migrations;
mod multi;
mod smtp_smoke;
mod store_conformance;
mod tx_parts;
mod writes;

//! Election results: C.Hasil-KWK entry and its checks, aggregation, caching, the public log,
//! the pages.

mod aggregation;
mod bounds;
mod browser;
mod cache;
mod checkpoints;
mod checks;
mod entry;
mod grouped;
mod imports;
mod log;
mod pages;
mod photo_scope;
mod readable;
mod setup_ui;

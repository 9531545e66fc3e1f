//! The result form's fast path, fenced: the only code that reaches past sqlx, to the SQLite
//! write connection directly (rusqlite) or to PostgreSQL's arrays and data-modifying `WITH`.
//! This module picks the backend; callers get [`Sqlite`] or [`Pg`], whose methods read and
//! write a submission's rows, and never see a connection.
//!
//! Why: on election night the writer's transaction is bound by per-statement costs (thread
//! hand-overs on SQLite, round trips on PostgreSQL), not by either side's CPU; see
//! `bench/README.md` for the measurements.

#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;

use balai_core::db::Tx;
use time::OffsetDateTime;

use super::results::{EntryRow, LogRow, NewEntry, StateRow, TpsState};
use super::Tps;
use crate::domain::election::ElectionStatus;
use crate::domain::tally::Deltas;

mod columns;
mod pg;
mod sqlite;

pub use pg::Write;

/// One election as a submission needs it: `(id, status, log_seq, log_head)`.
pub type ElectionHead = (i64, ElectionStatus, i64, String);

/// What a submission reads, from either backend.
pub struct Read {
    /// The `settings` rows asked for, `(key, value)`.
    pub settings: Vec<(String, String)>,
    pub recaps: Vec<(i64, String)>,
    pub ballots: Vec<(i64, u32)>,
    pub tps: Vec<Tps>,
    /// Every entry of those TPS, by TPS and version.
    pub entries: Vec<EntryRow>,
    pub states: Vec<StateRow>,
    /// Those TPS with a photo used for another TPS.
    pub reused: Vec<i64>,
    /// Entry ids reserved from the sequence, ascending, one per form asked for (PostgreSQL;
    /// SQLite takes them from its `INSERT`).
    pub entry_ids: Option<Vec<i64>>,
}

/// What follows from the accepted entries, once they have ids (SQLite; PostgreSQL writes it
/// with the entries, [`Write`]).
pub struct Rest<'a> {
    pub at: OffsetDateTime,
    /// One state per TPS, the last of each.
    pub states: &'a [TpsState<'a>],
    /// The publication log rows, chained, and each election's new head `(election, seq,
    /// hash)`.
    pub log: &'a [LogRow<'a>],
    pub heads: &'a [(i64, i64, String)],
    /// The change of each election's totals.
    pub deltas: &'a BTreeMap<i64, Deltas>,
}

/// A SQLite transaction's write connection, lent for one submission.
pub struct Sqlite<'c>(&'c rusqlite::Connection);

/// Run `work` on the SQLite transaction's write connection, on this thread; `None` on
/// PostgreSQL (then use [`postgres`]).
pub async fn on_sqlite<R>(
    tx: &mut Tx,
    work: impl FnOnce(Sqlite<'_>) -> R,
) -> Result<Option<R>, sqlx::Error> {
    tx.sqlite_direct(|c| work(Sqlite(c))).await
}

impl Sqlite<'_> {
    /// The elections (in id order, absent if they do not exist) and everything else a
    /// submission reads, under SQLite's one write lock.
    pub fn read(
        &self,
        election_ids: &[i64],
        ids: &[i64],
        named: &[(i64, &str, i64)],
        settings: &[&str],
    ) -> rusqlite::Result<(Vec<ElectionHead>, Read)> {
        sqlite::read(self.0, election_ids, ids, named, settings)
    }

    /// Insert the entries; returns `(tps_id, version) → id`.
    pub fn insert_entries(
        &self,
        entries: &[NewEntry<'_>],
    ) -> rusqlite::Result<BTreeMap<(i64, i64), i64>> {
        sqlite::insert_entries(self.0, entries)
    }

    /// Upsert the TPS states, append the log rows and move the heads, add to the totals.
    pub fn write_rest(&self, w: &Rest<'_>) -> rusqlite::Result<()> {
        sqlite::write_rest(self.0, w)
    }
}

/// A PostgreSQL transaction's connection, for one submission.
pub struct Pg<'c>(&'c mut sqlx::PgConnection);

/// The PostgreSQL side of the transaction; `None` on SQLite.
pub fn postgres(tx: &mut Tx) -> Option<Pg<'_>> {
    tx.postgres().map(Pg)
}

impl Pg<'_> {
    /// Everything a submission reads once its elections are locked, and `reserve` new entry
    /// ids, in one statement.
    pub async fn read(
        &mut self,
        election_ids: &[i64],
        ids: &[i64],
        named: &[(i64, &str, i64)],
        reserve: i64,
        settings: &[&str],
    ) -> Result<Read, sqlx::Error> {
        pg::read(self.0, election_ids, ids, named, reserve, settings).await
    }

    /// Write the entries and everything that follows from them in one statement.
    pub async fn write(&mut self, w: &Write<'_>) -> Result<(), sqlx::Error> {
        pg::write(self.0, w).await
    }
}

//! An election's turnout in a region, read by another feature (Partisipasi's targets against
//! turnout) without depending on the elections crate: the elections crate implements
//! [`TurnoutSource`], the binary keeps it in [`Turnouts`] in the application state, and the
//! reader asks it. Only the shape of the figures here; the elections crate decides where they
//! come from (entered TPS forms, or a past election's loaded totals).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use time::Date;

use crate::db::Db;

/// What a reader needs to know of an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectionFacts {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    /// Its current voting day.
    pub voting_date: Date,
}

/// Voters who used their vote (pengguna hak pilih) and the DPT, exact; the percentage is for
/// the reader to round for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TurnoutFigure {
    pub pengguna: i64,
    pub dpt: i64,
}

/// A boxed future of a source's answer.
pub type SourceFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'a>>;

/// Elections and their turnout per region.
pub trait TurnoutSource: Send + Sync {
    /// One election, if it exists.
    fn election<'a>(&'a self, db: &'a Db, id: i64) -> SourceFuture<'a, Option<ElectionFacts>>;
    /// The elections held for exactly this region (for comparisons), newest first.
    fn elections_of<'a>(
        &'a self,
        db: &'a Db,
        region: &'a str,
    ) -> SourceFuture<'a, Vec<ElectionFacts>>;
    /// The election's turnout in `region` (the election's region or a region inside it);
    /// `None` when nothing is known there (no form entered, no totals loaded).
    fn turnout<'a>(
        &'a self,
        db: &'a Db,
        election_id: i64,
        region: &'a str,
    ) -> SourceFuture<'a, Option<TurnoutFigure>>;
}

/// The source, kept in the application state's extensions by the binary.
#[derive(Clone)]
pub struct Turnouts(pub Arc<dyn TurnoutSource>);

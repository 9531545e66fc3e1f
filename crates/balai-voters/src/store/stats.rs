//! The `voter_lookup_days` table: the check's public daily counts.

use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

/// One day's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Day {
    pub lookups: i64,
    pub found: i64,
    pub not_found: i64,
    pub refused: i64,
    pub throttled: i64,
}

impl Day {
    pub fn add(&mut self, o: &Day) {
        self.lookups += o.lookups;
        self.found += o.found;
        self.not_found += o.not_found;
        self.refused += o.refused;
        self.throttled += o.throttled;
    }

    pub fn is_empty(&self) -> bool {
        *self == Day::default()
    }
}

/// The counts' own transaction on PostgreSQL commits without waiting for its WAL flush (see
/// [`crate::commands::shield`] for what a crash can lose); SQLite's is unchanged.
pub async fn relaxed(tx: &mut Tx) -> Result<(), sqlx::Error> {
    if tx.backend() != balai_core::db::Backend::Postgres {
        return Ok(());
    }
    with_tx!(tx, |c| sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

/// Add `d` to `day`'s counts.
pub async fn add(tx: &mut Tx, day: Date, d: &Day) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO voter_lookup_days (day, lookups, found, not_found, refused, throttled)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (day) DO UPDATE SET lookups = voter_lookup_days.lookups + excluded.lookups,
           found = voter_lookup_days.found + excluded.found,
           not_found = voter_lookup_days.not_found + excluded.not_found,
           refused = voter_lookup_days.refused + excluded.refused,
           throttled = voter_lookup_days.throttled + excluded.throttled"
    )
    .bind(day)
    .bind(d.lookups)
    .bind(d.found)
    .bind(d.not_found)
    .bind(d.refused)
    .bind(d.throttled)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// The last `n` days with counts, newest first.
pub async fn recent(db: &Db, n: i64) -> Result<Vec<(Date, Day)>, sqlx::Error> {
    let rows: Vec<(Date, i64, i64, i64, i64, i64)> = with_db!(db, |c| sqlx::query_as(
        "SELECT day, lookups, found, not_found, refused, throttled FROM voter_lookup_days
         ORDER BY day DESC LIMIT $1"
    )
    .bind(n)
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(day, lookups, found, not_found, refused, throttled)| {
            (
                day,
                Day {
                    lookups,
                    found,
                    not_found,
                    refused,
                    throttled,
                },
            )
        })
        .collect())
}

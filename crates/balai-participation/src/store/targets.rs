//! Turnout targets per election and region.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};

use super::{subtree, By};
use crate::domain::targets::Target;

/// Replace the election's targets inside `scope` (a region and everything under it) with
/// `rows`.
pub async fn replace_under(
    tx: &mut Tx,
    election_id: i64,
    scope: &str,
    rows: &[Target],
    by: By,
) -> Result<u64, sqlx::Error> {
    let dropped = with_tx!(tx, |c| {
        sqlx::query(
        "DELETE FROM turnout_targets WHERE election_id = $1 AND (region_code = $2 OR region_code LIKE $3)"
    )
    .bind(election_id)
    .bind(scope)
    .bind(subtree(scope))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    let t = now();
    for r in rows {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO turnout_targets (election_id, region_code, target_hundredths, agency_id,
               set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(election_id)
        .bind(r.region.as_str())
        .bind(r.hundredths)
        .bind(by.agency_id)
        .bind(by.user_id)
        .bind(t)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(dropped)
}

/// Every target of an election: (region code, hundredths), by region.
pub async fn of_election(db: &Db, election_id: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (String, i64)>(
        "SELECT region_code, target_hundredths FROM turnout_targets WHERE election_id = $1
         ORDER BY region_code"
    )
    .bind(election_id)
    .fetch_all(c)
    .await)
}

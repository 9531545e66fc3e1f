//! The `appointment_flags` table: an appointment inside a window of an election's current
//! schedule.

use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use crate::domain::window::Flag;

/// Store an appointment's flags, each with the schedule version it was computed from.
pub async fn insert(
    tx: &mut Tx,
    appointment_id: i64,
    flags: &[(Flag, i64)],
) -> Result<(), sqlx::Error> {
    for (f, version) in flags {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO appointment_flags (appointment_id, election_id, rule, window_from,
               window_to, approved, schedule_version) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(appointment_id)
        .bind(f.election_id)
        .bind(f.rule.as_str())
        .bind(f.window_from)
        .bind(f.window_to)
        .bind(f.approved)
        .bind(*version)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Drop every flag of an election (before they are computed anew from its new schedule).
pub async fn delete_for_election(tx: &mut Tx, election_id: i64) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM appointment_flags WHERE election_id = $1"
    )
    .bind(election_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// A stored flag.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FlagRow {
    pub appointment_id: i64,
    pub election_id: i64,
    pub rule: String,
    pub window_from: Date,
    pub window_to: Option<Date>,
    pub approved: bool,
}

/// The flags of every appointment of a region.
pub async fn in_region(db: &Db, region: &str) -> Result<Vec<FlagRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, FlagRow>(
        "SELECT f.appointment_id, f.election_id, f.rule, f.window_from, f.window_to, f.approved
         FROM appointment_flags f JOIN appointments a ON a.id = f.appointment_id
         WHERE a.region_code = $1 ORDER BY f.appointment_id, f.election_id, f.rule"
    )
    .bind(region)
    .fetch_all(c)
    .await)
}

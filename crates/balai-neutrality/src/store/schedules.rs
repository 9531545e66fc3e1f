//! The elections' current schedules, read here by SQL so the feature does not depend on the
//! elections crate: each election with the stages of its newest schedule version.

use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

/// One stage of an election's current schedule, with its election.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StageRow {
    pub election_id: i64,
    pub election_name: String,
    pub election_kind: String,
    pub region_code: String,
    pub version: i64,
    pub kind: Option<String>,
    pub name: String,
    pub start_day: Date,
    pub end_day: Date,
}

const CURRENT_STAGES: &str = "SELECT e.id AS election_id, e.name AS election_name,
      e.kind AS election_kind, e.region_code, v.version, s.kind, s.name, s.start_day, s.end_day
    FROM elections e
    JOIN schedule_versions v ON v.election_id = e.id
      AND v.version = (SELECT MAX(version) FROM schedule_versions WHERE election_id = e.id)
    JOIN schedule_stages s ON s.version_id = v.id";

/// The current stages of the elections held in `codes` (a region and the regions above it),
/// by election and position.
pub async fn current_in(db: &Db, codes: &[String]) -> Result<Vec<StageRow>, sqlx::Error> {
    let (a, b) = pair(codes);
    let sql = format!(
        "{CURRENT_STAGES} WHERE e.region_code = $1 OR e.region_code = $2
         ORDER BY e.id, s.position"
    );
    with_db!(db, |c| sqlx::query_as::<_, StageRow>(&sql)
        .bind(a)
        .bind(b)
        .fetch_all(c)
        .await)
}

/// [`current_in`] in the caller's transaction.
pub async fn current_in_tx(tx: &mut Tx, codes: &[String]) -> Result<Vec<StageRow>, sqlx::Error> {
    let (a, b) = pair(codes);
    let sql = format!(
        "{CURRENT_STAGES} WHERE e.region_code = $1 OR e.region_code = $2
         ORDER BY e.id, s.position"
    );
    with_tx!(tx, |c| sqlx::query_as::<_, StageRow>(&sql)
        .bind(a)
        .bind(b)
        .fetch_all(&mut *c)
        .await)
}

/// The current stages of one election.
pub async fn current_of(tx: &mut Tx, election_id: i64) -> Result<Vec<StageRow>, sqlx::Error> {
    let sql = format!("{CURRENT_STAGES} WHERE e.id = $1 ORDER BY s.position");
    with_tx!(tx, |c| sqlx::query_as::<_, StageRow>(&sql)
        .bind(election_id)
        .fetch_all(&mut *c)
        .await)
}

/// An election's region, whatever its schedule.
pub async fn region_of(tx: &mut Tx, election_id: i64) -> Result<Option<String>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, String>(
        "SELECT region_code FROM elections WHERE id = $1"
    )
    .bind(election_id)
    .fetch_optional(&mut *c)
    .await)
}

/// Up to two codes (a regency and its province, or a province twice).
fn pair(codes: &[String]) -> (String, String) {
    let a = codes.first().cloned().unwrap_or_default();
    let b = codes.get(1).cloned().unwrap_or_else(|| a.clone());
    (a, b)
}

/// Serialize a recording with a schedule change of the elections over its region, so that
/// either the recording sees the new schedule or the schedule's recomputation sees the new
/// appointment: on PostgreSQL the recording holds the elections' rows `FOR SHARE` and the
/// schedule hook the changed election's `FOR UPDATE` ([`lock_for_recompute`]). On SQLite every
/// write transaction already holds the one write lock (`BEGIN IMMEDIATE`).
pub async fn lock_for_recording(tx: &mut Tx, codes: &[String]) -> Result<(), sqlx::Error> {
    if tx.backend() != balai_core::db::Backend::Postgres {
        return Ok(());
    }
    let (a, b) = pair(codes);
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM elections WHERE region_code = $1 OR region_code = $2 ORDER BY id FOR SHARE"
    )
    .bind(a)
    .bind(b)
    .fetch_all(&mut *c)
    .await)?;
    Ok(())
}

/// The schedule hook's side of [`lock_for_recording`].
pub async fn lock_for_recompute(tx: &mut Tx, election_id: i64) -> Result<(), sqlx::Error> {
    if tx.backend() != balai_core::db::Backend::Postgres {
        return Ok(());
    }
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM elections WHERE id = $1 FOR UPDATE"
    )
    .bind(election_id)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(())
}

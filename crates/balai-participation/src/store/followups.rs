//! Follow-up actions of activities: owner, due date, progress.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use super::subtree;
use crate::domain::activity::NewFollowUp;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FollowUpRow {
    pub id: i64,
    pub activity_id: i64,
    pub action: String,
    pub owner: String,
    pub owner_agency_id: Option<i64>,
    pub due_on: Date,
    pub progress: i64,
    pub note: Option<String>,
}

const COLUMNS: &str = "f.id, f.activity_id, f.action, f.owner, f.owner_agency_id, f.due_on,
    f.progress, f.note";

pub async fn insert(tx: &mut Tx, activity_id: i64, f: &NewFollowUp) -> Result<i64, sqlx::Error> {
    let t = now();
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO collab_followups (activity_id, action, owner, owner_agency_id, due_on,
           progress, note, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id"
    )
    .bind(activity_id)
    .bind(&f.action)
    .bind(&f.owner)
    .bind(f.owner_agency_id)
    .bind(f.due_on)
    .bind(f.progress)
    .bind(f.note.as_deref())
    .bind(t)
    .fetch_one(&mut *c)
    .await)
}

pub async fn under(db: &Db, region: &str) -> Result<Vec<FollowUpRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_followups f JOIN collab_activities a ON a.id = f.activity_id
         WHERE a.region_code = $1 OR a.region_code LIKE $2 ORDER BY f.due_on, f.id LIMIT 1000"
    );
    with_db!(db, |c| sqlx::query_as::<_, FollowUpRow>(&sql)
        .bind(region)
        .bind(subtree(region))
        .fetch_all(c)
        .await)
}

pub async fn of_activity(db: &Db, activity_id: i64) -> Result<Vec<FollowUpRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_followups f WHERE f.activity_id = $1 ORDER BY f.due_on, f.id"
    );
    with_db!(db, |c| sqlx::query_as::<_, FollowUpRow>(&sql)
        .bind(activity_id)
        .fetch_all(c)
        .await)
}

pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<FollowUpRow>, sqlx::Error> {
    let lock = if tx.backend() == balai_core::db::Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {COLUMNS} FROM collab_followups f WHERE f.id = $1{lock}");
    with_tx!(tx, |c| sqlx::query_as::<_, FollowUpRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn set_progress(
    tx: &mut Tx,
    id: i64,
    progress: i64,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_followups SET progress = $1, note = COALESCE($2, note), updated_at = $3
         WHERE id = $4"
    )
    .bind(progress)
    .bind(note)
    .bind(now())
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

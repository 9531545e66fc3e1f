//! The public history of edits to agreements and activities: who (the agency) changed which
//! fields from what to what, and when.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::OffsetDateTime;

use super::By;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChangeRow {
    pub agency_name: String,
    pub changed_at: OffsetDateTime,
    /// JSON objects of the changed fields.
    pub before_json: String,
    pub after_json: String,
}

/// Record one edit.
pub async fn insert(
    tx: &mut Tx,
    (target_kind, target_id): (&str, i64),
    (by, agency_name): (By, &str),
    (before, after): (&serde_json::Value, &serde_json::Value),
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO collab_changes (target_kind, target_id, agency_id, agency_name, changed_by,
           changed_at, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(target_kind)
    .bind(target_id)
    .bind(by.agency_id)
    .bind(agency_name)
    .bind(by.user_id)
    .bind(now())
    .bind(before.to_string())
    .bind(after.to_string())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The edits of one record, the newest first.
pub async fn of(db: &Db, target_kind: &str, target_id: i64) -> Result<Vec<ChangeRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ChangeRow>(
        "SELECT agency_name, changed_at, before_json, after_json FROM collab_changes
         WHERE target_kind = $1 AND target_id = $2 ORDER BY id DESC"
    )
    .bind(target_kind)
    .bind(target_id)
    .fetch_all(c)
    .await)
}

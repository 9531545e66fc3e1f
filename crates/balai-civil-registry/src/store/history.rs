//! Each application's history (table `cr_history`).

use balai_core::ids::ApplicationId;
use balai_core::{with_db, with_tx, Db, Tx};
use serde::Serialize;
use time::OffsetDateTime;

pub async fn insert_history(
    tx: &mut Tx,
    application_id: ApplicationId,
    action: &str,
    from: Option<&str>,
    to: &str,
    actor_label: &str,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO cr_history (application_id, at, action, from_status, to_status, actor_label, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(application_id)
    .bind(balai_core::db::now())
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(actor_label)
    .bind(note)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct HistoryRow {
    pub at: OffsetDateTime,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_label: String,
    pub note: Option<String>,
}

pub async fn history(
    db: &Db,
    application_id: impl Into<ApplicationId>,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    let application_id: ApplicationId = application_id.into();
    with_db!(db, |c| sqlx::query_as::<_, HistoryRow>(
        "SELECT at, action, from_status, to_status, actor_label, note FROM cr_history
         WHERE application_id = $1 ORDER BY id"
    )
    .bind(application_id)
    .fetch_all(c)
    .await)
}

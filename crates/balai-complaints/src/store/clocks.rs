//! The report clocks the sweep watches (`clocks`) and the sweep job itself (`jobs`).

use std::collections::HashMap;

use balai_core::db::{Db, Tx};
use balai_core::ids::ComplaintId;
use balai_core::{with_db, with_tx};
use time::Date;

/// Open clocks due before `today`, with their complaint (for escalation and auto-close).
pub async fn overdue_clocks(
    db: &Db,
    purpose: &str,
    today: Date,
) -> Result<Vec<(ComplaintId, Date)>, sqlx::Error> {
    let ids: Vec<(String, Date)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT subject_id, due_day FROM clocks WHERE subject_kind = 'complaint' AND purpose = $1
           AND open = TRUE AND due_day < $2 ORDER BY due_day LIMIT 500"
    )
    .bind(purpose)
    .bind(today)
    .fetch_all(c)
    .await
    })?;
    Ok(ids
        .into_iter()
        .filter_map(|(s, d)| s.parse().ok().map(|i| (i, d)))
        .collect())
}

/// Queue one sweep job (escalation, auto-close) unless one is already waiting.
pub async fn ensure_sweep_job(tx: &mut Tx, kind: &'static str) -> Result<(), sqlx::Error> {
    // Submissions sharing a transaction (group commit) need to look only once.
    if !tx.first_time(kind) {
        return Ok(());
    }
    let waiting: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status IN ('queued', 'running')"
    )
    .bind(kind)
    .fetch_one(&mut *c)
    .await)?;
    if waiting == 0 {
        balai_core::jobs::enqueue(tx, kind, &serde_json::json!({}), 3).await?;
    }
    Ok(())
}

/// The earliest open due day of each of `ids` among `purposes`, in one query (lists).
pub async fn earliest_open_due_of(
    db: &Db,
    ids: &[ComplaintId],
    purposes: &[&str],
) -> Result<HashMap<ComplaintId, Date>, sqlx::Error> {
    if ids.is_empty() || purposes.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, Date)> = with_db!(db, |c| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT subject_id, MIN(due_day) FROM clocks WHERE open = TRUE AND subject_kind = 'complaint' AND subject_id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(id.to_string());
        }
        q.push(") AND purpose IN (");
        let mut list = q.separated(", ");
        for p in purposes {
            list.push_bind(*p);
        }
        q.push(") GROUP BY subject_id");
        q.build_query_as().fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, d)| Some((id.parse().ok()?, d)))
        .collect())
}

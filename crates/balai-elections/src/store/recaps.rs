//! SQL for the plenary recapitulation records (a recorded region's TPS results change only
//! through a re-vote).

use balai_core::db::{now, Db, Tx};
use balai_core::{with_db, with_tx};
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Recap {
    pub region_code: String,
    pub document_ref: String,
    pub recorded_label: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub recorded_at: OffsetDateTime,
}

pub async fn insert_recap(
    tx: &mut Tx,
    election_id: i64,
    region: &str,
    document_ref: &str,
    user_id: i64,
    label: &str,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO election_recaps (election_id, region_code, document_ref, recorded_by, recorded_label, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (election_id, region_code) DO NOTHING"
    )
    .bind(election_id)
    .bind(region)
    .bind(document_ref)
    .bind(user_id)
    .bind(label)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })
}

pub async fn recap(db: &Db, election_id: i64, region: &str) -> Result<Option<Recap>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Recap>(
        "SELECT region_code, document_ref, recorded_label, recorded_at FROM election_recaps
         WHERE election_id = $1 AND region_code = $2"
    )
    .bind(election_id)
    .bind(region)
    .fetch_optional(c)
    .await)
}

/// Take back the recorded recapitulation of `region`: its row moves to
/// `election_recap_reopenings` with who reopened it and why. `None` when none is recorded.
pub async fn reopen_recap(
    tx: &mut Tx,
    election_id: i64,
    region: &str,
    user_id: i64,
    label: &str,
    reason: &str,
) -> Result<Option<Recap>, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO election_recap_reopenings (election_id, region_code, document_ref,
               recorded_by, recorded_label, recorded_at, reopened_by, reopened_label, reopened_at,
               reason)
             SELECT election_id, region_code, document_ref, recorded_by, recorded_label,
               recorded_at, $3, $4, $5, $6
             FROM election_recaps WHERE election_id = $1 AND region_code = $2",
        )
        .bind(election_id)
        .bind(region)
        .bind(user_id)
        .bind(label)
        .bind(now())
        .bind(reason)
        .execute(&mut *c)
        .await?;
        sqlx::query_as::<_, Recap>(
            "DELETE FROM election_recaps WHERE election_id = $1 AND region_code = $2
             RETURNING region_code, document_ref, recorded_label, recorded_at",
        )
        .bind(election_id)
        .bind(region)
        .fetch_optional(&mut *c)
        .await
    })
}

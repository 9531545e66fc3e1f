//! What open statistics read (no personal data).

use balai_core::{with_db, Db};
use time::{Date, OffsetDateTime};

/// What statistics need of one application (no personal data).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StatRow {
    pub service_code: String,
    pub channel: String,
    pub status: String,
    pub submitted_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    pub due_day: Date,
}

/// Applications in a region subtree first submitted in `[from, until)`.
pub async fn stat_rows(
    db: &Db,
    region: &str,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<Vec<StatRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, StatRow>(
        "SELECT service_code, channel, status, submitted_at, completed_at, due_day FROM cr_applications
         WHERE (kelurahan_code = $1 OR kelurahan_code LIKE $2) AND submitted_at >= $3 AND submitted_at < $4"
    )
    .bind(region)
    .bind(format!("{region}.%"))
    .bind(from)
    .bind(until)
    .fetch_all(c)
    .await
    })
}

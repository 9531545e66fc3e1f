//! The `complaint_events` table: a report's timeline.

use balai_core::db::{Db, Tx};
use balai_core::ids::ComplaintId;
use balai_core::{with_db, with_tx};
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub complaint_id: ComplaintId,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub kind: String,
    pub public: bool,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub from_agency: Option<i64>,
    pub to_agency: Option<i64>,
    pub body: String,
}

/// A timeline entry.
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub public: bool,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub from_agency: Option<i64>,
    pub to_agency: Option<i64>,
    pub body: &'a str,
}

pub async fn add_event(
    tx: &mut Tx,
    complaint_id: ComplaintId,
    e: &NewEvent<'_>,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO complaint_events (complaint_id, occurred_at, kind, public, actor_user_id,
           actor_label, from_status, to_status, from_agency, to_agency, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"
    )
    .bind(complaint_id)
    .bind(balai_core::db::now())
    .bind(e.kind)
    .bind(e.public)
    .bind(e.actor_user_id)
    .bind(e.actor_label)
    .bind(e.from_status)
    .bind(e.to_status)
    .bind(e.from_agency)
    .bind(e.to_agency)
    .bind(e.body)
    .fetch_one(&mut *c)
    .await)
}

/// Add timeline entries to several reports in one statement.
pub async fn add_events(
    tx: &mut Tx,
    events: &[(ComplaintId, NewEvent<'_>)],
) -> Result<(), sqlx::Error> {
    let now = balai_core::db::now();
    for chunk in events.chunks(500) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO complaint_events (complaint_id, occurred_at, kind, public,
                   actor_user_id, actor_label, from_status, to_status, from_agency, to_agency,
                   body) ",
            );
            q.push_values(chunk, |mut b, (id, e)| {
                b.push_bind(*id)
                    .push_bind(now)
                    .push_bind(e.kind)
                    .push_bind(e.public)
                    .push_bind(e.actor_user_id)
                    .push_bind(e.actor_label)
                    .push_bind(e.from_status)
                    .push_bind(e.to_status)
                    .push_bind(e.from_agency)
                    .push_bind(e.to_agency)
                    .push_bind(e.body);
            });
            q.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn events(
    db: &Db,
    complaint_id: ComplaintId,
    public_only: bool,
) -> Result<Vec<Event>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, Event>(
        "SELECT id, complaint_id, occurred_at, kind, public, actor_user_id, actor_label, from_status,
           to_status, from_agency, to_agency, body
         FROM complaint_events WHERE complaint_id = $1 AND (public = TRUE OR $2 = FALSE) ORDER BY id"
    )
    .bind(complaint_id)
    .bind(public_only)
    .fetch_all(c)
    .await
    })
}

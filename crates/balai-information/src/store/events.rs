//! The public history of a request (`info_request_events`): who did what on which day, never
//! who the requester is.

use balai_core::db::{Db, Tx};
use balai_core::{with_db, with_tx};
use time::Date;

use crate::RequestId;

pub struct NewEvent<'a> {
    pub request: RequestId,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub note: Option<&'a str>,
    pub by_official: bool,
    pub day: Date,
}

pub async fn insert_event(tx: &mut Tx, e: &NewEvent<'_>) -> Result<(), sqlx::Error> {
    let now = balai_core::db::now();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO info_request_events (request_id, action, from_status, to_status, note,
           by_official, day, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(e.request)
    .bind(e.action)
    .bind(e.from)
    .bind(e.to)
    .bind(e.note)
    .bind(e.by_official)
    .bind(e.day)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub by_official: bool,
    pub day: Date,
}

pub async fn events(db: &Db, request: RequestId) -> Result<Vec<EventRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, EventRow>(
        "SELECT action, from_status, to_status, note, by_official, day FROM info_request_events
         WHERE request_id = $1 ORDER BY id"
    )
    .bind(request)
    .fetch_all(c)
    .await)
}

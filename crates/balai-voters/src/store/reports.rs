//! The `voter_list_reports` table: the public's responses to a list. The public read never
//! selects `details` or `contact` ([`public_for`]); only officials' reads do ([`get`]).

use balai_core::{with_db, with_tx, Db, Tx};
use time::OffsetDateTime;

use crate::domain::report::{NewReport, Status};

/// A response as the public sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicRow {
    pub code: String,
    pub election_id: i64,
    pub village_code: String,
    pub tps_number: i64,
    pub kind: String,
    pub filed_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
}

/// A response as the officials see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FullRow {
    pub id: i64,
    pub code: String,
    pub election_id: i64,
    pub village_code: String,
    pub tps_number: i64,
    pub kind: String,
    pub details: String,
    pub evidence: String,
    pub contact: Option<String>,
    pub status: String,
}

const PUBLIC: &str = "code, election_id, village_code, tps_number, kind, filed_at, due_at, status,
    answer, answered_at";

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    code: &str,
    election_id: i64,
    village_code: &str,
    r: &NewReport,
    filed: OffsetDateTime,
    due: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO voter_list_reports (code, election_id, village_code, tps_number, kind,
           details, evidence, contact, filed_at, due_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open') RETURNING id"
    )
    .bind(code)
    .bind(election_id)
    .bind(village_code)
    .bind(i64::from(r.tps_number))
    .bind(r.kind.as_str())
    .bind(&r.details)
    .bind(&r.evidence)
    .bind(&r.contact)
    .bind(filed)
    .bind(due)
    .fetch_one(&mut *c)
    .await)
}

/// The responses of an election (optionally of one village), newest first.
pub async fn public_for(
    db: &Db,
    election_id: i64,
    village: Option<&str>,
) -> Result<Vec<PublicRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {PUBLIC} FROM voter_list_reports WHERE election_id = $1
           AND ($2 = '' OR village_code = $2) ORDER BY filed_at DESC, id DESC LIMIT 500"
    );
    with_db!(db, |c| sqlx::query_as::<_, PublicRow>(&sql)
        .bind(election_id)
        .bind(village.unwrap_or(""))
        .fetch_all(c)
        .await)
}

/// One response by its code, as the public sees it.
pub async fn public_by_code(db: &Db, code: &str) -> Result<Option<PublicRow>, sqlx::Error> {
    let sql = format!("SELECT {PUBLIC} FROM voter_list_reports WHERE code = $1");
    with_db!(db, |c| sqlx::query_as::<_, PublicRow>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

/// One response in full, for the officials (held for the answer on PostgreSQL).
pub async fn get(tx: &mut Tx, code: &str) -> Result<Option<FullRow>, sqlx::Error> {
    let lock = if tx.backend() == balai_core::db::Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id, code, election_id, village_code, tps_number, kind, details, evidence, contact,
           status FROM voter_list_reports WHERE code = $1{lock}"
    );
    with_tx!(tx, |c| sqlx::query_as::<_, FullRow>(&sql)
        .bind(code)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn answer(
    tx: &mut Tx,
    id: i64,
    status: Status,
    answer: &str,
    by: i64,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE voter_list_reports SET status = $2, answer = $3, answered_at = $4, answered_by = $5
         WHERE id = $1"
    )
    .bind(id)
    .bind(status.as_str())
    .bind(answer)
    .bind(balai_core::db::now())
    .bind(by)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

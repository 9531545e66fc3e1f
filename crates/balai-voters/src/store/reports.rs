//! The `voter_list_reports` table: the public's responses to a list. The public read never
//! selects `details` or `contact` ([`public_for`]); only officials' reads do ([`get`]).

use balai_core::{with_db, with_tx, Db, Tx};
use time::{Date, OffsetDateTime};

use crate::domain::report::{self, NewReport, Status};

/// A response as the public sees it. `due_day` is the answer clock's (moved when the holidays
/// change); a case filed before the clock existed has none and falls back to `due_at`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicRow {
    pub code: String,
    pub election_id: i64,
    pub village_code: String,
    pub tps_number: i64,
    pub kind: String,
    pub filed_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub due_day: Option<Date>,
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
}

impl PublicRow {
    /// The last day of the PPS's answer.
    pub fn due(&self) -> Date {
        due_or(self.due_day, self.due_at, &self.village_code)
    }
}

/// The clock's due day, or the day of the due time stored at filing.
pub fn due_or(day: Option<Date>, due_at: OffsetDateTime, village: &str) -> Date {
    day.unwrap_or_else(|| report::filed_day(due_at, village))
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

/// The answer clock of a case `q`, joined where its due day is read.
pub const CLOCK_JOIN: &str = "LEFT JOIN clocks k ON k.subject_kind = 'voter_report'
    AND k.purpose = 'answer' AND k.subject_id = CAST(q.id AS TEXT)";

const PUBLIC: &str = "q.code, q.election_id, q.village_code, q.tps_number, q.kind, q.filed_at,
    q.due_at, k.due_day, q.status, q.answer, q.answered_at";

/// What a new case is stored with beside the checked response.
pub struct NewRow<'a> {
    pub code: &'a str,
    pub election_id: i64,
    pub village_code: &'a str,
    pub filed: OffsetDateTime,
    pub due: OffsetDateTime,
    /// The public form's one-time key; `None` from the API.
    pub form_key: Option<&'a str>,
}

/// Store a case; `None` when its form key is already stored (a second press of the button).
pub async fn insert(
    tx: &mut Tx,
    n: &NewRow<'_>,
    r: &NewReport,
) -> Result<Option<i64>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO voter_list_reports (code, election_id, village_code, tps_number, kind,
           details, evidence, contact, filed_at, due_at, status, form_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11)
         ON CONFLICT (form_key) DO NOTHING RETURNING id"
    )
    .bind(n.code)
    .bind(n.election_id)
    .bind(n.village_code)
    .bind(i64::from(r.tps_number))
    .bind(r.kind.as_str())
    .bind(&r.details)
    .bind(&r.evidence)
    .bind(&r.contact)
    .bind(n.filed)
    .bind(n.due)
    .bind(n.form_key)
    .fetch_optional(&mut *c)
    .await)
}

/// The case a form key filed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Keyed {
    pub code: String,
    pub village_code: String,
    pub due_at: OffsetDateTime,
    pub due_day: Option<Date>,
}

impl Keyed {
    pub fn due(&self) -> Date {
        due_or(self.due_day, self.due_at, &self.village_code)
    }
}

pub async fn by_form_key(tx: &mut Tx, key: &str) -> Result<Option<Keyed>, sqlx::Error> {
    let sql = format!(
        "SELECT q.code, q.village_code, q.due_at, k.due_day
         FROM voter_list_reports q {CLOCK_JOIN} WHERE q.form_key = $1"
    );
    with_tx!(tx, |c| sqlx::query_as::<_, Keyed>(&sql)
        .bind(key)
        .fetch_optional(&mut *c)
        .await)
}

/// The responses of an election (optionally of one village), newest first.
pub async fn public_for(
    db: &Db,
    election_id: i64,
    village: Option<&str>,
) -> Result<Vec<PublicRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {PUBLIC} FROM voter_list_reports q {CLOCK_JOIN} WHERE q.election_id = $1
           AND ($2 = '' OR q.village_code = $2) ORDER BY q.filed_at DESC, q.id DESC LIMIT 500"
    );
    with_db!(db, |c| sqlx::query_as::<_, PublicRow>(&sql)
        .bind(election_id)
        .bind(village.unwrap_or(""))
        .fetch_all(c)
        .await)
}

/// One response by its code, as the public sees it.
pub async fn public_by_code(db: &Db, code: &str) -> Result<Option<PublicRow>, sqlx::Error> {
    let sql = format!("SELECT {PUBLIC} FROM voter_list_reports q {CLOCK_JOIN} WHERE q.code = $1");
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

//! Survey codes (table `perf_survey_codes`).

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};
use time::{Date, OffsetDateTime};

/// A code to store.
pub struct NewCode<'a> {
    pub code: &'a str,
    pub agency_id: AgencyId,
    pub service: &'a str,
    pub service_day: Date,
    pub batch: &'a str,
    pub expires_at: OffsetDateTime,
    pub issued_by: Option<i64>,
}

/// Store a code; `false` if the code exists already (a random collision: draw again).
pub async fn insert(tx: &mut Tx, c: &NewCode<'_>) -> Result<bool, sqlx::Error> {
    let n = with_tx!(tx, |conn| sqlx::query(
        "INSERT INTO perf_survey_codes
           (code, agency_id, service, service_day, batch, expires_at, issued_by, issued_at, used)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE)
         ON CONFLICT (code) DO NOTHING"
    )
    .bind(c.code)
    .bind(c.agency_id)
    .bind(c.service)
    .bind(c.service_day)
    .bind(c.batch)
    .bind(c.expires_at)
    .bind(c.issued_by)
    .bind(balai_core::db::now())
    .execute(&mut *conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// What a code is bound to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CodeRow {
    pub code: String,
    pub agency_id: AgencyId,
    pub service: String,
    pub service_day: Date,
    pub expires_at: OffsetDateTime,
    pub used: bool,
}

const COLUMNS: &str = "code, agency_id, service, service_day, expires_at, used";

/// Mark an unused, unexpired code used and return what it is bound to; `None` if it is not
/// there, used or expired (nothing changed). One statement: of two answers with the same code
/// exactly one gets the row (SQLite writes one transaction at a time; on PostgreSQL the second
/// waits for the first's row lock, then finds `used` set).
pub async fn claim(
    tx: &mut Tx,
    code: &str,
    now: OffsetDateTime,
) -> Result<Option<CodeRow>, sqlx::Error> {
    let sql = format!(
        "UPDATE perf_survey_codes SET used = TRUE
         WHERE code = $1 AND used = FALSE AND expires_at > $2
         RETURNING {COLUMNS}"
    );
    with_tx!(tx, |c| sqlx::query_as::<_, CodeRow>(&sql)
        .bind(code)
        .bind(now)
        .fetch_optional(&mut *c)
        .await)
}

/// A code as it is, without changing it.
pub async fn get(db: &Db, code: &str) -> Result<Option<CodeRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM perf_survey_codes WHERE code = $1");
    with_db!(db, |c| sqlx::query_as::<_, CodeRow>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

/// The same, inside a transaction.
pub async fn get_tx(tx: &mut Tx, code: &str) -> Result<Option<CodeRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM perf_survey_codes WHERE code = $1");
    with_tx!(tx, |c| sqlx::query_as::<_, CodeRow>(&sql)
        .bind(code)
        .fetch_optional(&mut *c)
        .await)
}

/// The codes of one batch (a print run), in code order.
pub async fn batch(db: &Db, batch: &str) -> Result<Vec<CodeRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM perf_survey_codes WHERE batch = $1 ORDER BY code");
    with_db!(db, |c| sqlx::query_as::<_, CodeRow>(&sql)
        .bind(batch)
        .fetch_all(c)
        .await)
}

/// Codes issued for visits in a period (each is one service visit Balai knows of).
pub async fn issued(
    db: &Db,
    agency_id: AgencyId,
    from: Date,
    to: Date,
    service: Option<&str>,
) -> Result<i64, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM perf_survey_codes
         WHERE agency_id = $1 AND service_day >= $2 AND service_day <= $3
           AND ($4 = '' OR service = $4)"
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .bind(service.unwrap_or(""))
    .fetch_one(c)
    .await)
}

//! What the officials' pages read beside the store's own functions: the TPS of a village with
//! their DPT L/P, one TPS's masked entries (never a NIK), the responses' queue in an official's
//! area, and the official's own record openings from the audit log. Each read is narrowed to
//! one election and one village, TPS or area; none returns a voter in bulk.

use balai_core::accounts::Scope;
use balai_core::{with_db, Db};
use time::{Date, OffsetDateTime};

use crate::store::reports::{due_or, CLOCK_JOIN};

/// One TPS of a village: its number and address in the list, the DPT L/P of the TPS master
/// (set by each import), and the list's own id for the TPS (none for a TPS the list does not
/// name).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TpsCount {
    pub list_tps_id: Option<i64>,
    pub number: i64,
    pub address: String,
    pub male: i64,
    pub female: i64,
}

pub async fn tps_of_village(
    db: &Db,
    election_id: i64,
    village: &str,
) -> Result<Vec<TpsCount>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, TpsCount>(
        "SELECT CAST(v.id AS BIGINT) AS list_tps_id, t.number, t.address, t.dpt_l AS male,
                t.dpt_p AS female
         FROM tps t LEFT JOIN voter_tps v ON v.election_id = t.election_id
           AND v.village_code = t.village_code AND v.number = t.number
         WHERE t.election_id = $1 AND t.village_code = $2 ORDER BY t.number"
    )
    .bind(election_id)
    .bind(village)
    .fetch_all(c)
    .await)
}

/// A TPS the list names.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListTps {
    pub id: i64,
    pub election_id: i64,
    pub village_code: String,
    pub village_name: String,
    pub number: i64,
    pub address: String,
    pub male: i64,
    pub female: i64,
}

pub async fn list_tps(db: &Db, id: i64) -> Result<Option<ListTps>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ListTps>(
        "SELECT v.id, v.election_id, v.village_code,
                COALESCE((SELECT r.name FROM regions r WHERE r.code = v.village_code),
                  v.village_code) AS village_name, v.number, v.address,
                COALESCE(t.dpt_l, 0) AS male, COALESCE(t.dpt_p, 0) AS female
         FROM voter_tps v LEFT JOIN tps t ON t.election_id = v.election_id
           AND t.village_code = v.village_code AND t.number = v.number
         WHERE v.id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// A response in the officials' queue: what the public sees, and the village's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QueueRow {
    pub code: String,
    pub village_code: String,
    pub village_name: String,
    pub tps_number: i64,
    pub kind: String,
    pub filed_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub due_day: Option<Date>,
    pub status: String,
    pub answered_at: Option<OffsetDateTime>,
}

impl QueueRow {
    pub fn due(&self) -> Date {
        due_or(self.due_day, self.due_at, &self.village_code)
    }
}

/// An election's responses in `area` (a region code: the election's, or a smaller one the
/// official serves), open ones first and the most urgent first; at most 500.
pub async fn queue(db: &Db, election_id: i64, area: &str) -> Result<Vec<QueueRow>, sqlx::Error> {
    let sql = format!(
        "SELECT q.code, q.village_code,
                COALESCE((SELECT r.name FROM regions r WHERE r.code = q.village_code),
                  q.village_code) AS village_name, q.tps_number, q.kind, q.filed_at, q.due_at,
                k.due_day, q.status, q.answered_at
         FROM voter_list_reports q {CLOCK_JOIN}
         WHERE q.election_id = $1 AND (q.village_code = $2 OR q.village_code LIKE $3)
         ORDER BY CASE WHEN q.status = 'open' THEN 0 ELSE 1 END, k.due_day, q.due_at, q.id
         LIMIT 500"
    );
    with_db!(db, |c| sqlx::query_as::<_, QueueRow>(&sql)
        .bind(election_id)
        .bind(area)
        .bind(format!("{area}.%"))
        .fetch_all(c)
        .await)
}

/// An open response as the dashboard counts it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenCase {
    pub village_code: String,
    pub filed_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub due_day: Option<Date>,
}

impl OpenCase {
    pub fn due(&self) -> Date {
        due_or(self.due_day, self.due_at, &self.village_code)
    }
}

/// The open responses in `scope`'s area (at most 5000), for the dashboard's counts.
pub async fn open_cases(db: &Db, scope: &Scope) -> Result<Vec<OpenCase>, sqlx::Error> {
    let prefix = scope.region_prefix().unwrap_or("");
    let sql = format!(
        "SELECT q.village_code, q.filed_at, q.due_at, k.due_day FROM voter_list_reports q
         {CLOCK_JOIN}
         WHERE q.status = 'open' AND ($1 = '' OR q.village_code = $1 OR q.village_code LIKE $2)
         LIMIT 5000"
    );
    with_db!(db, |c| {
        sqlx::query_as::<_, OpenCase>(&sql)
            .bind(prefix)
            .bind(format!("{prefix}.%"))
            .fetch_all(c)
            .await
    })
}

/// One response in full, for the officials' case page (a read: no lock).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Case {
    pub code: String,
    pub election_id: i64,
    pub village_code: String,
    pub village_name: String,
    pub tps_number: i64,
    pub kind: String,
    pub details: String,
    pub evidence: String,
    pub contact: Option<String>,
    pub filed_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub due_day: Option<Date>,
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
}

impl Case {
    pub fn due(&self) -> Date {
        due_or(self.due_day, self.due_at, &self.village_code)
    }
}

pub async fn case(db: &Db, code: &str) -> Result<Option<Case>, sqlx::Error> {
    let sql = format!(
        "SELECT q.code, q.election_id, q.village_code,
                COALESCE((SELECT r.name FROM regions r WHERE r.code = q.village_code),
                  q.village_code) AS village_name, q.tps_number, q.kind, q.details, q.evidence,
                q.contact, q.filed_at, q.due_at, k.due_day, q.status, q.answer, q.answered_at
         FROM voter_list_reports q {CLOCK_JOIN} WHERE q.code = $1"
    );
    with_db!(db, |c| sqlx::query_as::<_, Case>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

//! The `appointments` table.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use crate::domain::appointment::NewAppointment;

/// Where a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Api,
    Form,
    Csv,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Api => "api",
            Source::Form => "form",
            Source::Csv => "csv",
        }
    }
}

/// Who recorded it.
#[derive(Clone, Copy, Debug)]
pub struct RecordedBy {
    pub agency_id: Option<i64>,
    pub user_id: i64,
}

/// Store one appointment; returns its id.
pub async fn insert(
    tx: &mut Tx,
    a: &NewAppointment,
    source: Source,
    by: RecordedBy,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO appointments (region_code, kind, official_name, nip, from_position,
           to_position, decree_number, decree_date, effective_date, signed_by,
           minister_approval_ref, source, agency_id, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
    )
    .bind(a.region.as_str())
    .bind(a.kind.as_str())
    .bind(&a.official_name)
    .bind(a.nip.as_ref().map(|n| n.as_str()))
    .bind(&a.from_position)
    .bind(&a.to_position)
    .bind(&a.decree_number)
    .bind(a.decree_date)
    .bind(a.effective_date)
    .bind(a.signed_by.map(|s| s.as_str()))
    .bind(a.minister_approval_ref.as_deref())
    .bind(source.as_str())
    .bind(by.agency_id)
    .bind(by.user_id)
    .bind(now())
    .fetch_one(&mut *c)
    .await)
}

/// An appointment as the public sees it: no NIP.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicRow {
    pub id: i64,
    pub region_code: String,
    pub kind: String,
    pub official_name: String,
    pub from_position: String,
    pub to_position: String,
    pub decree_number: String,
    pub decree_date: Date,
    pub effective_date: Option<Date>,
    pub signed_by: Option<String>,
    pub minister_approval_ref: Option<String>,
}

/// The public columns; the NIP is not among them.
const PUBLIC_COLUMNS: &str = "id, region_code, kind, official_name, from_position, to_position,
    decree_number, decree_date, effective_date, signed_by, minister_approval_ref";

/// The most appointments one region's page and list show.
pub const LIST_LIMIT: i64 = 2_000;

/// The appointments of one appointing government, by decree date.
pub async fn public_in(db: &Db, region: &str) -> Result<Vec<PublicRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {PUBLIC_COLUMNS} FROM appointments WHERE region_code = $1
         ORDER BY decree_date, id LIMIT {LIST_LIMIT}"
    );
    with_db!(db, |c| sqlx::query_as::<_, PublicRow>(&sql)
        .bind(region)
        .fetch_all(c)
        .await)
}

/// One appointment, public columns.
pub async fn public_one(db: &Db, id: i64) -> Result<Option<PublicRow>, sqlx::Error> {
    let sql = format!("SELECT {PUBLIC_COLUMNS} FROM appointments WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, PublicRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// The NIP of each appointment of a region (for the agencies' register only).
pub async fn with_nip_in(db: &Db, region: &str) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (i64, Option<String>)>(
        "SELECT id, nip FROM appointments WHERE region_code = $1"
    )
    .bind(region)
    .fetch_all(c)
    .await)
}

/// What the windows need of each appointment under a region (the region and inside it).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DatedRow {
    pub id: i64,
    pub decree_date: Date,
    pub effective_date: Option<Date>,
    pub minister_approval_ref: Option<String>,
}

pub async fn dated_under(tx: &mut Tx, region: &str) -> Result<Vec<DatedRow>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, DatedRow>(
        "SELECT id, decree_date, effective_date, minister_approval_ref FROM appointments
         WHERE region_code = $1 OR region_code LIKE $2"
    )
    .bind(region)
    .bind(format!("{region}.%"))
    .fetch_all(&mut *c)
    .await)
}

/// The appointing governments with appointments, by name, with how many.
pub async fn regions_with_counts(db: &Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (String, String, i64)>(
        "SELECT a.region_code, r.name, COUNT(*) FROM appointments a
         JOIN regions r ON r.code = a.region_code
         GROUP BY a.region_code, r.name ORDER BY r.name LIMIT 500"
    )
    .fetch_all(c)
    .await)
}

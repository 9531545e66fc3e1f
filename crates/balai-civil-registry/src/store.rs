//! SQL for both backends. Every write takes the caller's transaction.

use balai_core::accounts::Agency;
use balai_core::{with_db, with_tx, Db, Tx};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::domain::service::Requirement;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ServiceRow {
    pub code: String,
    pub position: i64,
    pub name_id: String,
    pub name_en: String,
    pub event_kind: Option<String>,
    pub late_after_days: Option<i64>,
    pub standard_days: i64,
    pub fee_rupiah: i64,
    pub requirements: String,
    pub active: bool,
}

impl ServiceRow {
    pub fn checklist(&self) -> Vec<Requirement> {
        serde_json::from_str(&self.requirements).unwrap_or_default()
    }
}

const SERVICE_COLS: &str = "code, position, name_id, name_en, event_kind, late_after_days, standard_days, fee_rupiah, requirements, active";

pub async fn list_services(db: &Db) -> Result<Vec<ServiceRow>, sqlx::Error> {
    let sql = format!("SELECT {SERVICE_COLS} FROM cr_services ORDER BY position, code");
    with_db!(db, |c| sqlx::query_as::<_, ServiceRow>(&sql)
        .fetch_all(c)
        .await)
}

pub async fn service_tx(tx: &mut Tx, code: &str) -> Result<Option<ServiceRow>, sqlx::Error> {
    let sql = format!("SELECT {SERVICE_COLS} FROM cr_services WHERE code = $1");
    with_tx!(tx, |c| sqlx::query_as::<_, ServiceRow>(&sql)
        .bind(code)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn service(db: &Db, code: &str) -> Result<Option<ServiceRow>, sqlx::Error> {
    let sql = format!("SELECT {SERVICE_COLS} FROM cr_services WHERE code = $1");
    with_db!(db, |c| sqlx::query_as::<_, ServiceRow>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

pub struct ServiceUpdate<'a> {
    pub standard_days: i64,
    pub fee_rupiah: i64,
    pub late_after_days: Option<i64>,
    pub requirements_json: &'a str,
    pub active: bool,
}

pub async fn update_service(
    tx: &mut Tx,
    code: &str,
    u: &ServiceUpdate<'_>,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE cr_services SET standard_days = $1, fee_rupiah = $2, late_after_days = $3,
           requirements = $4, active = $5, updated_at = $6 WHERE code = $7"
    )
    .bind(u.standard_days)
    .bind(u.fee_rupiah)
    .bind(u.late_after_days)
    .bind(u.requirements_json)
    .bind(u.active)
    .bind(balai_core::db::now())
    .bind(code)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// The Disdukcapil serving a kelurahan: the one with the most specific region covering it.
pub async fn disdukcapil_for(tx: &mut Tx, kelurahan: &str) -> Result<Option<Agency>, sqlx::Error> {
    let all: Vec<Agency> = with_tx!(tx, |c| {
        sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = 'disdukcapil' ORDER BY id"
    )
    .fetch_all(&mut *c)
    .await
    })?;
    Ok(serving(all, kelurahan))
}

/// Of the Disdukcapil agencies, the one with the most specific region covering the kelurahan.
pub fn serving(all: Vec<Agency>, kelurahan: &str) -> Option<Agency> {
    all.into_iter()
        .filter(|a| {
            kelurahan == a.region_code
                || (kelurahan.starts_with(&a.region_code)
                    && kelurahan.as_bytes().get(a.region_code.len()) == Some(&b'.'))
        })
        .max_by_key(|a| a.region_code.len())
}

/// The kelurahan's own counter, if it has one in Balai.
pub async fn counter_for(tx: &mut Tx, kelurahan: &str) -> Result<Option<Agency>, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = 'kelurahan' AND region_code = $1
         ORDER BY id LIMIT 1"
    )
    .bind(kelurahan)
    .fetch_optional(&mut *c)
    .await
    })
}

pub struct NewApplication<'a> {
    pub tracking_code: &'a str,
    pub secret_hash: &'a str,
    pub service_code: &'a str,
    pub channel: &'a str,
    pub kelurahan_code: &'a str,
    pub disdukcapil_agency_id: i64,
    pub counter_agency_id: Option<i64>,
    pub applicant_name: &'a str,
    pub nik_enc: Vec<u8>,
    pub nik_hash: String,
    pub nik_masked: String,
    pub kk_enc: Vec<u8>,
    pub kk_hash: String,
    pub kk_masked: String,
    pub birth_date: Date,
    pub sex: &'a str,
    pub contact_phone: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub event_date: Option<Date>,
    pub late: bool,
    pub filed_by_user_id: Option<i64>,
    pub due_day: Date,
    pub submitted_at: OffsetDateTime,
}

pub async fn insert_application(tx: &mut Tx, a: NewApplication<'_>) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cr_applications (tracking_code, secret_hash, service_code, channel, status,
           kelurahan_code, disdukcapil_agency_id, counter_agency_id, applicant_name, nik_enc, nik_hash,
           nik_masked, kk_enc, kk_hash, kk_masked, birth_date, sex, contact_phone, contact_email,
           event_date, late, filed_by_user_id, due_day, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
           $17, $18, $19, $20, $21, $22, $23, $23)
         RETURNING id"
    )
    .bind(a.tracking_code)
    .bind(a.secret_hash)
    .bind(a.service_code)
    .bind(a.channel)
    .bind(a.kelurahan_code)
    .bind(a.disdukcapil_agency_id)
    .bind(a.counter_agency_id)
    .bind(a.applicant_name)
    .bind(&a.nik_enc)
    .bind(&a.nik_hash)
    .bind(&a.nik_masked)
    .bind(&a.kk_enc)
    .bind(&a.kk_hash)
    .bind(&a.kk_masked)
    .bind(a.birth_date)
    .bind(a.sex)
    .bind(a.contact_phone)
    .bind(a.contact_email)
    .bind(a.event_date)
    .bind(a.late)
    .bind(a.filed_by_user_id)
    .bind(a.due_day)
    .bind(a.submitted_at)
    .fetch_one(&mut *c)
    .await
    })
}

pub async fn insert_document(
    tx: &mut Tx,
    application_id: i64,
    key: &str,
    filename: &str,
    content_type: &str,
    data: &[u8],
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cr_documents (application_id, requirement_key, filename, content_type, size_bytes,
           data, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(application_id)
    .bind(key)
    .bind(filename)
    .bind(content_type)
    .bind(i64::try_from(data.len()).unwrap_or(i64::MAX))
    .bind(data)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await
    })
}

pub async fn insert_history(
    tx: &mut Tx,
    application_id: i64,
    action: &str,
    from: Option<&str>,
    to: &str,
    actor_label: &str,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO cr_history (application_id, at, action, from_status, to_status, actor_label, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(application_id)
    .bind(balai_core::db::now())
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(actor_label)
    .bind(note)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub tracking_code: String,
    pub secret_hash: String,
    pub service_code: String,
    pub channel: String,
    pub status: String,
    pub kelurahan_code: String,
    pub disdukcapil_agency_id: i64,
    pub counter_agency_id: Option<i64>,
    pub applicant_name: String,
    pub nik_enc: Vec<u8>,
    pub nik_masked: String,
    pub kk_enc: Vec<u8>,
    pub kk_masked: String,
    pub birth_date: Date,
    pub sex: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub event_date: Option<Date>,
    pub late: bool,
    pub filed_by_user_id: Option<i64>,
    pub assignee_user_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub reason: Option<String>,
    pub due_day: Date,
    pub submitted_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    /// The kelurahan's time zone (WIB/WITA/WIT), for local-day deadlines.
    pub region_tz: Option<String>,
}

const APP_SELECT: &str =
    "SELECT a.id, a.tracking_code, a.secret_hash, a.service_code, a.channel, a.status,
    a.kelurahan_code, a.disdukcapil_agency_id, a.counter_agency_id, a.applicant_name, a.nik_enc,
    a.nik_masked, a.kk_enc, a.kk_masked, a.birth_date, a.sex, a.contact_phone, a.contact_email,
    a.event_date, a.late, a.filed_by_user_id, a.assignee_user_id, u.username AS assignee_name,
    a.reason, a.due_day, a.submitted_at, a.completed_at, rg.tz AS region_tz
  FROM cr_applications a LEFT JOIN users u ON u.id = a.assignee_user_id
  LEFT JOIN regions rg ON rg.code = a.kelurahan_code";

pub async fn application(db: &Db, id: i64) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let sql = format!("{APP_SELECT} WHERE a.id = $1");
    with_db!(db, |c| sqlx::query_as::<_, ApplicationRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn application_tx(tx: &mut Tx, id: i64) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let sql = format!("{APP_SELECT} WHERE a.id = $1");
    with_tx!(tx, |c| sqlx::query_as::<_, ApplicationRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn by_tracking_code(db: &Db, code: &str) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let sql = format!("{APP_SELECT} WHERE a.tracking_code = $1");
    with_db!(db, |c| sqlx::query_as::<_, ApplicationRow>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

/// Open applications in a region subtree (all regions for `None`), oldest deadline first.
pub async fn open_in_region(
    db: &Db,
    prefix: Option<&str>,
) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let p = prefix.unwrap_or("*");
    let sql = format!(
        "{APP_SELECT} WHERE a.status NOT IN ('completed', 'rejected')
           AND ($1 = '*' OR a.kelurahan_code = $1 OR a.kelurahan_code LIKE $2)
         ORDER BY a.due_day, a.id LIMIT 500"
    );
    with_db!(db, |c| sqlx::query_as::<_, ApplicationRow>(&sql)
        .bind(p)
        .bind(format!("{p}.%"))
        .fetch_all(c)
        .await)
}

/// Every application filed with a NIK, found by its keyed hash (never by plaintext).
pub async fn by_nik_hash(db: &Db, hash: &str) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let sql = format!("{APP_SELECT} WHERE a.nik_hash = $1 ORDER BY a.id DESC LIMIT 100");
    with_db!(db, |c| sqlx::query_as::<_, ApplicationRow>(&sql)
        .bind(hash)
        .fetch_all(c)
        .await)
}

/// Move an application from the state that was read to a new one; 0 rows means someone else
/// changed it in between (the caller reports a conflict).
pub struct StateChange<'a> {
    pub id: i64,
    pub from_status: &'a str,
    pub from_assignee: Option<i64>,
    pub to_status: &'a str,
    pub to_assignee: Option<i64>,
    pub reason: Option<&'a str>,
    pub completed_at: Option<OffsetDateTime>,
    pub due_day: Option<Date>,
}

pub async fn change_state(tx: &mut Tx, s: &StateChange<'_>) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE cr_applications SET status = $1, assignee_user_id = $2,
           reason = COALESCE($3, reason), completed_at = COALESCE($4, completed_at),
           due_day = COALESCE($5, due_day), updated_at = $6
         WHERE id = $7 AND status = $8 AND COALESCE(assignee_user_id, 0) = $9"
    )
    .bind(s.to_status)
    .bind(s.to_assignee)
    .bind(s.reason)
    .bind(s.completed_at)
    .bind(s.due_day)
    .bind(balai_core::db::now())
    .bind(s.id)
    .bind(s.from_status)
    .bind(s.from_assignee.unwrap_or(0))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct DocumentMeta {
    pub id: i64,
    pub requirement_key: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: OffsetDateTime,
}

pub async fn documents(db: &Db, application_id: i64) -> Result<Vec<DocumentMeta>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, DocumentMeta>(
        "SELECT id, requirement_key, filename, content_type, size_bytes, uploaded_at
         FROM cr_documents WHERE application_id = $1 ORDER BY id"
    )
    .bind(application_id)
    .fetch_all(c)
    .await)
}

pub async fn document_data(
    db: &Db,
    application_id: i64,
    doc_id: i64,
) -> Result<Option<(DocumentMeta, Vec<u8>)>, sqlx::Error> {
    let meta: Option<DocumentMeta> = with_db!(db, |c| sqlx::query_as::<_, DocumentMeta>(
        "SELECT id, requirement_key, filename, content_type, size_bytes, uploaded_at
         FROM cr_documents WHERE application_id = $1 AND id = $2"
    )
    .bind(application_id)
    .bind(doc_id)
    .fetch_optional(c)
    .await)?;
    let Some(meta) = meta else { return Ok(None) };
    let data: Vec<u8> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT data FROM cr_documents WHERE id = $1"
    )
    .bind(doc_id)
    .fetch_one(c)
    .await)?;
    Ok(Some((meta, data)))
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct HistoryRow {
    pub at: OffsetDateTime,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_label: String,
    pub note: Option<String>,
}

pub async fn history(db: &Db, application_id: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, HistoryRow>(
        "SELECT at, action, from_status, to_status, actor_label, note FROM cr_history
         WHERE application_id = $1 ORDER BY id"
    )
    .bind(application_id)
    .fetch_all(c)
    .await)
}

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

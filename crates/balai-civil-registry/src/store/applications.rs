//! Applications (table `cr_applications`): filing, reading, state changes.

use balai_core::ids::{AgencyId, ApplicationId};
use balai_core::{with_db, with_tx, Db, Tx};
use time::{Date, OffsetDateTime};

use crate::domain::access::Routing;
use crate::domain::workflow::Status;

pub struct NewApplication<'a> {
    pub tracking_code: &'a str,
    pub secret_hash: &'a str,
    pub service_code: &'a str,
    pub channel: &'a str,
    pub kelurahan_code: &'a str,
    pub disdukcapil_agency_id: AgencyId,
    pub counter_agency_id: Option<AgencyId>,
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
    /// The keyed hash of the sender's IP address (online filings), for flood control.
    pub submitted_ip_hash: Option<String>,
    /// A birth registration's child and parents, encrypted JSON.
    pub details_enc: Option<Vec<u8>>,
}

pub async fn insert_application(
    tx: &mut Tx,
    a: NewApplication<'_>,
) -> Result<ApplicationId, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cr_applications (tracking_code, secret_hash, service_code, channel, status,
           kelurahan_code, disdukcapil_agency_id, counter_agency_id, applicant_name, nik_enc, nik_hash,
           nik_masked, kk_enc, kk_hash, kk_masked, birth_date, sex, contact_phone, contact_email,
           event_date, late, filed_by_user_id, due_day, submitted_at, updated_at, submitted_ip_hash,
           details_enc)
         VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
           $17, $18, $19, $20, $21, $22, $23, $23, $24, $25)
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
    .bind(&a.submitted_ip_hash)
    .bind(&a.details_enc)
    .fetch_one(&mut *c)
    .await
    })
}

/// An open application (neither completed nor rejected) of a NIK for a service.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenFiling {
    pub id: i64,
    pub tracking_code: String,
    pub status: String,
    pub event_date: Option<Date>,
    pub details_enc: Option<Vec<u8>>,
}

/// The open applications of a NIK (by its keyed hash) for one service, read in the filing's
/// transaction. On PostgreSQL the NIK is locked first, so two filings for the same NIK at the
/// same moment are checked one after the other (SQLite has one writer anyway).
pub async fn open_filings(
    tx: &mut Tx,
    nik_hash: &str,
    service: &str,
) -> Result<Vec<OpenFiling>, sqlx::Error> {
    let sql = "SELECT id, tracking_code, status, event_date, details_enc FROM cr_applications
         WHERE nik_hash = $1 AND service_code = $2 AND status NOT IN ('completed', 'rejected')
         ORDER BY id";
    match tx.conn_mut() {
        balai_core::db::TxConn::Sqlite(c) => {
            sqlx::query_as(sql)
                .bind(nik_hash)
                .bind(service)
                .fetch_all(&mut **c)
                .await
        }
        balai_core::db::TxConn::Postgres(c) => {
            sqlx::query("SELECT pg_advisory_xact_lock(727101, hashtext($1))")
                .bind(nik_hash)
                .execute(&mut **c)
                .await?;
            sqlx::query_as(sql)
                .bind(nik_hash)
                .bind(service)
                .fetch_all(&mut **c)
                .await
        }
    }
}

/// A birth registration's encrypted details.
pub async fn details_enc(db: &Db, id: ApplicationId) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let v: Option<Option<Vec<u8>>> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT details_enc FROM cr_applications WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)?;
    Ok(v.flatten())
}

/// What a new filing's flood limits count: applications since `since` from the same IP hash,
/// with the same NIK hash, and to the same phone or e-mail.
pub struct RecentFilings {
    pub by_ip: i64,
    pub by_nik: i64,
    pub by_contact: i64,
}

pub async fn recent_filings(
    tx: &mut Tx,
    since: OffsetDateTime,
    ip_hash: Option<&str>,
    nik_hash: &str,
    contact: (Option<&str>, Option<&str>),
) -> Result<RecentFilings, sqlx::Error> {
    let (by_ip, by_nik, by_contact): (i64, i64, i64) = with_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT
           COALESCE(SUM(CASE WHEN submitted_ip_hash = $2 THEN 1 ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN nik_hash = $3 THEN 1 ELSE 0 END), 0),
           COALESCE(SUM(CASE WHEN contact_phone = $4 OR contact_email = $5 THEN 1 ELSE 0 END), 0)
         FROM cr_applications
         WHERE submitted_at > $1
           AND (submitted_ip_hash = $2 OR nik_hash = $3 OR contact_phone = $4 OR contact_email = $5)"
    )
    .bind(since)
    .bind(ip_hash)
    .bind(nik_hash)
    .bind(contact.0)
    .bind(contact.1)
    .fetch_one(&mut *c)
    .await
    })?;
    Ok(RecentFilings {
        by_ip,
        by_nik,
        by_contact,
    })
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
    pub disdukcapil_agency_id: AgencyId,
    pub counter_agency_id: Option<AgencyId>,
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

impl ApplicationRow {
    /// The row's id, typed.
    pub fn app_id(&self) -> ApplicationId {
        ApplicationId(self.id)
    }

    /// The workflow status (an unknown stored value reads as submitted).
    pub fn state(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Submitted)
    }

    /// The agencies the application is routed to.
    pub fn routing(&self) -> Routing {
        Routing {
            disdukcapil: self.disdukcapil_agency_id,
            counter: self.counter_agency_id,
        }
    }
}

const APP_SELECT: &str =
    "SELECT a.id, a.tracking_code, a.secret_hash, a.service_code, a.channel, a.status,
    a.kelurahan_code, a.disdukcapil_agency_id, a.counter_agency_id, a.applicant_name, a.nik_enc,
    a.nik_masked, a.kk_enc, a.kk_masked, a.birth_date, a.sex, a.contact_phone, a.contact_email,
    a.event_date, a.late, a.filed_by_user_id, a.assignee_user_id, u.username AS assignee_name,
    a.reason, a.due_day, a.submitted_at, a.completed_at, rg.tz AS region_tz
  FROM cr_applications a LEFT JOIN users u ON u.id = a.assignee_user_id
  LEFT JOIN regions rg ON rg.code = a.kelurahan_code";

pub async fn application(
    db: &Db,
    id: ApplicationId,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let sql = format!("{APP_SELECT} WHERE a.id = $1");
    with_db!(db, |c| sqlx::query_as::<_, ApplicationRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn application_tx(
    tx: &mut Tx,
    id: ApplicationId,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
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
    pub id: ApplicationId,
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

//! The `complaints` table: the report row, read, locked, inserted in batches and changed by
//! officials' actions.

use balai_core::db::{Db, Tx};
use balai_core::ids::ComplaintId;
use balai_core::{with_db, with_tx};
use time::{Date, OffsetDateTime};

use super::categories::Category;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Complaint {
    pub id: ComplaintId,
    pub tracking_code: String,
    pub report_type: String,
    pub category_code: String,
    pub title: String,
    pub description: String,
    pub village_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub anonymous: bool,
    pub confidential: bool,
    pub channel: String,
    pub status: String,
    pub agency_id: Option<i64>,
    pub assigned_user_id: Option<i64>,
    pub needs_classification: bool,
    pub formal: Option<bool>,
    pub formal_note: Option<String>,
    pub reported_party: Option<String>,
    pub incident_time: Option<String>,
    pub incident_place: Option<String>,
    pub evidence: Option<String>,
    pub known_on: Option<Date>,
    pub duplicate_of: Option<i64>,
    pub reject_reason: Option<String>,
    pub hidden: bool,
    pub public_description: Option<String>,
    /// The number an SMS report came from.
    pub sms_from: Option<String>,
    pub escalated_on: Option<Date>,
    pub submitted_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The hash of the reporter's secret (none for reports filed before secrets existed).
    pub secret_hash: Option<String>,
}

pub(crate) const COLS: &str = "id, tracking_code, report_type, category_code, title, description, village_code, \
    address, lat, lon, contact_name, contact_phone, contact_email, anonymous, confidential, channel, \
    status, agency_id, assigned_user_id, needs_classification, formal, formal_note, reported_party, \
    incident_time, incident_place, evidence, known_on, duplicate_of, reject_reason, hidden, public_description, sms_from, \
    escalated_on, submitted_at, answered_at, closed_at, updated_at, secret_hash";

/// Everything a new row holds; built by `submit` after validation.
pub struct NewRow<'a> {
    pub tracking_code: &'a str,
    pub secret_hash: &'a str,
    pub report_type: &'a str,
    pub category_code: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub village_code: Option<&'a str>,
    pub address: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub contact_name: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub anonymous: bool,
    pub confidential: bool,
    pub channel: &'a str,
    pub status: &'a str,
    pub agency_id: Option<i64>,
    pub needs_classification: bool,
    pub formal: Option<bool>,
    pub formal_note: Option<&'a str>,
    pub reported_party: Option<&'a str>,
    pub incident_time: Option<&'a str>,
    pub incident_place: Option<&'a str>,
    pub evidence: Option<&'a str>,
    pub known_on: Option<Date>,
    pub sms_from: Option<&'a str>,
    pub submitted_ip: Option<&'a str>,
}

/// Insert reports in one statement; returns `tracking_code → id`.
pub async fn insert_many(
    tx: &mut Tx,
    rows: &[NewRow<'_>],
) -> Result<std::collections::HashMap<String, ComplaintId>, sqlx::Error> {
    let now = balai_core::db::now();
    let mut ids = std::collections::HashMap::with_capacity(rows.len());
    // 29 parameters a row: 256 rows stay far below both backends' limits.
    for chunk in rows.chunks(256) {
        let got: Vec<(ComplaintId, String)> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO complaints (tracking_code, report_type, category_code, title,
                   description, village_code, address, lat, lon, contact_name, contact_phone,
                   contact_email, anonymous, confidential, channel, status, agency_id,
                   needs_classification, formal, formal_note, reported_party, incident_time,
                   incident_place, evidence, known_on, sms_from, submitted_ip, submitted_at,
                   updated_at, secret_hash) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.tracking_code)
                    .push_bind(r.report_type)
                    .push_bind(r.category_code)
                    .push_bind(r.title)
                    .push_bind(r.description)
                    .push_bind(r.village_code)
                    .push_bind(r.address)
                    .push_bind(r.lat)
                    .push_bind(r.lon)
                    .push_bind(r.contact_name)
                    .push_bind(r.contact_phone)
                    .push_bind(r.contact_email)
                    .push_bind(r.anonymous)
                    .push_bind(r.confidential)
                    .push_bind(r.channel)
                    .push_bind(r.status)
                    .push_bind(r.agency_id)
                    .push_bind(r.needs_classification)
                    .push_bind(r.formal)
                    .push_bind(r.formal_note)
                    .push_bind(r.reported_party)
                    .push_bind(r.incident_time)
                    .push_bind(r.incident_place)
                    .push_bind(r.evidence)
                    .push_bind(r.known_on)
                    .push_bind(r.sms_from)
                    .push_bind(r.submitted_ip)
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(r.secret_hash);
            });
            q.push(" RETURNING id, tracking_code");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        ids.extend(got.into_iter().map(|(id, code)| (code, id)));
    }
    Ok(ids)
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Complaint>, sqlx::Error> {
    let sql = format!("SELECT {COLS} FROM complaints WHERE tracking_code = $1");
    with_db!(db, |c| sqlx::query_as::<_, Complaint>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

pub async fn by_id(db: &Db, id: ComplaintId) -> Result<Option<Complaint>, sqlx::Error> {
    let sql = format!("SELECT {COLS} FROM complaints WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, Complaint>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Read a complaint for update inside the transaction (PostgreSQL locks the row).
pub async fn lock(tx: &mut Tx, id: ComplaintId) -> Result<Option<Complaint>, sqlx::Error> {
    let suffix = match tx.backend() {
        balai_core::db::Backend::Postgres => " FOR UPDATE",
        balai_core::db::Backend::Sqlite => "",
    };
    let sql = format!("SELECT {COLS} FROM complaints WHERE id = $1{suffix}");
    with_tx!(tx, |c| sqlx::query_as::<_, Complaint>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn id_by_code_in_tx(tx: &mut Tx, code: &str) -> Result<Option<ComplaintId>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM complaints WHERE tracking_code = $1"
    )
    .bind(code)
    .fetch_optional(&mut *c)
    .await)
}

/// Set the fields a transition changes.
pub struct Change<'a> {
    pub status: &'a str,
    pub agency_id: Option<i64>,
    pub duplicate_of: Option<ComplaintId>,
    pub reject_reason: Option<&'a str>,
    pub answered: bool,
    pub closed: bool,
    pub reset_escalation: bool,
}

pub async fn update_status(
    tx: &mut Tx,
    id: ComplaintId,
    ch: &Change<'_>,
) -> Result<u64, sqlx::Error> {
    let now = balai_core::db::now();
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET status = $2, agency_id = $3,
           duplicate_of = COALESCE($4, duplicate_of), reject_reason = COALESCE($5, reject_reason),
           answered_at = CASE WHEN $6 THEN $8 ELSE answered_at END,
           closed_at = CASE WHEN $7 THEN $8 ELSE NULL END,
           escalated_on = CASE WHEN $9 THEN NULL ELSE escalated_on END,
           updated_at = $8
         WHERE id = $1"
    )
    .bind(id)
    .bind(ch.status)
    .bind(ch.agency_id)
    .bind(ch.duplicate_of)
    .bind(ch.reject_reason)
    .bind(ch.answered)
    .bind(ch.closed)
    .bind(now)
    .bind(ch.reset_escalation)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn set_assignee(
    tx: &mut Tx,
    id: ComplaintId,
    user: Option<i64>,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET assigned_user_id = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(user)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn set_escalated(tx: &mut Tx, id: ComplaintId, day: Date) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET escalated_on = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(day)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// An operator's classification of an unstructured report: category, village and agency.
pub async fn classify(
    tx: &mut Tx,
    id: ComplaintId,
    category: &Category,
    village: &str,
    agency_id: Option<i64>,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE complaints SET category_code = $2, report_type = $3, village_code = $4, agency_id = $5,
           needs_classification = FALSE, updated_at = $6 WHERE id = $1"
    )
    .bind(id)
    .bind(&category.code)
    .bind(&category.report_type)
    .bind(village)
    .bind(agency_id)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Moderation: hide a report (and its photos) from the public.
pub async fn set_hidden(tx: &mut Tx, id: ComplaintId, hidden: bool) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET hidden = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(hidden)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Moderation: the publicly shown text, with personal data redacted (officials keep the
/// original description); the title is derived from the new text.
pub async fn set_public_description(
    tx: &mut Tx,
    id: ComplaintId,
    text: &str,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET public_description = $2, title = $4, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(text)
    .bind(balai_core::db::now())
    .bind(crate::domain::report::title_from(text))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Complaints submitted since `since` from one SMS number or one IP (flood control).
const RECENT_COUNT: &str = "SELECT COUNT(*) FROM complaints WHERE submitted_at > $3
    AND ((sms_from = $1) OR (submitted_ip = $2))";

pub async fn recent_count(
    tx: &mut Tx,
    sms_from: Option<&str>,
    ip: Option<&str>,
    since: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(RECENT_COUNT)
        .bind(sms_from)
        .bind(ip)
        .bind(since)
        .fetch_one(&mut *c)
        .await)
}

/// When the `skip`-th oldest (0: the oldest) of the complaints submitted since `since` from one
/// SMS number or one IP was submitted: flood control's window opens again an hour after it.
const WINDOW_ENTRY: &str = "SELECT submitted_at FROM complaints WHERE submitted_at > $3
    AND ((sms_from = $1) OR (submitted_ip = $2)) ORDER BY submitted_at, id LIMIT 1 OFFSET $4";

pub async fn window_entry(
    tx: &mut Tx,
    sms_from: Option<&str>,
    ip: Option<&str>,
    since: OffsetDateTime,
    skip: i64,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(WINDOW_ENTRY)
        .bind(sms_from)
        .bind(ip)
        .bind(since)
        .bind(skip)
        .fetch_optional(&mut *c)
        .await)
}

/// [`window_entry`] on a reader.
pub async fn window_entry_on(
    db: &Db,
    sms_from: Option<&str>,
    ip: Option<&str>,
    since: OffsetDateTime,
    skip: i64,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(WINDOW_ENTRY)
        .bind(sms_from)
        .bind(ip)
        .bind(since)
        .bind(skip)
        .fetch_optional(c)
        .await)
}

/// [`recent_count`] on a reader, for one SMS number (`by_number`) or one IP.
pub async fn recent_count_on(
    db: &Db,
    by_number: bool,
    who: &str,
    since: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let (sms_from, ip) = if by_number {
        (Some(who), None)
    } else {
        (None, Some(who))
    };
    with_db!(db, |c| sqlx::query_scalar(RECENT_COUNT)
        .bind(sms_from)
        .bind(ip)
        .bind(since)
        .fetch_one(c)
        .await)
}

/// Give a report filed before secrets existed its reporter's secret (its hash); `false` when
/// it already has one.
pub async fn set_secret_hash_once(
    tx: &mut Tx,
    id: ComplaintId,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET secret_hash = $2 WHERE id = $1 AND secret_hash IS NULL"
    )
    .bind(id)
    .bind(hash)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Forget the IP addresses of reports filed before `before` (kept only for flood control).
pub async fn forget_ips(db: &Db, before: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(
        "UPDATE complaints SET submitted_ip = NULL
           WHERE submitted_ip IS NOT NULL AND submitted_at < $1"
    )
    .bind(before)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(n)
}

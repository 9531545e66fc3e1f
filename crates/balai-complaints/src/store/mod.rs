//! SQL for both backends. Writes take the caller's transaction so that the change, its timeline
//! entry, its audit event and its clocks commit together.

use balai_core::accounts::Agency;
use balai_core::db::{Db, Tx};
use balai_core::{with_db, with_tx};
use serde::Serialize;
use time::{Date, OffsetDateTime};

pub const SUBJECT: &str = "complaint";
pub const CLOCK_DISPATCH: &str = "dispatch";
pub const CLOCK_FOLLOW_UP: &str = "follow_up";
pub const CLOCK_AUTO_CLOSE: &str = "auto_close";
pub const CLOCKS: [&str; 3] = [CLOCK_DISPATCH, CLOCK_FOLLOW_UP, CLOCK_AUTO_CLOSE];

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Category {
    pub region_code: String,
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub report_type: String,
    pub agency_kind: String,
    pub agency_id: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Complaint {
    pub id: i64,
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
    pub sms_from: Option<String>,
    pub escalated_on: Option<Date>,
    pub submitted_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

pub(crate) const COLS: &str = "id, tracking_code, report_type, category_code, title, description, village_code, \
    address, lat, lon, contact_name, contact_phone, contact_email, anonymous, confidential, channel, \
    status, agency_id, assigned_user_id, needs_classification, formal, formal_note, reported_party, \
    incident_time, incident_place, evidence, known_on, duplicate_of, reject_reason, hidden, public_description, sms_from, \
    escalated_on, submitted_at, answered_at, closed_at, updated_at";

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub complaint_id: i64,
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

/// The categories that apply to a village: the most specific row per code wins.
pub async fn categories_for(db: &Db, village: Option<&str>) -> Result<Vec<Category>, sqlx::Error> {
    let v = village.unwrap_or("");
    let rows: Vec<Category> = with_db!(db, |c| {
        sqlx::query_as::<_, Category>(
        "SELECT region_code, code, name_id, name_en, report_type, agency_kind, agency_id
         FROM complaint_categories
         WHERE active = TRUE AND (region_code = '' OR region_code = $1 OR $1 LIKE region_code || '.%')
         ORDER BY sort, code, length(region_code) DESC"
    )
    .bind(v)
    .fetch_all(c)
    .await
    })?;
    let mut out: Vec<Category> = Vec::new();
    for r in rows {
        if !out.iter().any(|o| o.code == r.code) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The most specific active category `$2` for village `$1` (a region's own before the
/// national one).
const CATEGORY_SQL: &str =
    "SELECT region_code, code, name_id, name_en, report_type, agency_kind, agency_id
         FROM complaint_categories
         WHERE active = TRUE AND code = $2
           AND (region_code = '' OR region_code = $1 OR $1 LIKE region_code || '.%')
         ORDER BY length(region_code) DESC LIMIT 1";
/// The agency of kind `$1` nearest above village `$2`.
const NEAREST_AGENCY_SQL: &str = "SELECT id, kind, name, region_code FROM agencies
         WHERE kind = $1 AND (region_code = $2 OR $2 LIKE region_code || '.%')
         ORDER BY length(region_code) DESC, id LIMIT 1";
const AGENCY_SQL: &str = "SELECT id, kind, name, region_code FROM agencies WHERE id = $1";
const VILLAGE_SQL: &str = "SELECT COUNT(*) FROM regions WHERE code = $1 AND level = 4";

/// Where a new report goes, looked up on a reader before the write: whether the village
/// exists, the category that applies there, and the agency responsible.
#[derive(Debug, Default)]
pub struct Route {
    pub village_known: bool,
    pub category: Option<Category>,
    pub agency: Option<Agency>,
}

/// The route in one statement (`$1` village or '', `$2` category code): whether the village
/// exists, the category that applies there, and its agency (the category's own, else the
/// nearest of its kind above the village).
const ROUTE_SQL: &str = "SELECT
       (SELECT COUNT(*) FROM regions WHERE code = $1 AND level = 4) AS village_known,
       c.region_code, c.code, c.name_id, c.name_en, c.report_type, c.agency_kind, c.agency_id,
       a.id, a.kind, a.name, a.region_code
     FROM (SELECT 1 AS one) AS one
     LEFT JOIN (SELECT region_code, code, name_id, name_en, report_type, agency_kind, agency_id
                FROM complaint_categories
                WHERE active = TRUE AND code = $2
                  AND (region_code = '' OR region_code = $1 OR $1 LIKE region_code || '.%')
                ORDER BY length(region_code) DESC LIMIT 1) AS c ON TRUE
     LEFT JOIN agencies a ON a.id = COALESCE(c.agency_id,
       (SELECT n.id FROM agencies n
        WHERE n.kind = c.agency_kind AND $1 <> ''
          AND (n.region_code = $1 OR $1 LIKE n.region_code || '.%')
        ORDER BY length(n.region_code) DESC, n.id LIMIT 1))";

type RouteRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Resolve the route of a report (`village` None: an unstructured SMS, category "lainnya").
pub async fn route(db: &Db, village: Option<&str>, code: &str) -> Result<Route, sqlx::Error> {
    let v = village.unwrap_or("");
    let code = if v.is_empty() { "lainnya" } else { code };
    let row: RouteRow = with_db!(db, |c| sqlx::query_as(ROUTE_SQL)
        .bind(v)
        .bind(code)
        .fetch_one(c)
        .await)?;
    let (known, rc, cc, nid, nen, rt, ak, aid, agid, agk, agn, agr) = row;
    if village.is_some() && known == 0 {
        return Ok(Route::default());
    }
    let category = match (rc, cc, nid, nen, rt, ak) {
        (
            Some(region_code),
            Some(code),
            Some(name_id),
            Some(name_en),
            Some(report_type),
            Some(agency_kind),
        ) => Some(Category {
            region_code,
            code,
            name_id,
            name_en,
            report_type,
            agency_kind,
            agency_id: aid,
        }),
        _ => None,
    };
    let agency = Agency::joined(agid, agk, agn, agr);
    Ok(Route {
        village_known: village.is_some(),
        category,
        agency,
    })
}

pub async fn category_in_tx(
    tx: &mut Tx,
    village: &str,
    code: &str,
) -> Result<Option<Category>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, Category>(CATEGORY_SQL)
        .bind(village)
        .bind(code)
        .fetch_optional(&mut *c)
        .await)
}

/// The agency of `kind` nearest above the village (the city's before the province's).
pub async fn nearest_agency_in_tx(
    tx: &mut Tx,
    kind: &str,
    village: &str,
) -> Result<Option<Agency>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, Agency>(NEAREST_AGENCY_SQL)
        .bind(kind)
        .bind(village)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn agency_in_tx(tx: &mut Tx, id: i64) -> Result<Option<Agency>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, Agency>(AGENCY_SQL)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn village_exists_in_tx(tx: &mut Tx, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(VILLAGE_SQL)
        .bind(code)
        .fetch_one(&mut *c)
        .await)?;
    Ok(n > 0)
}

/// Villages whose name is exactly `name` (case-insensitive), at most `limit`.
pub async fn villages_named(db: &Db, name: &str, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 4 AND name_search = $1 ORDER BY code LIMIT $2"
    )
    .bind(name.to_lowercase())
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// Everything a new row holds; built by `submit` after validation.
pub struct NewRow<'a> {
    pub tracking_code: &'a str,
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
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let now = balai_core::db::now();
    let mut ids = std::collections::HashMap::with_capacity(rows.len());
    // 28 parameters a row: 256 rows stay far below both backends' limits.
    for chunk in rows.chunks(256) {
        let got: Vec<(i64, String)> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO complaints (tracking_code, report_type, category_code, title,
                   description, village_code, address, lat, lon, contact_name, contact_phone,
                   contact_email, anonymous, confidential, channel, status, agency_id,
                   needs_classification, formal, formal_note, reported_party, incident_time,
                   incident_place, evidence, known_on, sms_from, submitted_ip, submitted_at,
                   updated_at) ",
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
                    .push_bind(now);
            });
            q.push(" RETURNING id, tracking_code");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        ids.extend(got.into_iter().map(|(id, code)| (code, id)));
    }
    Ok(ids)
}

pub async fn insert_photo(
    tx: &mut Tx,
    complaint_id: i64,
    p: &crate::photo::CleanPhoto,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO complaint_photos (complaint_id, content_type, width, height, bytes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(complaint_id)
    .bind(p.content_type)
    .bind(i64::from(p.width))
    .bind(i64::from(p.height))
    .bind(&p.bytes)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await
    })
}

pub async fn photo_ids(db: &Db, complaint_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM complaint_photos WHERE complaint_id = $1 AND hidden = FALSE ORDER BY id"
    )
    .bind(complaint_id)
    .fetch_all(c)
    .await)
}

pub async fn photo(
    db: &Db,
    complaint_id: i64,
    photo_id: i64,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT content_type, bytes FROM complaint_photos
         WHERE id = $1 AND complaint_id = $2 AND hidden = FALSE"
    )
    .bind(photo_id)
    .bind(complaint_id)
    .fetch_optional(c)
    .await)
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
    complaint_id: i64,
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
pub async fn add_events(tx: &mut Tx, events: &[(i64, NewEvent<'_>)]) -> Result<(), sqlx::Error> {
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
    complaint_id: i64,
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

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Complaint>, sqlx::Error> {
    let sql = format!("SELECT {COLS} FROM complaints WHERE tracking_code = $1");
    with_db!(db, |c| sqlx::query_as::<_, Complaint>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Complaint>, sqlx::Error> {
    let sql = format!("SELECT {COLS} FROM complaints WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, Complaint>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Read a complaint for update inside the transaction (PostgreSQL locks the row).
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<Complaint>, sqlx::Error> {
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

pub async fn id_by_code_in_tx(tx: &mut Tx, code: &str) -> Result<Option<i64>, sqlx::Error> {
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
    pub duplicate_of: Option<i64>,
    pub reject_reason: Option<&'a str>,
    pub answered: bool,
    pub closed: bool,
    pub reset_escalation: bool,
}

pub async fn update_status(tx: &mut Tx, id: i64, ch: &Change<'_>) -> Result<u64, sqlx::Error> {
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

pub async fn set_assignee(tx: &mut Tx, id: i64, user: Option<i64>) -> Result<u64, sqlx::Error> {
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

pub async fn set_escalated(tx: &mut Tx, id: i64, day: Date) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET escalated_on = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(day)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

mod lists;
mod ops;
pub use lists::*;
pub use ops::*;

//! SQL for both backends: the roster (`officers`), the sessions (`trainings`), attendance
//! (`training_attendance`) and the readiness thresholds (`settings`).

use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use crate::domain::readiness::{Thresholds, DEFAULT_THRESHOLD_PERCENT, DEFAULT_WARN_DAYS};
use crate::domain::training::OfficerEntry;

/// An officer with the name of the region they serve in.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OfficerRow {
    pub id: i64,
    pub body: String,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
}

const OFFICERS: &str = "SELECT o.id, o.body, o.region_code, r.name AS region_name, o.name
    FROM officers o JOIN regions r ON r.code = o.region_code
    WHERE o.region_code = $1 OR o.region_code LIKE $2
    ORDER BY o.region_code, o.body, o.name, o.id";

/// `region` and everything under it, as `$1` and `$2` of a `code = $1 OR code LIKE $2`.
fn under(region: &str) -> (String, String) {
    (region.to_string(), format!("{region}.%"))
}

/// Add officers to `agency_id`'s roster; an officer already on it is skipped. Returns how
/// many were added.
pub async fn insert_officers(
    tx: &mut Tx,
    agency_id: i64,
    entries: &[OfficerEntry],
) -> Result<u64, sqlx::Error> {
    let now = balai_core::db::now();
    let mut added = 0;
    for e in entries {
        added += with_tx!(tx, |c| sqlx::query(
            "INSERT INTO officers (agency_id, region_code, body, name, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
        )
        .bind(agency_id)
        .bind(&e.region_code)
        .bind(e.body.as_str())
        .bind(&e.name)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(added)
}

/// The officers serving in `region` or under it.
pub async fn officers_under(db: &Db, region: &str) -> Result<Vec<OfficerRow>, sqlx::Error> {
    let (a, b) = under(region);
    with_db!(db, |c| sqlx::query_as::<_, OfficerRow>(OFFICERS)
        .bind(&a)
        .bind(&b)
        .fetch_all(c)
        .await)
}

pub async fn officers_under_tx(tx: &mut Tx, region: &str) -> Result<Vec<OfficerRow>, sqlx::Error> {
    let (a, b) = under(region);
    with_tx!(tx, |c| sqlx::query_as::<_, OfficerRow>(OFFICERS)
        .bind(&a)
        .bind(&b)
        .fetch_all(&mut *c)
        .await)
}

/// A session with its agency's and region's names, its SOP's title and its attendance count.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TrainingRow {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub region_code: String,
    pub region_name: String,
    pub topic: String,
    pub stage_kind: String,
    pub bodies: String,
    pub sop_id: Option<i64>,
    pub sop_title: Option<String>,
    pub application: String,
    pub trainers: String,
    pub held_on: Date,
    pub attended: i64,
}

const TRAINING_SELECT: &str = "SELECT t.id, t.agency_id, a.name AS agency_name, t.region_code,
        r.name AS region_name, t.topic, t.stage_kind, t.bodies, t.sop_id, s.title AS sop_title,
        t.application, t.trainers, t.held_on,
        (SELECT COUNT(*) FROM training_attendance x WHERE x.training_id = t.id) AS attended
    FROM trainings t JOIN agencies a ON a.id = t.agency_id JOIN regions r ON r.code = t.region_code
    LEFT JOIN sops s ON s.id = t.sop_id";

pub struct NewTraining<'a> {
    pub agency_id: i64,
    pub region_code: &'a str,
    pub topic: &'a str,
    pub stage_kind: &'a str,
    pub bodies: &'a str,
    pub sop_id: Option<i64>,
    pub application: &'a str,
    pub trainers: &'a str,
    pub held_on: Date,
}

pub async fn insert_training(tx: &mut Tx, t: &NewTraining<'_>) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO trainings (agency_id, region_code, topic, stage_kind, sop_id, application,
             trainers, held_on, created_at, bodies)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
    )
    .bind(t.agency_id)
    .bind(t.region_code)
    .bind(t.topic)
    .bind(t.stage_kind)
    .bind(t.sop_id)
    .bind(t.application)
    .bind(t.trainers)
    .bind(t.held_on)
    .bind(balai_core::db::now())
    .bind(t.bodies)
    .fetch_one(&mut *c)
    .await)
}

pub async fn training(db: &Db, id: i64) -> Result<Option<TrainingRow>, sqlx::Error> {
    let sql = format!("{TRAINING_SELECT} WHERE t.id = $1");
    with_db!(db, |c| sqlx::query_as::<_, TrainingRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn training_tx(tx: &mut Tx, id: i64) -> Result<Option<TrainingRow>, sqlx::Error> {
    let sql = format!("{TRAINING_SELECT} WHERE t.id = $1");
    with_tx!(tx, |c| sqlx::query_as::<_, TrainingRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

/// The sessions that train officers of `region`: held for it, under it, or for the province
/// above it; newest first.
pub async fn trainings_for(
    db: &Db,
    region: &str,
    province: &str,
) -> Result<Vec<TrainingRow>, sqlx::Error> {
    let sql = format!(
        "{TRAINING_SELECT} WHERE t.region_code = $1 OR t.region_code LIKE $2 OR t.region_code = $3
         ORDER BY t.held_on DESC, t.id DESC"
    );
    let (a, b) = under(region);
    with_db!(db, |c| sqlx::query_as::<_, TrainingRow>(&sql)
        .bind(&a)
        .bind(&b)
        .bind(province)
        .fetch_all(c)
        .await)
}

/// The officers who attended a session.
pub async fn attendance(db: &Db, training_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT officer_id FROM training_attendance WHERE training_id = $1 ORDER BY officer_id"
    )
    .bind(training_id)
    .fetch_all(c)
    .await)
}

pub async fn attendance_tx(tx: &mut Tx, training_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT officer_id FROM training_attendance WHERE training_id = $1 ORDER BY officer_id"
    )
    .bind(training_id)
    .fetch_all(&mut *c)
    .await)
}

/// Record that `officers` attended a session (those already recorded are kept); how many were
/// new.
pub async fn add_attendance(
    tx: &mut Tx,
    training_id: i64,
    officers: &[i64],
) -> Result<u64, sqlx::Error> {
    let now = balai_core::db::now();
    let mut added = 0;
    for o in officers {
        added += with_tx!(tx, |c| sqlx::query(
            "INSERT INTO training_attendance (training_id, officer_id, recorded_at)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        )
        .bind(training_id)
        .bind(o)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(added)
}

/// Forget the attendance of a session (before it is ticked off anew).
pub async fn clear_attendance(tx: &mut Tx, training_id: i64) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM training_attendance WHERE training_id = $1"
    )
    .bind(training_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Every attendance of an officer serving in `region` or under it: (officer, stage kind of the
/// session, the day it was held).
pub async fn attended_under(
    db: &Db,
    region: &str,
) -> Result<Vec<(i64, String, Date)>, sqlx::Error> {
    let (a, b) = under(region);
    with_db!(db, |c| sqlx::query_as::<_, (i64, String, Date)>(
        "SELECT x.officer_id, t.stage_kind, t.held_on
         FROM training_attendance x
         JOIN trainings t ON t.id = x.training_id
         JOIN officers o ON o.id = x.officer_id
         WHERE o.region_code = $1 OR o.region_code LIKE $2"
    )
    .bind(&a)
    .bind(&b)
    .fetch_all(c)
    .await)
}

/// The readiness thresholds: the `settings` rows if set (and sane), else the defaults.
pub async fn thresholds(db: &Db) -> Result<Thresholds, sqlx::Error> {
    let rows: Vec<(String, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT key, value FROM settings
         WHERE key IN ('sop.readiness_threshold_percent', 'sop.readiness_warn_days')"
    )
    .fetch_all(c)
    .await)?;
    let get = |k: &str| {
        rows.iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.trim().parse::<u32>().ok())
    };
    Ok(Thresholds {
        threshold_percent: get("sop.readiness_threshold_percent")
            .filter(|p| *p <= 100)
            .unwrap_or(DEFAULT_THRESHOLD_PERCENT),
        warn_days: get("sop.readiness_warn_days")
            .filter(|d| *d <= 366)
            .unwrap_or(DEFAULT_WARN_DAYS),
    })
}

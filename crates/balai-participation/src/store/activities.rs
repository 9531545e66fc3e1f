//! Activities and meetings, their attendance and the approvals of their minutes.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::{Date, OffsetDateTime};

use super::{subtree, By, LIST_LIMIT};
use crate::domain::activity::NewActivity;
use crate::domain::minutes::MinutesStatus;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub agreement_id: Option<i64>,
    pub clause_number: Option<i64>,
    pub title: String,
    pub region_code: String,
    pub day: Date,
    pub target_group: String,
    pub participants: i64,
    pub agenda: Option<String>,
    pub organiser_agency_id: Option<i64>,
    pub organiser_name: String,
    pub minutes_status: String,
    pub minutes_text: Option<String>,
    pub minutes_version: i64,
    /// When it was withdrawn (cancelled), why and by which agency; `None` while it stands.
    pub withdrawn_at: Option<OffsetDateTime>,
    pub withdrawn_reason: Option<String>,
    pub withdrawn_agency_name: Option<String>,
}

impl ActivityRow {
    pub fn withdrawn(&self) -> bool {
        self.withdrawn_at.is_some()
    }
}

const COLUMNS: &str = "id, agreement_id, clause_number, title, region_code, day, target_group,
    participants, agenda, organiser_agency_id, organiser_name, minutes_status, minutes_text,
    minutes_version, withdrawn_at, withdrawn_reason, withdrawn_agency_name";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttendanceRow {
    pub activity_id: i64,
    pub institution: String,
    pub agency_id: Option<i64>,
    pub attendees: Option<i64>,
    pub signed_list: bool,
}

/// Store an activity with its attendance; returns its id.
pub async fn insert(
    tx: &mut Tx,
    a: &NewActivity,
    organiser: (Option<i64>, &str),
    by: By,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO collab_activities (agreement_id, clause_number, title, region_code, day,
           target_group, participants, agenda, organiser_agency_id, organiser_name,
           minutes_status, minutes_version, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'none', 0, $11, $12) RETURNING id"
    )
    .bind(a.agreement_id)
    .bind(a.clause)
    .bind(&a.title)
    .bind(a.region.as_str())
    .bind(a.day)
    .bind(a.target_group.as_str())
    .bind(a.participants)
    .bind(a.agenda.as_deref())
    .bind(organiser.0)
    .bind(organiser.1)
    .bind(by.user_id)
    .bind(now())
    .fetch_one(&mut *c)
    .await)?;
    insert_attendance(tx, id, a).await?;
    Ok(id)
}

/// Write an edited activity: its fields, and its attendance anew (the organiser and the
/// minutes stay).
pub async fn update(tx: &mut Tx, id: i64, a: &NewActivity) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_activities SET agreement_id = $1, clause_number = $2, title = $3,
           region_code = $4, day = $5, target_group = $6, participants = $7, agenda = $8
         WHERE id = $9"
    )
    .bind(a.agreement_id)
    .bind(a.clause)
    .bind(&a.title)
    .bind(a.region.as_str())
    .bind(a.day)
    .bind(a.target_group.as_str())
    .bind(a.participants)
    .bind(a.agenda.as_deref())
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM collab_attendance WHERE activity_id = $1"
    )
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    insert_attendance(tx, id, a).await
}

async fn insert_attendance(tx: &mut Tx, id: i64, a: &NewActivity) -> Result<(), sqlx::Error> {
    for (i, r) in a.attendance.iter().enumerate() {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO collab_attendance (activity_id, position, institution, agency_id,
               attendees, signed_list) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&r.institution)
        .bind(r.agency_id)
        .bind(r.attendees)
        .bind(r.signed_list)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// The activities of a region and under it, by date (newest first).
pub async fn under(db: &Db, region: &str) -> Result<Vec<ActivityRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_activities WHERE region_code = $1 OR region_code LIKE $2
         ORDER BY day DESC, id DESC LIMIT {LIST_LIMIT}"
    );
    with_db!(db, |c| sqlx::query_as::<_, ActivityRow>(&sql)
        .bind(region)
        .bind(subtree(region))
        .fetch_all(c)
        .await)
}

/// The activities carrying out one agreement.
pub async fn of_agreement(db: &Db, agreement_id: i64) -> Result<Vec<ActivityRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_activities WHERE agreement_id = $1 ORDER BY day DESC, id DESC
         LIMIT {LIST_LIMIT}"
    );
    with_db!(db, |c| sqlx::query_as::<_, ActivityRow>(&sql)
        .bind(agreement_id)
        .fetch_all(c)
        .await)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ActivityRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM collab_activities WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, ActivityRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// One activity, locked for a change of its minutes or follow-ups.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<ActivityRow>, sqlx::Error> {
    let lock = if tx.backend() == balai_core::db::Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {COLUMNS} FROM collab_activities WHERE id = $1{lock}");
    with_tx!(tx, |c| sqlx::query_as::<_, ActivityRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn attendance_under(db: &Db, region: &str) -> Result<Vec<AttendanceRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, AttendanceRow>(
        "SELECT t.activity_id, t.institution, t.agency_id, t.attendees, t.signed_list
         FROM collab_attendance t JOIN collab_activities a ON a.id = t.activity_id
         WHERE a.region_code = $1 OR a.region_code LIKE $2 ORDER BY t.activity_id, t.position"
    )
    .bind(region)
    .bind(subtree(region))
    .fetch_all(c)
    .await)
}

pub async fn attendance_of(db: &Db, id: i64) -> Result<Vec<AttendanceRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, AttendanceRow>(
        "SELECT activity_id, institution, agency_id, attendees, signed_list FROM collab_attendance
         WHERE activity_id = $1 ORDER BY position"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

/// The Balai agencies attending an activity.
pub async fn attending_agencies(tx: &mut Tx, id: i64) -> Result<Vec<Option<i64>>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, Option<i64>>(
        "SELECT agency_id FROM collab_attendance WHERE activity_id = $1 ORDER BY position"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)
}

/// Write the minutes' text and status (a new draft version, or publication).
pub async fn set_minutes(
    tx: &mut Tx,
    id: i64,
    text: &str,
    status: MinutesStatus,
    version: i64,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_activities SET minutes_text = $1, minutes_status = $2, minutes_version = $3
         WHERE id = $4"
    )
    .bind(text)
    .bind(status.as_str())
    .bind(version)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn publish_minutes(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_activities SET minutes_status = 'published' WHERE id = $1"
    )
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The agencies that approved a version of the minutes.
pub async fn approvals(tx: &mut Tx, id: i64, version: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT agency_id FROM collab_minutes_approvals WHERE activity_id = $1
           AND minutes_version = $2 ORDER BY agency_id"
    )
    .bind(id)
    .bind(version)
    .fetch_all(&mut *c)
    .await)
}

/// The approvals of the current version of one activity's minutes: (agency id, name).
pub async fn approvals_shown(
    db: &Db,
    id: i64,
    version: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (i64, String)>(
        "SELECT m.agency_id, g.name FROM collab_minutes_approvals m
         JOIN agencies g ON g.id = m.agency_id
         WHERE m.activity_id = $1 AND m.minutes_version = $2 ORDER BY g.name"
    )
    .bind(id)
    .bind(version)
    .fetch_all(c)
    .await)
}

/// Record an agency's approval (once per version).
pub async fn approve(
    tx: &mut Tx,
    id: i64,
    agency_id: i64,
    version: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO collab_minutes_approvals (activity_id, agency_id, minutes_version,
           approved_by, approved_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (activity_id, agency_id, minutes_version) DO NOTHING"
    )
    .bind(id)
    .bind(agency_id)
    .bind(version)
    .bind(user_id)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Withdraw (cancel) an activity that stands; the rows changed (0 when it was withdrawn
/// already).
pub async fn withdraw(
    tx: &mut Tx,
    id: i64,
    reason: &str,
    (by, agency_name): (By, &str),
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_activities SET withdrawn_at = $1, withdrawn_reason = $2,
           withdrawn_agency_name = $3, withdrawn_by = $4 WHERE id = $5 AND withdrawn_at IS NULL"
    )
    .bind(now())
    .bind(reason)
    .bind(agency_name)
    .bind(by.user_id)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Activities of a region and under it dated `from..=to` and not withdrawn, summed per place
/// and target group: (region code, target group, activities, participants).
pub async fn outreach(
    db: &Db,
    region: &str,
    from: Date,
    to: Date,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (String, String, i64, i64)>(
        "SELECT region_code, target_group, COUNT(*),
           CAST(COALESCE(SUM(participants), 0) AS BIGINT)
         FROM collab_activities WHERE (region_code = $1 OR region_code LIKE $2)
           AND day >= $3 AND day <= $4 AND withdrawn_at IS NULL
         GROUP BY region_code, target_group ORDER BY region_code, target_group"
    )
    .bind(region)
    .bind(subtree(region))
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)
}

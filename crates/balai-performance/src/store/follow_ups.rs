//! The follow-up plan (table `perf_follow_ups`): a unit's actions on its lowest elements.

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use crate::domain::follow_up::Action;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FollowUpRow {
    pub id: i64,
    pub agency_id: AgencyId,
    pub period_from: Date,
    pub period_to: Date,
    pub element: i32,
    pub plan: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: String,
    pub progress: String,
}

const COLUMNS: &str =
    "id, agency_id, period_from, period_to, element, plan, owner, due_on, status, progress";

pub struct NewFollowUp<'a> {
    pub agency_id: AgencyId,
    pub from: Date,
    pub to: Date,
    pub element: usize,
    pub action: &'a Action,
}

pub async fn insert(tx: &mut Tx, f: &NewFollowUp<'_>) -> Result<i64, sqlx::Error> {
    let element = i32::try_from(f.element).unwrap_or(0);
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO perf_follow_ups
           (agency_id, period_from, period_to, element, plan, owner, due_on, status, progress,
            updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
    )
    .bind(f.agency_id)
    .bind(f.from)
    .bind(f.to)
    .bind(element)
    .bind(&f.action.plan)
    .bind(&f.action.owner)
    .bind(f.action.due_on)
    .bind(f.action.status.as_str())
    .bind(&f.action.progress)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await)
}

/// Rewrite an action of the unit; `false` if the unit has no such action.
pub async fn update(
    tx: &mut Tx,
    agency_id: AgencyId,
    id: i64,
    a: &Action,
) -> Result<bool, sqlx::Error> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE perf_follow_ups SET plan = $1, owner = $2, due_on = $3, status = $4,
                progress = $5, updated_at = $6
         WHERE id = $7 AND agency_id = $8"
    )
    .bind(&a.plan)
    .bind(&a.owner)
    .bind(a.due_on)
    .bind(a.status.as_str())
    .bind(&a.progress)
    .bind(balai_core::db::now())
    .bind(id)
    .bind(agency_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The unit's actions for survey periods that overlap `from..=to`, by element then id.
pub async fn list(
    db: &Db,
    agency_id: AgencyId,
    from: Date,
    to: Date,
) -> Result<Vec<FollowUpRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM perf_follow_ups
         WHERE agency_id = $1 AND period_from <= $3 AND period_to >= $2
         ORDER BY element, id"
    );
    with_db!(db, |c| sqlx::query_as::<_, FollowUpRow>(&sql)
        .bind(agency_id)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)
}

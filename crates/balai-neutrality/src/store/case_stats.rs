//! What the public statistics of neutrality cases read: no name, NIP, position or text is
//! selected here. And the link from a case to the same official's appointments (by NIP), for
//! the handling agencies only.

use balai_core::{with_db, Db};
use time::Date;

use super::appointments::PublicRow;

/// A case as the statistics see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FactRow {
    pub region_code: String,
    pub stage: String,
    pub outcome: Option<String>,
    pub forbidden_act: Option<String>,
}

/// The cases of officials of `region` and the regions inside it (every case when `None`).
pub async fn facts(db: &Db, region: Option<&str>) -> Result<Vec<FactRow>, sqlx::Error> {
    let r = region.unwrap_or("");
    with_db!(db, |c| sqlx::query_as::<_, FactRow>(
        "SELECT region_code, stage, outcome, forbidden_act FROM neutrality_cases
         WHERE $1 = '' OR region_code = $1 OR region_code LIKE $2"
    )
    .bind(r)
    .bind(format!("{r}.%"))
    .fetch_all(c)
    .await)
}

/// A finished step's timing.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TimeRow {
    pub step: String,
    pub working_days: i64,
    pub decided_on: Date,
    pub due_on: Date,
}

pub async fn step_times(db: &Db, region: Option<&str>) -> Result<Vec<TimeRow>, sqlx::Error> {
    let r = region.unwrap_or("");
    with_db!(db, |c| sqlx::query_as::<_, TimeRow>(
        "SELECT s.step, s.working_days, s.decided_on, s.due_on FROM neutrality_case_steps s
         JOIN neutrality_cases k ON k.id = s.case_id
         WHERE $1 = '' OR k.region_code = $1 OR k.region_code LIKE $2"
    )
    .bind(r)
    .bind(format!("{r}.%"))
    .fetch_all(c)
    .await)
}

/// The appointments recorded with this NIP (the broker-then-promoted pattern), public columns.
pub async fn appointments_with_nip(db: &Db, nip: &str) -> Result<Vec<PublicRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, PublicRow>(
        "SELECT id, region_code, kind, official_name, from_position, to_position,
           decree_number, decree_date, effective_date, signed_by, minister_approval_ref
         FROM appointments WHERE nip = $1 ORDER BY decree_date, id LIMIT 100"
    )
    .bind(nip)
    .fetch_all(c)
    .await)
}

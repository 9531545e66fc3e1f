//! Lists: work queues, the "similar open reports" list, public (Open311) lists and the
//! dashboard's rows.

use balai_core::db::Db;
use balai_core::with_db;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use balai_core::web::actor::Actor;

use crate::domain::settings::today;
use crate::domain::ClockConfig;
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{Complaint, COLS};

/// A row of a work queue or public list (never the tracking code: staff refer to a report
/// by its id).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub category_code: String,
    pub village_code: Option<String>,
    pub agency_id: Option<i64>,
    pub assigned_user_id: Option<i64>,
    pub due_day: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
}

const LIST_SELECT: &str = "SELECT x.id, x.title, x.status, x.category_code, \
    x.village_code, x.agency_id, x.assigned_user_id, \
    (SELECT MIN(k.due_day) FROM clocks k WHERE k.subject_kind = 'complaint' \
       AND k.subject_id = CAST(x.id AS TEXT) AND k.open = TRUE) AS due_day, x.submitted_at \
    FROM complaints x";

/// Which work queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
    New,
    DueSoon,
    Overdue,
    Mine,
    All,
}

impl Queue {
    pub fn parse(s: &str) -> Option<Queue> {
        Some(match s {
            "new" => Queue::New,
            "due_soon" => Queue::DueSoon,
            "overdue" => Queue::Overdue,
            "mine" => Queue::Mine,
            "all" => Queue::All,
            _ => return None,
        })
    }
}

/// A work queue of one agency (`None`: reports no agency holds yet, for super-admins).
pub async fn queue(
    db: &Db,
    agency_id: Option<i64>,
    q: Queue,
    user_id: i64,
    today: Date,
    soon: Date,
) -> Result<Vec<ListRow>, sqlx::Error> {
    // Bind only what the filter uses: PostgreSQL refuses unused parameters.
    let filter = match q {
        Queue::New => "q.status IN ('submitted', 'not_our_authority')",
        Queue::DueSoon => "q.due_day >= $2 AND q.due_day <= $3",
        Queue::Overdue => "q.due_day < $2",
        Queue::Mine => {
            "q.assigned_user_id = $2 AND q.status NOT IN ('closed', 'rejected', 'duplicate')"
        }
        Queue::All => "1 = 1",
    };
    let sql = format!(
        "SELECT * FROM ({LIST_SELECT} WHERE (x.agency_id = $1 OR ($1 IS NULL AND x.agency_id IS NULL))) q
         WHERE {filter} ORDER BY q.due_day, q.id LIMIT 200"
    );
    with_db!(db, |c| {
        let query = sqlx::query_as::<_, ListRow>(&sql).bind(agency_id);
        let query = match q {
            Queue::DueSoon => query.bind(today).bind(soon),
            Queue::Overdue => query.bind(today),
            Queue::Mine => query.bind(user_id),
            Queue::New | Queue::All => query,
        };
        query.fetch_all(c).await
    })
}

/// Open, public reports of a category in a village (shown before filing a duplicate).
pub async fn open_in_village(
    db: &Db,
    village: &str,
    category: &str,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let sql = format!(
        "{LIST_SELECT} WHERE x.village_code = $1 AND x.category_code = $2 AND x.confidential = FALSE
           AND x.hidden = FALSE AND x.status NOT IN ('closed', 'rejected', 'duplicate')
         ORDER BY x.id DESC LIMIT 20"
    );
    with_db!(db, |c| sqlx::query_as::<_, ListRow>(&sql)
        .bind(village)
        .bind(category)
        .fetch_all(c)
        .await)
}

/// Filters of an Open311 `GET requests`.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter {
    pub ids: Vec<i64>,
    pub category: Option<String>,
    /// `Some(true)`: open only; `Some(false)`: closed only.
    pub open: Option<bool>,
    pub start: Option<OffsetDateTime>,
    pub end: Option<OffsetDateTime>,
    pub limit: i64,
}

/// Public (not confidential, not hidden) reports, newest first.
pub async fn public_list(db: &Db, f: &PublicFilter) -> Result<Vec<Complaint>, sqlx::Error> {
    let mut sql = format!(
        "SELECT {COLS} FROM complaints WHERE confidential = FALSE AND hidden = FALSE AND village_code IS NOT NULL"
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if !f.ids.is_empty() {
        let ids: Vec<String> = f.ids.iter().map(|i| i.to_string()).collect();
        // Integers only (parsed), so inlining them is safe.
        sql.push_str(&format!(" AND id IN ({})", ids.join(",")));
    }
    if f.category.is_some() {
        sql.push_str(&format!(" AND category_code = {}", next()));
    }
    match f.open {
        Some(true) => sql.push_str(" AND status NOT IN ('closed', 'rejected', 'duplicate')"),
        Some(false) => sql.push_str(" AND status IN ('closed', 'rejected', 'duplicate')"),
        None => {}
    }
    if f.start.is_some() {
        sql.push_str(&format!(" AND submitted_at >= {}", next()));
    }
    if f.end.is_some() {
        sql.push_str(&format!(" AND submitted_at <= {}", next()));
    }
    sql.push_str(&format!(
        " ORDER BY id DESC LIMIT {}",
        f.limit.clamp(1, 1000)
    ));
    with_db!(db, |c| {
        let mut q = sqlx::query_as::<_, Complaint>(&sql);
        if let Some(cat) = &f.category {
            q = q.bind(cat);
        }
        if let Some(s) = f.start {
            q = q.bind(s);
        }
        if let Some(e) = f.end {
            q = q.bind(e);
        }
        q.fetch_all(c).await
    })
}

/// One report for the dashboard and its CSV export (no personal data, no tracking code).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StatDbRow {
    pub id: i64,
    pub status: String,
    pub category_code: String,
    pub channel: String,
    pub village_code: Option<String>,
    pub agency_id: Option<i64>,
    pub submitted_at: OffsetDateTime,
    pub dispatched_at: Option<OffsetDateTime>,
    pub answered_at: Option<OffsetDateTime>,
}

/// Reports of one agency (`None`: every report, for super-admins), newest first.
pub async fn stat_rows(db: &Db, agency_id: Option<i64>) -> Result<Vec<StatDbRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, StatDbRow>(
        "SELECT x.id, x.status, x.category_code, x.channel, x.village_code, x.agency_id, x.submitted_at,
           (SELECT MIN(e.occurred_at) FROM complaint_events e
             WHERE e.complaint_id = x.id AND e.kind = 'dispatched') AS dispatched_at,
           (SELECT MIN(e.occurred_at) FROM complaint_events e
             WHERE e.complaint_id = x.id AND e.kind = 'answered') AS answered_at
         FROM complaints x WHERE ($1 IS NULL OR x.agency_id = $1)
         ORDER BY x.id DESC LIMIT 100000"
    )
    .bind(agency_id)
    .fetch_all(c)
    .await
    })
}

/// The agency of an official's queue, checked.
pub fn queue_agency(actor: &Actor, asked: Option<i64>) -> ComplaintResult<Option<i64>> {
    if actor.is_superadmin() {
        return Ok(asked);
    }
    match (&actor.agency, asked) {
        (Some(a), None) => Ok(Some(a.id)),
        (Some(a), Some(x)) if x == a.id => Ok(Some(a.id)),
        _ => Err(ComplaintError::Forbidden),
    }
}

/// An official's work queue, "due soon" counted in working days from today.
pub async fn load_queue(
    db: &Db,
    cfg: &ClockConfig,
    actor: &Actor,
    q: Queue,
    agency: Option<i64>,
) -> ComplaintResult<Vec<ListRow>> {
    let today = today();
    let cal = balai_core::calendar::load(db).await?;
    let soon = cal.add_working_days(today, cfg.due_soon_working_days);
    Ok(queue(db, agency, q, actor.user.id, today, soon).await?)
}

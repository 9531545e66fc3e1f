//! The `neutrality_cases` and `neutrality_case_steps` tables. The official's identity (name,
//! NIP, position) and the texts are read only by [`identity_of`] and [`steps_of`], which the
//! scoped queries call for the handling agencies; the public statistics read [`facts`] and
//! [`step_times`], which select none of them.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use crate::domain::case::{Origin, Outcome, Stage};
use crate::domain::case_input::{NewCase, StepDecision};

/// Who acts, as the tables keep it.
#[derive(Clone, Copy, Debug)]
pub struct By {
    pub agency_id: Option<i64>,
    pub user_id: i64,
}

/// Store a new case at its first stage; returns its id.
pub async fn insert(
    tx: &mut Tx,
    c: &NewCase,
    origin: Origin,
    opened_on: Date,
    by: By,
) -> Result<i64, sqlx::Error> {
    let at = now();
    with_tx!(tx, |x| sqlx::query_scalar::<_, i64>(
        "INSERT INTO neutrality_cases (region_code, origin, complaint_id, official_name, nip,
           official_position, allegation, stage, stage_started_on, opened_on, opened_by,
           opened_agency_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
    )
    .bind(c.region.as_str())
    .bind(origin.as_str())
    .bind(c.complaint_id)
    .bind(&c.official_name)
    .bind(c.nip.as_ref().map(|n| n.as_str()))
    .bind(&c.official_position)
    .bind(&c.allegation)
    .bind(origin.first_stage().as_str())
    .bind(opened_on)
    .bind(opened_on)
    .bind(by.user_id)
    .bind(by.agency_id)
    .bind(at)
    .bind(at)
    .fetch_one(&mut *x)
    .await)
}

/// A case without the official's identity and texts: what scoping and the list need.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub region_code: String,
    pub origin: String,
    pub complaint_id: Option<i64>,
    pub stage: String,
    pub outcome: Option<String>,
    pub forbidden_act: Option<String>,
    pub recommended_sanction: Option<String>,
    pub sanction: Option<String>,
    pub stage_started_on: Date,
    pub opened_on: Date,
    pub opened_by: i64,
}

impl CaseRow {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Closed)
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_deref().and_then(Outcome::parse)
    }
}

const CASE_COLUMNS: &str = "id, region_code, origin, complaint_id, stage, outcome, forbidden_act,
    recommended_sanction, sanction, stage_started_on, opened_on, opened_by";

pub async fn get(db: &Db, id: i64) -> Result<Option<CaseRow>, sqlx::Error> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM neutrality_cases WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, CaseRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// [`get`] in the caller's transaction, holding the row against a concurrent decision.
pub async fn get_for_update(tx: &mut Tx, id: i64) -> Result<Option<CaseRow>, sqlx::Error> {
    let lock = if tx.backend() == balai_core::db::Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {CASE_COLUMNS} FROM neutrality_cases WHERE id = $1{lock}");
    with_tx!(tx, |c| sqlx::query_as::<_, CaseRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

/// The most cases one list shows.
pub const LIST_LIMIT: i64 = 500;

/// The cases of officials of these regions (a region and those inside it), newest first.
pub async fn under(db: &Db, region: &str) -> Result<Vec<CaseRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM neutrality_cases
         WHERE region_code = $1 OR region_code LIKE $2 ORDER BY id DESC LIMIT {LIST_LIMIT}"
    );
    with_db!(db, |c| sqlx::query_as::<_, CaseRow>(&sql)
        .bind(region)
        .bind(format!("{region}.%"))
        .fetch_all(c)
        .await)
}

/// Every case (a super-admin's list), newest first.
pub async fn all(db: &Db) -> Result<Vec<CaseRow>, sqlx::Error> {
    let sql =
        format!("SELECT {CASE_COLUMNS} FROM neutrality_cases ORDER BY id DESC LIMIT {LIST_LIMIT}");
    with_db!(db, |c| sqlx::query_as::<_, CaseRow>(&sql)
        .fetch_all(c)
        .await)
}

/// The official's identity and the allegation: for the handling agencies only, each read
/// audited by the caller.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Identity {
    pub id: i64,
    pub official_name: String,
    pub nip: Option<String>,
    pub official_position: String,
    pub allegation: String,
}

pub async fn identity_of(db: &Db, ids: &[i64]) -> Result<Vec<Identity>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    with_db!(db, |c| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT id, official_name, nip, official_position, allegation FROM neutrality_cases
             WHERE id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as::<Identity>().fetch_all(c).await
    })
}

/// Move a case to its next stage after a decision.
pub async fn advance(
    tx: &mut Tx,
    id: i64,
    to: Stage,
    outcome: Option<Outcome>,
    d: &StepDecision,
) -> Result<(), sqlx::Error> {
    use crate::domain::case::Decision as D;
    let (act, recommended, sanction) = match d.decision {
        D::Violation { act, sanction } => (act, sanction, None),
        D::Sanctioned(s) => (None, None, Some(s)),
        _ => (None, None, None),
    };
    with_tx!(tx, |c| sqlx::query(
        "UPDATE neutrality_cases SET stage = $1, outcome = $2, stage_started_on = $3,
           forbidden_act = COALESCE($4, forbidden_act),
           recommended_sanction = COALESCE($5, recommended_sanction),
           sanction = COALESCE($6, sanction), updated_at = $7
         WHERE id = $8"
    )
    .bind(to.as_str())
    .bind(outcome.map(Outcome::as_str))
    .bind(d.decided_on)
    .bind(act.map(|a| a.as_str()))
    .bind(recommended.map(|s| s.as_str()))
    .bind(sanction.map(|s| s.as_str()))
    .bind(now())
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A step's timing, as stored beside its decision.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub started_on: Date,
    pub due_on: Date,
    pub working_days: i64,
}

pub async fn insert_step(
    tx: &mut Tx,
    case_id: i64,
    d: &StepDecision,
    timing: Timing,
    by: By,
) -> Result<i64, sqlx::Error> {
    use crate::domain::case::Decision as D;
    let (act, sanction) = match d.decision {
        D::Violation { act, sanction } => (act, sanction),
        D::Sanctioned(s) => (None, Some(s)),
        _ => (None, None),
    };
    let documents = serde_json::to_string(&d.documents).unwrap_or_else(|_| "[]".into());
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO neutrality_case_steps (case_id, step, decision, forbidden_act, sanction,
           reference, note, documents, started_on, decided_on, due_on, working_days, agency_id,
           user_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
    )
    .bind(case_id)
    .bind(d.step.as_str())
    .bind(d.decision.as_str())
    .bind(act.map(|a| a.as_str()))
    .bind(sanction.map(|s| s.as_str()))
    .bind(d.reference.as_deref())
    .bind(&d.note)
    .bind(&documents)
    .bind(timing.started_on)
    .bind(d.decided_on)
    .bind(timing.due_on)
    .bind(timing.working_days)
    .bind(by.agency_id)
    .bind(by.user_id)
    .bind(now())
    .fetch_one(&mut *c)
    .await)
}

/// A finished step with who decided it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StepRow {
    pub step: String,
    pub decision: String,
    pub forbidden_act: Option<String>,
    pub sanction: Option<String>,
    pub reference: Option<String>,
    pub note: String,
    pub documents: String,
    pub started_on: Date,
    pub decided_on: Date,
    pub due_on: Date,
    pub working_days: i64,
    pub agency_name: Option<String>,
    pub user_name: String,
}

impl StepRow {
    pub fn documents(&self) -> Vec<String> {
        serde_json::from_str(&self.documents).unwrap_or_default()
    }
}

pub async fn steps_of(db: &Db, case_id: i64) -> Result<Vec<StepRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, StepRow>(
        "SELECT s.step, s.decision, s.forbidden_act, s.sanction, s.reference, s.note,
           s.documents, s.started_on, s.decided_on, s.due_on, s.working_days,
           a.name AS agency_name, u.display_name AS user_name
         FROM neutrality_case_steps s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN agencies a ON a.id = s.agency_id
         WHERE s.case_id = $1 ORDER BY s.id"
    )
    .bind(case_id)
    .fetch_all(c)
    .await)
}

/// The complaint a case may start from, as the opening check needs it (never its tracking
/// code, nor the reporter's data).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ComplaintRef {
    pub id: i64,
    pub report_type: String,
    pub agency_id: Option<i64>,
    pub village_code: Option<String>,
}

pub async fn complaint(tx: &mut Tx, id: i64) -> Result<Option<ComplaintRef>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, ComplaintRef>(
        "SELECT id, report_type, agency_id, village_code FROM complaints WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)
}

/// Does a case from this complaint exist already?
pub async fn case_of_complaint(tx: &mut Tx, complaint_id: i64) -> Result<Option<i64>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM neutrality_cases WHERE complaint_id = $1"
    )
    .bind(complaint_id)
    .fetch_optional(&mut *c)
    .await)
}

//! The records of a PPID's laporan layanan informasi: one row per request received in the
//! period, with its first decision (answer, partial answer or refusal) and its day.

use balai_core::db::Db;
use balai_core::ids::AgencyId;
use balai_core::with_db;
use time::Date;

use crate::domain::exemptions::Exemption;
use crate::domain::report::{Decision, Record};

#[derive(sqlx::FromRow)]
struct Row {
    received_on: Date,
    extended: bool,
    decision: Option<String>,
    decided_on: Option<Date>,
    exemption: Option<String>,
    objection_on: Option<Date>,
    objection_answered_on: Option<Date>,
    disputed: bool,
    dispute_decided: bool,
}

const FIRST_DECISION: &str = "FROM info_request_events e WHERE e.request_id = r.id
    AND e.action IN ('answer', 'answer_partly', 'refuse') ORDER BY e.id LIMIT 1";

/// The requests `agency` received from `from` to `to` (inclusive), as report records.
pub async fn records(
    db: &Db,
    agency: AgencyId,
    from: Date,
    to: Date,
) -> Result<Vec<Record>, sqlx::Error> {
    let sql = format!(
        "SELECT r.received_on, r.extension_reason IS NOT NULL AS extended,
           (SELECT e.action {FIRST_DECISION}) AS decision,
           (SELECT e.day {FIRST_DECISION}) AS decided_on,
           r.exemption, r.objection_on, r.objection_answered_on,
           r.dispute_on IS NOT NULL AS disputed, r.dispute_outcome IS NOT NULL AS dispute_decided
         FROM info_requests r
         WHERE r.agency_id = $1 AND r.received_on >= $2 AND r.received_on <= $3
         ORDER BY r.id"
    );
    let rows = with_db!(db, |c| sqlx::query_as::<_, Row>(&sql)
        .bind(agency)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Record {
            received_on: r.received_on,
            extended: r.extended,
            decision: r
                .decision
                .as_deref()
                .and_then(Decision::parse)
                .zip(r.decided_on),
            exemption: r.exemption.as_deref().and_then(Exemption::parse),
            objected_on: r.objection_on,
            objection_answered_on: r.objection_answered_on,
            disputed: r.disputed,
            dispute_decided: r.dispute_decided,
        })
        .collect())
}

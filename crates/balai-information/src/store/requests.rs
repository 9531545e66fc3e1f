//! The `info_requests` table.

use balai_core::db::{Db, Tx};
use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx};
use time::{Date, OffsetDateTime};

use crate::domain::clocks::{Clock, SUBJECT_KIND};
use crate::domain::status::Status;
use crate::RequestId;

/// A request to store.
pub struct NewRequest<'a> {
    pub agency_id: AgencyId,
    pub tracking_code: &'a str,
    pub secret_hash: &'a str,
    pub channel: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub information: &'a str,
    pub purpose: &'a str,
    pub delivery: &'a str,
    pub received_on: Date,
    pub filed_by_user_id: Option<i64>,
}

/// Store a new request; its registration number is made from its id
/// ([`crate::domain::registration_number`]) by the caller, in the same transaction.
pub async fn insert(tx: &mut Tx, r: &NewRequest<'_>) -> Result<RequestId, sqlx::Error> {
    let now = balai_core::db::now();
    with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO info_requests (agency_id, registration_number, tracking_code, secret_hash,
               channel, requester_name, requester_email, requester_phone, requester_address,
               information, purpose, delivery, status, received_on, filed_by_user_id, created_at,
               updated_at)
             VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
             RETURNING id",
        )
        .bind(r.agency_id)
        .bind(r.tracking_code)
        .bind(r.secret_hash)
        .bind(r.channel)
        .bind(r.name)
        .bind(r.email)
        .bind(r.phone)
        .bind(r.address)
        .bind(r.information)
        .bind(r.purpose)
        .bind(r.delivery)
        .bind(Status::Received.as_str())
        .bind(r.received_on)
        .bind(r.filed_by_user_id)
        .bind(now)
        .fetch_one(&mut *c)
        .await
    })
}

pub async fn set_registration_number(
    tx: &mut Tx,
    id: RequestId,
    number: &str,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE info_requests SET registration_number = $1 WHERE id = $2"
    )
    .bind(number)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// A request as read back, with its agency and its running due days.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestRow {
    pub id: RequestId,
    pub agency_id: AgencyId,
    pub agency_name: String,
    pub agency_region: String,
    pub registration_number: String,
    pub tracking_code: String,
    pub secret_hash: String,
    pub channel: String,
    pub requester_name: String,
    pub requester_email: Option<String>,
    pub requester_phone: Option<String>,
    pub requester_address: Option<String>,
    pub information: String,
    pub purpose: String,
    pub delivery: String,
    pub status: String,
    pub received_on: Date,
    pub extension_reason: Option<String>,
    pub answered_on: Option<Date>,
    pub answer: Option<String>,
    pub exemption: Option<String>,
    pub consequence_test: Option<String>,
    pub objection_on: Option<Date>,
    pub objection_reason: Option<String>,
    pub objection_answered_on: Option<Date>,
    pub objection_answer: Option<String>,
    pub dispute_on: Option<Date>,
    pub dispute_outcome: Option<String>,
    pub satisfied: Option<bool>,
    pub private_reason: Option<String>,
    /// The answers alone are kept private (the request stays public).
    pub answer_private_reason: Option<String>,
    pub created_at: OffsetDateTime,
    /// The answer clock's due day (10 working days after receipt, 17 once extended).
    pub answer_due: Option<Date>,
    /// The objection's answer clock, once an objection was filed.
    pub objection_due: Option<Date>,
}

impl RequestRow {
    /// The stored status (an unknown value reads as received).
    pub fn state(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Received)
    }

    pub fn extended(&self) -> bool {
        self.extension_reason.is_some()
    }
}

fn select() -> String {
    format!(
        "SELECT r.id, r.agency_id, a.name AS agency_name, a.region_code AS agency_region,
           r.registration_number, r.tracking_code, r.secret_hash, r.channel, r.requester_name,
           r.requester_email, r.requester_phone, r.requester_address, r.information, r.purpose,
           r.delivery, r.status, r.received_on, r.extension_reason, r.answered_on, r.answer,
           r.exemption, r.consequence_test, r.objection_on, r.objection_reason,
           r.objection_answered_on, r.objection_answer, r.dispute_on, r.dispute_outcome,
           r.satisfied, r.private_reason, r.answer_private_reason, r.created_at, ka.due_day AS answer_due,
           ko.due_day AS objection_due
         FROM info_requests r JOIN agencies a ON a.id = r.agency_id
         LEFT JOIN clocks ka ON ka.subject_kind = '{SUBJECT_KIND}'
           AND ka.subject_id = CAST(r.id AS TEXT) AND ka.purpose = '{}'
         LEFT JOIN clocks ko ON ko.subject_kind = '{SUBJECT_KIND}'
           AND ko.subject_id = CAST(r.id AS TEXT) AND ko.purpose = '{}'",
        Clock::Answer.as_str(),
        Clock::ObjectionAnswer.as_str()
    )
}

pub async fn get(db: &Db, id: RequestId) -> Result<Option<RequestRow>, sqlx::Error> {
    let sql = format!("{} WHERE r.id = $1", select());
    with_db!(db, |c| sqlx::query_as::<_, RequestRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn get_tx(tx: &mut Tx, id: RequestId) -> Result<Option<RequestRow>, sqlx::Error> {
    let sql = format!("{} WHERE r.id = $1", select());
    with_tx!(tx, |c| sqlx::query_as::<_, RequestRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

pub async fn by_tracking_code(db: &Db, code: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    let sql = format!("{} WHERE r.tracking_code = $1", select());
    with_db!(db, |c| sqlx::query_as::<_, RequestRow>(&sql)
        .bind(code)
        .fetch_optional(c)
        .await)
}

/// The requests of one agency (all agencies: `None`), newest first, at most `limit`; the
/// public's lists (`public_only`) leave out the requests the PPID keeps private.
pub async fn of_agency(
    db: &Db,
    agency: Option<AgencyId>,
    limit: i64,
    public_only: bool,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let sql = format!(
        "{} WHERE ($1 IS NULL OR r.agency_id = $1) AND (NOT $3 OR r.private_reason IS NULL)
         ORDER BY r.id DESC LIMIT $2",
        select()
    );
    with_db!(db, |c| sqlx::query_as::<_, RequestRow>(&sql)
        .bind(agency)
        .bind(limit)
        .bind(public_only)
        .fetch_all(c)
        .await)
}

/// Keep the request (`whole`) or its answers private with `reason`, unless that part is
/// already; returns whether it changed. The search index follows in the same statement
/// (migration 0050).
pub async fn set_private(
    tx: &mut Tx,
    id: RequestId,
    whole: bool,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let now = balai_core::db::now();
    let sql = if whole {
        "UPDATE info_requests SET private_reason = $1, updated_at = $2
         WHERE id = $3 AND private_reason IS NULL"
    } else {
        "UPDATE info_requests SET answer_private_reason = $1, updated_at = $2
         WHERE id = $3 AND answer_private_reason IS NULL"
    };
    let n = with_tx!(tx, |c| sqlx::query(sql)
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// What an action changes; `None` keeps a column as it is.
#[derive(Clone, Debug, Default)]
pub struct Change<'a> {
    pub agency_id: Option<AgencyId>,
    /// A transfer starts the request again: the extension is dropped.
    pub clear_extension: bool,
    pub extension_reason: Option<&'a str>,
    pub answered_on: Option<Date>,
    pub answer: Option<&'a str>,
    pub exemption: Option<&'a str>,
    pub consequence_test: Option<&'a str>,
    pub objection_on: Option<Date>,
    pub objection_reason: Option<&'a str>,
    pub objection_answered_on: Option<Date>,
    pub objection_answer: Option<&'a str>,
    pub dispute_on: Option<Date>,
    pub dispute_outcome: Option<&'a str>,
    pub satisfied: Option<bool>,
}

/// Apply a change if the request is still in `from`; returns whether it was.
pub async fn change(
    tx: &mut Tx,
    id: RequestId,
    from: Status,
    to: Status,
    ch: &Change<'_>,
) -> Result<bool, sqlx::Error> {
    let now = balai_core::db::now();
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE info_requests SET status = $1, agency_id = COALESCE($2, agency_id),
               extension_reason = CASE WHEN $3 THEN NULL ELSE COALESCE($4, extension_reason) END,
               answered_on = COALESCE($5, answered_on), answer = COALESCE($6, answer),
               exemption = COALESCE($7, exemption),
               consequence_test = COALESCE($8, consequence_test),
               objection_on = COALESCE($9, objection_on),
               objection_reason = COALESCE($10, objection_reason),
               objection_answered_on = COALESCE($11, objection_answered_on),
               objection_answer = COALESCE($12, objection_answer),
               dispute_on = COALESCE($13, dispute_on),
               dispute_outcome = COALESCE($14, dispute_outcome),
               satisfied = COALESCE($15, satisfied), updated_at = $16
             WHERE id = $17 AND status = $18",
        )
        .bind(to.as_str())
        .bind(ch.agency_id)
        .bind(ch.clear_extension)
        .bind(ch.extension_reason)
        .bind(ch.answered_on)
        .bind(ch.answer)
        .bind(ch.exemption)
        .bind(ch.consequence_test)
        .bind(ch.objection_on)
        .bind(ch.objection_reason)
        .bind(ch.objection_answered_on)
        .bind(ch.objection_answer)
        .bind(ch.dispute_on)
        .bind(ch.dispute_outcome)
        .bind(ch.satisfied)
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

//! One module per write use case; each authorizes, decides with the domain rules, stores and
//! records its audit event (and the request's public history row) in one transaction.

pub mod act;
pub mod demo;
pub mod file;
pub mod lists;
pub mod privacy;
pub mod requester;

use balai_core::audit::{self, AuditEvent};
use balai_core::format::Zone;
use balai_core::outbox::{self, Channel};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::Tx;
use serde_json::json;
use time::{Date, OffsetDateTime};

use crate::domain::audit as actions;
use crate::domain::status::{Action, Status};
use crate::errors::{InfoResult, InformationError};
use crate::store::{self, Change, NewEvent, RequestRow};

/// Today in the agency's time zone (WIB, WITA or WIT).
pub fn today_at(region: &str) -> Date {
    OffsetDateTime::now_utc()
        .to_offset(Zone::for_region(region).offset())
        .date()
}

/// A decided step, ready to store.
pub(crate) struct Step<'a> {
    pub action: Action,
    pub from: Status,
    pub to: Status,
    pub change: Change<'a>,
    /// The public history's note (reason, answer, question).
    pub note: Option<&'a str>,
    pub today: Date,
}

/// Store a step: the state change (refused if someone changed the request meanwhile), its
/// history row and its audit event.
pub(crate) async fn store_step(
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: Option<&Actor>,
    row: &RequestRow,
    step: &Step<'_>,
) -> InfoResult<()> {
    if !store::requests::change(tx, row.id, step.from, step.to, &step.change).await? {
        return Err(InformationError::ChangedMeanwhile);
    }
    store::insert_event(
        tx,
        &NewEvent {
            request: row.id,
            action: step.action.as_str(),
            from: Some(step.from.as_str()),
            to: step.to.as_str(),
            note: step.note,
            by_official: actor.is_some(),
            day: step.today,
        },
    )
    .await?;
    audit::record(
        tx,
        &meta.audit(actor),
        AuditEvent {
            action: actions::of_action(step.action),
            target_kind: actions::TARGET_REQUEST,
            target_id: row.id.to_string(),
            region_code: Some(row.agency_region.clone()),
            summary: json!({
                "from": step.from.as_str(), "to": step.to.as_str(),
                "agency_id": step.change.agency_id.unwrap_or(row.agency_id),
                "exemption": step.change.exemption,
            }),
        },
    )
    .await?;
    Ok(())
}

/// Tell the requester, by email if they gave one, else by SMS (neither: nothing is sent).
pub(crate) async fn notify(
    tx: &mut Tx,
    row: &RequestRow,
    subject: &str,
    body: &str,
) -> InfoResult<()> {
    if let Some(e) = row.requester_email.as_deref() {
        outbox::enqueue(tx, Channel::Email, e, subject, body).await?;
    } else if let Some(p) = row.requester_phone.as_deref() {
        outbox::enqueue(tx, Channel::Sms, p, subject, body).await?;
    }
    Ok(())
}

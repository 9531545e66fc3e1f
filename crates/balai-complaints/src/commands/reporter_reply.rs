//! What the holder of a tracking code may do: reply, confirm that the answer solved it, or
//! reopen. Holding the code is the authorisation.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::Db;
use serde_json::json;
use time::Date;

use super::input::required;
use super::transition::{status_of, transition, Transition, Who};
use crate::domain::{self, Action, ClockConfig, Status, TrackingCode};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, NewEvent};

/// What the holder of the tracking code does.
#[derive(Clone, Debug)]
pub enum ReporterCommand {
    Reply { body: String },
    ConfirmResolved,
    Reopen { body: String },
}

/// The reporter's action, authorised by holding the tracking code.
pub async fn reporter_act(
    db: &Db,
    ctx: &AuditContext,
    code: &TrackingCode,
    cmd: ReporterCommand,
    cfg: &ClockConfig,
    today: Date,
) -> ComplaintResult<Status> {
    let mut tx = db.begin().await?;
    let id = store::id_by_code_in_tx(&mut tx, code.as_str())
        .await?
        .ok_or(ComplaintError::NotFound)?;
    let c = store::lock(&mut tx, id)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    let who = Who {
        ctx,
        label: "pelapor",
    };
    let from = status_of(&c);
    let status = match cmd {
        ReporterCommand::ConfirmResolved => {
            let t = Transition::plain(Action::ConfirmResolved, "");
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        ReporterCommand::Reopen { body } => {
            let body = required(&body, "Alasan", "A reason")?;
            let t = Transition::plain(Action::Reopen, &body);
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        ReporterCommand::Reply { body } => {
            let body = required(&body, "Balasan", "A reply")?;
            if matches!(from, Status::Rejected | Status::Duplicate) {
                return Err(ComplaintError::BadTransition(from));
            }
            if from == Status::Answered {
                // A reply to an answer means the matter is not settled: back to follow-up.
                let t = Transition::plain(Action::Reopen, &body);
                transition(&mut tx, &c, &who, t, cfg, today).await?
            } else {
                store::add_event(
                    &mut tx,
                    c.id,
                    &NewEvent {
                        kind: domain::timeline::REPORTER_REPLY,
                        public: true,
                        actor_user_id: None,
                        actor_label: "pelapor",
                        from_status: None,
                        to_status: None,
                        from_agency: None,
                        to_agency: None,
                        body: &body,
                    },
                )
                .await?;
                audit::record(
                    &mut tx,
                    ctx,
                    AuditEvent {
                        action: domain::audit::REPORTER_REPLIED,
                        target_kind: domain::audit::SUBJECT,
                        target_id: c.id.to_string(),
                        region_code: c.village_code.clone(),
                        summary: json!({ "tracking_code": c.tracking_code }),
                    },
                )
                .await?;
                from
            }
        }
    };
    tx.commit().await?;
    Ok(status)
}

//! What the reporter may do: reply, confirm that the answer solved it, or reopen. The
//! tracking code and the reporter's secret together are the authorisation; a wrong secret is
//! answered like an unknown code. A report filed before secrets existed gets one on request,
//! sent to the phone or e-mail given in it.

use balai_core::audit::{AuditContext, AuditEvent};
use balai_core::Db;
use serde_json::json;
use time::Date;

use super::input::required;
use super::notify::notify_contact;
use super::record::report_event;
use super::transition::{status_of, transition, Transition, Who};
use crate::domain::tracking::secret_matches;
use crate::domain::{self, Action, ClockConfig, ReporterSecret, Status, TrackingCode};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, NewEvent};

/// What the reporter does.
#[derive(Clone, Debug)]
pub enum ReporterCommand {
    Reply { body: String },
    ConfirmResolved,
    Reopen { body: String },
}

/// The reporter's action, authorised by the tracking code and its secret. The audit event
/// keeps no IP address or user agent of the reporter.
pub async fn reporter_act(
    db: &Db,
    ctx: &AuditContext,
    code: &TrackingCode,
    secret: &str,
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
    if !secret_matches(code, secret, c.secret_hash.as_deref()) {
        return Err(ComplaintError::NotFound);
    }
    let ctx = &ctx.without_client();
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
                report_event(
                    &mut tx,
                    ctx,
                    c.agency_id,
                    AuditEvent {
                        action: domain::audit::REPORTER_REPLIED,
                        target_kind: domain::audit::SUBJECT,
                        target_id: c.id.to_string(),
                        region_code: c.village_code.clone(),
                        summary: json!({}),
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

/// A report filed before secrets existed: give it a secret and send it, with the code, to the
/// phone or e-mail given in the report. Does nothing (and says nothing different) when the
/// report is unknown, already has a secret or has no contact: the answer never tells whether
/// the code exists.
pub async fn send_first_secret(
    db: &Db,
    ctx: &AuditContext,
    code: &TrackingCode,
) -> ComplaintResult<()> {
    let mut tx = db.begin().await?;
    let Some(id) = store::id_by_code_in_tx(&mut tx, code.as_str()).await? else {
        return Ok(());
    };
    let Some(c) = store::lock(&mut tx, id).await? else {
        return Ok(());
    };
    let phone = c.contact_phone.as_deref();
    if c.secret_hash.is_some() || (phone.is_none() && c.contact_email.is_none()) {
        return Ok(());
    }
    let secret = ReporterSecret::generate();
    if !store::set_secret_hash_once(&mut tx, c.id, &secret.hash(code)).await? {
        return Ok(());
    }
    let body = format!(
        "Kode rahasia laporan {}: {}. Simpan bersama kode lacak; jangan dibagikan.",
        code.display(),
        secret.display()
    );
    notify_contact(
        &mut tx,
        c.contact_email.as_deref(),
        phone,
        "Kode rahasia laporan",
        &body,
    )
    .await?;
    report_event(
        &mut tx,
        &ctx.without_client(),
        c.agency_id,
        AuditEvent {
            action: domain::audit::SECRET_SENT,
            target_kind: domain::audit::SUBJECT,
            target_id: c.id.to_string(),
            region_code: c.village_code.clone(),
            summary: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

//! Handling a report: officials' actions, the reporter's replies, and the status changes they
//! cause. Each change writes the row, the timeline, the clocks, the audit event and the
//! reporter's notification in one transaction.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::web::actor::Actor;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult, Db};
use serde_json::json;
use time::Date;

use crate::domain::{Action, ClockConfig, ReportType, Status, TrackingCode};
use crate::store::{self, Complaint, NewEvent};
use crate::submit::notify_contact;

mod extra;
mod transition;
use extra::{classify, extend_follow_up, internal_event};
pub use transition::{transition, Transition, Who};

/// What an official does.
#[derive(Clone, Debug)]
pub enum Command {
    Dispatch {
        note: String,
    },
    StartFollowUp,
    Answer {
        body: String,
    },
    Reject {
        reason: String,
    },
    Reroute {
        to_agency_id: i64,
        note: String,
    },
    MarkDuplicate {
        original_code: String,
    },
    Note {
        body: String,
    },
    Assign {
        user_id: Option<i64>,
    },
    /// Bawaslu asks the reporter for more information; its deadline grows by 2 days.
    RequestMoreInfo {
        body: String,
    },
    /// An operator sorts an unstructured report (an SMS outside the format) into a category
    /// and village; it is then routed like any other report.
    Classify {
        category: String,
        village_code: String,
    },
    /// Moderation: hide the report from the public (its reporter still follows it by code).
    Hide {
        reason: String,
    },
    /// Moderation: replace the public text (personal data redacted); officials keep the original.
    Redact {
        public_text: String,
    },
    /// Moderation: hide one photo (a face, a number plate, a document).
    HidePhoto {
        photo_id: i64,
    },
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Dispatch { .. } => "dispatch",
            Command::StartFollowUp => "start_follow_up",
            Command::Answer { .. } => "answer",
            Command::Reject { .. } => "reject",
            Command::Reroute { .. } => "reroute",
            Command::MarkDuplicate { .. } => "mark_duplicate",
            Command::Note { .. } => "note",
            Command::Assign { .. } => "assign",
            Command::RequestMoreInfo { .. } => "request_more_info",
            Command::Classify { .. } => "classify",
            Command::Hide { .. } => "hide",
            Command::Redact { .. } => "redact",
            Command::HidePhoto { .. } => "hide_photo",
        }
    }
}

/// What the holder of the tracking code does.
#[derive(Clone, Debug)]
pub enum ReporterCommand {
    Reply { body: String },
    ConfirmResolved,
    Reopen { body: String },
}

/// May this official see the report? Its agency's staff, an agency of the same kind above it
/// (a province Bawaslu over a city's), or a super-admin.
pub async fn can_read(db: &Db, actor: &Actor, c: &Complaint) -> AppResult<bool> {
    if actor.is_superadmin() {
        return Ok(true);
    }
    if actor.agency.as_ref().map(|a| a.id).is_some()
        && actor.agency.as_ref().map(|a| a.id) == c.agency_id
    {
        return Ok(true);
    }
    let (Some(agency_id), Some(village)) = (c.agency_id, c.village_code.as_deref()) else {
        return Ok(false);
    };
    let Some(agency) = balai_core::accounts::get_agency(db, agency_id).await? else {
        return Ok(false);
    };
    Ok(actor.scope.covers(village, &agency.kind))
}

fn may_act(actor: &Actor, c: &Complaint) -> AppResult<()> {
    actor.require_writer()?;
    if actor.is_superadmin()
        || (c.agency_id.is_some() && actor.agency.as_ref().map(|a| a.id) == c.agency_id)
    {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

fn required(s: &str, what_id: &str, what_en: &str) -> AppResult<String> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 5_000 {
        return Err(AppError::unprocessable(
            "invalid_input",
            format!("{what_id} wajib diisi (paling banyak 5.000 karakter)."),
            format!("{what_en} is required (at most 5,000 characters)."),
        ));
    }
    Ok(t.to_string())
}

pub(crate) fn refused(from: Status) -> AppError {
    AppError::conflict(
        "bad_transition",
        format!(
            "Tindakan ini tidak dapat dilakukan pada laporan berstatus \"{}\".",
            from.label_id()
        ),
        format!(
            "This action is not possible on a report that is \"{}\".",
            from.label_en()
        ),
    )
}

/// An official's action on complaint `id`.
pub async fn act(
    app: &AppCtx,
    actor: &Actor,
    ctx: &AuditContext,
    id: i64,
    cmd: Command,
    cfg: &ClockConfig,
    today: Date,
) -> AppResult<Status> {
    let db = &app.db;
    // The request's Idempotency-Key claim (API), if any, commits with this transaction.
    let mut tx = app.begin().await?;
    let c = store::lock(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !can_read(db, actor, &c).await? {
        return Err(AppError::not_found());
    }
    may_act(actor, &c)?;
    let who = Who {
        ctx,
        label: &actor.user.display_name,
    };
    let plain = |action, body: &'static str| Transition {
        action,
        body,
        agency_id: None,
        duplicate_of: None,
        reject_reason: None,
    };
    let status = match cmd {
        Command::Dispatch { note } => {
            if c.agency_id.is_none() {
                return Err(AppError::conflict(
                    "no_agency",
                    "Laporan belum memiliki instansi tujuan; alihkan dulu ke instansi.",
                    "The report has no agency yet; re-route it first.",
                ));
            }
            let t = Transition {
                body: note.trim(),
                ..plain(Action::Dispatch, "")
            };
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        Command::StartFollowUp => {
            transition(
                &mut tx,
                &c,
                &who,
                plain(Action::StartFollowUp, ""),
                cfg,
                today,
            )
            .await?
        }
        Command::Answer { body } => {
            let body = required(&body, "Jawaban", "An answer")?;
            let t = Transition {
                body: &body,
                ..plain(Action::Answer, "")
            };
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        Command::Reject { reason } => {
            let reason = required(&reason, "Alasan penolakan", "A reason")?;
            let t = Transition {
                body: &reason,
                reject_reason: Some(&reason),
                ..plain(Action::Reject, "")
            };
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        Command::Reroute { to_agency_id, note } => {
            let to = store::agency_in_tx(&mut tx, to_agency_id)
                .await?
                .ok_or_else(|| {
                    AppError::unprocessable(
                        "unknown_agency",
                        "Instansi tujuan tidak dikenal.",
                        "Unknown target agency.",
                    )
                })?;
            if Some(to.id) == c.agency_id {
                return Err(AppError::unprocessable(
                    "same_agency",
                    "Instansi tujuan sama dengan instansi sekarang.",
                    "The target agency is the current one.",
                ));
            }
            let body = format!("Dialihkan ke {}. {}", to.name, note.trim());
            let t = Transition {
                body: body.trim(),
                agency_id: Some(to.id),
                ..plain(Action::Reroute, "")
            };
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        Command::MarkDuplicate { original_code } => {
            let code = TrackingCode::parse(&original_code).ok_or_else(|| {
                AppError::unprocessable(
                    "bad_tracking_code",
                    "Kode lacak laporan asli tidak sah.",
                    "Invalid tracking code of the original.",
                )
            })?;
            let orig_id = store::id_by_code_in_tx(&mut tx, code.as_str())
                .await?
                .ok_or_else(AppError::not_found)?;
            let orig = store::lock(&mut tx, orig_id)
                .await?
                .ok_or_else(AppError::not_found)?;
            if orig.id == c.id || orig.status == Status::Duplicate.as_str() {
                return Err(AppError::unprocessable(
                    "bad_original",
                    "Laporan asli tidak boleh laporan ini sendiri atau laporan duplikat.",
                    "The original may not be this report or another duplicate.",
                ));
            }
            let body = format!("Digabung dengan laporan {}.", code.display());
            let t = Transition {
                body: &body,
                duplicate_of: Some(orig.id),
                ..plain(Action::MarkDuplicate, "")
            };
            transition(&mut tx, &c, &who, t, cfg, today).await?
        }
        Command::Note { body } => {
            let body = required(&body, "Catatan", "A note")?;
            internal_event(&mut tx, &c, &who, "note", &body, json!({})).await?;
            Status::parse(&c.status).unwrap_or(Status::Submitted)
        }
        Command::Assign { user_id } => {
            let agency = c.agency_id.ok_or_else(AppError::forbidden)?;
            if let Some(u) = user_id {
                if !store::user_in_agency(&mut tx, u, agency).await? {
                    return Err(AppError::unprocessable(
                        "bad_assignee",
                        "Petugas harus anggota instansi yang menangani.",
                        "The assignee must belong to the handling agency.",
                    ));
                }
            }
            store::set_assignee(&mut tx, c.id, user_id).await?;
            internal_event(
                &mut tx,
                &c,
                &who,
                "assigned",
                "",
                json!({ "user_id": user_id }),
            )
            .await?;
            Status::parse(&c.status).unwrap_or(Status::Submitted)
        }
        Command::Classify {
            category,
            village_code,
        } => {
            classify(&mut tx, &c, &who, &category, &village_code, cfg, today).await?;
            Status::parse(&c.status).unwrap_or(Status::Submitted)
        }
        Command::Hide { reason } => {
            let reason = required(&reason, "Alasan", "A reason")?;
            store::set_hidden(&mut tx, c.id, true).await?;
            internal_event(&mut tx, &c, &who, "hidden", &reason, json!({})).await?;
            Status::parse(&c.status).unwrap_or(Status::Submitted)
        }
        Command::Redact { public_text } => {
            let text = required(&public_text, "Teks publik", "The public text")?;
            store::set_public_description(&mut tx, c.id, &text).await?;
            internal_event(&mut tx, &c, &who, "redacted", "", json!({})).await?;
            Status::parse(&c.status).unwrap_or(Status::Submitted)
        }
        Command::HidePhoto { photo_id } => {
            if store::hide_photo(&mut tx, c.id, photo_id).await? == 0 {
                return Err(AppError::not_found());
            }
            internal_event(
                &mut tx,
                &c,
                &who,
                "photo_hidden",
                "",
                json!({ "photo_id": photo_id }),
            )
            .await?;
            Status::parse(&c.status).unwrap_or(Status::Submitted)
        }
        Command::RequestMoreInfo { body } => {
            let body = required(&body, "Permintaan keterangan", "The request")?;
            let st = Status::parse(&c.status).unwrap_or(Status::Submitted);
            let election = ReportType::parse(&c.report_type).is_some_and(ReportType::is_election);
            if !election || !matches!(st, Status::Dispatched | Status::InFollowUp) {
                return Err(refused(st));
            }
            extend_follow_up(&mut tx, db, c.id, cfg.bawaslu_more_info_days).await?;
            store::add_event(
                &mut tx,
                c.id,
                &NewEvent {
                    kind: "more_info_requested",
                    public: true,
                    actor_user_id: ctx.actor_user_id,
                    actor_label: &actor.user.display_name,
                    from_status: None,
                    to_status: None,
                    from_agency: None,
                    to_agency: None,
                    body: &body,
                },
            )
            .await?;
            audit::record(&mut tx, ctx, AuditEvent {
                action: "complaint.request_more_info",
                target_kind: store::SUBJECT,
                target_id: c.id.to_string(),
                region_code: c.village_code.clone(),
                summary: json!({ "tracking_code": c.tracking_code, "extra_days": cfg.bawaslu_more_info_days }),
            })
            .await?;
            notify_contact(
                &mut tx,
                c.contact_email.as_deref(),
                c.contact_phone.as_deref(),
                "Permintaan keterangan",
                &body,
            )
            .await?;
            st
        }
    };
    tx.commit().await?;
    Ok(status)
}
/// The reporter's action, authorised by holding the tracking code.
pub async fn reporter_act(
    db: &Db,
    ctx: &AuditContext,
    code: &TrackingCode,
    cmd: ReporterCommand,
    cfg: &ClockConfig,
    today: Date,
) -> AppResult<Status> {
    let mut tx = db.begin().await?;
    let id = store::id_by_code_in_tx(&mut tx, code.as_str())
        .await?
        .ok_or_else(AppError::not_found)?;
    let c = store::lock(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let who = Who {
        ctx,
        label: "pelapor",
    };
    let from = Status::parse(&c.status).unwrap_or(Status::Submitted);
    let t = |action, body| Transition {
        action,
        body,
        agency_id: None,
        duplicate_of: None,
        reject_reason: None,
    };
    let status = match cmd {
        ReporterCommand::ConfirmResolved => {
            transition(
                &mut tx,
                &c,
                &who,
                t(Action::ConfirmResolved, ""),
                cfg,
                today,
            )
            .await?
        }
        ReporterCommand::Reopen { body } => {
            let body = required(&body, "Alasan", "A reason")?;
            transition(&mut tx, &c, &who, t(Action::Reopen, &body), cfg, today).await?
        }
        ReporterCommand::Reply { body } => {
            let body = required(&body, "Balasan", "A reply")?;
            if matches!(from, Status::Rejected | Status::Duplicate) {
                return Err(refused(from));
            }
            if from == Status::Answered {
                // A reply to an answer means the matter is not settled: back to follow-up.
                transition(&mut tx, &c, &who, t(Action::Reopen, &body), cfg, today).await?
            } else {
                store::add_event(
                    &mut tx,
                    c.id,
                    &NewEvent {
                        kind: "reporter_reply",
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
                        action: "complaint.reporter_reply",
                        target_kind: store::SUBJECT,
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

//! An official's action on a report: the command, who may give it, and one function per
//! command. Each writes the row, the timeline, the clocks, the audit event and the reporter's
//! notice in one transaction.

use balai_core::audit::AuditContext;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::Actor;
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde_json::json;
use time::Date;

use super::authorize::{can_read, may_act, serves};
use super::classify::classify;
use super::extend_deadline::request_more_info;
use super::input::required;
use super::internal_note::internal_event;
use super::transition::{status_of, transition, Transition, Who};
use crate::domain::permissions::StaffAction;
use crate::domain::timeline::Internal;
use crate::domain::{Action, ClockConfig, Status};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, Complaint};

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
    /// Staff name the original by its id (they never see tracking codes).
    MarkDuplicate {
        original_id: ComplaintId,
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
    /// The action of the permission table this command is.
    pub fn action(&self) -> StaffAction {
        match self {
            Command::Dispatch { .. } => StaffAction::Dispatch,
            Command::StartFollowUp => StaffAction::StartFollowUp,
            Command::Answer { .. } => StaffAction::Answer,
            Command::Reject { .. } => StaffAction::Reject,
            Command::Reroute { .. } => StaffAction::Reroute,
            Command::MarkDuplicate { .. } => StaffAction::MarkDuplicate,
            Command::Note { .. } => StaffAction::Note,
            Command::Assign { .. } => StaffAction::Assign,
            Command::RequestMoreInfo { .. } => StaffAction::RequestMoreInfo,
            Command::Classify { .. } => StaffAction::Classify,
            Command::Hide { .. } => StaffAction::Hide,
            Command::Redact { .. } => StaffAction::Redact,
            Command::HidePhoto { .. } => StaffAction::HidePhoto,
        }
    }
}

/// An official's action on report `id`: load and lock it, check the official may act, then
/// one function per command, all in one transaction.
pub async fn act(
    app: &AppCtx,
    actor: &Actor,
    ctx: &AuditContext,
    id: ComplaintId,
    cmd: Command,
    cfg: &ClockConfig,
    today: Date,
) -> ComplaintResult<Status> {
    let db = &app.db;
    // The request's Idempotency-Key claim (API), if any, commits with this transaction.
    let mut tx = app.begin().await?;
    let c = store::lock(&mut tx, id)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if !can_read(db, actor, &c).await? {
        return Err(ComplaintError::NotFound);
    }
    may_act(actor, &c, cmd.action())?;
    let who = Who {
        ctx,
        label: &actor.user.display_name,
    };
    let mut on = On {
        tx: &mut tx,
        c: &c,
        who: &who,
        cfg,
        today,
    };
    let status = match cmd {
        Command::Dispatch { note } => on.dispatch(&note).await?,
        Command::StartFollowUp => {
            on.change(Transition::plain(Action::StartFollowUp, ""))
                .await?
        }
        Command::Answer { body } => on.answer(&body).await?,
        Command::Reject { reason } => on.reject(&reason).await?,
        Command::Reroute { to_agency_id, note } => on.reroute(to_agency_id, &note).await?,
        Command::MarkDuplicate { original_id } => on.mark_duplicate(original_id).await?,
        Command::Note { body } => on.note(&body).await?,
        Command::Assign { user_id } => on.assign(user_id).await?,
        Command::Classify {
            category,
            village_code,
        } => {
            classify(on.tx, &c, &who, &category, &village_code, cfg, today).await?;
            status_of(&c)
        }
        Command::Hide { reason } => on.hide(&reason).await?,
        Command::Redact { public_text } => on.redact(&public_text).await?,
        Command::HidePhoto { photo_id } => on.hide_photo(photo_id).await?,
        Command::RequestMoreInfo { body } => {
            let body = required(&body, "Permintaan keterangan", "The request")?;
            request_more_info(on.tx, db, &c, &who, &body, cfg).await?
        }
    };
    tx.commit().await?;
    Ok(status)
}

/// The report an action works on, in its transaction.
struct On<'t, 'a> {
    tx: &'t mut Tx,
    c: &'a Complaint,
    who: &'a Who<'a>,
    cfg: &'a ClockConfig,
    today: Date,
}

impl On<'_, '_> {
    async fn change(&mut self, t: Transition<'_>) -> ComplaintResult<Status> {
        transition(self.tx, self.c, self.who, t, self.cfg, self.today).await
    }

    /// Nothing but an internal entry: the status stays.
    async fn internal(
        &mut self,
        kind: Internal,
        body: &str,
        summary: serde_json::Value,
    ) -> ComplaintResult<Status> {
        internal_event(self.tx, self.c, self.who, kind, body, summary).await?;
        Ok(status_of(self.c))
    }

    async fn dispatch(&mut self, note: &str) -> ComplaintResult<Status> {
        if self.c.agency_id.is_none() {
            return Err(ComplaintError::NoAgency);
        }
        self.change(Transition::plain(Action::Dispatch, note.trim()))
            .await
    }

    async fn answer(&mut self, body: &str) -> ComplaintResult<Status> {
        let body = required(body, "Jawaban", "An answer")?;
        self.change(Transition::plain(Action::Answer, &body)).await
    }

    async fn reject(&mut self, reason: &str) -> ComplaintResult<Status> {
        let reason = required(reason, "Alasan penolakan", "A reason")?;
        self.change(Transition {
            reject_reason: Some(&reason),
            ..Transition::plain(Action::Reject, &reason)
        })
        .await
    }

    async fn reroute(&mut self, to_agency_id: i64, note: &str) -> ComplaintResult<Status> {
        let to = store::agency_in_tx(self.tx, to_agency_id)
            .await?
            .ok_or(ComplaintError::UnknownAgency)?;
        if Some(to.id) == self.c.agency_id {
            return Err(ComplaintError::SameAgency);
        }
        // Only to an agency serving the report's region (its reporter's data goes with it).
        let village = self.c.village_code.as_deref().unwrap_or("");
        if !serves(&to.region_code, village) {
            return Err(ComplaintError::AgencyOutOfRegion);
        }
        let body = format!("Dialihkan ke {}. {}", to.name, note.trim());
        self.change(Transition {
            agency_id: Some(to.id),
            ..Transition::plain(Action::Reroute, body.trim())
        })
        .await
    }

    async fn mark_duplicate(&mut self, original_id: ComplaintId) -> ComplaintResult<Status> {
        let orig = store::lock(self.tx, original_id)
            .await?
            // Only a report of the same agency: another agency's reports are not found.
            .filter(|o| o.agency_id == self.c.agency_id)
            .ok_or(ComplaintError::NotFound)?;
        if orig.id == self.c.id || orig.status == Status::Duplicate.as_str() {
            return Err(ComplaintError::BadOriginal);
        }
        // The public timeline names the original by its public number, never its code.
        let body = format!("Digabung dengan laporan #{}.", orig.id);
        self.change(Transition {
            duplicate_of: Some(orig.id),
            ..Transition::plain(Action::MarkDuplicate, &body)
        })
        .await
    }

    async fn note(&mut self, body: &str) -> ComplaintResult<Status> {
        let body = required(body, "Catatan", "A note")?;
        self.internal(Internal::Note, &body, json!({})).await
    }

    async fn assign(&mut self, user_id: Option<i64>) -> ComplaintResult<Status> {
        let agency = self.c.agency_id.ok_or(ComplaintError::Forbidden)?;
        if let Some(u) = user_id {
            if !store::user_in_agency(self.tx, u, agency).await? {
                return Err(ComplaintError::BadAssignee);
            }
        }
        store::set_assignee(self.tx, self.c.id, user_id).await?;
        self.internal(Internal::Assigned, "", json!({ "user_id": user_id }))
            .await
    }

    async fn hide(&mut self, reason: &str) -> ComplaintResult<Status> {
        let reason = required(reason, "Alasan", "A reason")?;
        store::set_hidden(self.tx, self.c.id, true).await?;
        self.internal(Internal::Hidden, &reason, json!({})).await
    }

    async fn redact(&mut self, public_text: &str) -> ComplaintResult<Status> {
        let text = required(public_text, "Teks publik", "The public text")?;
        store::set_public_description(self.tx, self.c.id, &text).await?;
        self.internal(Internal::Redacted, "", json!({})).await
    }

    async fn hide_photo(&mut self, photo_id: i64) -> ComplaintResult<Status> {
        if store::hide_photo(self.tx, self.c.id, photo_id).await? == 0 {
            return Err(ComplaintError::NotFound);
        }
        self.internal(Internal::PhotoHidden, "", json!({ "photo_id": photo_id }))
            .await
    }
}

//! An official's workflow step on an application (take, release, request correction, approve,
//! mark ready, complete, reject), in one transaction with its history row, audit event, clock
//! change and the applicant's notification.

use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::ids::ApplicationId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde_json::json;

use super::notify;
use crate::domain::access::{is_supervisor, sees, works_stage};
use crate::domain::audit as actions;
use crate::domain::permissions::{approves_own_filing, may, StaffAction};
use crate::domain::service::{CLOCK_KIND, CLOCK_PURPOSE};
use crate::domain::workflow::{self, Action, By, Stage, Status, WorkState};
use crate::errors::{CivilRegistryError, CrResult};
use crate::store::{self, ApplicationRow, StateChange};

/// Parse an action posted by a form or the API (a reason is cut to 1,000 characters).
pub fn parse_action(name: &str, reason: Option<&str>) -> CrResult<Action> {
    let reason = reason
        .unwrap_or("")
        .trim()
        .chars()
        .take(1000)
        .collect::<String>();
    Action::parse_official(name, reason).ok_or(CivilRegistryError::UnknownAction)
}

/// The applicant's message about a new status.
fn status_message(row: &ApplicationRow, to: Status, note: Option<&str>) -> (String, String) {
    let subject = format!("Permohonan {}: {}", row.tracking_code, to.label_id());
    let mut body = format!(
        "Status permohonan {} sekarang: {}.",
        row.tracking_code,
        to.label_id()
    );
    if let Some(n) = note {
        body.push_str(&format!(" Catatan petugas: {n}"));
    }
    if to == Status::NeedsCorrection {
        body.push_str(" Perbaiki melalui halaman lacak dengan kode lacak dan kode rahasia Anda.");
    }
    (subject, body)
}

/// May the actor take this step on the application in its current status? Their role must
/// allow the step ([`crate::domain::permissions`]) and their agency work its stage.
fn allowed(actor: &Actor, row: &ApplicationRow, from: Status, action: &Action) -> bool {
    let role_may = StaffAction::of(action).is_some_and(|a| may(actor.role, a));
    if !(actor.is_superadmin() || role_may) {
        return false;
    }
    let to = row.routing();
    match action {
        Action::Release => is_supervisor(actor) || row.assignee_user_id == Some(actor.user.id),
        Action::Complete => {
            works_stage(actor, to, Stage::Processing) || works_stage(actor, to, Stage::Verification)
        }
        _ => from
            .stage()
            .is_some_and(|stage| works_stage(actor, to, stage)),
    }
}

/// A decided step: what was asked, the status it was asked in, the state after it and the
/// official's note.
struct Step<'a> {
    action: &'a Action,
    from: Status,
    after: WorkState,
    note: Option<&'a str>,
}

/// Store the step: the state change (refused if someone changed the row meanwhile), the
/// clock, the history row and the audit event.
async fn store_step(
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: &Actor,
    row: &ApplicationRow,
    step: &Step<'_>,
) -> CrResult<()> {
    let Step {
        action,
        from,
        after,
        note,
    } = *step;
    let now = balai_core::db::now();
    let n = store::change_state(
        tx,
        &StateChange {
            id: row.app_id(),
            from_status: from.as_str(),
            from_assignee: row.assignee_user_id,
            to_status: after.status.as_str(),
            to_assignee: after.assignee,
            reason: note,
            completed_at: (after.status == Status::Completed).then_some(now),
            due_day: None,
        },
    )
    .await?;
    if n == 0 {
        return Err(CivilRegistryError::ChangedMeanwhile);
    }
    if after.status.stops_clock() {
        calendar::stop_clock(tx, CLOCK_KIND, &row.tracking_code, CLOCK_PURPOSE).await?;
    }
    let (id, to) = (row.app_id(), after.status.as_str());
    let user = &actor.user.username;
    store::insert_history(tx, id, action.name(), Some(from.as_str()), to, user, note).await?;
    audit::record(
        tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::of_action(action),
            target_kind: actions::TARGET_APPLICATION,
            target_id: row.tracking_code.clone(),
            region_code: Some(row.kelurahan_code.clone()),
            summary: json!({
                "from": from.as_str(), "to": after.status.as_str(),
                "assignee_before": row.assignee_user_id, "assignee_after": after.assignee,
                "reason": note,
            }),
        },
    )
    .await?;
    Ok(())
}

/// An official's step on an application.
pub async fn act(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: ApplicationId,
    action: Action,
) -> CrResult<Status> {
    actor.require_writer()?;
    let mut tx = ctx.begin().await?;
    let row = store::application_tx(&mut tx, id)
        .await?
        .ok_or(CivilRegistryError::NotFound)?;
    if !sees(actor, row.routing()) {
        return Err(CivilRegistryError::NotFound);
    }
    let from = row.state();
    if !allowed(actor, &row, from, &action) {
        return Err(CivilRegistryError::Forbidden);
    }
    if approves_own_filing(&action, row.filed_by_user_id, actor.user.id) {
        return Err(CivilRegistryError::OwnFiling);
    }
    let before = WorkState {
        status: from,
        assignee: row.assignee_user_id,
    };
    let by = By::Official {
        user_id: actor.user.id,
        supervisor: is_supervisor(actor),
    };
    let after = workflow::apply(before, &action, by)?;
    let note = match &action {
        Action::RequestCorrection { reason } | Action::Reject { reason } => {
            Some(reason.trim().to_string())
        }
        _ => None,
    };
    let step = Step {
        action: &action,
        from,
        after,
        note: note.as_deref(),
    };
    store_step(&mut tx, meta, actor, &row, &step).await?;
    if after.status != from {
        let (subject, body) = status_message(&row, after.status, note.as_deref());
        notify(
            &mut tx,
            row.contact_email.as_deref(),
            row.contact_phone.as_deref(),
            &subject,
            &body,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after.status)
}

//! Follow-up actions: added by the organiser, their progress updated by the organiser or the
//! owning agency.

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::{acts_for, audited, require};
use crate::domain::activity::{validate_followup, validate_progress, FollowUpDraft};
use crate::domain::audit as actions;
use crate::domain::invalid::Invalid;
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::{activities, agencies, followups};

pub async fn add(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    activity_id: i64,
    draft: &FollowUpDraft,
) -> PResult<i64> {
    require(actor, Action::RecordActivity)?;
    let f = validate_followup(draft)?;
    let mut tx = ctx.begin().await?;
    let Some(a) = activities::lock(&mut tx, activity_id).await? else {
        return Err(ParticipationError::NotFound);
    };
    if !acts_for(actor, a.organiser_agency_id) {
        return Err(ParticipationError::Forbidden);
    }
    crate::domain::withdrawal::still_open(a.withdrawn())?;
    if let Some(owner) = f.owner_agency_id {
        if agencies::by_ids_tx(&mut tx, &[owner]).await?.is_empty() {
            return Err(Invalid::UnknownAgency(owner).into());
        }
    }
    let id = followups::insert(&mut tx, activity_id, &f).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::FOLLOWUP_ADDED,
            target_kind: actions::TARGET_FOLLOWUP,
            target_id: id.to_string(),
            region_code: Some(a.region_code.clone()),
            summary: json!({
                "activity_id": activity_id, "action": f.action, "owner": f.owner,
                "due_on": f.due_on.to_string(), "progress": f.progress,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    activity_id: i64,
    followup_id: i64,
    progress: i64,
    note: &str,
) -> PResult<()> {
    require(actor, Action::UpdateFollowUp)?;
    let (progress, note) = validate_progress(progress, note)?;
    let mut tx = ctx.begin().await?;
    let Some(f) = followups::lock(&mut tx, followup_id)
        .await?
        .filter(|f| f.activity_id == activity_id)
    else {
        return Err(ParticipationError::NotFound);
    };
    let Some(a) = activities::lock(&mut tx, f.activity_id).await? else {
        return Err(ParticipationError::NotFound);
    };
    if !acts_for(actor, a.organiser_agency_id) && !acts_for(actor, f.owner_agency_id) {
        return Err(ParticipationError::Forbidden);
    }
    crate::domain::withdrawal::still_open(a.withdrawn())?;
    followups::set_progress(&mut tx, followup_id, progress, note.as_deref()).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::FOLLOWUP_UPDATED,
            target_kind: actions::TARGET_FOLLOWUP,
            target_id: followup_id.to_string(),
            region_code: Some(a.region_code.clone()),
            summary: json!({ "from": f.progress, "to": progress, "note": note }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

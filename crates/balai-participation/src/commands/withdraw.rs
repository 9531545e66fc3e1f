//! Withdraw (cancel) a recorded activity: an official of its organiser, with a reason, once.
//! The activity is kept and shown as cancelled; the reason goes into its public history and
//! the audit trail in the same transaction.

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::{acts_for, audited, by, require};
use crate::domain::audit as actions;
use crate::domain::invalid::Invalid;
use crate::domain::permissions::Action;
use crate::domain::withdrawal;
use crate::errors::{PResult, ParticipationError};
use crate::store::{activities, changes};

pub async fn withdraw(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    activity_id: i64,
    reason: &str,
) -> PResult<()> {
    let reason = withdrawal::reason(reason)?;
    require(actor, Action::RecordActivity)?;
    let mut tx = ctx.begin().await?;
    let Some(a) = activities::lock(&mut tx, activity_id).await? else {
        return Err(ParticipationError::NotFound);
    };
    if !acts_for(actor, a.organiser_agency_id) {
        return Err(ParticipationError::Forbidden);
    }
    withdrawal::still_open(a.withdrawn())?;
    let agency = super::edit::editor(actor);
    if activities::withdraw(&mut tx, activity_id, &reason, (by(actor), agency.as_str())).await? == 0
    {
        return Err(Invalid::Withdrawn.into());
    }
    changes::insert(
        &mut tx,
        (actions::TARGET_ACTIVITY, activity_id),
        (by(actor), agency.as_str()),
        (
            &json!({ "withdrawn_reason": "" }),
            &json!({ "withdrawn_reason": reason }),
        ),
    )
    .await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::ACTIVITY_WITHDRAWN,
            target_kind: actions::TARGET_ACTIVITY,
            target_id: activity_id.to_string(),
            region_code: Some(a.region_code.clone()),
            summary: json!({
                "title": a.title,
                "date": a.day.to_string(),
                "reason": reason,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

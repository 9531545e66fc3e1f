//! Forums: created by an agency for a region it covers; members kept by that agency.

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::{acts_for, audited, by, require};
use crate::domain::access::covers;
use crate::domain::audit as actions;
use crate::domain::forum::{validate, validate_member, ForumDraft, MemberDraft};
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::forums;

pub async fn create(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    draft: &ForumDraft,
) -> PResult<i64> {
    let f = validate(draft)?;
    require(actor, Action::KeepForum)?;
    if let Some(g) = &actor.agency {
        if !actor.is_superadmin() && !covers(&g.region_code, f.region.as_str()) {
            return Err(ParticipationError::Forbidden);
        }
    }
    let mut tx = ctx.begin().await?;
    if !balai_core::regions::exists_in_tx(&mut tx, f.region.as_str()).await? {
        return Err(ParticipationError::UnknownRegion);
    }
    let id = forums::insert(&mut tx, &f, by(actor)).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::FORUM_CREATED,
            target_kind: actions::TARGET_FORUM,
            target_id: id.to_string(),
            region_code: Some(f.region.as_str().to_string()),
            summary: json!({ "name": f.name, "kind": f.kind.as_str() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_member(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    forum_id: i64,
    draft: &MemberDraft,
) -> PResult<i64> {
    require(actor, Action::KeepForum)?;
    let m = validate_member(draft)?;
    let mut tx = ctx.begin().await?;
    let Some(f) = forums::lock(&mut tx, forum_id).await? else {
        return Err(ParticipationError::NotFound);
    };
    if !acts_for(actor, f.agency_id) {
        return Err(ParticipationError::Forbidden);
    }
    let id = forums::add_member(&mut tx, forum_id, &m).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::FORUM_MEMBER_ADDED,
            target_kind: actions::TARGET_FORUM,
            target_id: forum_id.to_string(),
            region_code: Some(f.region_code.clone()),
            summary: json!({
                "person": m.person, "organisation": m.organisation, "position": m.position,
                "from": m.from.to_string(), "to": m.to.map(|d| d.to_string()),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

//! Minutes: the organiser writes a draft (each new text is a new version); every attending
//! agency and the organiser approve the current version; with the last approval they are
//! published, and only then does the public see them.

use std::collections::BTreeSet;

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::{acts_for, agency_id, audited, require};
use crate::domain::activity::validate_minutes;
use crate::domain::audit as actions;
use crate::domain::invalid::Invalid;
use crate::domain::minutes::{approvers, complete, MinutesStatus};
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::activities;

/// Write (or rewrite) the draft; returns its version.
pub async fn draft(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    activity_id: i64,
    text: &str,
) -> PResult<i64> {
    require(actor, Action::RecordActivity)?;
    let text = validate_minutes(text)?;
    let mut tx = ctx.begin().await?;
    let Some(a) = activities::lock(&mut tx, activity_id).await? else {
        return Err(ParticipationError::NotFound);
    };
    if !acts_for(actor, a.organiser_agency_id) {
        return Err(ParticipationError::Forbidden);
    }
    crate::domain::withdrawal::still_open(a.withdrawn())?;
    if MinutesStatus::parse(&a.minutes_status) == MinutesStatus::Published {
        return Err(Invalid::AlreadyPublished.into());
    }
    let version = a.minutes_version + 1;
    activities::set_minutes(&mut tx, activity_id, &text, MinutesStatus::Draft, version).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::MINUTES_DRAFTED,
            target_kind: actions::TARGET_ACTIVITY,
            target_id: activity_id.to_string(),
            region_code: Some(a.region_code.clone()),
            summary: json!({ "version": version, "characters": text.chars().count() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Approve the current draft for the official's agency; returns the minutes' status after it.
pub async fn approve(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    activity_id: i64,
) -> PResult<MinutesStatus> {
    require(actor, Action::ApproveMinutes)?;
    let mut tx = ctx.begin().await?;
    let Some(a) = activities::lock(&mut tx, activity_id).await? else {
        return Err(ParticipationError::NotFound);
    };
    let attending = activities::attending_agencies(&mut tx, activity_id).await?;
    let required = approvers(a.organiser_agency_id, &attending);
    let mine: Vec<i64> = if actor.is_superadmin() {
        required.iter().copied().collect()
    } else {
        agency_id(actor)
            .filter(|id| required.contains(id))
            .into_iter()
            .collect()
    };
    if mine.is_empty() && !actor.is_superadmin() {
        return Err(ParticipationError::Forbidden);
    }
    crate::domain::withdrawal::still_open(a.withdrawn())?;
    match MinutesStatus::parse(&a.minutes_status) {
        MinutesStatus::Published => return Err(Invalid::AlreadyPublished.into()),
        MinutesStatus::None => return Err(Invalid::NoDraft.into()),
        MinutesStatus::Draft => {}
    }
    let version = a.minutes_version;
    for agency in &mine {
        activities::approve(&mut tx, activity_id, *agency, version, actor.user.id).await?;
    }
    let region = Some(a.region_code.clone());
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::MINUTES_APPROVED,
            target_kind: actions::TARGET_ACTIVITY,
            target_id: activity_id.to_string(),
            region_code: region.clone(),
            summary: json!({ "version": version, "agencies": mine }),
        },
    )
    .await?;
    let approved: BTreeSet<i64> = activities::approvals(&mut tx, activity_id, version)
        .await?
        .into_iter()
        .collect();
    let status = if complete(&required, &approved) {
        activities::publish_minutes(&mut tx, activity_id).await?;
        audited(
            &mut tx,
            meta,
            actor,
            AuditEvent {
                action: actions::MINUTES_PUBLISHED,
                target_kind: actions::TARGET_ACTIVITY,
                target_id: activity_id.to_string(),
                region_code: region,
                summary: json!({ "version": version, "approved_by": approved }),
            },
        )
        .await?;
        MinutesStatus::Published
    } else {
        MinutesStatus::Draft
    };
    tx.commit().await?;
    Ok(status)
}

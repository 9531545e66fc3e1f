//! Who attended a session: ticked off from the roster of the session's region (the list sent
//! replaces the recorded one), or imported as CSV (added to it). Each name must be on the
//! roster; otherwise nothing is stored.

use std::collections::HashSet;

use balai_core::audit::{self, AuditEvent};
use balai_core::identity::Actor;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::access::may_read_training;
use crate::domain::audit as actions;
use crate::domain::permissions::{may_train, TrainingAction};
use crate::domain::training::{parse_officers_csv, Body, TrainingError, MAX_BATCH};
use crate::domain::TrainingId;
use crate::errors::{SopError, SopResult};
use crate::store::training::{self as rows, OfficerRow, TrainingRow};

/// The officers who attended (the whole list: it replaces the one recorded).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    #[schema(max_items = 5000, value_type = Vec<i64>)]
    pub officer_ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceRecorded {
    /// Officers recorded as attending now.
    pub attended: u64,
    /// Of them, added by this request.
    pub added: u64,
}

/// The session, which the actor's agency holds and may record attendance for.
async fn held(
    tx: &mut Tx,
    actor: &Actor,
    id: TrainingId,
) -> SopResult<(TrainingRow, Vec<OfficerRow>)> {
    let t = rows::training_tx(tx, id.get())
        .await?
        .ok_or(SopError::NotFound)?;
    let own = actor.is_superadmin()
        || (actor.agency.as_ref().is_some_and(|a| a.id == t.agency_id)
            && may_train(actor.role, TrainingAction::RecordAttendance));
    if !own {
        return Err(if may_read_training(actor, &t.region_code, t.agency_id) {
            SopError::Forbidden
        } else {
            SopError::NotFound
        });
    }
    let roster = rows::officers_under_tx(tx, &t.region_code).await?;
    Ok((t, roster))
}

async fn record(
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: &Actor,
    action: &str,
    t: &TrainingRow,
    summary: serde_json::Value,
) -> SopResult<()> {
    audit::record(
        tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action,
            target_kind: actions::TARGET_TRAINING,
            target_id: t.id.to_string(),
            region_code: Some(t.region_code.clone()),
            summary,
        },
    )
    .await?;
    Ok(())
}

/// Replace the session's attendance by the officers ticked off.
pub async fn set(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: TrainingId,
    input: &AttendanceInput,
) -> SopResult<AttendanceRecorded> {
    if input.officer_ids.len() > MAX_BATCH {
        return Err(TrainingError::BatchSize.into());
    }
    let mut tx = ctx.begin().await?;
    let (t, roster) = held(&mut tx, actor, id).await?;
    let known: HashSet<i64> = roster.iter().map(|o| o.id).collect();
    let mut ids: Vec<i64> = Vec::new();
    for o in &input.officer_ids {
        if !known.contains(o) {
            return Err(SopError::UnknownOfficer(o.to_string()));
        }
        if !ids.contains(o) {
            ids.push(*o);
        }
    }
    let before: HashSet<i64> = rows::attendance_tx(&mut tx, t.id)
        .await?
        .into_iter()
        .collect();
    rows::clear_attendance(&mut tx, t.id).await?;
    rows::add_attendance(&mut tx, t.id, &ids).await?;
    let added = ids.iter().filter(|o| !before.contains(o)).count() as u64;
    let attended = ids.len() as u64;
    record(
        &mut tx,
        meta,
        actor,
        actions::ATTENDANCE_SET,
        &t,
        json!({ "attended": attended, "added": added,
            "removed": before.iter().filter(|o| !ids.contains(o)).count() }),
    )
    .await?;
    tx.commit().await?;
    Ok(AttendanceRecorded { attended, added })
}

/// Add the officers a CSV lists (`body,region_code,name`, matched to the roster by all three,
/// the name's case ignored).
pub async fn import(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: TrainingId,
    csv: &str,
) -> SopResult<AttendanceRecorded> {
    let entries = parse_officers_csv(csv)?;
    if entries.is_empty() {
        return Err(TrainingError::BatchSize.into());
    }
    let mut tx = ctx.begin().await?;
    let (t, roster) = held(&mut tx, actor, id).await?;
    let mut ids = Vec::new();
    for e in &entries {
        let name = e.name.trim();
        let found = roster.iter().find(|o| {
            Body::parse(&o.body) == Some(e.body)
                && o.region_code == e.region_code.trim()
                && o.name.to_lowercase() == name.to_lowercase()
        });
        match found {
            Some(o) => ids.push(o.id),
            None => {
                return Err(SopError::UnknownOfficer(format!(
                    "{name} ({}, {})",
                    e.body.as_str().to_uppercase(),
                    e.region_code.trim()
                )))
            }
        }
    }
    let added = rows::add_attendance(&mut tx, t.id, &ids).await?;
    let attended = rows::attendance_tx(&mut tx, t.id).await?.len() as u64;
    record(
        &mut tx,
        meta,
        actor,
        actions::ATTENDANCE_IMPORT,
        &t,
        json!({ "rows": entries.len(), "added": added, "attended": attended }),
    )
    .await?;
    tx.commit().await?;
    Ok(AttendanceRecorded { attended, added })
}

//! The PPID keeps a request, or only its answers, out of public view, with a written reason:
//! the marking, its audit event and the search index's change in one transaction, so the
//! request leaves the public page, the archive, the search and every list at once.

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use crate::domain::access::{may_act, sees};
use crate::domain::audit as actions;
use crate::domain::intake::{reason, ReasonField};
use crate::domain::permissions::StaffAction;
use crate::domain::privacy::PrivatePart;
use crate::errors::{InfoResult, InformationError};
use crate::store;
use crate::RequestId;

/// A checked marking: which part, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MakePrivate {
    pub part: PrivatePart,
    pub reason: String,
}

/// Check what was posted: the part (`request` when not named) and the reason (10+ characters).
pub fn parse(part: Option<&str>, why: Option<&str>) -> InfoResult<MakePrivate> {
    let part = PrivatePart::parse(part).ok_or(InformationError::BadPrivatePart)?;
    Ok(MakePrivate {
        part,
        reason: reason(why, ReasonField::Reason)?,
    })
}

/// Mark the request's part private; returns the request's status (unchanged).
pub async fn make_private(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: RequestId,
    m: &MakePrivate,
) -> InfoResult<String> {
    let row = store::requests::get(&ctx.db, id)
        .await?
        .ok_or(InformationError::NotFound)?;
    if !actor.is_superadmin() && !sees(actor, row.agency_id) {
        return Err(InformationError::NotFound);
    }
    if !may_act(actor, row.agency_id, StaffAction::MakePrivate) {
        return Err(InformationError::Forbidden);
    }
    let mut tx = ctx.begin().await?;
    let whole = m.part == PrivatePart::Request;
    if !store::requests::set_private(&mut tx, id, whole, &m.reason).await? {
        return Err(InformationError::AlreadyPrivate);
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::MAKE_PRIVATE,
            target_kind: actions::TARGET_REQUEST,
            target_id: id.to_string(),
            region_code: Some(row.agency_region.clone()),
            summary: json!({"part": m.part.as_str(), "agency_id": row.agency_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.status)
}

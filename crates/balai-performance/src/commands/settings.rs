//! A unit's admin sets its element weights (summing to exactly 1) and, where Balai has no
//! record of each visit, the number of service users of a month (for the sample size).

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use crate::domain::audit as actions;
use crate::domain::ikm::Weights;
use crate::domain::period;
use crate::domain::permissions::{acts_for, PerfAction};
use crate::errors::{PerfResult, PerformanceError};
use crate::store::settings;

/// The most service users a month may be given.
pub const MAX_USERS: i64 = 10_000_000;

pub async fn set_weights<S: AsRef<str>>(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    items: &[S],
) -> PerfResult<Weights> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::ManageSettings) {
        return Err(PerformanceError::Forbidden);
    }
    let w = Weights::parse(items)?;
    let before = settings::weights(&ctx.db, agency_id).await?;
    let mut tx = ctx.begin().await?;
    settings::set_weights(&mut tx, agency_id, &w).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::SETTINGS_UPDATE,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "weights": w.to_text(), "before": before.to_text() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(w)
}

pub async fn set_service_users(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    month: &str,
    users: i64,
) -> PerfResult<()> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::ManageSettings) {
        return Err(PerformanceError::Forbidden);
    }
    let (first, _) = period::parse_month(month).ok_or(PerformanceError::BadMonth)?;
    if !(0..=MAX_USERS).contains(&users) {
        return Err(PerformanceError::BadUsers);
    }
    let month = period::month_key(first);
    let mut tx = ctx.begin().await?;
    settings::set_service_users(&mut tx, agency_id, &month, users).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::SETTINGS_UPDATE,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "service_users": { "month": month, "users": users } }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

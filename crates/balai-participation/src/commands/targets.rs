//! Set an election's turnout targets from CSV (`region_code,target_percent`): the KPU of the
//! region (admin or supervisor). The rows replace the election's targets inside the region
//! the KPU serves (the election's region for a super-admin); all or nothing.

use balai_core::audit::AuditEvent;
use balai_core::regions::RegionCode;
use balai_core::turnout::{ElectionFacts, Turnouts};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::AppError;
use serde_json::json;

use super::authorize::{audited, by, require};
use crate::domain::access::{covers, sets_targets};
use crate::domain::audit as actions;
use crate::domain::permissions::Action;
use crate::domain::targets::{self, hundredths_text, Target};
use crate::errors::{PResult, ParticipationError};

/// The elections' turnout source the binary registered.
pub fn source(ctx: &AppCtx) -> PResult<Turnouts> {
    ctx.ext.get::<Turnouts>().cloned().ok_or_else(|| {
        ParticipationError::Core(AppError::internal(anyhow::anyhow!(
            "no turnout source registered"
        )))
    })
}

/// The election, or 404.
pub async fn election(ctx: &AppCtx, id: i64) -> PResult<ElectionFacts> {
    source(ctx)?
        .0
        .election(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)
}

pub async fn set(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    election_id: i64,
    csv: &str,
) -> PResult<Vec<Target>> {
    let e = election(ctx, election_id).await?;
    require(actor, Action::SetTargets)?;
    let scope = match &actor.agency {
        _ if actor.is_superadmin() => e.region_code.clone(),
        Some(g) if sets_targets(&g.kind) => {
            if covers(&g.region_code, &e.region_code) {
                e.region_code.clone()
            } else if covers(&e.region_code, &g.region_code) {
                g.region_code.clone()
            } else {
                return Err(ParticipationError::Forbidden);
            }
        }
        _ => return Err(ParticipationError::Forbidden),
    };
    let rows = targets::parse(csv).map_err(ParticipationError::Csv)?;
    let election_region = RegionCode::parse(&e.region_code).map_err(AppError::from)?;
    if let Some(out) = rows
        .iter()
        .find(|t| !election_region.contains(t.region.as_str()))
    {
        return Err(ParticipationError::OutsideElection(out.region.to_string()));
    }
    if rows.iter().any(|t| !covers(&scope, t.region.as_str())) {
        return Err(ParticipationError::Forbidden);
    }
    let mut tx = ctx.begin().await?;
    for t in &rows {
        if !balai_core::regions::exists_in_tx(&mut tx, t.region.as_str()).await? {
            return Err(ParticipationError::UnknownRegion);
        }
    }
    let replaced =
        crate::store::targets::replace_under(&mut tx, e.id, &scope, &rows, by(actor)).await?;
    audited(
        &mut tx,
        meta,
        actor,
        AuditEvent {
            action: actions::TARGETS_SET,
            target_kind: actions::TARGET_ELECTION,
            target_id: e.id.to_string(),
            region_code: Some(scope.clone()),
            summary: json!({
                "replaced": replaced,
                "targets": rows.iter()
                    .map(|t| json!({"region_code": t.region.as_str(), "target_percent": hundredths_text(t.hundredths)}))
                    .collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(rows)
}

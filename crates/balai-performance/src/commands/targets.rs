//! A unit's admin sets the target of one of its KPIs (a share in percent, a count, working
//! days), or of its satisfaction index.

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use crate::domain::audit as actions;
use crate::domain::kpi::parse_target;
use crate::domain::permissions::{acts_for, PerfAction};
use crate::errors::{PerfResult, PerformanceError};
use crate::store::targets;

/// A KPI key as the sources write them: `feature.figure`, lower case, at most 80 characters.
pub fn valid_key(k: &str) -> bool {
    k.len() <= 80
        && k.split('.').count() >= 2
        && k.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
}

pub async fn set_target(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    kpi: &str,
    target: &str,
) -> PerfResult<i64> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::SetTargets) {
        return Err(PerformanceError::Forbidden);
    }
    if !valid_key(kpi) {
        return Err(PerformanceError::BadKpi);
    }
    let value = parse_target(target).ok_or(PerformanceError::BadTarget)?;
    let mut tx = ctx.begin().await?;
    targets::set(&mut tx, agency_id, kpi, value).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::TARGET_SET,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "kpi": kpi, "target_hundredths": value }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(valid_key("complaints.answered_on_time"));
        assert!(valid_key("performance.ikm"));
        assert!(!valid_key("ikm"));
        assert!(!valid_key("Complaints.x"));
        assert!(!valid_key("a.b; DROP"));
    }
}

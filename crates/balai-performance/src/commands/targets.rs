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
    let set = set_targets(
        ctx,
        meta,
        actor,
        agency_id,
        &[(kpi.to_string(), target.to_string())],
    )
    .await?;
    Ok(set.first().map_or(0, |s| s.1))
}

/// Several targets of one unit at once (the officials' form): every key and value is checked
/// before anything is written, then all are stored in one transaction, each audited. Returns
/// the targets stored, in hundredths.
pub async fn set_targets(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    items: &[(String, String)],
) -> PerfResult<Vec<(String, i64)>> {
    let unit = super::unit(&ctx.db, agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::SetTargets) {
        return Err(PerformanceError::Forbidden);
    }
    let mut checked = Vec::with_capacity(items.len());
    for (kpi, target) in items {
        if !valid_key(kpi) {
            return Err(PerformanceError::BadKpi);
        }
        let value = parse_target(target).ok_or(PerformanceError::BadTarget)?;
        checked.push((kpi.clone(), value));
    }
    if checked.is_empty() {
        return Ok(checked);
    }
    let mut tx = ctx.begin().await?;
    for (kpi, value) in &checked {
        targets::set(&mut tx, agency_id, kpi, *value).await?;
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
    }
    tx.commit().await?;
    Ok(checked)
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

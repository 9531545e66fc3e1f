//! A Disdukcapil admin switches services on and off for their agency.

use std::collections::HashMap;

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use crate::domain::access::may_manage_offerings;
use crate::domain::audit as actions;
use crate::errors::{CivilRegistryError, CrResult};
use crate::store::{self, offerings};

/// Save the offered services of one Disdukcapil: checkbox `svc_<code>` ticked = offered.
pub async fn save(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency_id: AgencyId,
    form: &HashMap<String, String>,
) -> CrResult<()> {
    let agency = balai_core::accounts::get_agency(&ctx.db, agency_id.get())
        .await?
        .ok_or(CivilRegistryError::NotFound)?;
    if !may_manage_offerings(actor, &agency) {
        return Err(CivilRegistryError::Forbidden);
    }
    let services: Vec<_> = store::list_services(&ctx.db)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let before = offerings::withdrawn(&ctx.db, agency_id).await?;
    let mut offered = Vec::new();
    let mut withdrawn = Vec::new();
    let mut tx = ctx.begin().await?;
    for s in &services {
        let on = form.contains_key(&format!("svc_{}", s.code));
        offerings::set_offered(&mut tx, agency_id, &s.code, on).await?;
        if on {
            offered.push(s.code.clone());
        } else {
            withdrawn.push(s.code.clone());
        }
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::OFFERINGS_UPDATE,
            target_kind: actions::TARGET_AGENCY,
            target_id: agency_id.to_string(),
            region_code: Some(agency.region_code.clone()),
            summary: json!({ "offered": offered, "withdrawn": withdrawn,
                "withdrawn_before": before }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

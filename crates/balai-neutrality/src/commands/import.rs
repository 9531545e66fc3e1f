//! Import appointments of one appointing government from CSV: all or nothing. Every row is
//! checked first (problems reported with their lines, nothing stored); then every row is stored
//! with its flags and audited, in one transaction.

use balai_core::audit::{self, AuditEvent};
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use super::record::{event, recorded_by, store_one, Recorded};
use crate::domain::audit as actions;
use crate::domain::csv;
use crate::domain::permissions::Action;
use crate::errors::{NResult, NeutralityError};
use crate::store::appointments::Source;

pub async fn import(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    region: &str,
    text: &str,
) -> NResult<Vec<Recorded>> {
    let code = RegionCode::parse(region.trim())
        .map_err(|_| NeutralityError::Invalid(crate::domain::appointment::Invalid::BadRegion))?;
    require(actor, &code, Action::ImportAppointments)?;
    let rows = csv::parse(text, code.as_str(), super::today()).map_err(NeutralityError::Csv)?;
    let mut tx = ctx.begin().await?;
    if !balai_core::regions::exists_in_tx(&mut tx, code.as_str()).await? {
        return Err(NeutralityError::UnknownRegion);
    }
    let audit_ctx = meta.audit(Some(actor));
    let mut done = Vec::with_capacity(rows.len());
    for a in &rows {
        let r = store_one(&mut tx, a, Source::Csv, recorded_by(actor)).await?;
        audit::record(&mut tx, &audit_ctx, event(a, &r, Source::Csv)).await?;
        done.push(r);
    }
    audit::record(
        &mut tx,
        &audit_ctx,
        AuditEvent {
            action: actions::APPOINTMENTS_IMPORTED,
            target_kind: actions::TARGET_REGION,
            target_id: code.as_str().to_string(),
            region_code: Some(code.as_str().to_string()),
            summary: json!({
                "rows": done.len(),
                "flagged": done.iter().filter(|r| !r.flags.is_empty()).count(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

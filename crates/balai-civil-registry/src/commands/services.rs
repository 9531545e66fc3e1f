//! A super-admin edits a service of the catalogue (shared by every region): service standard,
//! fee, late-registration limit, checklist, open or closed.

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use crate::domain::audit as actions;
use crate::domain::service::parse_checklist;
use crate::errors::{CivilRegistryError, CrResult};
use crate::store;

/// The catalogue form, as text.
#[derive(Debug, serde::Deserialize)]
pub struct ServiceForm {
    standard_days: String,
    fee_rupiah: String,
    #[serde(default)]
    late_after_days: String,
    requirements: String,
    #[serde(default)]
    active: Option<String>,
}

/// A whole number from 0 to 100,000,000; `what_id` / `what_en` name the field.
fn number(s: &str, what_id: &'static str, what_en: &'static str) -> CrResult<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=100_000_000).contains(n))
        .ok_or(CivilRegistryError::BadNumber { what_id, what_en })
}

pub async fn update(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    code: &str,
    f: &ServiceForm,
) -> CrResult<()> {
    actor.require_superadmin()?;
    let standard_days = number(&f.standard_days, "Standar waktu", "Service standard")?;
    let fee = number(&f.fee_rupiah, "Biaya", "Fee")?;
    let late = match f.late_after_days.trim() {
        "" => None,
        s => Some(number(s, "Batas pelaporan", "Reporting limit")?),
    };
    let reqs = parse_checklist(&f.requirements).map_err(CivilRegistryError::BadChecklist)?;
    let json_text = serde_json::to_string(&reqs).map_err(anyhow::Error::from)?;
    let mut tx = ctx.begin().await?;
    let n = store::update_service(
        &mut tx,
        code,
        &store::ServiceUpdate {
            standard_days,
            fee_rupiah: fee,
            late_after_days: late,
            requirements_json: &json_text,
            active: f.active.is_some(),
        },
    )
    .await?;
    if n == 0 {
        return Err(CivilRegistryError::NotFound);
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::SERVICE_UPDATE,
            target_kind: actions::TARGET_SERVICE,
            target_id: code.to_string(),
            region_code: None,
            summary: json!({ "standard_days": standard_days, "fee_rupiah": fee,
                "late_after_days": late, "requirements": reqs.len(), "active": f.active.is_some() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

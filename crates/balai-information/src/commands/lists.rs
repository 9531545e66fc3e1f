//! A PPID officer adds or changes an entry of their agency's Daftar Informasi Publik: checked,
//! stored and audited in one transaction. Another agency's list is answered as "not found".

use balai_core::accounts::{self, AgencyKind};
use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::today_at;
use crate::domain::access::{may_act, sees};
use crate::domain::audit as actions;
use crate::domain::dip::{self, RawEntry};
use crate::domain::permissions::StaffAction;
use crate::errors::{InfoResult, InformationError};
use crate::store::lists;

/// The PPID `agency`, if the actor may edit its list; its region.
async fn editable(ctx: &AppCtx, actor: &Actor, agency: AgencyId) -> InfoResult<String> {
    let found = accounts::get_agency(&ctx.db, agency.get()).await?;
    let Some(a) = found.filter(|a| a.is(AgencyKind::Ppid)) else {
        return Err(InformationError::NotFound);
    };
    if !sees(actor, agency) {
        return Err(InformationError::NotFound);
    }
    if !may_act(actor, agency, StaffAction::EditList) {
        return Err(InformationError::Forbidden);
    }
    Ok(a.region_code)
}

/// Add an entry (`entry` = `None`) or change one of the agency's; returns its id.
pub async fn save(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    agency: AgencyId,
    entry: Option<i64>,
    raw: &RawEntry,
) -> InfoResult<i64> {
    let region = editable(ctx, actor, agency).await?;
    let checked = dip::check(raw, today_at(&region))?;
    let mut tx = ctx.begin().await?;
    let (id, action) = match entry {
        None => (
            lists::insert(&mut tx, agency, &checked).await?,
            actions::LIST_ADD,
        ),
        Some(id) => {
            if !lists::update(&mut tx, agency, id, &checked).await? {
                return Err(InformationError::NotFound);
            }
            (id, actions::LIST_EDIT)
        }
    };
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action,
            target_kind: actions::TARGET_LIST_ENTRY,
            target_id: id.to_string(),
            region_code: Some(region),
            summary: json!({
                "agency_id": agency, "category": checked.category.as_str(),
                "updated_on": checked.updated_on.to_string(),
                "documents": checked.documents.len(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

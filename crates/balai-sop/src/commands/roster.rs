//! A regency's or city's KPU keeps the roster of its officers: its own staff and the ad hoc
//! PPK, PPS and KPPS, who are not Balai users (DOMAIN.md §12, issue #26).

use balai_core::audit::{self, AuditEvent};
use balai_core::identity::Actor;
use balai_core::regions::{Level, RegionCode};
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::training::kpu_of;
use crate::domain::audit as actions;
use crate::domain::permissions::TrainingAction;
use crate::domain::training::{check_roster, OfficerEntry, TrainingError};
use crate::errors::{SopError, SopResult};
use crate::store::{self, training as rows};

/// Officers to add to a regency's roster.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterInput {
    /// The regency or city (PP.KK) whose roster it is.
    #[schema(pattern = r"^[0-9]{2}\.[0-9]{2}$", example = "32.79")]
    pub region_code: String,
    #[schema(min_items = 1, max_items = 5000)]
    pub officers: Vec<OfficerEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterAdded {
    /// Officers added now.
    pub added: u64,
    /// Officers sent who were already on the roster.
    pub existing: u64,
}

/// Add officers to the roster (those already on it are skipped).
pub async fn add(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    input: &RosterInput,
) -> SopResult<RosterAdded> {
    let regency = RegionCode::parse(&input.region_code)?;
    if regency.level() != Level::Regency {
        return Err(SopError::RosterNotRegency);
    }
    let entries = check_roster(&regency, &input.officers)?;
    let mut tx = ctx.begin().await?;
    let agency_id = kpu_of(&mut tx, actor, &regency, TrainingAction::EditRoster).await?;
    for (i, e) in entries.iter().enumerate() {
        if !store::region_exists(&mut tx, &e.region_code).await? {
            return Err(TrainingError::BadRegion { number: i + 1 }.into());
        }
    }
    let added = rows::insert_officers(&mut tx, agency_id, &entries).await?;
    let sent = u64::try_from(entries.len()).unwrap_or(u64::MAX);
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::ROSTER_ADD,
            target_kind: actions::TARGET_ROSTER,
            target_id: agency_id.to_string(),
            region_code: Some(regency.as_str().to_string()),
            summary: json!({ "added": added, "sent": sent }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(RosterAdded {
        added,
        existing: sent - added,
    })
}

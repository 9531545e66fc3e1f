//! A regency or city adopts its province's published SOP: a new SOP of the adopting agency that
//! follows the parent's current version, without overrides yet.

use balai_core::identity::Actor;
use balai_core::regions::RegionCode;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{author, record};
use crate::domain::access::{may_act, may_see_drafts};
use crate::domain::adoption::check_placement;
use crate::domain::audit as actions;
use crate::domain::permissions::SopAction;
use crate::domain::versions::in_force;
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::queries::history::infos;
use crate::store::{self, NewSop, NewVersion};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptionInput {
    /// The adopting regency or city (PP.KK), inside the SOP's province.
    #[schema(pattern = r"^[0-9]{2}\.[0-9]{2}$", example = "16.71")]
    pub region_code: String,
}

/// Adopt SOP `parent_id` for `input.region_code`; returns the adoption's id.
pub async fn adopt(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    parent_id: SopId,
    input: &AdoptionInput,
) -> SopResult<SopId> {
    let parent_id = parent_id.get();
    let region = RegionCode::parse(&input.region_code)?;
    let mut tx = ctx.begin().await?;
    let parent = store::sop_tx(&mut tx, parent_id)
        .await?
        .ok_or(SopError::NotFound)?;
    let history = infos(
        &store::versions_tx(&mut tx, parent_id).await?,
        &parent.region_code,
    );
    let Some(current) = in_force(&history, None) else {
        // A draft is unknown to anyone but its owner.
        return Err(if may_see_drafts(Some(actor), parent.agency_id) {
            SopError::NotPublished
        } else {
            SopError::NotFound
        });
    };
    let parent_region = RegionCode::parse(&parent.region_code)?;
    check_placement(&parent_region, &region)?;
    if !store::region_exists(&mut tx, region.as_str()).await? {
        return Err(SopError::UnknownRegion);
    }
    let agency_id = match (&actor.agency, actor.is_superadmin()) {
        (_, true) => {
            store::agency_at(&mut tx, &parent.agency_kind, region.as_str())
                .await?
                .ok_or(SopError::NoAgency)?
                .0
        }
        (Some(a), false) if a.region_code == region.as_str() && a.kind == parent.agency_kind => {
            a.id
        }
        _ => return Err(SopError::Forbidden),
    };
    if !may_act(actor, SopAction::Adopt, agency_id) {
        return Err(SopError::Forbidden);
    }
    if store::children_tx(&mut tx, parent_id)
        .await?
        .iter()
        .any(|c| c.region_code == region.as_str())
    {
        return Err(SopError::AlreadyAdopted);
    }
    let id = store::insert_sop(
        &mut tx,
        &NewSop {
            agency_id,
            region_code: region.as_str(),
            title: &parent.title,
            purpose: &parent.purpose,
            legal_basis: &parent.legal_basis,
            documents: &parent.documents,
            parent_id: Some(parent_id),
        },
    )
    .await?;
    store::insert_version(
        &mut tx,
        &NewVersion::new(id, 1, "[]", author(actor))
            .parent(current)
            .major(true),
    )
    .await?;
    record(
        &mut tx,
        meta,
        actor,
        actions::ADOPT,
        id,
        region.as_str(),
        json!({ "parent": parent_id, "parent_version": current }),
    )
    .await?;
    tx.commit().await?;
    Ok(SopId(id))
}

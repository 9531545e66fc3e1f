//! An agency writes a new SOP for its own region: its first version, published or a draft.

use balai_core::identity::Actor;
use balai_core::regions::RegionCode;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{author, record, text};
use crate::domain::access::may_act;
use crate::domain::audit as actions;
use crate::domain::permissions::SopAction;
use crate::domain::steps::{check_steps, Step};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::store::{self, NewSop, NewVersion};

/// A new SOP.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SopInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// The region the SOP is for: the owning agency's own (PP for a province KPU).
    #[schema(schema_with = balai_core::web::schema::region_code)]
    pub region_code: String,
    #[schema(min_items = 1, max_items = 100)]
    pub steps: Vec<Step>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub purpose: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub legal_basis: String,
    /// Forms and documents the procedure uses.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub documents: String,
    /// Keep the first version as a draft (not public, cannot be adopted) instead of
    /// publishing it.
    #[serde(default)]
    pub draft: bool,
}

/// Create the SOP; returns its id and first version (1).
pub async fn create(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    input: &SopInput,
) -> SopResult<(SopId, u32)> {
    let region = RegionCode::parse(&input.region_code)?;
    let title = input.title.trim();
    if title.is_empty() || input.title.chars().count() > 200 {
        return Err(SopError::BadTitle);
    }
    let purpose = text(&input.purpose, "Tujuan", "Purpose")?;
    let legal_basis = text(&input.legal_basis, "Dasar hukum", "Legal basis")?;
    let documents = text(
        &input.documents,
        "Formulir dan dokumen",
        "Forms and documents",
    )?;
    let steps = check_steps(&input.steps)?;
    let body = serde_json::to_string(&steps)?;
    let mut tx = ctx.begin().await?;
    if !store::region_exists(&mut tx, region.as_str()).await? {
        return Err(SopError::UnknownRegion);
    }
    let agency_id = match (&actor.agency, actor.is_superadmin()) {
        (_, true) => {
            store::agency_at(&mut tx, "kpu", region.as_str())
                .await?
                .ok_or(SopError::NoAgency)?
                .0
        }
        (Some(a), false) if a.region_code == region.as_str() => a.id,
        (Some(_), false) => return Err(SopError::NotOwnRegion),
        (None, false) => return Err(SopError::Forbidden),
    };
    if !may_act(actor, SopAction::Create, agency_id) {
        return Err(SopError::Forbidden);
    }
    let id = store::insert_sop(
        &mut tx,
        &NewSop {
            agency_id,
            region_code: region.as_str(),
            title,
            purpose: &purpose,
            legal_basis: &legal_basis,
            documents: &documents,
            parent_id: None,
        },
    )
    .await?;
    store::insert_version(
        &mut tx,
        &NewVersion::new(id, 1, &body, author(actor))
            .major(true)
            .published(!input.draft),
    )
    .await?;
    record(
        &mut tx,
        meta,
        actor,
        actions::CREATE,
        id,
        region.as_str(),
        json!({ "title": title, "steps": steps.len(), "draft": input.draft }),
    )
    .await?;
    tx.commit().await?;
    Ok((SopId(id), 1))
}

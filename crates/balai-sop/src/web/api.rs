//! The JSON API: SOPs, their versions, adoptions, overrides and reviews (officials, bearer
//! token, `Idempotency-Key`), and the published SOPs and drift tables (public).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::format::parse_iso_date;
use balai_core::web::actor::{Actor, MaybeActor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::adopt::{self, AdoptionInput};
use crate::commands::create::{self, SopInput};
use crate::commands::review::{self, OverridesInput, ReviewInput};
use crate::commands::versions::{self, VersionInput};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::queries::drift::{self, Drift};
use crate::queries::view::{self, SopView, Which};

#[derive(Serialize, ToSchema)]
pub struct SopCreated {
    pub id: SopId,
    pub version: u32,
}

#[derive(Serialize, ToSchema)]
#[schema(as = SopVersionCreated)]
pub struct VersionCreated {
    pub version: u32,
}

#[derive(Serialize, ToSchema)]
pub struct AdoptionCreated {
    /// The adopting region's SOP.
    pub id: SopId,
}

/// Write a new SOP for the caller's agency's region (admins and supervisors); its first
/// version is published unless `draft`.
#[utoipa::path(post, path = "/api/v1/sops", tag = "sop", security(("bearer" = [])),
    request_body = SopInput,
    responses((status = 201, body = SopCreated), (status = 403), (status = 422)))]
pub async fn post_sop(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<SopInput>,
) -> AppResult<(StatusCode, Json<SopCreated>)> {
    let (id, version) = create::create(&ctx, &meta, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(SopCreated { id, version })))
}

/// Add a version to the caller's agency's SOP. A published major version (with its change
/// note) marks every adoption of an older version for review and emails its admins.
#[utoipa::path(post, path = "/api/v1/sops/{id}/versions", tag = "sop", security(("bearer" = [])),
    request_body = VersionInput, params(("id" = i64, Path, description = "SOP id")),
    responses((status = 201, body = VersionCreated), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_version(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    Json(input): Json<VersionInput>,
) -> AppResult<(StatusCode, Json<VersionCreated>)> {
    let version = versions::add_version(&ctx, &meta, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(VersionCreated { version })))
}

/// Publish the SOP's draft version.
#[utoipa::path(post, path = "/api/v1/sops/{id}/publish", tag = "sop", security(("bearer" = [])),
    params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = VersionCreated), (status = 403), (status = 404),
        (status = 409)))]
pub async fn post_publish(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<SopId>,
) -> AppResult<Json<VersionCreated>> {
    let version = versions::publish_draft(&ctx, &meta, &actor, id).await?;
    Ok(Json(VersionCreated { version }))
}

/// Adopt a province's published SOP for a regency or city of that province (its KPU's admins
/// and supervisors).
#[utoipa::path(post, path = "/api/v1/sops/{id}/adoptions", tag = "sop", security(("bearer" = [])),
    request_body = AdoptionInput, params(("id" = i64, Path, description = "The province's SOP")),
    responses((status = 201, body = AdoptionCreated), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_adoption(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    Json(input): Json<AdoptionInput>,
) -> AppResult<(StatusCode, Json<AdoptionCreated>)> {
    let id = adopt::adopt(&ctx, &meta, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(AdoptionCreated { id })))
}

/// Replace the overrides of the caller's agency's adoption (each with a reason).
#[utoipa::path(post, path = "/api/v1/sops/{id}/overrides", tag = "sop", security(("bearer" = [])),
    request_body = OverridesInput, params(("id" = i64, Path, description = "The adoption")),
    responses((status = 201, body = VersionCreated), (status = 403), (status = 404),
        (status = 422)))]
pub async fn post_overrides(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    Json(input): Json<OverridesInput>,
) -> AppResult<(StatusCode, Json<VersionCreated>)> {
    let version = review::set_overrides(&ctx, &meta, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(VersionCreated { version })))
}

/// Accept the parent's current version (the review), keeping or dropping the overrides.
#[utoipa::path(post, path = "/api/v1/sops/{id}/review", tag = "sop", security(("bearer" = [])),
    request_body = ReviewInput, params(("id" = i64, Path, description = "The adoption")),
    responses((status = 201, body = VersionCreated), (status = 403), (status = 404),
        (status = 422)))]
pub async fn post_review(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    Json(input): Json<ReviewInput>,
) -> AppResult<(StatusCode, Json<VersionCreated>)> {
    let version = review::accept_parent(&ctx, &meta, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(VersionCreated { version })))
}

#[derive(Deserialize, IntoParams)]
pub struct ViewQuery {
    /// The version in force on this day, YYYY-MM-DD.
    #[param(format = Date)]
    at: Option<String>,
    /// This version.
    version: Option<u32>,
}

/// Which version a query asks for (a day exactly as `YYYY-MM-DD`: an empty or padded one is
/// refused, as the API document says; the page drops an empty field first).
pub fn which(at: Option<&str>, version: Option<u32>) -> SopResult<Which> {
    Ok(match (at, version) {
        (Some(d), _) => Which::At(parse_day(d)?),
        (None, Some(v)) => Which::Number(v),
        (None, None) => Which::Current,
    })
}

pub fn parse_day(s: &str) -> SopResult<time::Date> {
    if s.len() != 10 {
        return Err(SopError::BadDate);
    }
    parse_iso_date(s).ok_or(SopError::BadDate)
}

/// An SOP (published: public; a draft for its owner only) with its effective steps, its
/// parent (for an adoption) and its versions; `at` or `version` for another version.
#[utoipa::path(get, path = "/api/v1/sops/{id}", tag = "sop", security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "SOP id"), ViewQuery),
    responses((status = 200, body = SopView), (status = 404), (status = 422)))]
pub async fn get_sop(
    State(ctx): State<AppCtx>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<SopId>,
    Query(q): Query<ViewQuery>,
) -> AppResult<Json<SopView>> {
    let w = which(q.at.as_deref(), q.version)?;
    Ok(Json(view::view(&ctx.db, id, actor.as_ref(), w).await?))
}

/// An SOP's drift table: for a province's SOP, each regency's or city's adopted version,
/// overrides and whether it needs review; for an adoption, its own row of its province SOP's
/// table; for a regency's or city's own SOP, no rows (nothing below adopts it). A draft is
/// seen only by its owner's officials.
#[utoipa::path(get, path = "/api/v1/sops/{id}/drift", tag = "sop",
    params(("id" = i64, Path, description = "SOP id")),
    responses((status = 200, body = Drift), (status = 404)))]
pub async fn get_drift(
    State(ctx): State<AppCtx>,
    MaybeActor(actor): MaybeActor,
    Path(id): Path<SopId>,
) -> AppResult<Json<Drift>> {
    Ok(Json(drift::drift(&ctx.db, id, actor.as_ref()).await?))
}

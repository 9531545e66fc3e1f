//! The JSON API: open statistics, the services catalogue and workflow actions for officials.

use axum::extract::{Path, Query, State};
use axum::Json;
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::service::Requirement;
use crate::stats::{self, Stats};
use crate::submit::parse_date;
use crate::{store, work};

#[derive(Deserialize, IntoParams)]
pub struct StatsQuery {
    /// Region code: PP, PP.KK, PP.KK.CC or PP.KK.CC.NNNN.
    region: String,
    /// First day, YYYY-MM-DD.
    from: String,
    /// Last day (inclusive), YYYY-MM-DD.
    to: String,
}

/// Applications received per service in a region and period (open data, no personal data).
#[utoipa::path(get, path = "/api/v1/civil-registry/stats", tag = "civil-registry", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 400), (status = 422)))]
pub async fn get_stats(
    State(ctx): State<AppCtx>,
    Query(q): Query<StatsQuery>,
) -> AppResult<Json<Stats>> {
    let region = RegionCode::parse(q.region.trim())?;
    let from = parse_date(&q.from, "Parameter from", "Parameter from")?;
    let to = parse_date(&q.to, "Parameter to", "Parameter to")?;
    if to < from || (to - from).whole_days() > 366 * 5 {
        return Err(crate::submit::invalid(
            "bad_period",
            "Periode tidak sah: from harus sebelum to, paling panjang 5 tahun.",
            "Invalid period: from must not be after to, and at most 5 years long.",
        ));
    }
    Ok(Json(stats::compute(&ctx.db, &region, from, to).await?))
}

#[derive(Serialize, ToSchema)]
pub struct ServiceInfo {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub standard_working_days: i64,
    pub fee_rupiah: i64,
    pub late_after_days: Option<i64>,
    pub requirements: Vec<Requirement>,
    pub active: bool,
}

/// The services catalogue with requirement checklists, service standards and fees.
#[utoipa::path(get, path = "/api/v1/civil-registry/services", tag = "civil-registry",
    responses((status = 200, body = Vec<ServiceInfo>)))]
pub async fn list_services(State(ctx): State<AppCtx>) -> AppResult<Json<Vec<ServiceInfo>>> {
    let list = store::list_services(&ctx.db).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| ServiceInfo {
                requirements: s.checklist(),
                code: s.code,
                name_id: s.name_id,
                name_en: s.name_en,
                standard_working_days: s.standard_days,
                fee_rupiah: s.fee_rupiah,
                late_after_days: s.late_after_days,
                active: s.active,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ActionInput {
    /// take, release, request_correction, approve, mark_ready, complete or reject.
    pub action: String,
    /// Required for request_correction and reject.
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    pub status: String,
}

/// A workflow step on an application (officials of the routed agencies).
#[utoipa::path(post, path = "/api/v1/civil-registry/applications/{id}/actions", tag = "civil-registry",
    security(("bearer" = [])), request_body = ActionInput,
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ActionResult), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn post_action(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> AppResult<Json<ActionResult>> {
    let a = work::parse_action(&input.action, input.reason.as_deref())?;
    let status = work::act(&ctx, &meta, &actor, id, a).await?;
    Ok(Json(ActionResult {
        status: status.as_str().to_string(),
    }))
}

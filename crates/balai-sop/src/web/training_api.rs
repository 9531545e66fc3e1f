//! The JSON API of training and readiness (officials of a KPU, bearer token; writes take an
//! `Idempotency-Key`): the roster, the sessions, attendance, and the readiness figures.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::api::parse_day;
use crate::commands::attendance::{self, AttendanceInput, AttendanceRecorded};
use crate::commands::roster::{self, RosterAdded, RosterInput};
use crate::commands::training::{self, TrainingInput};
use crate::domain::TrainingId;
use crate::queries::readiness::{self, Readiness};
use crate::queries::trainings::{self, TrainingDetail, TrainingView};

#[derive(Serialize, ToSchema)]
pub struct TrainingCreated {
    pub id: TrainingId,
}

/// Schedule a training session (bimbingan teknis) for the caller's KPU's region.
#[utoipa::path(post, path = "/api/v1/trainings", tag = "readiness", security(("bearer" = [])),
    request_body = TrainingInput,
    responses((status = 201, body = TrainingCreated), (status = 401), (status = 403),
        (status = 422)))]
pub async fn post_training(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<TrainingInput>,
) -> AppResult<(StatusCode, Json<TrainingCreated>)> {
    let id = training::create(&ctx, &meta, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(TrainingCreated { id })))
}

#[derive(Deserialize, IntoParams)]
pub struct RegionQuery {
    /// A regency or city (PP.KK), or a province (PP) for its own sessions.
    #[param(pattern = r"^[0-9]{2}(\.[0-9]{2})?$", example = "32.79")]
    region_code: String,
}

/// The sessions that train officers of a region (held for it, under it or for its province).
#[utoipa::path(get, path = "/api/v1/trainings", tag = "readiness", security(("bearer" = [])),
    params(RegionQuery),
    responses((status = 200, body = Vec<TrainingView>), (status = 401), (status = 403)))]
pub async fn get_trainings(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<Vec<TrainingView>>> {
    Ok(Json(
        trainings::list(&ctx.db, &actor, &q.region_code).await?,
    ))
}

/// A session with the roster of its region, who attended ticked.
#[utoipa::path(get, path = "/api/v1/trainings/{id}", tag = "readiness", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = TrainingDetail), (status = 401), (status = 404)))]
pub async fn get_training(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Path(id): Path<TrainingId>,
) -> AppResult<Json<TrainingDetail>> {
    Ok(Json(trainings::detail(&ctx.db, &actor, id).await?))
}

/// Replace the session's attendance by the officers ticked off (each on the roster of the
/// session's region).
#[utoipa::path(put, path = "/api/v1/trainings/{id}/attendance", tag = "readiness",
    security(("bearer" = [])), request_body = AttendanceInput,
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = AttendanceRecorded), (status = 401), (status = 403),
        (status = 404), (status = 422)))]
pub async fn put_attendance(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<TrainingId>,
    Json(input): Json<AttendanceInput>,
) -> AppResult<Json<AttendanceRecorded>> {
    Ok(Json(
        attendance::set(&ctx, &meta, &actor, id, &input).await?,
    ))
}

/// Add attendance from a CSV `body,region_code,name` (header row first), matched to the
/// roster; all or nothing.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/attendance/import", tag = "readiness",
    security(("bearer" = [])), request_body(content = String, content_type = "text/csv"),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = AttendanceRecorded), (status = 401), (status = 403),
        (status = 404), (status = 422)))]
pub async fn import_attendance(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<TrainingId>,
    body: String,
) -> AppResult<Json<AttendanceRecorded>> {
    Ok(Json(
        attendance::import(&ctx, &meta, &actor, id, &body).await?,
    ))
}

/// Add officers (staff, PPK, PPS, KPPS) to a regency's roster; those already on it are
/// skipped.
#[utoipa::path(post, path = "/api/v1/readiness/officers", tag = "readiness",
    security(("bearer" = [])), request_body = RosterInput,
    responses((status = 201, body = RosterAdded), (status = 401), (status = 403),
        (status = 422)))]
pub async fn post_officers(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<RosterInput>,
) -> AppResult<(StatusCode, Json<RosterAdded>)> {
    let out = roster::add(&ctx, &meta, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[derive(Deserialize, IntoParams)]
pub struct ReadinessQuery {
    /// A regency or city, PP.KK.
    #[param(pattern = r"^[0-9]{2}\.[0-9]{2}$", example = "32.79")]
    region_code: String,
    /// The day to compute the figures for (default: today in the region), YYYY-MM-DD.
    #[param(format = Date)]
    on: Option<String>,
}

/// Readiness of a regency's officers before each stage of the elections held in it or its
/// province: per district and body, the share trained for the stage before it starts, who is
/// not, and a warning when the stage is near and the share is below the threshold.
#[utoipa::path(get, path = "/api/v1/readiness", tag = "readiness", security(("bearer" = [])),
    params(ReadinessQuery),
    responses((status = 200, body = Readiness), (status = 401), (status = 403), (status = 404),
        (status = 422)))]
pub async fn get_readiness(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Query(q): Query<ReadinessQuery>,
) -> AppResult<Json<Readiness>> {
    let on = match q.on.as_deref() {
        Some(d) => Some(parse_day(d)?),
        None => None,
    };
    Ok(Json(
        readiness::readiness(&ctx, &actor, &q.region_code, on).await?,
    ))
}

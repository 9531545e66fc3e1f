//! API for a supervisor's decision on a disputed TPS.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::Keyed;
use balai_core::AppResult;

use crate::commands::resolve_dispute::{resolve, ResolveInput, Resolved};

/// Decide a disputed TPS (supervisors and admins of the KPU): `choose_version` stores the
/// chosen version again as the supervisor's entry, which verifies the TPS and makes the
/// totals count it; `reentry` asks the operators to enter the form again and changes no
/// numbers. Both keep the reason and are audited.
#[utoipa::path(post, path = "/api/v1/elections/{id}/tps/{tps_id}/resolution", tag = "elections", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The election."), ("tps_id" = i64, Path, description = "The TPS.")),
    request_body = ResolveInput, responses((status = 201, body = Resolved), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn resolve_dispute(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
    Json(input): Json<ResolveInput>,
) -> AppResult<(StatusCode, Json<Resolved>)> {
    let r = resolve(&ctx, &actor, &meta, id, tps_id, &input).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

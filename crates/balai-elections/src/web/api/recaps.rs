//! API for the plenary recapitulation of a region.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::Keyed;
use balai_core::AppResult;

use crate::commands::recap::{self, RecapInput, ReopenRecapInput};

/// Record a region's plenary recapitulation: its results become official, and ordinary
/// entries inside it are refused (only a PSU can change them).
#[utoipa::path(post, path = "/api/v1/elections/{id}/recaps", tag = "elections", security(("bearer" = [])),
    request_body = RecapInput, responses((status = 201), (status = 409), (status = 422)))]
pub async fn record_recap(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<RecapInput>,
) -> AppResult<StatusCode> {
    recap::record_recap(&ctx, &actor, &meta, id, &input).await?;
    Ok(StatusCode::CREATED)
}

/// Take back a region's recorded recapitulation (an admin of the KPU, with a reason): entries
/// inside it, a re-vote's (PSU) included, are accepted again until it is recorded anew. The
/// reopened recapitulation is kept with who reopened it and why.
#[utoipa::path(post, path = "/api/v1/elections/{id}/recaps/reopen", tag = "elections", security(("bearer" = [])),
    request_body = ReopenRecapInput, responses((status = 204), (status = 403), (status = 409), (status = 422)))]
pub async fn reopen_recap(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<ReopenRecapInput>,
) -> AppResult<StatusCode> {
    recap::reopen_recap(&ctx, &actor, &meta, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

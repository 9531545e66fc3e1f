//! API for form photos and the plenary recapitulation.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::{AppError, AppResult};

use crate::ops::batch::{self, BatchInput, BatchOutcome};
use crate::ops::photos::{self, PhotoStored, RecapInput};
use crate::store::extra;

/// Upload a photo of a TPS's paper form (body: the JPEG, PNG or WebP bytes). A photo already
/// used for another TPS is stored and flags both TPS.
#[utoipa::path(post, path = "/api/v1/elections/{id}/tps/{tps_id}/photos", tag = "elections",
    security(("bearer" = [])), request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, body = PhotoStored), (status = 409), (status = 422)))]
pub async fn upload_photo(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path((id, tps_id)): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let out = photos::upload(&ctx, &actor, &meta, id, tps_id, declared, &body).await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// A photo of a paper form (public).
#[utoipa::path(get, path = "/api/v1/elections/{id}/photos/{photo_id}", tag = "elections",
    responses((status = 200, content_type = "image/jpeg"), (status = 404)))]
pub async fn get_photo(
    State(ctx): State<AppCtx>,
    Path((id, photo_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (ct, data) = extra::photo_data(&ctx.db, id, photo_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut res = data.into_response();
    let ct = match ct.as_str() {
        "image/png" => "image/png",
        "image/webp" => "image/webp",
        _ => "image/jpeg",
    };
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(res)
}

/// Record a region's plenary recapitulation: its results become official, and ordinary
/// entries inside it are refused (only a PSU can change them).
#[utoipa::path(post, path = "/api/v1/elections/{id}/recaps", tag = "elections", security(("bearer" = [])),
    request_body = RecapInput, responses((status = 201), (status = 409), (status = 422)))]
pub async fn record_recap(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<RecapInput>,
) -> AppResult<StatusCode> {
    photos::record_recap(&ctx, &actor, &meta, id, &input).await?;
    Ok(StatusCode::CREATED)
}

/// Submit up to 1000 result forms in one transaction; each item gets the answer a single
/// submission would (201, or the 4xx with its rule list), and refused items change nothing.
#[utoipa::path(post, path = "/api/v1/elections/{id}/results/batch", tag = "elections",
    security(("bearer" = [])), request_body = BatchInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = BatchOutcome), (status = 422)))]
pub async fn submit_batch(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<BatchInput>,
) -> AppResult<Json<BatchOutcome>> {
    Ok(Json(
        batch::submit_batch(&ctx, &actor, &meta, id, &input).await?,
    ))
}

/// Import result forms from CSV (one form per line, columns named like the form's dotted
/// fields; see `parse_results_csv`), then submit them as one batch.
#[utoipa::path(post, path = "/api/v1/elections/{id}/results/import", tag = "elections",
    security(("bearer" = [])), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = BatchOutcome), (status = 422)))]
pub async fn import_results(
    Keyed(ctx): Keyed,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Json<BatchOutcome>> {
    let items =
        batch::parse_results_csv(&body).map_err(|p| crate::ops::bad_lines("bad_csv", &p))?;
    let input = BatchInput { items };
    Ok(Json(
        batch::submit_batch(&ctx, &actor, &meta, id, &input).await?,
    ))
}

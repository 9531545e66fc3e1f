//! API for photos of the paper forms.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::web::Keyed;
use balai_core::{AppError, AppResult};

use crate::commands::photos::{self, PhotoStored};
use crate::store::photos as stored;

/// Upload a photo of a TPS's paper form (body: the JPEG, PNG or WebP bytes). A photo already
/// used for another TPS is stored and flags both TPS.
#[utoipa::path(post, path = "/api/v1/elections/{id}/tps/{tps_id}/photos", tag = "elections",
    params(("id" = i64, Path, description = "The election."), ("tps_id" = i64, Path, description = "The TPS.")),
    security(("bearer" = [])), request_body(description = "The photo of the form: JPEG, PNG or WebP.",
        content((String = "image/jpeg"), (String = "image/png"), (String = "image/webp"))),
    responses((status = 201, body = PhotoStored), (status = 409), (status = 422)))]
pub async fn upload_photo(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
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
    params(("id" = i64, Path, description = "The election."), ("photo_id" = i64, Path, description = "The photo.")),
    responses((status = 200, description = "The photo, as uploaded (metadata removed).",
        content((String = "image/jpeg"), (String = "image/png"), (String = "image/webp"))), (status = 404)))]
pub async fn get_photo(
    State(ctx): State<AppCtx>,
    Path((id, photo_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (ct, data) = stored::photo_data(&ctx.db, id, photo_id)
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

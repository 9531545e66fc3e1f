//! Helpers the HTML pages, the JSON API and the exports share: the region query, the cacheable
//! JSON answer and the supervisor's region check.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use balai_core::regions::RegionCode;
use balai_core::web::actor::Actor;
use balai_core::{AppError, AppResult};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use crate::commands::require;
use crate::domain::permissions::Action;
use crate::store;

#[derive(Deserialize, IntoParams)]
pub struct RegionQuery {
    /// A region code inside the election's region; absent or empty: the election's region.
    #[param(pattern = r"^([0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?)?$")]
    pub region: Option<String>,
}

/// A public JSON body with a strong ETag and a short shared-cache lifetime, so a CDN can absorb
/// election-night traffic; a matching `If-None-Match` gets `304 Not Modified`.
pub fn cacheable(req: &HeaderMap, body: Vec<u8>) -> Response {
    let tag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let matches = req
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    if let Ok(v) = HeaderValue::from_str(&tag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=5, stale-while-revalidate=30"),
    );
    res
}

/// Pick the region a supervisor's queue covers and check the actor may see it.
pub fn supervisor_region(
    actor: &Actor,
    e: &store::ElectionRow,
    region: Option<&str>,
) -> AppResult<String> {
    let er = RegionCode::parse(&e.region_code)?;
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let region = match (region, actor.scope.region_prefix()) {
        (Some(r), _) => r.trim().to_string(),
        (None, Some(p)) if er.contains(p) => p.to_string(),
        _ => e.region_code.clone(),
    };
    if !er.contains(&region) {
        return Err(AppError::not_found());
    }
    require(actor, &region, Action::ViewDisputes)?;
    Ok(region)
}

/// A `multipart/form-data` form of the pages: its CSRF token checked, and the one file field
/// `file` (its content type and bytes), if sent.
pub async fn csrf_multipart(
    ctx: &balai_core::web::AppCtx,
    req: axum::extract::Request,
    file: &str,
) -> AppResult<Option<(Option<String>, axum::body::Bytes)>> {
    use axum::extract::{FromRequest, Multipart};
    let (parts, body) = req.into_parts();
    let unreadable = |_| {
        AppError::bad_request(
            "bad_form",
            "Formulir tidak terbaca. Silakan kirim ulang.",
            "The form could not be read. Please send it again.",
        )
    };
    let mut multipart_req = axum::extract::Request::new(body);
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        multipart_req
            .headers_mut()
            .insert(header::CONTENT_TYPE, ct.clone());
    }
    let mut mp = Multipart::from_request(multipart_req, ctx)
        .await
        .map_err(|e| unreadable(e.to_string()))?;
    let (mut token, mut found) = (String::new(), None);
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| unreadable(e.to_string()))?
    {
        let name = field.name().map(str::to_string);
        match name.as_deref() {
            Some("csrf") => token = field.text().await.map_err(|e| unreadable(e.to_string()))?,
            Some(n) if n == file => {
                let ct = field.content_type().map(str::to_string);
                let data = field.bytes().await.map_err(|e| unreadable(e.to_string()))?;
                found = Some((ct, data));
            }
            _ => {}
        }
    }
    balai_core::web::csrf::check(ctx, &parts, &token)?;
    Ok(found)
}

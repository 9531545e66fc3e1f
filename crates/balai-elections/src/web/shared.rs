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

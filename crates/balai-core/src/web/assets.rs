//! Static assets embedded in the binary, served with long-lived cache headers. URLs carry a
//! content hash (`?v=`), so a new release is fetched at once.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

static ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/app.css"),
    },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/app.js"),
    },
    Asset {
        name: "finder.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/finder.js"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../../static/favicon.svg"),
    },
];

/// The content hash that versions an asset's URL.
pub fn version(body: &[u8]) -> String {
    hex::encode(&Sha256::digest(body)[..6])
}

/// Cache header of assets whose URL carries their version.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The cache-busting URL of an asset.
pub fn url(name: &str) -> String {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{}?v={}", a.name, version(a.body)),
        None => format!("/static/{name}"),
    }
}

pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(a) = ASSETS.iter().find(|a| a.name == name) else {
        return crate::error::AppError::not_found().into_response();
    };
    respond(a.body, a.mime, &headers, IMMUTABLE)
}

/// Answer with an embedded file (a feature's scripts too), its ETag and the given caching.
pub fn respond(
    body: impl Into<axum::body::Body> + AsRef<[u8]>,
    mime: &'static str,
    headers: &HeaderMap,
    cache_control: &'static str,
) -> Response {
    let etag = format!("\"{}\"", version(body.as_ref()));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut res = Response::new(body.into());
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    res
}

//! Middleware every response passes through: request ids, security headers, metrics, body
//! limits.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub const REQUEST_ID: &str = "x-request-id";

/// The Content-Security-Policy: no inline script or style, no framing, forms post only here.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'";

/// Give every request a fresh id (client-supplied ids are ignored: they would let a caller
/// forge log lines) and echo it in the response; log the request with it.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let mut buf = uuid::Uuid::encode_buffer();
    let id: &str = uuid::Uuid::now_v7().hyphenated().encode_lower(&mut buf);
    let value = HeaderValue::from_str(id).ok();
    if let Some(v) = &value {
        req.headers_mut().insert(REQUEST_ID, v.clone());
    }
    let method = method_label(req.method());
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id, %method, path = %req.uri().path());
    let mut res = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    let elapsed = started.elapsed();
    let status = res.status();
    span.in_scope(|| {
        tracing::info!(
            status = status.as_u16(),
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request finished"
        )
    });
    metrics::counter!("balai_http_requests_total", "method" => method.clone(), "status" => status_label(status)).increment(1);
    metrics::histogram!("balai_http_request_duration_seconds", "method" => method)
        .record(elapsed.as_secs_f64());
    if let Some(v) = value {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res
}

/// Metric labels without an allocation for the usual methods and statuses.
fn static_label(value: &str, known: &[&'static str]) -> metrics::SharedString {
    match known.iter().find(|k| **k == value) {
        Some(k) => metrics::SharedString::const_str(k),
        None => metrics::SharedString::from(value.to_string()),
    }
}

fn method_label(m: &Method) -> metrics::SharedString {
    static_label(
        m.as_str(),
        &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    )
}

fn status_label(status: StatusCode) -> metrics::SharedString {
    static_label(
        status.as_str(),
        &[
            "200", "201", "204", "301", "302", "303", "304", "400", "401", "403", "404", "409",
            "413", "422", "429", "500", "502", "503",
        ],
    )
}

/// Strict headers on every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        h,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(self)",
    );
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Remember a `?lang=` choice in a cookie so the language sticks while browsing.
pub async fn remember_lang(req: Request, next: Next) -> Response {
    let chosen = req
        .uri()
        .query()
        .filter(|q| q.contains("lang"))
        .and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .unwrap_or_default()
                .into_iter()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| crate::i18n::Lang::parse(&v))
        });
    let mut res = next.run(req).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Request-body limits: one for every route, a larger one for the `POST` routes that take
/// photos (a feature lists them; the sizes are settings).
#[derive(Clone, Debug)]
pub struct BodyLimits {
    pub default: usize,
    pub upload: usize,
    pub upload_paths: BTreeSet<&'static str>,
}

/// The body limit in force for this request, for middleware that reads the body itself.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

fn megabytes(n: usize) -> String {
    let mb = format!("{:.1}", n as f64 / (1024.0 * 1024.0));
    mb.strip_suffix(".0").map(str::to_string).unwrap_or(mb)
}

/// Refuse a body declared larger than the route's limit with a clear 413, and cut off a body
/// that turns out larger while it streams (the extractor then fails).
pub async fn limit_body(
    State(limits): State<Arc<BodyLimits>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let upload = req.method() == Method::POST && limits.upload_paths.contains(path);
    let limit = if upload {
        limits.upload
    } else {
        limits.default
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let mb = megabytes(limit);
        let (hint_id, hint_en) = if upload {
            (
                " Kirim lebih sedikit foto atau foto yang lebih kecil.",
                " Send fewer or smaller photos.",
            )
        } else {
            ("", "")
        };
        return AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("Kiriman terlalu besar: paling besar {mb} MB.{hint_id}"),
            format!("The request is too large: at most {mb} MB.{hint_en}"),
        )
        .into_response();
    }
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(BodyLimit(limit));
    // A request without a body (most GETs) has nothing to cut off.
    let body = if axum::body::HttpBody::is_end_stream(&body) {
        body
    } else {
        Body::new(http_body_util::Limited::new(body, limit))
    };
    next.run(Request::from_parts(parts, body)).await
}

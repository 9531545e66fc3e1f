//! Middleware every request passes through: the frame (request id, error rendering, metrics,
//! security headers, language cookie) and the guards (CSRF cookie, body limit).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::errors::{render, ErrorContext};
use super::{csrf, AppCtx};
use crate::error::AppError;

pub use super::request::REQUEST_ID;

/// The Content-Security-Policy: no inline script or style, no framing, forms post only here.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'";

/// The frame of every exchange, in one middleware (each layer of its own costs a clone of the
/// stack below it and an allocation per request): a fresh request id (client-supplied ids are
/// ignored: they would let a caller forge log lines), echoed in the response and on the log
/// line of the request; error responses rendered as JSON or a page ([`render`]); the request
/// metrics; the strict security headers; and the `?lang=` choice remembered in a cookie so the
/// language sticks while browsing.
pub async fn frame(mut req: Request, next: Next) -> Response {
    let mut buf = uuid::Uuid::encode_buffer();
    let id: &str = uuid::Uuid::now_v7().hyphenated().encode_lower(&mut buf);
    let value = HeaderValue::from_str(id).ok();
    if let Some(v) = &value {
        req.headers_mut().insert(REQUEST_ID, v.clone());
    }
    let lang = crate::i18n::Lang::from_query(req.uri().query());
    let method = method_label(req.method());
    let errors = ErrorContext::of(&req);
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id, %method, path = %req.uri().path());
    let res = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    let mut res = render(errors, res).await;
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
    let h = res.headers_mut();
    if let Some(v) = value {
        h.insert(REQUEST_ID, v);
    }
    security_headers(h);
    if let Some(lang) = lang {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.append(header::SET_COOKIE, v);
        }
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

/// The policy for a data response (JSON, XML, CSV, iCalendar): nothing in it may load or run,
/// nor may it be framed.
pub const DATA_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// True for a body that a browser renders as a document (HTML, SVG, anything not named as
/// data): it gets the full document headers; data gets the short set.
fn is_document(h: &axum::http::HeaderMap) -> bool {
    let data = [
        "application/json",
        "application/xml",
        "text/xml",
        "text/csv",
        "text/calendar",
    ];
    !h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| data.iter().any(|d| t.starts_with(d)))
}

/// Strict headers on every response (a handler's own value of one of them stays). A document
/// gets the page policy ([`CSP`]) and the headers that only mean something for a document
/// (referrer, permissions, opener); a data response gets [`DATA_CSP`], `nosniff`, no framing
/// and HSTS (as the OWASP REST security cheat sheet lists), some 400 bytes fewer on every
/// API read.
fn security_headers(h: &mut axum::http::HeaderMap) {
    let set = |h: &mut axum::http::HeaderMap, k: HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    h.reserve(10);
    if is_document(h) {
        set(h, header::CONTENT_SECURITY_POLICY, CSP);
        set(
            h,
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        );
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
    } else {
        set(h, header::CONTENT_SECURITY_POLICY, DATA_CSP);
    }
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
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

/// What [`guard`] needs: the application (for the CSRF secret) and the body limits.
#[derive(Clone)]
pub struct Guards {
    pub ctx: AppCtx,
    pub limits: Arc<BodyLimits>,
}

/// The checks before a handler, in one middleware: every browser gets a CSRF cookie and every
/// handler its token ([`csrf::prepare`]), and the body limit of the route holds.
pub async fn guard(State(g): State<Guards>, mut req: Request, next: Next) -> Response {
    let fresh_cookie = csrf::prepare(&g.ctx, &mut req);
    let mut res = match limit_body(&g.limits, &mut req) {
        // A full or read-only disk: refused before the write fails, and before it eats the
        // room the disk monitor is making for a checkpoint.
        Ok(()) if !crate::disk::state().writable() && !req.method().is_safe() => {
            drain_refused(req);
            AppError::storage_unavailable().into_response()
        }
        Ok(()) => next.run(req).await,
        Err(refused) => {
            drain_refused(req);
            refused.into_response()
        }
    };
    if let Some(cookie) = fresh_cookie {
        csrf::set_cookie(&g.ctx, &mut res, &cookie);
    }
    res
}

/// How long a refused upload is read and thrown away, at most, so that its sender gets the 413.
const DRAIN_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// Keep reading, and throwing away, the body of a request refused for its declared size while
/// the 413 goes out, when that body is at most twice the limit. If the server stopped reading
/// when it answered, a client still sending would write into a closed connection (broken pipe,
/// reset) and a phone would show a network error instead of the message that says what was too
/// big; the answer itself is not held back for the body (a slow link gets it at once). A client
/// that asked `Expect: 100-continue` has sent nothing and is not asked for the body; a body far
/// over the limit, or one that takes longer than [`DRAIN_FOR`], is cut off with the connection.
fn drain_refused(req: Request) {
    use http_body_util::BodyExt;
    let expects_continue = req
        .headers()
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let limit = req.extensions().get::<BodyLimit>().map_or(0, |l| l.0);
    let declared = declared_length(&req).unwrap_or(u64::MAX);
    if expects_continue || declared > 2 * limit as u64 {
        return;
    }
    let mut body = req.into_body();
    tokio::spawn(async move {
        let _ = tokio::time::timeout(DRAIN_FOR, async {
            while let Some(Ok(_)) = body.frame().await {}
        })
        .await;
    });
}

fn declared_length(req: &Request) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Refuse a body declared larger than the route's limit with a clear 413, and cut off a body
/// that turns out larger while it streams (the extractor then fails). A refused request comes
/// The limit goes into the request's extensions either way (a refused request's for
/// [`drain_refused`]).
fn limit_body(limits: &BodyLimits, req: &mut Request) -> Result<(), AppError> {
    let path = req.uri().path();
    let upload = req.method() == Method::POST && limits.upload_paths.contains(path);
    let limit = if upload {
        limits.upload
    } else {
        limits.default
    };
    req.extensions_mut().insert(BodyLimit(limit));
    if declared_length(req).is_some_and(|n| n > limit as u64) {
        let mb = megabytes(limit);
        let (hint_id, hint_en) = if upload {
            (
                " Kirim lebih sedikit foto atau foto yang lebih kecil.",
                " Send fewer or smaller photos.",
            )
        } else {
            ("", "")
        };
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("Kiriman terlalu besar: paling besar {mb} MB.{hint_id}"),
            format!("The request is too large: at most {mb} MB.{hint_en}"),
        ));
    }
    // A request without a body (most GETs) has nothing to cut off.
    if !axum::body::HttpBody::is_end_stream(req.body()) {
        let body = std::mem::take(req.body_mut());
        *req.body_mut() = Body::new(http_body_util::Limited::new(body, limit));
    }
    Ok(())
}

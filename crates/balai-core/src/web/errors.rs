//! Turns error responses into a JSON body (API) or an HTML page, with the request id and
//! never internal detail. An unauthenticated page request is sent to the login form.

use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::page::Page;
use crate::error::ErrorInfo;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: Page,
    status: u16,
    message: &'a str,
    request_id: &'a str,
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/open311/") || path == "/metrics"
}

fn generic(status: StatusCode) -> ErrorInfo {
    let (code, id, en) = match status {
        StatusCode::NOT_FOUND => (
            "not_found",
            "Halaman atau data tidak ditemukan.",
            "Not found.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "Metode tidak diizinkan.",
            "Method not allowed.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "body_too_large",
            "Kiriman terlalu besar.",
            "The request body is too large.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Jenis isi tidak didukung.",
            "Unsupported content type.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "Permintaan terlalu lama.",
            "The request took too long.",
        ),
        s if s.is_server_error() => (
            "internal",
            "Terjadi kesalahan pada server.",
            "Something went wrong on the server.",
        ),
        _ => ("bad_request", "Permintaan tidak sah.", "Bad request."),
    };
    ErrorInfo {
        status,
        code,
        message_id: id.into(),
        message_en: en.into(),
        details: None,
        retry_after: None,
    }
}

/// The JSON body of an API error.
pub fn api_body(info: &ErrorInfo, lang: Lang, request_id: &str) -> serde_json::Value {
    let mut body = serde_json::json!({
        "code": info.code,
        "message": info.message(lang),
        "request_id": request_id,
    });
    if let Some(d) = &info.details {
        body["details"] = d.clone();
    }
    body
}

/// What an error page needs to know of its request, kept before the request is handled
/// (reference-counted copies; the language is worked out only when there is an error).
pub struct ErrorContext {
    uri: axum::http::Uri,
    cookies: Vec<HeaderValue>,
    request_id: Option<HeaderValue>,
}

impl ErrorContext {
    pub fn of(req: &Request) -> Self {
        ErrorContext {
            uri: req.uri().clone(),
            cookies: req
                .headers()
                .get_all(header::COOKIE)
                .iter()
                .cloned()
                .collect(),
            request_id: req.headers().get(super::request::REQUEST_ID).cloned(),
        }
    }
}

/// Turn an error response into the JSON body (API) or the HTML page (see the module); other
/// responses pass unchanged. Called by [`super::layers::frame`] on every response.
pub async fn render(cx: ErrorContext, res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let uri = cx.uri;
    let (path, query) = (uri.path(), uri.query());
    let lang = Lang::from_query_and_cookies(query, &cx.cookies);
    let request_id = cx
        .request_id
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        None => {
            // Responses from elsewhere (routing, extractor rejections): keep a 4xx's text,
            // which says what was wrong with the input; never a 5xx's.
            let already_json = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| {
                    v.starts_with("application/json")
                        || v.contains("xml")
                        || v.starts_with("text/html")
                });
            if already_json {
                return res;
            }
            let mut info = generic(status);
            if status.is_client_error() && status != StatusCode::NOT_FOUND {
                let text = axum::body::to_bytes(res.into_body(), 4096)
                    .await
                    .unwrap_or_default();
                let text = String::from_utf8_lossy(&text).trim().to_string();
                if !text.is_empty() {
                    info.message_id = format!("{} {}", info.message_id, text);
                    info.message_en = format!("{} {}", info.message_en, text);
                }
            }
            info
        }
    };
    let mut out = if is_api(path) {
        (status, axum::Json(api_body(&info, lang, request_id))).into_response()
    } else if status == StatusCode::UNAUTHORIZED {
        let next = match query {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };
        let target = format!(
            "/login?next={}",
            serde_urlencoded::to_string([("", next)])
                .unwrap_or_default()
                .trim_start_matches('=')
        );
        Redirect::to(&target).into_response()
    } else {
        let page = Page::new(
            lang,
            lang.tr("Terjadi masalah", "Something went wrong"),
            None,
            "",
            path,
        );
        let html = ErrorPage {
            page,
            status: status.as_u16(),
            message: info.message(lang),
            request_id,
        }
        .render()
        .unwrap_or_else(|_| format!("{} — request id {request_id}", status.as_u16()));
        let mut r = (status, Body::from(html)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    };
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out
}

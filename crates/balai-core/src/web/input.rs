//! The text rules of [`crate::text`] applied to every request before its handler, in one
//! place: each string of the query, of a JSON body and of a form body, and the lines of a CSV
//! or plain-text body. A refused text is a 422 that names its field; nothing is stored.
//! (Multipart bodies carry files; their text fields are checked by their extractor with
//! [`check_field`].)

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;

use crate::error::AppError;
use crate::text::{self, TextProblem};

/// The refusal for `field`.
pub fn refusal(field: &str, problem: TextProblem) -> AppError {
    let (code, id, en) = match problem {
        TextProblem::Control => (
            "bad_text",
            format!("Isian \"{field}\" berisi karakter kontrol yang tidak diizinkan."),
            format!("The field \"{field}\" contains control characters that are not allowed."),
        ),
        TextProblem::Invisible => (
            "blank_text",
            format!("Isian \"{field}\" hanya berisi karakter tak terlihat."),
            format!("The field \"{field}\" contains only invisible characters."),
        ),
    };
    AppError::unprocessable(code, id, en).with_details(serde_json::json!({ "field": field }))
}

/// Check one named text (a multipart field, a CSV cell).
pub fn check_field(field: &str, value: &str) -> Result<(), AppError> {
    text::check(field, value).map_err(|p| refusal(field, p))
}

/// The query string's names and values (always one line).
pub fn check_query(query: Option<&str>) -> Result<(), AppError> {
    let Some(q) = query else { return Ok(()) };
    for (k, v) in form_pairs(q.as_bytes()) {
        if text::UNCHECKED_FIELDS.contains(&k.as_str()) {
            continue;
        }
        if (k.chars().chain(v.chars())).any(|c| text::is_forbidden(c, false)) {
            return Err(refusal(&k, TextProblem::Control));
        }
    }
    Ok(())
}

fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default()
}

/// Which body kinds are read here.
enum Kind {
    Json,
    Form,
    Lines,
}

fn kind(req: &Request) -> Option<Kind> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)?
        .to_str()
        .ok()?
        .to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim().to_string();
    if essence == "application/json" || essence.ends_with("+json") {
        Some(Kind::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(Kind::Form)
    } else if essence == "text/csv" || essence == "text/plain" {
        Some(Kind::Lines)
    } else {
        None
    }
}

/// Check the request's query and text body; the body, once read, is put back for the
/// handler. A body over its limit is left for the handler's extractor to refuse.
pub async fn check_request(req: Request, limit: usize) -> Result<Request, AppError> {
    check_query(req.uri().query())?;
    let Some(kind) = kind(&req) else {
        return Ok(req);
    };
    if axum::body::HttpBody::is_end_stream(req.body()) {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return Err(AppError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "Kiriman terlalu besar.",
                "The request body is too large.",
            ))
        }
    };
    match kind {
        Kind::Json => check_json(&bytes)?,
        Kind::Form => {
            for (k, v) in form_pairs(&bytes) {
                check_field(&k, &v)?;
            }
        }
        Kind::Lines => {
            let text = String::from_utf8_lossy(&bytes);
            if text.chars().any(|c| text::is_forbidden(c, true)) {
                return Err(refusal("body", TextProblem::Control));
            }
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Every string of a JSON body, keys included, by its path (`form.reason`, `items[2].name`).
fn check_json(bytes: &[u8]) -> Result<(), AppError> {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) => walk(&v, "", ""),
        // Too deep or not JSON: the handler refuses what it cannot read; an escaped control
        // character anywhere is still refused here.
        Err(_) => raw_escapes(bytes),
    }
}

fn walk(v: &serde_json::Value, path: &str, name: &str) -> Result<(), AppError> {
    match v {
        serde_json::Value::String(s) => text::check(name, s)
            .map_err(|p| refusal(if path.is_empty() { "body" } else { path }, p)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| walk(x, &format!("{path}[{i}]"), name)),
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.chars().any(|c| text::is_forbidden(c, false)) {
                return Err(refusal(&p, TextProblem::Control));
            }
            walk(x, &p, k)
        }),
        _ => Ok(()),
    }
}

/// `\u00XX` escapes of control characters (other than tab, LF, CR) and of bidi overrides in
/// a body that does not parse as a JSON value.
fn raw_escapes(bytes: &[u8]) -> Result<(), AppError> {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let bad = text.match_indices("\\u").any(|(i, _)| {
        text.get(i + 2..i + 6)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
            .is_some_and(|c| text::is_forbidden(c, true))
    });
    if bad {
        return Err(refusal("body", TextProblem::Control));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_named() {
        let body = br#"{"a":{"items":[{"name":"x"},{"name":"y\u0000"}]}}"#;
        let e = check_json(body).unwrap_err();
        assert_eq!(e.info.code, "bad_text");
        assert!(e.info.message_en.contains("a.items[1].name"));
        assert!(check_json(br#"{"description":"a\nb\tc","n":1}"#).is_ok());
        assert!(check_json(br#"{"title":"a\nb"}"#).is_err());
        assert!(check_json(br#"{"title":"\u200b"}"#).is_err());
        assert!(raw_escapes(br#"[[[["\u0000"#).is_err());
        assert!(raw_escapes(br#"[[[["\u000a"#).is_ok());
    }

    #[test]
    fn query_checked() {
        assert!(check_query(Some("q=ba%00nj")).is_err());
        assert!(check_query(Some("q=banjar&lang=en")).is_ok());
        assert!(check_query(Some("next=/%09/evil")).is_ok());
    }
}

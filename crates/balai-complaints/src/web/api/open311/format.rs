//! Open311 wire formats: the `.json` / `.xml` suffix, XML rendering of JSON values, and errors
//! in the spec's shape.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Json,
    Xml,
}

/// `services.json` → ("services", Json). No suffix means JSON.
pub(super) fn split(file: &str) -> Option<(&str, Format)> {
    if let Some(n) = file.strip_suffix(".json") {
        Some((n, Format::Json))
    } else if let Some(n) = file.strip_suffix(".xml") {
        Some((n, Format::Xml))
    } else if !file.contains('.') {
        Some((file, Format::Json))
    } else {
        None
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => o.push(c),
        }
    }
    o
}

fn xml_value(tag: &str, v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str(&format!("<{tag}/>")),
        Value::Array(items) => {
            // Lists of named things: <endpoints><endpoint>…; of scalars: <formats><format>…
            let child = tag.strip_suffix('s').unwrap_or(tag);
            out.push_str(&format!("<{tag}>"));
            for i in items {
                xml_value(child, i, out);
            }
            out.push_str(&format!("</{tag}>"));
        }
        Value::Object(m) => {
            out.push_str(&format!("<{tag}>"));
            let mut fields: Vec<(&String, &Value)> = m.iter().collect();
            fields.sort_by_key(|(k, _)| rank(k));
            for (k, v) in fields {
                xml_value(k, v, out);
            }
            out.push_str(&format!("</{tag}>"));
        }
        Value::String(s) => out.push_str(&format!("<{tag}>{}</{tag}>", esc(s))),
        other => out.push_str(&format!("<{tag}>{other}</{tag}>")),
    }
}

/// Element order in XML, close to the spec's (JSON objects do not keep their order).
const ORDER: &[&str] = &[
    "code",
    "service_request_id",
    "token",
    "service_code",
    "status",
    "status_notes",
    "service_name",
    "variable",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
    "account_id",
    "changeset",
    "contact",
    "key_service",
    "specification",
    "url",
    "formats",
    "endpoints",
    "attributes",
];

fn rank(k: &str) -> usize {
    ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len())
}

/// Render `v` (an array of `item`s under `root`, or one object as `root`).
pub(super) fn respond(
    status: StatusCode,
    fmt: Format,
    root: &str,
    item: &str,
    v: Value,
) -> Response {
    let (body, ct) = match fmt {
        Format::Json => (v.to_string(), "application/json; charset=utf-8"),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            match &v {
                Value::Array(items) => {
                    out.push_str(&format!("<{root}>"));
                    for i in items {
                        xml_value(item, i, &mut out);
                    }
                    out.push_str(&format!("</{root}>"));
                }
                other => xml_value(root, other, &mut out),
            }
            (out, "text/xml; charset=utf-8")
        }
    };
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    res
}

/// Errors in the spec's shape: a list of {code, description}.
pub(super) fn error(fmt: Format, status: StatusCode, description: &str) -> Response {
    let v = json!([{ "code": status.as_u16(), "description": description }]);
    respond(status, fmt, "errors", "error", v)
}

pub(super) fn internal(fmt: Format, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "open311 failed");
    error(fmt, StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
}

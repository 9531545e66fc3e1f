//! The API document as a contract: the answers every operation can give because of the layers
//! it passes through (authentication, path and query parsing, the JSON body, the
//! Idempotency-Key, rate limits) are added here, from what the operation declares, so a
//! handler's annotation names only its own outcomes and no operation can forget one.
//!
//! | when the operation…                 | it may also answer                                |
//! |-------------------------------------|---------------------------------------------------|
//! | has a path or query parameter       | 400 (unparsable parameter)                        |
//! | has a path parameter                | 404 (nothing there, or outside the caller's scope)|
//! | needs or accepts a bearer token     | 401 with `WWW-Authenticate`, 403                  |
//! | has a request body                  | 400, 413, 415, 422                                |
//! | is a POST, PUT or PATCH             | `Idempotency-Key`; 400, 409 (still running), 422 (reused) |
//! | declares 429                        | `Retry-After` on it                               |
//!
//! Every error answer has the [`ApiError`](super::ApiError) body, except where the operation
//! names another (Open311's GeoReport errors, an SMS gateway's reply).

use serde_json::{json, Map, Value};

/// The Idempotency-Key rule the middleware enforces: 1–255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

const API_ERROR: &str = "#/components/schemas/ApiError";

fn describe(status: &str) -> &'static str {
    match status {
        "400" => "Malformed request: a path or query parameter that does not parse, JSON that is not JSON, or a malformed Idempotency-Key (`bad_request`, `bad_idempotency_key`, or a field-specific code).",
        "401" => "No valid credentials: a missing, unknown or revoked bearer token (`unauthorized`).",
        "403" => "The caller's role, agency or region does not allow this (`forbidden` or a more specific code).",
        "404" => "Nothing with this identifier, or it is outside the caller's scope (`not_found`).",
        "409" => "A conflict with the current state, or a request with the same Idempotency-Key is still running (`idempotency_in_progress`).",
        "413" => "The request body is larger than the limit (`body_too_large`).",
        "415" => "The body's Content-Type is not the one documented (`unsupported_media_type`).",
        "422" => "The input is well-formed but breaks a rule (a field-specific code), or the Idempotency-Key was used for a different request (`idempotency_key_reused`).",
        "429" => "Too many requests; retry after the number of seconds in `Retry-After` (`rate_limited`).",
        _ => "Error.",
    }
}

fn header(description: &str, schema: Value) -> Value {
    json!({ "description": description, "schema": schema })
}

fn error_response(status: &str) -> Value {
    json!({
        "description": describe(status),
        "content": { "application/json": { "schema": { "$ref": API_ERROR } } },
    })
}

/// An error response without a body schema, or with a bare object, gets [`super::ApiError`].
fn complete_error(status: &str, res: &mut Value) {
    let Some(res) = res.as_object_mut() else {
        return;
    };
    if res
        .get("description")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        res.insert("description".into(), describe(status).into());
    }
    let content = res.entry("content").or_insert_with(|| json!({}));
    // A schema that says nothing of the body: none, `{}`, or an object without properties.
    let bare = |c: &Value| {
        c.get("schema").is_none_or(|s| {
            s.get("$ref").is_none()
                && s.get("properties").is_none()
                && s.get("items").is_none()
                && s.get("type").is_none_or(|t| t == "object")
        })
    };
    let Some(content) = content.as_object_mut() else {
        return;
    };
    if content.is_empty() {
        content.insert(
            "application/json".into(),
            json!({ "schema": { "$ref": API_ERROR } }),
        );
    } else if let Some(c) = content.get_mut("application/json") {
        if bare(c) {
            *c = json!({ "schema": { "$ref": API_ERROR } });
        } else if c["schema"]["$ref"] != API_ERROR {
            // The operation's own error body (a GeoReport list, a reply for an SMS gateway);
            // the layers before it (authentication, body limits) still answer with ApiError.
            let own = c["schema"].take();
            c["schema"] = json!({ "anyOf": [own, { "$ref": API_ERROR }] });
        }
    }
}

fn has_param(op: &Value, location: &str) -> bool {
    op.get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == location))
}

fn accepts_bearer(op: &Value) -> bool {
    op.get("security")
        .and_then(Value::as_array)
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("bearer").is_some()))
}

/// The `Idempotency-Key` header parameter, with the rule the middleware enforces.
fn idempotency_key(op: &mut Map<String, Value>) {
    let params = op.entry("parameters").or_insert_with(|| json!([]));
    let Some(params) = params.as_array_mut() else {
        return;
    };
    params.retain(|p| !(p["in"] == "header" && p["name"] == "Idempotency-Key"));
    params.push(json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Makes the request safe to retry: a repeat with the same key and the same request gets the first answer again (with `Idempotency-Replayed: true`) and changes nothing; the same key with a different request is refused (422). 1–255 visible ASCII characters, kept for 24 hours per caller.",
        "schema": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN },
    }));
}

fn complete_operation(path: &str, method: &str, op: &mut Value) {
    // The Idempotency-Key middleware guards the writes under `/api/`.
    let write = path.starts_with("/api/") && matches!(method, "post" | "put" | "patch");
    let body = op.get("requestBody").is_some();
    let path_params = has_param(op, "path");
    let params = path_params || has_param(op, "query");
    let bearer = accepts_bearer(op);
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if write {
        idempotency_key(op);
    }
    // Image bodies are bytes.
    if let Some(content) = op
        .get_mut("requestBody")
        .and_then(|b| b.get_mut("content"))
        .and_then(Value::as_object_mut)
    {
        for (media, c) in content.iter_mut() {
            if media.starts_with("image/") {
                c["schema"] = json!({ "type": "string", "format": "binary" });
            }
        }
    }
    let mut add = Vec::new();
    if params || body || write {
        add.push("400");
    }
    if bearer {
        add.extend(["401", "403"]);
    }
    if path_params {
        add.push("404");
    }
    if write {
        add.extend(["409", "422"]);
    }
    if body {
        add.extend(["413", "415", "422"]);
    }
    let responses = op.entry("responses").or_insert_with(|| json!({}));
    let Some(responses) = responses.as_object_mut() else {
        return;
    };
    for status in add {
        responses
            .entry(status)
            .or_insert_with(|| error_response(status));
    }
    for (status, res) in responses.iter_mut() {
        if status.starts_with('4') || status.starts_with('5') {
            complete_error(status, res);
        } else if res
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            res["description"] = "Success.".into();
        }
        if status == "401" {
            res["headers"]["WWW-Authenticate"] = header(
                "The scheme to authenticate with: `Bearer realm=\"balai\"`.",
                json!({ "type": "string" }),
            );
        }
        if status == "429" {
            res["headers"]["Retry-After"] = header(
                "Seconds to wait before retrying.",
                json!({ "type": "integer", "minimum": 0 }),
            );
        }
    }
}

/// Complete the document (see the module).
pub fn complete(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if matches!(
                    method.as_str(),
                    "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace"
                ) {
                    complete_operation(path, method, op);
                }
            }
        }
    }
}

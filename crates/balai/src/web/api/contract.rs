//! The API document as a contract: the answers every operation can give because of the layers
//! it passes through (authentication, path and query parsing, the JSON body, the
//! Idempotency-Key, rate limits) are added here, from what the operation declares, so a
//! handler's annotation names only its own outcomes and no operation can forget one.
//!
//! | when the operation…                 | it may also answer                                |
//! |-------------------------------------|---------------------------------------------------|
//! | has a path or query parameter       | 400 (unparsable parameter)                        |
//! | has a query parameter               | 422 (`bad_text`: a control character in the query)|
//! | has a path parameter                | 404 (nothing there, or outside the caller's scope)|
//! | needs or accepts a bearer token     | 401 with `WWW-Authenticate`, 403; the `session` cookie as another way in |
//! | has a request body                  | 400, 413, 415, 422 (`bad_text`, `blank_text`, …)  |
//! | is a POST, PUT or PATCH under /api/ | `Idempotency-Key`; 400, 409 (still running), 422 (reused) |
//! | is a write under /api/              | `X-CSRF-Token` (cookie-authenticated calls); 403 `csrf_failed` |
//! | is a write                          | 503 `storage_unavailable` with `Retry-After`      |
//! | declares 429                        | `Retry-After` on it                               |
//!
//! Every error answer has the [`ApiError`](super::ApiError) body, except where the operation
//! names another (Open311's GeoReport errors, an SMS gateway's reply). A method a path does not
//! list is answered 405 with `Allow` (`components.responses.MethodNotAllowed`).
//!
//! The text rules every request passes before its handler (`balai_core::web::input`: no
//! control characters, no text made only of invisible characters) are stated as patterns on
//! every string of the query and of the request bodies ([`text_rules`]). Request bodies name
//! all their fields (`additionalProperties: false`, the types deny unknown fields).

use std::collections::BTreeSet;

use balai_core::text::patterns;
use serde_json::{json, Map, Value};

/// The Idempotency-Key rule the middleware enforces: 1–255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

const API_ERROR: &str = "#/components/schemas/ApiError";

fn describe(status: &str) -> &'static str {
    match status {
        "400" => "Malformed request: a path or query parameter that does not parse, JSON that is not JSON, or a malformed Idempotency-Key (`bad_request`, `bad_idempotency_key`, or a field-specific code).",
        "401" => "No valid credentials: a missing, unknown or revoked bearer token (`unauthorized`).",
        "403" => "The caller's role, agency or region does not allow this (`forbidden` or a more specific code), or a write signed in by the session cookie lacks the session's `X-CSRF-Token` (`csrf_failed`).",
        "404" => "Nothing with this identifier, or it is outside the caller's scope (`not_found`).",
        "409" => "A conflict with the current state, or a request with the same Idempotency-Key is still running (`idempotency_in_progress`).",
        "413" => "The request body is larger than the limit (`body_too_large`).",
        "415" => "The body's Content-Type is not the one documented (`unsupported_media_type`).",
        "422" => "The input is well-formed but breaks a rule (a field-specific code); a text with a control character (`bad_text`) or made only of invisible characters (`blank_text`), with `details.field` naming it; an unknown field; or the Idempotency-Key was used for a different request (`idempotency_key_reused`).",
        "429" => "Too many requests; retry after the number of seconds in `Retry-After` (`rate_limited`).",
        "503" => "The server's storage is full or read-only, so nothing was saved; send the same request again after the seconds in `Retry-After` (`storage_unavailable`).",
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

/// The session cookie of the site's own pages, the other way into the API (see [`complete`]).
pub const SESSION_SCHEME: &str = "session";

fn accepts_bearer(op: &Value) -> bool {
    op.get("security")
        .and_then(Value::as_array)
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("bearer").is_some()))
}

/// An optional header parameter `name` (in place of one the annotation may have given).
fn header_param(op: &mut Map<String, Value>, name: &str, description: &str, schema: Value) {
    let params = op.entry("parameters").or_insert_with(|| json!([]));
    let Some(params) = params.as_array_mut() else {
        return;
    };
    params.retain(|p| !(p["in"] == "header" && p["name"] == name));
    params.push(json!({
        "name": name,
        "in": "header",
        "required": false,
        "description": description,
        "schema": schema,
    }));
}

/// The `Idempotency-Key` header parameter, with the rule the middleware enforces.
fn idempotency_key(op: &mut Map<String, Value>) {
    header_param(
        op,
        "Idempotency-Key",
        "Makes the request safe to retry: a repeat with the same key and the same request gets the first answer again (with `Idempotency-Replayed: true`) and changes nothing; the same key with a different request is refused (422). 1–255 visible ASCII characters, kept for 24 hours per caller.",
        json!({ "type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN }),
    );
}

/// The `X-CSRF-Token` header a write signed in by the session cookie carries
/// (`balai_core::web::csrf::check_api`).
fn csrf_token(op: &mut Map<String, Value>) {
    header_param(
        op,
        "X-CSRF-Token",
        "Only for a call signed in by the `session` cookie (the site's own pages), where it is required: the CSRF token of that session, as the page has it. A call with a bearer token, or with no session cookie, needs none.",
        json!({ "type": "string" }),
    );
}

/// A bearer-secured operation also takes the session cookie of the site's own pages.
fn session_alternative(op: &mut Map<String, Value>) {
    let Some(reqs) = op.get_mut("security").and_then(Value::as_array_mut) else {
        return;
    };
    if reqs.iter().any(|r| r.get("bearer").is_some())
        && !reqs.iter().any(|r| r.get(SESSION_SCHEME).is_some())
    {
        reqs.push(json!({ SESSION_SCHEME: [] }));
    }
}

fn complete_operation(path: &str, method: &str, op: &mut Value) {
    let api = path.starts_with("/api/");
    // The Idempotency-Key middleware guards the writes under `/api/`.
    let keyed = api && matches!(method, "post" | "put" | "patch");
    // Every other method writes: the storage guard refuses it when the disk cannot take it.
    let write = !matches!(method, "get" | "head" | "options" | "trace");
    let body = op.get("requestBody").is_some();
    let path_params = has_param(op, "path");
    let query = has_param(op, "query");
    let params = path_params || query;
    let bearer = accepts_bearer(op);
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if keyed {
        idempotency_key(op);
    }
    if api && write {
        csrf_token(op);
    }
    session_alternative(op);
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
    if params || body || keyed {
        add.push("400");
    }
    if bearer {
        add.extend(["401", "403"]);
    }
    if api && write {
        add.push("403");
    }
    if path_params {
        add.push("404");
    }
    if keyed {
        add.extend(["409", "422"]);
    }
    if body {
        add.extend(["413", "415", "422"]);
    }
    if query {
        add.push("422");
    }
    if write {
        add.push("503");
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
        if status == "429" || status == "503" {
            res["headers"]["Retry-After"] = header(
                "Seconds to wait before retrying.",
                json!({ "type": "integer", "minimum": 0 }),
            );
        }
    }
}

/// Where a request body's strings are checked as text: JSON and form bodies.
fn text_body(media: &str) -> bool {
    media == "application/json" || media == "application/x-www-form-urlencoded"
}

/// The name of the component a `$ref` points to.
fn component_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// Add `pattern` to a string schema: as its own, or beside the one it has.
fn add_pattern(schema: &mut Map<String, Value>, pattern: String) {
    let free = !(schema.contains_key("enum")
        || schema.contains_key("const")
        || schema.contains_key("format"));
    let stated =
        |s: &Map<String, Value>| s.get("pattern").and_then(Value::as_str) == Some(pattern.as_str());
    let in_all = schema
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|all| all.iter().filter_map(Value::as_object).any(stated));
    let narrower = schema
        .get("pattern")
        .and_then(Value::as_str)
        .is_some_and(implies_text_rule);
    if !free || stated(schema) || in_all || narrower {
        return;
    }
    if schema.contains_key("pattern") {
        let all = schema.entry("allOf").or_insert_with(|| json!([]));
        if let Some(all) = all.as_array_mut() {
            all.push(json!({ "pattern": pattern }));
        }
    } else {
        schema.insert("pattern".into(), pattern.into());
    }
}

/// Does a field's own pattern already keep to the text rules? It does when it is anchored at
/// both ends and can only match characters it names: no `.`, no negated class, no escape that
/// stands for a class of characters (`\s`, `\S`, `\p{…}`, `\x…`, …), and every character it
/// names is printable ASCII (the space included). A second pattern on such a
/// field would say nothing new, and a generator of examples would have to filter one
/// pattern's strings by the other's.
fn implies_text_rule(pattern: &str) -> bool {
    let Some(body) = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')) else {
        return false;
    };
    if body.contains("[^") {
        return false;
    }
    let mut chars = body.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '[' => in_class = true,
            ']' => in_class = false,
            '.' if !in_class => return false,
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_alphanumeric() => return false,
                Some(e) if balai_core::text::is_forbidden(e, false) => return false,
                _ => {}
            },
            ' ' => {}
            // A range between two other characters may span refused ones (`[ -ÿ]`).
            c if !c.is_ascii() || c.is_ascii_control() => return false,
            _ => {}
        }
    }
    true
}

fn is_string(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    }
}

/// The components a request body refers to, and whether their keys are checked as text (in
/// JSON; a form body's keys are not).
type Refs = BTreeSet<(String, bool)>;

/// The text rule of the field `name` on a value schema and what it holds; components it
/// refers to are collected in `refs`.
fn constrain_value(name: &str, schema: &mut Value, keys: bool, refs: &mut Refs) {
    if let Some(c) = component_name(schema) {
        refs.insert((c.to_string(), keys));
        return;
    }
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if is_string(obj) {
        // A field that must not be blank (`\S`) gets the one pattern that says both.
        let not_blank = obj.get("pattern").and_then(Value::as_str) == Some(r"\S");
        match patterns::visible(name) {
            Some(visible) if not_blank => {
                obj.insert("pattern".into(), visible.into());
            }
            _ => add_pattern(obj, patterns::text(name)),
        }
    }
    if let Some(items) = obj.get_mut("items") {
        constrain_value(name, items, keys, refs);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(alts) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for alt in alts {
                constrain_value(name, alt, keys, refs);
            }
        }
    }
    constrain_object(obj, keys, refs);
}

/// The text rules on an object schema's properties, its other values and its keys.
fn constrain_object(obj: &mut Map<String, Value>, keys: bool, refs: &mut Refs) {
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            constrain_value(name, prop, keys, refs);
        }
    }
    // Values under keys the document does not name: the strictest rule, one line.
    if let Some(more) = obj.get_mut("additionalProperties") {
        if more.is_object() {
            constrain_value("", more, keys, refs);
        }
    }
    // The keys of an object that takes keys the document does not name (a map).
    let object = obj.get("type").is_some_and(|t| t == "object") || obj.contains_key("properties");
    if keys && object && obj.get("additionalProperties") != Some(&Value::Bool(false)) {
        let names = obj.entry("propertyNames").or_insert_with(|| json!({}));
        if let Some(names) = names.as_object_mut() {
            names.insert("type".into(), "string".into());
            add_pattern(names, patterns::one_line());
        }
    }
}

/// State the text rules (see the module) on the query parameters and the request bodies.
fn text_rules(doc: &mut Value) {
    let mut refs = Refs::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for op in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params.iter_mut().filter(|p| p["in"] == "query") {
                    if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
                        if is_string(schema) {
                            add_pattern(schema, patterns::one_line());
                        }
                    }
                }
            }
            let Some(content) = op
                .get_mut("requestBody")
                .and_then(|b| b.get_mut("content"))
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            for (media, c) in content.iter_mut() {
                let Some(schema) = c.get_mut("schema") else {
                    continue;
                };
                if text_body(media) {
                    let keys = media == "application/json";
                    constrain_value("", schema, keys, &mut refs);
                } else if media == "text/csv" || media == "text/plain" {
                    if let Some(schema) = schema.as_object_mut() {
                        add_pattern(schema, patterns::lines());
                    }
                }
            }
        }
    }
    // The components the bodies refer to, and the ones those refer to, each once.
    let mut done = BTreeSet::new();
    while let Some((name, keys)) = refs.iter().find(|n| !done.contains(*n)).cloned() {
        done.insert((name.clone(), keys));
        if let Some(schema) = doc
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(|s| s.get_mut(&name))
        {
            constrain_value("", schema, keys, &mut refs);
        }
    }
}

/// The session cookie as a security scheme, and the 405 every path gives for a method it
/// does not list.
fn shared_components(doc: &mut Value) {
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    let schemes = components
        .entry("securitySchemes")
        .or_insert_with(|| json!({}));
    schemes[SESSION_SCHEME] = json!({
        "type": "apiKey",
        "in": "cookie",
        "name": balai_core::web::actor::SESSION_COOKIE,
        "description": "The session of the site's own pages (after signing in at /login). A write signed in this way must carry the session's CSRF token in `X-CSRF-Token`; other clients use a bearer token.",
    });
    let responses = components.entry("responses").or_insert_with(|| json!({}));
    responses["MethodNotAllowed"] = json!({
        "description": "Every path answers a method it does not list with 405 (`method_not_allowed`) and names the methods it has in `Allow`.",
        "headers": { "Allow": header("The methods of this path, e.g. `GET,HEAD`.", json!({ "type": "string" })) },
        "content": { "application/json": { "schema": { "$ref": API_ERROR } } },
    });
}

/// Complete the document (see the module).
pub fn complete(doc: &mut Value) {
    shared_components(doc);
    text_rules(doc);
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

#[cfg(test)]
mod tests {
    use super::implies_text_rule;

    #[test]
    fn own_patterns_that_keep_to_the_text_rules() {
        for keeps in [
            r"^[0-9]{4}-(0[1-9]|1[0-2])$",
            r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$",
            r"^ *[0-9]{1,18}( */ *[0-9]{1,18}| *[.,][0-9]{1,12})? *$",
            r"^(codes|names)$",
            r"^[!-~]{1,255}$",
        ] {
            assert!(implies_text_rule(keeps), "{keeps}");
        }
        for not in [
            r"\S",
            r"^[0-9]+",
            r"^.+$",
            r"^[^<>]+$",
            r"^\s*[0-9]+$",
            r"^\p{L}+$",
            r"^[\x00-z]+$",
            "^[ -\u{ff}]+$",
            "^a\u{200b}$",
        ] {
            assert!(!implies_text_rule(not), "{not}");
        }
    }
}

//! The served OpenAPI document as a contract, against the running router: every documented
//! path exists with exactly the documented methods (a 405's `Allow` lists the router's), every
//! route under `/api/` and `/open311/` in the source is documented, error answers have the
//! documented body, and 401, 405 and 429 carry their headers. (The whole API is fuzzed
//! against the document by `scripts/schemathesis.sh`.)

use std::collections::BTreeSet;

use crate::support::http::*;
use crate::support::{Backend, TestApp};
use balai_core::accounts::Role;
use reqwest::Client;
use serde_json::{json, Value};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// A concrete URL for a documented path template.
fn concrete(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        out.push_str(match &rest[open + 1..close] {
            "format" => "json",
            "day" => "2031-01-01",
            "code" => "32",
            _ => "1",
        });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

both_backends!(
    every_documented_path_is_routed_with_the_documented_methods,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let c = Client::new();
        let (s, doc) = status_json(get(&app, &c, "/api/v1/openapi.json").await).await;
        assert_eq!(s, 200);
        let paths = doc["paths"].as_object().unwrap();
        for (template, item) in paths {
            let documented: BTreeSet<String> = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| m.to_uppercase())
                .collect();
            // A method no route has: a routed path answers 405 and lists its methods.
            let res = c
                .request(reqwest::Method::TRACE, app.url(&concrete(template)))
                .send()
                .await
                .unwrap();
            assert_eq!(res.st(), 405, "{template} is documented but not routed");
            let allowed: BTreeSet<String> = header(&res, "allow")
                .split(',')
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty() && m != "HEAD")
                .collect();
            assert_eq!(allowed, documented, "methods of {template}");
            let (_, body) = status_json(res).await;
            assert_eq!(code(&body), "method_not_allowed");
        }
        // Every reference resolves inside the document.
        let text = doc.to_string();
        for (i, _) in text.match_indices("\"$ref\":\"#/components/schemas/") {
            let rest = &text[i + 29..];
            let name = &rest[..rest.find('"').unwrap()];
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "dangling reference to {name}"
            );
        }
        for must in [
            "/api/v1/openapi.json",
            "/open311/v2/discovery.{format}",
            "/open311/v2/requests.{format}",
            "/open311/v2/services/{service_code}.{format}",
            "/open311/v2/requests/{service_request_id}.{format}",
            "/open311/v2/tokens/{token}.{format}",
        ] {
            assert!(
                paths.contains_key(must),
                "{must} is routed but not documented"
            );
        }
    }
);

/// The paths of the `.route("…")` calls in the source (the `/api/v1` routes are mounted with
/// `utoipa_axum::routes!`, from the same annotation as their document entry).
fn routed_in_source(dir: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            routed_in_source(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices(".route(") {
                let after = text[i + 7..].trim_start();
                let lit = after.trim_start_matches('&').trim_start_matches("format!(");
                if let Some(lit) = lit.strip_prefix('"') {
                    out.push(lit[..lit.find('"').unwrap()].to_string());
                }
            }
        }
    }
}

#[test]
fn every_api_route_in_the_source_is_documented() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut routed = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            routed_in_source(&src, &mut routed);
        }
    }
    assert!(routed.iter().any(|r| r.starts_with("/aduan")), "{routed:?}");
    let doc: Value = serde_json::from_str(balai::web::api::contract_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for r in routed
        .iter()
        // `/api/docs` is the HTML page that lists the document.
        .filter(|r| r.starts_with("/api/") && *r != "/api/docs" || r.starts_with("/open311/"))
    {
        // `/open311/v2/services{suffix}` stands for `services`, `services.json`, `.xml`.
        let r = r.replace("{suffix}", ".{format}");
        let documented = paths.contains_key(&r)
            || paths.keys().any(|p| {
                p.strip_suffix(".{format}").is_some_and(|base| {
                    let stem = base.rsplit_once('/').map_or(base, |(d, _)| d);
                    r.strip_suffix("/{file}") == Some(stem)
                })
            });
        assert!(documented, "route {r} is not in the API document");
    }
}

both_backends!(
    errors_match_the_document_and_carry_their_headers,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let c = Client::new();
        let (_, doc) = status_json(get(&app, &c, "/api/v1/openapi.json").await).await;
        let schema = &doc["components"]["schemas"]["ApiError"];
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        // 401 without a token: the documented body and the scheme to use.
        let res = get(&app, &c, "/api/v1/me").await;
        assert_eq!(res.st(), 401);
        assert_eq!(header(&res, "www-authenticate"), "Bearer realm=\"balai\"");
        let (_, body) = status_json(res).await;
        for field in &required {
            assert!(
                body.get(*field).is_some(),
                "{field} required but not sent: {body}"
            );
        }
        let declared = doc["paths"]["/api/v1/me"]["get"]["responses"]["401"].clone();
        assert!(
            declared["headers"].get("WWW-Authenticate").is_some(),
            "{declared}"
        );
        // Every secured operation declares its 401, every operation with a body its 415.
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let responses = &op["responses"];
                if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                    assert!(responses.get("401").is_some(), "{method} {path} lacks 401");
                }
                if op.get("requestBody").is_some() {
                    assert!(responses.get("415").is_some(), "{method} {path} lacks 415");
                }
            }
        }
        // A 405 lists what is allowed.
        let res = c.put(app.url("/api/v1/regions/32")).send().await.unwrap();
        assert_eq!(res.st(), 405);
        assert_eq!(header(&res, "allow"), "GET,HEAD");
        // A malformed Idempotency-Key does not come before the method (405) nor the token (401).
        let res = c
            .put(app.url("/api/v1/agencies"))
            .header("Idempotency-Key", "")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 405);
        let res = c
            .post(app.url("/api/v1/agencies"))
            .header("Idempotency-Key", "not valid")
            .json(&json!({"kind": "kpu", "name": "x", "region_code": "32"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 401);
        app.add_user("root", None, Role::Admin, true).await;
        let token = app.token_for("root").await;
        let res = c
            .post(app.url("/api/v1/agencies"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "not valid")
            .json(&json!({"kind": "kpu", "name": "x", "region_code": "32"}))
            .send()
            .await
            .unwrap();
        let (s, body) = status_json(res).await;
        assert_eq!((s, code(&body)), (400, "bad_idempotency_key"));
    }
);

both_backends!(
    every_keyed_operation_refuses_a_malformed_key,
    |b: Backend| async move {
        // The document declares the Idempotency-Key rule on every POST, PUT and PATCH under
        // `/api/`: each one, with a caller who may reach it, refuses a key that breaks the
        // rule (400) before it reads the body, so nothing is written or read. A handler that
        // takes neither `Keyed` nor `ReadPost` would not, and would answer otherwise.
        let app = TestApp::spawn(b).await;
        let c = Client::new();
        app.add_user("root", None, Role::Admin, true).await;
        let token = app.token_for("root").await;
        let doc = contract();
        let mut wrong = Vec::new();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let declared = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
                if !declared {
                    continue;
                }
                let media = op["requestBody"]["content"]
                    .as_object()
                    .and_then(|m| m.keys().next().cloned())
                    .unwrap_or_else(|| "application/json".into());
                let url = app.url(&concrete(path));
                let rq = match method.as_str() {
                    "post" => c.post(url),
                    "put" => c.put(url),
                    "patch" => c.patch(url),
                    other => panic!("{other} {path} declares an Idempotency-Key"),
                };
                let res = rq
                    .bearer_auth(&token)
                    .header("Idempotency-Key", "not valid")
                    .header("content-type", media)
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                let (s, body) = status_json(res).await;
                checked += 1;
                if (s, code(&body)) != (400, "bad_idempotency_key") {
                    wrong.push(format!("{method} {path}: {s} {body}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // 73 when this was written; fewer means the filter above went wrong.
        assert!(checked >= 70, "only {checked} keyed operations");
    }
);

/// The served document, completed as a contract.
fn contract() -> Value {
    serde_json::from_str(balai::web::api::contract_json()).unwrap()
}

fn query_param<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name && p["in"] == "query")
        .unwrap_or_else(|| panic!("{path} has no query parameter {name}"))
}

/// The patterns a schema states, its own and those of its `allOf`.
fn patterns_of(schema: &Value) -> Vec<String> {
    let own = schema["pattern"].as_str().map(str::to_string);
    let all = schema["allOf"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["pattern"].as_str().map(str::to_string));
    own.into_iter().chain(all).collect()
}

#[test]
fn request_texts_carry_the_text_rules() {
    use balai_core::text::patterns;
    let doc = contract();
    let schemas = &doc["components"]["schemas"];
    // One-line and multi-line fields of a JSON body, beside a field's own pattern.
    let complaint = &schemas["ComplaintInput"]["properties"];
    assert_eq!(patterns_of(&complaint["title"]), [patterns::text("title")]);
    assert_eq!(
        patterns_of(&complaint["description"]),
        [patterns::text("description")]
    );
    // A field that must not be blank (`\S` on the type) gets one pattern that says both.
    let name = patterns_of(&schemas["NewAgency"]["properties"]["name"]);
    assert_eq!(name, [patterns::visible("name").unwrap()], "{name:?}");
    // Nested components and array items.
    let doc_input = &schemas["DocumentInput"]["properties"]["filename"];
    assert_eq!(patterns_of(doc_input), [patterns::text("filename")]);
    let parties = &schemas["CandidateInput"]["properties"]["parties"]["items"];
    assert_eq!(patterns_of(parties), [patterns::text("parties")]);
    // A form body (Open311), a query value, a CSV body.
    let open311 = &schemas["NewServiceRequest"]["properties"]["description"];
    assert_eq!(patterns_of(open311), [patterns::text("description")]);
    let q = patterns_of(&query_param(&doc, "/api/v1/regions", "q")["schema"]);
    assert!(q.contains(&patterns::one_line()), "{q:?}");
    let csv = &doc["paths"]["/api/v1/elections/{id}/tps/import"]["post"]["requestBody"]["content"]
        ["text/csv"]["schema"];
    assert_eq!(patterns_of(csv), [patterns::lines()]);
    // Words from a list and dates need no text rule.
    assert!(schemas["NewAgency"]["properties"]["kind"]["pattern"].is_null());
    // Every JSON body names all its fields: the text check reads the fields the document does
    // not name too, so a document that allowed them would promise what the server refuses.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            let Some(name) = body["$ref"].as_str() else {
                continue;
            };
            let schema = &schemas[name.trim_start_matches("#/components/schemas/")];
            assert_eq!(
                schema["additionalProperties"],
                json!(false),
                "{method} {path}: {name} must deny unknown fields (#[serde(deny_unknown_fields)])"
            );
        }
    }
}

#[test]
fn every_answer_of_the_layers_is_declared() {
    let doc = contract();
    let paths = doc["paths"].as_object().unwrap();
    // A control character in the query: 422 wherever there is a query.
    for path in [
        "/api/v1/regions",
        "/api/v1/audit",
        "/open311/v2/services.{format}",
    ] {
        assert!(
            paths[path]["get"]["responses"].get("422").is_some(),
            "GET {path} lacks 422"
        );
    }
    let described = doc["paths"]["/api/v1/regions"]["get"]["responses"]["422"]["description"]
        .as_str()
        .unwrap();
    assert!(described.contains("bad_text") && described.contains("blank_text"));
    // Flood control answers 429 (with Retry-After, below) on both public filings.
    for path in ["/api/v1/complaints", "/api/v1/civil-registry/applications"] {
        assert!(
            paths[path]["post"]["responses"].get("429").is_some(),
            "POST {path} lacks 429"
        );
    }
    // Paging bounds as the server applies them.
    let after = &query_param(&doc, "/api/v1/elections/{id}/log", "after")["schema"];
    let limit = &query_param(&doc, "/api/v1/elections/{id}/log", "limit")["schema"];
    assert_eq!(after["minimum"], json!(0));
    assert_eq!(
        (&limit["minimum"], &limit["maximum"]),
        (&json!(1), &json!(5000))
    );
    // The session cookie is a way in; its writes carry the CSRF token.
    let session = &doc["components"]["securitySchemes"]["session"];
    assert_eq!(
        (&session["type"], &session["in"], &session["name"]),
        (&json!("apiKey"), &json!("cookie"), &json!("balai_session"))
    );
    let allow = &doc["components"]["responses"]["MethodNotAllowed"]["headers"]["Allow"];
    assert!(
        allow.is_object(),
        "405 and its Allow header are not described"
    );
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let responses = &op["responses"];
            let write = matches!(method.as_str(), "post" | "put" | "patch" | "delete");
            if write {
                let unavailable = &responses["503"];
                assert!(
                    unavailable["headers"].get("Retry-After").is_some(),
                    "{method} {path} lacks 503 with Retry-After"
                );
            }
            if write && path.starts_with("/api/") {
                let csrf = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["name"] == "X-CSRF-Token" && p["in"] == "header");
                assert!(csrf, "{method} {path} lacks X-CSRF-Token");
                assert!(responses.get("403").is_some(), "{method} {path} lacks 403");
            }
            let security = op["security"].as_array().cloned().unwrap_or_default();
            if security.iter().any(|s| s.get("bearer").is_some()) {
                assert!(
                    security.iter().any(|s| s.get("session").is_some()),
                    "{method} {path}: the session cookie is not named as a way in"
                );
            }
            if let Some(limited) = responses.get("429") {
                assert!(limited["headers"].get("Retry-After").is_some(), "{path}");
            }
        }
    }
}

both_backends!(
    the_server_refuses_what_the_document_refuses,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let c = Client::new();
        app.add_user("root", None, Role::Admin, true).await;
        let token = app.token_for("root").await;
        let create = |agency: Value| {
            c.post(app.url("/api/v1/agencies"))
                .bearer_auth(&token)
                .json(&agency)
                .send()
        };
        // A field the body does not name: refused, nothing stored.
        let agency =
            json!({"kind": "kpu", "name": "KPU Kota Uji", "region_code": "32", "note": "x"});
        let (s, body) = status_json(create(agency.clone()).await.unwrap()).await;
        assert_eq!(s, 422, "{body}");
        assert!(body["message"].as_str().unwrap().contains("note"), "{body}");
        let named = "SELECT COUNT(*) FROM agencies WHERE name = 'KPU Kota Uji'";
        assert_eq!(count(&app.ctx.db, named).await, 0);
        let mut agency = agency;
        agency.as_object_mut().unwrap().remove("note");
        assert_eq!(create(agency).await.unwrap().st(), 201);
        // A control character in the query: the declared 422 with its code.
        let (s, body) = status_json(get(&app, &c, "/api/v1/regions?q=ba%00nj").await).await;
        assert_eq!((s, code(&body)), (422, "bad_text"));
        // The log's paging bounds, as documented.
        let (s, body) =
            status_json(get(&app, &c, "/api/v1/elections/1/log?limit=5001").await).await;
        assert_eq!((s, code(&body)), (400, "bad_page"));
        let res = get(&app, &c, "/api/v1/elections/1/log?limit=5000&after=0").await;
        assert_eq!(
            res.st(),
            404,
            "a page within the bounds reaches the (missing) election"
        );
    }
);

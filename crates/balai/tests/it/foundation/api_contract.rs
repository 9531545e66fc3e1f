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

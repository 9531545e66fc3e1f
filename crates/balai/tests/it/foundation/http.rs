//! The foundation over real HTTP: pages, headers, errors, regions, OpenAPI and the operations
//! endpoints — on SQLite and PostgreSQL. (Sign-in, scoping and audit: `foundation::accounts`;
//! idempotency and the calendar API: `foundation::writes`.)

use crate::support::http::*;
use crate::support::{Backend, TestApp};
use balai_core::accounts::Role;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_TYPE};
use reqwest::Client;
use serde_json::json;

// ---------------------------------------------------------------- 1. home page, headers, assets

both_backends!(home_page_and_security_headers, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    let c = app.client();
    let res = get(&app, &c, "/").await;
    assert_eq!(res.st(), 200);
    let csp = header(&res, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert!(!header(&res, "referrer-policy").is_empty());
    assert_eq!(header(&res, "x-request-id").len(), 36);
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"id\">"));
    assert_eq!(html.matches("<li class=\"card\">").count(), 9);
    // Every service is built: each links to its public page, which answers, and none is
    // "coming soon".
    assert!(!html.contains("segera hadir"));
    let html = html.replace("&#38;", "&").replace("&amp;", "&");
    for (title, path) in [
        ("Aduan", "/aduan/baru"),
        ("Pilkada", "/elections"),
        ("Kolaborasi & partisipasi", "/kolaborasi"),
        ("Daftar pemilih", "/pemilih/cek"),
        ("Dokumen kependudukan", "/dukcapil"),
        ("Keterbukaan informasi", "/informasi/arsip"),
        ("Kinerja layanan", "/kinerja"),
        ("SOP & kesiapan petugas", "/sop"),
        ("Netralitas ASN", "/netralitas"),
    ] {
        assert!(
            html.contains(&format!("<h3><a href=\"{path}\">{title}</a></h3>")),
            "service {title}"
        );
        assert_eq!(get(&app, &c, path).await.st(), 200, "{path}");
    }
    let en = get(&app, &c, "/?lang=en").await.text().await.unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("<h3><a href=\"/aduan/baru\">Complaints</a></h3>"));
    // Every response gets its own request id.
    let a = header(&get(&app, &c, "/").await, "x-request-id");
    let b2 = header(&get(&app, &c, "/").await, "x-request-id");
    assert_ne!(a, b2);
    // A page gets the document headers; a data response the short set: nothing may load or
    // run in it, nor frame it, and the headers that only mean something for a document go.
    let page = get(&app, &c, "/").await;
    assert_eq!(header(&page, "cross-origin-opener-policy"), "same-origin");
    assert!(!header(&page, "permissions-policy").is_empty());
    let data = get(&app, &c, "/api/v1/openapi.json").await;
    assert_eq!(data.st(), 200);
    assert!(header(&data, "content-type").starts_with("application/json"));
    assert_eq!(
        header(&data, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(header(&data, "x-content-type-options"), "nosniff");
    assert_eq!(header(&data, "x-frame-options"), "DENY");
    assert!(!header(&data, "strict-transport-security").is_empty());
    assert_eq!(header(&data, "x-request-id").len(), 36);
    for document_only in [
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
    ] {
        assert_eq!(header(&data, document_only), "", "{document_only}");
    }
});

both_backends!(
    home_page_is_small_when_compressed,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        // No cookie store, no transparent decompression: the byte count is what travels.
        let c = Client::new();
        for enc in ["br", "gzip"] {
            let res = c
                .get(app.url("/"))
                .header(ACCEPT_ENCODING, enc)
                .send()
                .await
                .unwrap();
            assert_eq!(res.st(), 200);
            assert_eq!(header(&res, "content-encoding"), enc);
            let html_bytes = res.bytes().await.unwrap().len();
            // Find the stylesheet link in the (uncompressed) page.
            let plain = c.get(app.url("/")).send().await.unwrap();
            assert_eq!(header(&plain, "content-encoding"), "");
            let html = plain.text().await.unwrap();
            assert!(html_bytes < html.len(), "{enc} did not shrink the page");
            let marker = "rel=\"stylesheet\" href=\"";
            let i = html.find(marker).unwrap() + marker.len();
            let href = &html[i..i + html[i..].find('"').unwrap()];
            assert!(href.starts_with("/static/app.css"));
            let css = c
                .get(app.url(href))
                .header(ACCEPT_ENCODING, enc)
                .send()
                .await
                .unwrap();
            assert_eq!(css.st(), 200);
            assert_eq!(header(&css, "content-encoding"), enc);
            let css_bytes = css.bytes().await.unwrap().len();
            assert!(css_bytes > 0);
            let total = html_bytes + css_bytes;
            assert!(total <= 30 * 1024, "{enc}: home + css = {total} bytes");
        }
    }
);

both_backends!(
    static_assets_are_immutable_with_etag,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let c = Client::new();
        let url = balai_core::web::assets::url("app.css");
        assert!(url.contains("?v="));
        let res = c.get(app.url(&url)).send().await.unwrap();
        assert_eq!(res.st(), 200);
        assert!(header(&res, "cache-control").contains("immutable"));
        assert!(header(&res, "content-type").starts_with("text/css"));
        let etag = header(&res, "etag");
        assert!(etag.starts_with('"') && etag.len() > 2, "{etag:?}");
        let again = c
            .get(app.url(&url))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.st(), 304);
        assert!(again.bytes().await.unwrap().is_empty());
        let stale = c
            .get(app.url(&url))
            .header("if-none-match", "\"nope\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.st(), 200);
        assert_eq!(get(&app, &c, "/static/nope.css").await.st(), 404);
    }
);

// ---------------------------------------------------------------- 2. errors and limits

both_backends!(
    errors_are_rendered_without_internals,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let c = Client::new();
        let res = get(&app, &c, "/tidak/ada").await;
        assert_eq!(res.st(), 404);
        assert!(header(&res, "content-type").starts_with("text/html"));
        let rid = header(&res, "x-request-id");
        let html = res.text().await.unwrap();
        assert!(html.contains(&rid), "request id {rid} not on the page");
        for word in ["sqlx", "panicked", "SELECT", "stack"] {
            assert!(!html.contains(word), "404 page mentions {word}");
        }

        let res = get(&app, &c, "/api/v1/regions/99.99").await;
        let rid = header(&res, "x-request-id");
        let (s, v) = status_json(res).await;
        assert_eq!(s, 404);
        assert_eq!(v["code"], "region_not_found");
        assert!(!v["message"].as_str().unwrap().is_empty());
        assert_eq!(v["request_id"], rid.as_str());

        let (s, v) = status_json(get(&app, &c, "/api/v1/regions/3x").await).await;
        assert_eq!((s, code(&v)), (400, "bad_region_code"));

        let res = get(&app, &c, "/regions/3x").await;
        assert_eq!(res.st(), 400);
        assert!(header(&res, "content-type").starts_with("text/html"));
        assert!(res.text().await.unwrap().contains("<html"));
    }
);

both_backends!(malformed_and_oversized_bodies, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    app.add_user("root", None, Role::Admin, true).await;
    let token = app.token_for("root").await;
    let c = Client::new();
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"kind\": \"kpu\", \"name\": ")
        .send()
        .await
        .unwrap();
    let (s, v) = status_json(res).await;
    assert!((400..500).contains(&s), "status {s}");
    assert!(!v["code"].as_str().unwrap().is_empty());
    assert!(v["request_id"].as_str().is_some());

    let filler = "x".repeat(2 * ctx_limit(&app) - 1024);
    let body = json!({ "kind": "kpu", "name": filler, "region_code": "32.79" }).to_string();
    // The refusal reaches the sender every time: the server reads the refused body off before
    // it answers, so the client never writes into a closed connection (this failed now and then
    // with a broken pipe when the 413 went out first).
    for round in 0..20 {
        let res = c
            .post(app.url("/api/v1/agencies"))
            .bearer_auth(&token)
            .header(CONTENT_TYPE, "application/json")
            .header("idempotency-key", "big-1")
            .body(body.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let (s, v) = status_json(res).await;
        assert_eq!(s, 413, "round {round}");
        assert_eq!(v["code"], "body_too_large", "round {round}");
    }
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM agencies").await, 0);
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM idempotency_keys").await,
        0
    );
});

fn ctx_limit(app: &TestApp) -> usize {
    app.ctx.cfg.max_body_bytes
}

// ---------------------------------------------------------------- 3. regions

both_backends!(region_api_and_pages, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    let c = Client::new();
    let (s, v) = status_json(get(&app, &c, "/api/v1/regions/32.79").await).await;
    assert_eq!(s, 200);
    assert_eq!(v["code"], "32.79");
    assert_eq!(v["name"], "Kota Banjar");
    assert_eq!(v["level"], "regency");
    assert_eq!(v["parent"], "32");
    let kids = v["children"].as_array().unwrap();
    assert_eq!(kids.len(), 4);
    for k in kids {
        assert!(k["code"].as_str().unwrap().starts_with("32.79."));
        assert!(!k["name"].as_str().unwrap().is_empty());
    }
    let (_, v) = status_json(get(&app, &c, "/api/v1/regions/32").await).await;
    assert_eq!(v["level"], "province");
    assert!(v["parent"].is_null());
    let (s, v) = status_json(get(&app, &c, "/api/v1/regions?q=banjar").await).await;
    assert_eq!(s, 200);
    assert!(strings(&v, "code").contains(&"32.79".to_string()));
    let (s, v) = status_json(get(&app, &c, "/api/v1/regions?q=a").await).await;
    assert_eq!((s, code(&v)), (400, "bad_query"));

    let res = get(&app, &c, "/regions/16.71").await;
    assert_eq!(res.st(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Kota Palembang"));
    let (_, plg) = status_json(get(&app, &c, "/api/v1/regions/16.71").await).await;
    let districts = strings(&plg["children"], "code");
    assert!(districts.len() >= 10, "{districts:?}");
    for d in &districts {
        assert!(
            html.contains(&format!("href=\"/regions/{d}\"")),
            "no link to {d}"
        );
    }
});

// ---------------------------------------------------------------- 9–10. OpenAPI and operations

both_backends!(openapi_document_and_docs_page, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    let c = Client::new();
    let (s, doc) = status_json(get(&app, &c, "/api/v1/openapi.json").await).await;
    assert_eq!(s, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = [
        "/api/v1/regions/{code}",
        "/api/v1/agencies",
        "/api/v1/calendar/holidays",
    ];
    for p in paths {
        assert!(doc["paths"].get(p).is_some(), "openapi lacks {p}");
    }
    assert!(doc["paths"]["/api/v1/agencies"].get("post").is_some());
    let res = get(&app, &c, "/api/docs").await;
    assert_eq!(res.st(), 200);
    let html = res.text().await.unwrap();
    for p in paths {
        assert!(
            html.contains(&format!("<code>{p}</code>")),
            "docs page lacks {p}"
        );
    }
});

both_backends!(operations_endpoints, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    let c = Client::new();
    let res = get(&app, &c, "/healthz").await;
    assert_eq!(res.st(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
    let res = get(&app, &c, "/readyz").await;
    assert_eq!(res.st(), 200);
    let ready: serde_json::Value = res.json().await.unwrap();
    assert_eq!(ready["ready"], true, "{ready}");
    let res = get(&app, &c, "/metrics").await;
    assert_eq!(res.st(), 200);
    assert!(header(&res, "content-type").starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(text.contains("balai_http_requests_total"), "{text}");
    // Request durations as buckets (summable across instances), not per-instance quantiles.
    assert!(
        text.contains("balai_http_request_duration_seconds_bucket{method=\"GET\",le=\"0.005\"}"),
        "{text}"
    );
});

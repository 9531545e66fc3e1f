#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The foundation over real HTTP: pages, headers, errors, regions, sign-in, scoping, audit,
//! idempotency, the calendar API, OpenAPI and the operations endpoints — on SQLite and PostgreSQL.

mod common;

use balai_core::accounts::Role;
use balai_core::{with_db, with_tx, Db};
use common::{Backend, TestApp};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use reqwest::{Client, Response};
use serde_json::{json, Value};
use sha2::Digest;
use time::macros::date;

// ---------------------------------------------------------------- helpers

fn pw(user: &str) -> String {
    format!("pw-{user}-0123456789")
}

async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await).unwrap()
}

async fn agencies_named(db: &Db, name: &str) -> i64 {
    count(
        db,
        &format!("SELECT COUNT(*) FROM agencies WHERE name = '{name}'"),
    )
    .await
}

async fn exec(db: &Db, sql: &str) {
    let mut tx = db.begin().await.unwrap();
    with_tx!(&mut tx, |c| sqlx::query(sql)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
}

/// The status code as a number.
trait St {
    fn st(&self) -> u16;
}

impl St for Response {
    fn st(&self) -> u16 {
        self.status().as_u16()
    }
}

fn header(res: &Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The `balai_session=…` value a response sets, if any.
fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("balai_session="))
        .map(str::to_string)
}

async fn get(app: &TestApp, c: &Client, path: &str) -> Response {
    c.get(app.url(path)).send().await.unwrap()
}

async fn api(
    app: &TestApp,
    method: &str,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> Response {
    let c = Client::new();
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = c.request(m, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn status_json(res: Response) -> (u16, Value) {
    let s = res.st();
    let ct = header(&res, "content-type");
    assert!(
        ct.starts_with("application/json"),
        "status {s}: content-type {ct:?}"
    );
    (s, res.json().await.unwrap())
}

fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Two KPU offices in different provinces, their staff and a super-admin.
struct World {
    app: TestApp,
    banjar: i64,
    palembang: i64,
}

async fn world(b: Backend) -> World {
    let app = TestApp::spawn(b).await;
    let banjar = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
    let palembang = app.add_agency("kpu", "KPU Kota Palembang", "16.71").await;
    app.add_user("banjar.officer", Some(banjar), Role::Officer, false)
        .await;
    app.add_user("banjar.admin", Some(banjar), Role::Admin, false)
        .await;
    app.add_user("plg.admin", Some(palembang), Role::Admin, false)
        .await;
    app.add_user("root", None, Role::Admin, true).await;
    World {
        app,
        banjar,
        palembang,
    }
}

/// A browser signed in as `user`.
async fn signed_in(app: &TestApp, user: &str) -> Client {
    let c = app.client();
    let res = app.login(&c, user, &pw(user)).await;
    assert_eq!(res.st(), 303, "login of {user}");
    c
}

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
    assert_eq!(html.matches("<li class=\"card\">").count(), 6);
    for title in [
        "Aduan",
        "Pilkada",
        "Pemilih",
        "Dokumen kependudukan",
        "Keterbukaan",
        "Netralitas ASN",
    ] {
        // A service's title links to its page once the feature exists.
        assert!(
            html.contains(&format!("<h3>{title}"))
                || html.contains(&format!("\">{title}</a></h3>")),
            "service {title}"
        );
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

    let filler = "x".repeat(ctx_limit(&app) + 1024);
    let body = json!({ "kind": "kpu", "name": filler, "region_code": "32.79" }).to_string();
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .header("idempotency-key", "big-1")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 413);
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

// ---------------------------------------------------------------- 4. sign-in

both_backends!(login_dashboard_and_logout, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    let anon = app.client();
    let res = get(app, &anon, "/dashboard").await;
    assert_eq!(res.st(), 303);
    let loc = header(&res, "location");
    assert!(loc.starts_with("/login?next="), "{loc}");
    assert!(loc.contains("dashboard"), "{loc}");

    let c = app.client();
    let res = app.login(&c, "banjar.officer", "salah-sekali-123").await;
    assert_eq!(res.st(), 401);
    assert!(session_cookie(&res).is_none());
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Nama pengguna atau kata sandi salah."));

    let res = app.login(&c, "banjar.officer", &pw("banjar.officer")).await;
    assert_eq!(res.st(), 303);
    assert_eq!(header(&res, "location"), "/dashboard");
    let cookie = session_cookie(&res).expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite"), "{cookie}");
    let res = get(app, &c, "/dashboard").await;
    assert_eq!(res.st(), 200);
    assert!(res.text().await.unwrap().contains("banjar.officer"));

    // A POST without the csrf field: refused, no session.
    let c2 = app.client();
    get(app, &c2, "/login").await;
    let res = c2
        .post(app.url("/login"))
        .form(&[
            ("username", "banjar.admin"),
            ("password", &pw("banjar.admin")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 403);
    assert!(session_cookie(&res).is_none());
    assert_eq!(get(app, &c2, "/dashboard").await.st(), 303);
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'banjar.admin'"
        )
        .await,
        0
    );

    // Logout needs the csrf token too.
    let res = c
        .post(app.url("/logout"))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 403);
    assert_eq!(get(app, &c, "/dashboard").await.st(), 200);
    let token = app.csrf(&c, "/dashboard").await;
    let res = c
        .post(app.url("/logout"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 303);
    assert_eq!(get(app, &c, "/dashboard").await.st(), 303);
    // The old cookie is dead on the server, not only forgotten by the browser.
    let value = cookie.split(';').next().unwrap().to_string();
    let replay = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/dashboard"))
        .header("cookie", value)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.st(), 303);
});

both_backends!(login_is_throttled_per_username, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    for i in 0..5 {
        let c = app.client();
        let res = app
            .login(&c, "banjar.admin", &format!("salah-{i}-xxxxxx"))
            .await;
        assert_eq!(res.st(), 401, "attempt {i}");
    }
    let c = app.client();
    let res = app.login(&c, "banjar.admin", &pw("banjar.admin")).await;
    assert_eq!(res.st(), 429);
    assert!(session_cookie(&res).is_none());
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Terlalu banyak percobaan"));
    assert_eq!(get(app, &c, "/dashboard").await.st(), 303);
    // Another account from the same address is not affected.
    signed_in(app, "plg.admin").await;
});

both_backends!(
    password_change_ends_other_sessions,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let user = "banjar.officer";
        let a = signed_in(app, user).await;
        let other = signed_in(app, user).await;
        let token = app.csrf(&a, "/account/password").await;
        let post = |current: String, new: &'static str, confirm: &'static str| {
            let a = a.clone();
            let token = token.clone();
            let url = app.url("/account/password");
            async move {
                a.post(url)
                    .form(&[
                        ("csrf", token.as_str()),
                        ("current", current.as_str()),
                        ("new", new),
                        ("confirm", confirm),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .st()
            }
        };
        let new = "kata-sandi-baru-2024";
        assert_eq!(post("bukan-ini-123456".into(), new, new).await, 422);
        assert_eq!(post(pw(user), new, "kata-sandi-lain-2024").await, 422);
        assert_eq!(get(app, &other, "/dashboard").await.st(), 200);
        assert_eq!(post(pw(user), new, new).await, 200);
        // This session survives; the other browser is signed out.
        assert_eq!(get(app, &a, "/dashboard").await.st(), 200);
        let res = get(app, &other, "/dashboard").await;
        assert_eq!(res.st(), 303);
        assert!(header(&res, "location").starts_with("/login"));
        let c = app.client();
        assert_eq!(app.login(&c, user, &pw(user)).await.st(), 401);
        assert_eq!(app.login(&c, user, new).await.st(), 303);
    }
);

// ---------------------------------------------------------------- 5. scoping

both_backends!(
    api_is_scoped_to_agency_region_and_kind,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let banjar = app.token_for("banjar.admin").await;
        let root = app.token_for("root").await;
        let (s, v) = status_json(api(app, "GET", &banjar, "/api/v1/agencies", None).await).await;
        assert_eq!(s, 200);
        assert_eq!(strings(&v, "name"), vec!["KPU Kota Banjar"]);
        let path = format!("/api/v1/agencies/{}", w.palembang);
        let (s, v) = status_json(api(app, "GET", &banjar, &path, None).await).await;
        assert_eq!((s, code(&v)), (404, "not_found"));
        let own = format!("/api/v1/agencies/{}", w.banjar);
        let (s, v) = status_json(api(app, "GET", &banjar, &own, None).await).await;
        assert_eq!((s, v["name"].as_str()), (200, Some("KPU Kota Banjar")));
        let (s, v) = status_json(api(app, "GET", &banjar, "/api/v1/users", None).await).await;
        assert_eq!(s, 200);
        let names = strings(&v, "username");
        assert!(names.contains(&"banjar.officer".to_string()), "{names:?}");
        assert!(!names.contains(&"plg.admin".to_string()), "{names:?}");
        assert!(!names.contains(&"root".to_string()), "{names:?}");

        let (_, v) = status_json(api(app, "GET", &root, "/api/v1/agencies", None).await).await;
        let mut all = strings(&v, "name");
        all.sort();
        assert_eq!(all, vec!["KPU Kota Banjar", "KPU Kota Palembang"]);
        let (s, _) = status_json(api(app, "GET", &root, &path, None).await).await;
        assert_eq!(s, 200);
        let (_, v) = status_json(api(app, "GET", &root, "/api/v1/users", None).await).await;
        assert!(strings(&v, "username").contains(&"plg.admin".to_string()));

        // A Bawaslu office in Banjar is another kind: not visible to KPU Banjar.
        let bawaslu = app
            .add_agency("bawaslu", "Bawaslu Kota Banjar", "32.79")
            .await;
        let p = format!("/api/v1/agencies/{bawaslu}");
        assert_eq!(api(app, "GET", &banjar, &p, None).await.st(), 404);

        let officer = app.token_for("banjar.officer").await;
        let (s, v) = status_json(api(app, "GET", &officer, "/api/v1/users", None).await).await;
        assert_eq!((s, code(&v)), (403, "forbidden"));
        let (s, v) = status_json(api(app, "GET", "balai_bogus", "/api/v1/me", None).await).await;
        assert_eq!((s, code(&v)), (401, "unauthorized"));
        let (s, _) = status_json(api(app, "GET", &officer, "/api/v1/me", None).await).await;
        assert_eq!(s, 200);
        // Disabled (token itself not revoked): refused.
        exec(
            &app.db,
            "UPDATE users SET disabled = TRUE WHERE username = 'banjar.officer'",
        )
        .await;
        let (s, _) = status_json(api(app, "GET", &officer, "/api/v1/me", None).await).await;
        assert_eq!(s, 401);
    }
);

both_backends!(
    pages_are_scoped_to_agency_region_and_kind,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let banjar = signed_in(app, "banjar.admin").await;
        let plg_page = format!("/admin/agencies/{}", w.palembang);
        let res = get(app, &banjar, &plg_page).await;
        assert_eq!(res.st(), 404);
        assert!(!res.text().await.unwrap().contains("Palembang"));
        let res = get(app, &banjar, &format!("/admin/agencies/{}", w.banjar)).await;
        assert_eq!(res.st(), 200);
        assert!(res.text().await.unwrap().contains("banjar.officer"));
        let users = get(app, &banjar, "/admin/users")
            .await
            .text()
            .await
            .unwrap();
        assert!(users.contains("banjar.officer"));
        assert!(!users.contains("plg.admin"));
        let agencies = get(app, &banjar, "/admin/agencies")
            .await
            .text()
            .await
            .unwrap();
        assert!(agencies.contains("KPU Kota Banjar"));
        assert!(!agencies.contains("Palembang"));

        let plg = signed_in(app, "plg.admin").await;
        let res = get(app, &plg, &plg_page).await;
        assert_eq!(res.st(), 200);
        assert!(res.text().await.unwrap().contains("KPU Kota Palembang"));
        let users = get(app, &plg, "/admin/users").await.text().await.unwrap();
        assert!(users.contains("plg.admin"));
        assert!(!users.contains("banjar.officer"));

        let officer = signed_in(app, "banjar.officer").await;
        assert_eq!(get(app, &officer, "/admin/audit").await.st(), 403);
        assert_eq!(get(app, &officer, "/admin/users").await.st(), 403);
        assert_eq!(get(app, &banjar, "/admin/audit").await.st(), 200);
    }
);

// ---------------------------------------------------------------- 6. audit

both_backends!(audit_records_and_scopes_events, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    let root = app.token_for("root").await;
    let banjar = app.token_for("banjar.admin").await;
    let plg = app.token_for("plg.admin").await;
    signed_in(app, "root").await;
    let c = app.client();
    assert_eq!(app.login(&c, "root", "bukan-sandinya-1").await.st(), 401);
    let body =
        json!({ "kind": "bawaslu", "name": "Bawaslu Kota Palembang", "region_code": "16.71" });
    let (s, created) =
        status_json(api(app, "POST", &root, "/api/v1/agencies", Some(body)).await).await;
    assert_eq!(s, 201);
    let created_id = created["id"].as_i64().unwrap().to_string();
    assert_eq!(api(app, "GET", &plg, "/api/v1/users", None).await.st(), 200);
    assert_eq!(
        api(app, "GET", &banjar, "/api/v1/users", None).await.st(),
        200
    );

    let (s, all) = status_json(api(app, "GET", &root, "/api/v1/audit", None).await).await;
    assert_eq!(s, 200);
    let all = all.as_array().unwrap().clone();
    let has = |action: &str, pred: &dyn Fn(&Value) -> bool| {
        all.iter().any(|e| e["action"] == action && pred(e))
    };
    assert!(has("auth.login", &|e| e["actor"] == "root"));
    assert!(has("auth.login_failed", &|e| e["target_id"] == "root"));
    assert!(has("agency.created", &|e| {
        e["target_id"] == created_id.as_str() && e["region_code"] == "16.71"
    }));
    assert!(has("personal_data.read", &|e| e["actor"] == "banjar.admin"
        && e["region_code"] == "32.79"));
    assert!(has("personal_data.read", &|e| e["actor"] == "plg.admin"));
    assert!(all.iter().all(|e| e["hash"].as_str().unwrap().len() == 64));

    let (s, mine) = status_json(api(app, "GET", &banjar, "/api/v1/audit", None).await).await;
    assert_eq!(s, 200);
    let mine = mine.as_array().unwrap();
    assert!(mine.iter().any(|e| e["action"] == "personal_data.read"));
    for e in mine {
        let r = e["region_code"].as_str().unwrap_or("");
        assert!(r == "32.79" || r.starts_with("32.79."), "banjar sees {e}");
    }
    let officer = app.token_for("banjar.officer").await;
    assert_eq!(
        api(app, "GET", &officer, "/api/v1/audit", None).await.st(),
        403
    );

    let n = balai_core::audit::verify(&app.db).await.unwrap().unwrap();
    // Root saw every event; the chain covers exactly those.
    assert_eq!(n, all.len() as i64);
    assert_eq!(n, 5, "login, failed login, agency, two reads");
});

// ---------------------------------------------------------------- 7. idempotency

both_backends!(idempotency_keys_on_api_posts, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    let token = app.token_for("root").await;
    let c = Client::new();
    let post = |key: &str, body: &Value| {
        c.post(app.url("/api/v1/agencies"))
            .bearer_auth(&token)
            .header("idempotency-key", key)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).unwrap())
            .send()
    };
    let body = json!({ "kind": "kpu", "name": "KPU Kabupaten Bogor", "region_code": "32.01" });
    let first = post("k-1", &body).await.unwrap();
    assert_eq!(first.st(), 201);
    assert_eq!(header(&first, "idempotency-replayed"), "");
    let id1 = first.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let second = post("k-1", &body).await.unwrap();
    assert_eq!(second.st(), 201);
    assert_eq!(header(&second, "idempotency-replayed"), "true");
    let id2 = second.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(id1, id2);
    assert_eq!(agencies_named(&app.db, "KPU Kabupaten Bogor").await, 1);

    let other = json!({ "kind": "kpu", "name": "KPU Kabupaten Garut", "region_code": "32.05" });
    let (s, v) = status_json(post("k-1", &other).await.unwrap()).await;
    assert_eq!((s, code(&v)), (422, "idempotency_key_reused"));
    assert_eq!(agencies_named(&app.db, "KPU Kabupaten Garut").await, 0);

    // The first request with this key is still running (another instance, say).
    let scope = format!(
        "auth:{}",
        balai_core::auth::sha256_hex(&format!("Bearer {token}"))
    );
    let bytes = serde_json::to_vec(&other).unwrap();
    let mut h = sha2::Sha256::new();
    h.update(b"POST /api/v1/agencies\n");
    h.update(&bytes);
    let hash = hex::encode(h.finalize());
    let mut tx = app.db.begin().await.unwrap();
    with_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, created_at)
         VALUES ($1, 'k-running', $2, 'running', $3)"
    )
    .bind(&scope)
    .bind(&hash)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    let (s, v) = status_json(post("k-running", &other).await.unwrap()).await;
    assert_eq!((s, code(&v)), (409, "idempotency_in_progress"));
    assert_eq!(agencies_named(&app.db, "KPU Kabupaten Garut").await, 0);

    // A validation error is an answer too: stored and replayed, nothing created.
    let bad = json!({ "kind": "dukun", "name": "Kantor Aneh", "region_code": "32.01" });
    let (s, v) = status_json(post("k-bad", &bad).await.unwrap()).await;
    assert_eq!((s, code(&v)), (422, "bad_kind"));
    let again = post("k-bad", &bad).await.unwrap();
    assert_eq!(header(&again, "idempotency-replayed"), "true");
    let (s, v2) = status_json(again).await;
    assert_eq!(s, 422);
    assert_eq!(v2["code"], "bad_kind");
    assert_eq!(v2["message"], v["message"]);
    assert_eq!(agencies_named(&app.db, "Kantor Aneh").await, 0);
    // Keys belong to the caller: another token with the same key acts afresh.
    let admin = app.token_for("banjar.admin").await;
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&admin)
        .header("idempotency-key", "k-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 403);
    assert_eq!(header(&res, "idempotency-replayed"), "");
});

// ---------------------------------------------------------------- 8. calendar

both_backends!(
    calendar_api_moves_running_deadlines,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let c = Client::new();
        let path = "/api/v1/calendar/add-working-days?start=2024-04-05&n=3";
        let (s, v) = status_json(get(app, &c, path).await).await;
        assert_eq!((s, v["due"].as_str()), (200, Some("2024-04-18")));

        let mut tx = app.db.begin().await.unwrap();
        let due = balai_core::calendar::start_clock(
            &mut tx,
            "test",
            "1",
            "reply",
            date!(2026 - 11 - 06),
            3,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(due, date!(2026 - 11 - 11));
        let due_now = || async {
            balai_core::calendar::get_clock(&app.db, "test", "1", "reply")
                .await
                .unwrap()
                .unwrap()
                .due_day
        };
        let holiday = json!({ "day": "2026-11-10", "kind": "libur_daerah", "name_id": "Libur daerah uji",
        "source": "Perda uji 1/2026", "confirmed": true });
        let admin = app.token_for("banjar.admin").await;
        let (s, v) = status_json(
            api(
                app,
                "POST",
                &admin,
                "/api/v1/calendar/holidays",
                Some(holiday.clone()),
            )
            .await,
        )
        .await;
        assert_eq!((s, code(&v)), (403, "forbidden"));
        assert_eq!(due_now().await, date!(2026 - 11 - 11));

        let root = app.token_for("root").await;
        let (s, v) = status_json(
            api(
                app,
                "POST",
                &root,
                "/api/v1/calendar/holidays",
                Some(holiday),
            )
            .await,
        )
        .await;
        assert_eq!(s, 201);
        assert!(v["deadlines_moved"].as_u64().unwrap() >= 1, "{v}");
        assert_eq!(due_now().await, date!(2026 - 11 - 12));
        let (_, list) = status_json(get(app, &c, "/api/v1/calendar/holidays").await).await;
        let days = strings(&list, "day");
        assert!(days.contains(&"2026-11-10".to_string()), "{list}");
        assert!(
            days.contains(&"2024-04-10".to_string()),
            "shipped holidays, YYYY-MM-DD"
        );

        let bad =
            json!({ "day": "2026-13-45", "kind": "libur_daerah", "name_id": "x", "source": "y" });
        let (s, v) =
            status_json(api(app, "POST", &root, "/api/v1/calendar/holidays", Some(bad)).await)
                .await;
        assert!(s == 422 || s == 400, "status {s}");
        assert_eq!(v["code"], "bad_date");

        let del = "/api/v1/calendar/holidays/2026-11-10";
        assert_eq!(api(app, "DELETE", &admin, del, None).await.st(), 403);
        assert_eq!(api(app, "DELETE", &root, del, None).await.st(), 204);
        assert_eq!(due_now().await, date!(2026 - 11 - 11));
        assert_eq!(api(app, "DELETE", &root, del, None).await.st(), 404);
        let (_, list) = status_json(get(app, &c, "/api/v1/calendar/holidays").await).await;
        assert!(!strings(&list, "day").contains(&"2026-11-10".to_string()));
    }
);

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
    assert_eq!(res.text().await.unwrap(), "ready");
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

//! Accounts over real HTTP: sign-in, role and region scoping, and the audit log — on SQLite and
//! PostgreSQL.

use crate::support::http::*;
use crate::support::{exec, Backend};
use reqwest::Client;
use serde_json::{json, Value};

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

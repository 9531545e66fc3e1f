//! Sessions and what rides on them: the page after sign-in stays on this site, the CSRF token
//! belongs to one session and guards cookie-authenticated API writes too, a password change
//! revokes the user's API tokens, and the language link of an error page stays on this site.

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::Client;
use serde_json::json;

use crate::support::http::*;
use crate::support::{extract_csrf, Backend, TestApp};

/// The value of cookie `name` set by `res`.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

/// The CSRF token of a page fetched with `cookie`.
async fn token_on(app: &TestApp, path: &str, cookie: String) -> String {
    let html = no_redirects()
        .get(app.url(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    extract_csrf(&html).unwrap()
}

fn no_redirects() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

both_backends!(sign_in_never_redirects_off_site, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    let user = "banjar.officer";
    let c = signed_in(app, user).await;
    // As written in a link, and as the form field carries it.
    let bad = [
        ("/%09/evil.example", "/\t/evil.example"),
        ("/%0A/evil.example", "/\n/evil.example"),
        ("//evil.example", "//evil.example"),
        ("/%5Cevil.example", "/\\evil.example"),
        ("/%5C%5Cevil.example", "/\\\\evil.example"),
        ("https://evil.example", "https://evil.example"),
        ("%2F%2Fevil.example", "//evil.example"),
        ("/%20/evil.example", "/ /evil.example"),
    ];
    for (next, decoded) in bad {
        // Already signed in: an immediate redirect.
        let res = get(app, &c, &format!("/login?next={next}")).await;
        assert_eq!(res.st(), 303, "{next}");
        assert_eq!(header(&res, "location"), "/dashboard", "{next}");
        // Signing in with the hidden field carrying it.
        let fresh = app.client();
        let csrf = app.csrf(&fresh, "/login").await;
        let res = fresh
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", user),
                ("password", &pw(user)),
                ("next", decoded),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 303, "{next}");
        assert_eq!(header(&res, "location"), "/dashboard", "{next}");
    }
    let res = get(app, &c, "/login?next=/elections%3Fregion%3D32.79").await;
    assert_eq!(header(&res, "location"), "/elections?region=32.79");
    // The language link of a 404 for `//evil.example/x` stays on this site.
    let res = c
        .get(format!("{}//evil.example/x", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("lang=en"), "{html}");
    assert!(
        !html.contains("\"//evil") && !html.contains("\"&#x2f;&#x2f;evil"),
        "{html}"
    );
});

/// Sign in with a given CSRF cookie (as a tossed cookie would set it); the session cookie.
async fn login_with_csrf_cookie(app: &TestApp, csrf_cookie: &str, user: &str) -> String {
    let token = token_on(app, "/login", format!("balai_csrf={csrf_cookie}")).await;
    let res = no_redirects()
        .post(app.url("/login"))
        .header(COOKIE, format!("balai_csrf={csrf_cookie}"))
        .form(&[
            ("csrf", token.as_str()),
            ("username", user),
            ("password", &pw(user)),
            ("next", "/dashboard"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 303);
    set_cookie(&res, "balai_session").unwrap()
}

both_backends!(csrf_tokens_belong_to_one_session, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    let first = no_redirects().get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = set_cookie(&first, "balai_csrf").unwrap();
    // The attacker's session and the victim's share the CSRF cookie (tossed).
    let mine = login_with_csrf_cookie(app, &csrf_cookie, "plg.admin").await;
    let victim = login_with_csrf_cookie(app, &csrf_cookie, "banjar.officer").await;
    let cookies = |session: &str| format!("balai_csrf={csrf_cookie}; balai_session={session}");
    let my_token = token_on(app, "/account/password", cookies(&mine)).await;
    let victim_token = token_on(app, "/account/password", cookies(&victim)).await;
    assert_ne!(my_token, victim_token);
    let logout = |token: String| {
        let cookie = format!("balai_csrf={csrf_cookie}; balai_session={victim}");
        async move {
            no_redirects()
                .post(app.url("/logout"))
                .header(COOKIE, cookie)
                .form(&[("csrf", token.as_str())])
                .send()
                .await
                .unwrap()
                .st()
        }
    };
    assert_eq!(logout(my_token).await, 403, "another session's token");
    let sessions = "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'banjar.officer'";
    assert_eq!(count(&app.db, sessions).await, 1);
    assert_eq!(logout(victim_token).await, 303);
    assert_eq!(count(&app.db, sessions).await, 0);
});

both_backends!(
    cookie_authenticated_api_writes_need_the_csrf_token,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let c = signed_in(app, "root").await;
        let agency =
            json!({"kind": "pemda", "name": "Pemerintah Kota Banjar", "region_code": "32.79"});
        let res = c
            .post(app.url("/api/v1/agencies"))
            .json(&agency)
            .send()
            .await
            .unwrap();
        let (s, v) = status_json(res).await;
        assert_eq!((s, code(&v)), (403, "csrf_failed"), "{v}");
        let res = c
            .post(app.url("/api/v1/agencies"))
            .header("x-csrf-token", "0".repeat(64))
            .json(&agency)
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 403);
        assert_eq!(agencies_named(&app.db, "Pemerintah Kota Banjar").await, 0);
        let token = app.csrf(&c, "/account/password").await;
        let res = c
            .post(app.url("/api/v1/agencies"))
            .header("x-csrf-token", token)
            .json(&agency)
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 201);
        // A bearer token needs no CSRF token.
        let bearer = app.token_for("root").await;
        let other = json!({"kind": "ppid", "name": "PPID Kota Banjar", "region_code": "32.79"});
        let res = api(app, "POST", &bearer, "/api/v1/agencies", Some(other)).await;
        assert_eq!(res.st(), 201);
    }
);

both_backends!(
    a_password_change_revokes_api_tokens,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let user = "banjar.officer";
        let token = app.token_for(user).await;
        assert_eq!(api(app, "GET", &token, "/api/v1/me", None).await.st(), 200);
        let c = signed_in(app, user).await;
        let csrf = app.csrf(&c, "/account/password").await;
        let new = "kata-sandi-baru-2024";
        let res = c
            .post(app.url("/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", pw(user).as_str()),
                ("new", new),
                ("confirm", new),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 200);
        assert_eq!(api(app, "GET", &token, "/api/v1/me", None).await.st(), 401);
        assert_eq!(
            get(app, &c, "/dashboard").await.st(),
            200,
            "this session stays"
        );
    }
);

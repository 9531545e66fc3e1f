//! Helpers for the Kinerja tests: two service units of Kota Banjar with officials of every
//! role, another region's unit, and the survey API.

use balai_core::accounts::Role;
use serde_json::{json, Value};

use crate::support::TestApp;

pub struct Units {
    /// Disdukcapil Kota Banjar: `dk.admin`, `dk.spv`, `dk.officer`, `dk.loket`, `dk.viewer`.
    pub dukcapil: i64,
    /// Pemerintah Kota Banjar (another unit, same region): `pemda.officer`, `pemda.admin`.
    pub pemda: i64,
    /// Disdukcapil Kota Palembang (same kind, other region): `plg.officer`.
    pub palembang: i64,
}

pub async fn units(app: &TestApp) -> Units {
    let dukcapil = app
        .add_agency("disdukcapil", "Disdukcapil Kota Banjar", "32.79")
        .await;
    let pemda = app
        .add_agency("pemda", "Pemerintah Kota Banjar", "32.79")
        .await;
    let palembang = app
        .add_agency("disdukcapil", "Disdukcapil Kota Palembang", "16.71")
        .await;
    for (u, a, r) in [
        ("dk.admin", dukcapil, Role::Admin),
        ("dk.spv", dukcapil, Role::Supervisor),
        ("dk.officer", dukcapil, Role::Officer),
        ("dk.loket", dukcapil, Role::CounterOperator),
        ("dk.viewer", dukcapil, Role::Viewer),
        ("pemda.officer", pemda, Role::Officer),
        ("pemda.admin", pemda, Role::Admin),
        ("plg.officer", palembang, Role::Officer),
    ] {
        app.add_user(u, Some(a), r, false).await;
    }
    Units {
        dukcapil,
        pemda,
        palembang,
    }
}

/// `POST /api/v1/surveys/codes` as the token's user: status and body.
pub async fn issue(app: &TestApp, token: &str, agency: i64, count: i64) -> (u16, Value) {
    let res = app
        .client()
        .post(app.url("/api/v1/surveys/codes"))
        .bearer_auth(token)
        .json(&json!({ "agency_id": agency, "service": "KTP-el", "count": count }))
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

/// Codes issued for a unit by its officer (`dk.officer` for Disdukcapil Kota Banjar).
pub async fn codes(app: &TestApp, token: &str, agency: i64, count: i64) -> Vec<String> {
    let (s, body) = issue(app, token, agency, count).await;
    assert_eq!(s, 201, "{body}");
    body["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// `POST /api/v1/surveys/responses` without an account: status and body.
pub async fn answer(app: &TestApp, code: &str, answers: &[i64]) -> (u16, Value) {
    answer_with(app, json!({ "code": code, "answers": answers })).await
}

pub async fn answer_with(app: &TestApp, body: Value) -> (u16, Value) {
    let res = app
        .client()
        .post(app.url("/api/v1/surveys/responses"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

/// A public JSON answer (200) of `path`.
pub async fn get_json(app: &TestApp, path: &str) -> Value {
    let res = app.client().get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// `GET /api/v1/surveys/ikm` for today (the unit's local day) with extra query text.
pub async fn ikm(app: &TestApp, agency: i64, extra: &str) -> Value {
    let today = today();
    let path = format!("/api/v1/surveys/ikm?agency={agency}&from={today}&to={today}{extra}");
    get_json(app, &path).await
}

/// `GET /api/v1/performance/kpis` of a unit for a month (`YYYY-MM`).
pub async fn month_kpis(app: &TestApp, agency: i64, month: &str) -> Value {
    get_json(
        app,
        &format!("/api/v1/performance/kpis?agency={agency}&month={month}"),
    )
    .await
}

/// Today in WIB (Kota Banjar's and Kota Palembang's time zone).
pub fn today() -> time::Date {
    balai_core::db::now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap())
        .date()
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    crate::support::http::count(&app.db, sql).await
}

/// The text of a page fetched with `client` (its cookies, its language).
pub async fn text(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A form posted by a signed-in client: the status and where it sends the browser next, or,
/// when it sends it nowhere (a refusal), the page it answers with.
pub async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let res = client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    match res.headers().get("location").and_then(|l| l.to_str().ok()) {
        Some(to) => (status, to.to_string()),
        None => (status, res.text().await.unwrap()),
    }
}

/// `who` signed in on a fresh client, with the page at `path` and its CSRF token.
pub async fn signed_in(app: &TestApp, who: &str, path: &str) -> (reqwest::Client, String, String) {
    let client = app.client();
    app.login(&client, who, &crate::support::http::pw(who))
        .await;
    let html = text(app, &client, path).await;
    let csrf = crate::support::extract_csrf(&html).unwrap();
    (client, html, csrf)
}

//! Shared by the HTTP foundation tests: request helpers, status and header readers, and a
//! world of two KPU offices with their staff.

use balai_core::accounts::Role;
use balai_core::{with_db, Db};
use reqwest::header::SET_COOKIE;
use reqwest::{Client, Response};
use serde_json::Value;

use crate::support::{Backend, TestApp};

pub fn pw(user: &str) -> String {
    format!("pw-{user}-0123456789")
}

pub async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await).unwrap()
}

pub async fn agencies_named(db: &Db, name: &str) -> i64 {
    count(
        db,
        &format!("SELECT COUNT(*) FROM agencies WHERE name = '{name}'"),
    )
    .await
}

/// The status code as a number.
pub trait St {
    fn st(&self) -> u16;
}

impl St for Response {
    fn st(&self) -> u16 {
        self.status().as_u16()
    }
}

pub fn header(res: &Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The `balai_session=…` value a response sets, if any.
pub fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("balai_session="))
        .map(str::to_string)
}

pub async fn get(app: &TestApp, c: &Client, path: &str) -> Response {
    c.get(app.url(path)).send().await.unwrap()
}

pub async fn api(
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

pub async fn status_json(res: Response) -> (u16, Value) {
    let s = res.st();
    let ct = header(&res, "content-type");
    assert!(
        ct.starts_with("application/json"),
        "status {s}: content-type {ct:?}"
    );
    (s, res.json().await.unwrap())
}

pub fn code(v: &Value) -> &str {
    v["code"].as_str().unwrap_or_default()
}

pub fn strings(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Two KPU offices in different provinces, their staff and a super-admin.
pub struct World {
    pub app: TestApp,
    pub banjar: i64,
    pub palembang: i64,
}

pub async fn world(b: Backend) -> World {
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
pub async fn signed_in(app: &TestApp, user: &str) -> Client {
    let c = app.client();
    let res = app.login(&c, user, &pw(user)).await;
    assert_eq!(res.st(), 303, "login of {user}");
    c
}

//! Helpers for the Keterbukaan informasi tests: the PPIDs of Kota Banjar and Kota Palembang,
//! their officials, and filing and acting through the real JSON API.

use balai_core::accounts::Role;
use serde_json::{json, Value};

use crate::support::http::{api, status_json};
use crate::support::TestApp;

pub const NAME: &str = "Siti Rahmawati";
pub const EMAIL: &str = "siti.rahma@example.test";
pub const PHONE: &str = "081298765432";
pub const ADDRESS: &str = "Jl. Letjen Soewarto No. 17, Banjar";
pub const PURPOSE: &str = "Bahan skripsi tentang anggaran pendidikan";

pub struct Ppids {
    pub banjar: i64,
    pub palembang: i64,
    /// The Disdukcapil of Banjar: not a PPID.
    pub dinas: i64,
}

/// PPID Kota Banjar (`ppid1`, `ppid2` officers, `atasan` supervisor, `loket` counter operator,
/// `pemantau` viewer), PPID Kota Palembang (`plg` officer, `plgsup` supervisor) and a
/// super-admin `root`.
pub async fn ppids(app: &TestApp) -> Ppids {
    let banjar = app.add_agency("ppid", "PPID Kota Banjar", "32.79").await;
    let palembang = app.add_agency("ppid", "PPID Kota Palembang", "16.71").await;
    let dinas = app
        .add_agency("disdukcapil", "Disdukcapil Kota Banjar", "32.79")
        .await;
    for (u, a, r) in [
        ("ppid1", banjar, Role::Officer),
        ("ppid2", banjar, Role::Officer),
        ("atasan", banjar, Role::Supervisor),
        ("loket", banjar, Role::CounterOperator),
        ("pemantau", banjar, Role::Viewer),
        ("plg", palembang, Role::Officer),
        ("plgsup", palembang, Role::Supervisor),
    ] {
        app.add_user(u, Some(a), r, false).await;
    }
    app.add_user("root", None, Role::Admin, true).await;
    Ppids {
        banjar,
        palembang,
        dinas,
    }
}

pub fn request_json(agency: i64) -> Value {
    json!({
        "agency_id": agency, "name": NAME, "email": EMAIL, "phone": PHONE, "address": ADDRESS,
        "information": "Salinan Dokumen Pelaksanaan Anggaran Dinas Pendidikan Kota Banjar 2025",
        "purpose": PURPOSE,
    })
}

/// File online (no account): the status and the body.
pub async fn file(app: &TestApp, body: Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/information-requests"))
        .json(&body)
        .send()
        .await
        .unwrap();
    status_json(res).await
}

/// File as an official (counter or e-mail channel, possibly dated back).
pub async fn file_as(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    status_json(
        api(
            app,
            "POST",
            token,
            "/api/v1/information-requests",
            Some(body),
        )
        .await,
    )
    .await
}

/// An official's action.
pub async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/information-requests/{id}/actions");
    status_json(api(app, "POST", token, &path, Some(body)).await).await
}

/// The public record.
pub async fn public(app: &TestApp, id: i64) -> (u16, Value) {
    let res = reqwest::get(app.url(&format!("/api/v1/information-requests/{id}")))
        .await
        .unwrap();
    status_json(res).await
}

/// The requester's view with their credentials.
pub async fn track(app: &TestApp, code: &str, secret: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/information-requests/track"))
        .json(&json!({ "tracking_code": code, "secret": secret }))
        .send()
        .await
        .unwrap();
    status_json(res).await
}

/// The requester's step (object, dispute, rate).
pub async fn requester(app: &TestApp, code: &str, secret: &str, body: Value) -> (u16, Value) {
    let mut b = body;
    b["tracking_code"] = json!(code);
    b["secret"] = json!(secret);
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/information-requests/requester-actions"))
        .json(&b)
        .send()
        .await
        .unwrap();
    status_json(res).await
}

/// Today where Kota Banjar is (WIB), as the server counts it.
pub fn today() -> time::Date {
    balai_information::commands::today_at("32.79")
}

/// The calendar as stored now.
pub async fn calendar(app: &TestApp) -> balai_core::calendar::Calendar {
    balai_core::calendar::load(&app.db).await.unwrap()
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    crate::support::http::count(&app.db, &format!("SELECT COUNT(*) FROM {table}")).await
}

/// Set a date column of a request, to put its history in the past.
pub async fn set_day(app: &TestApp, id: i64, column: &str, day: time::Date) {
    let sql = format!("UPDATE info_requests SET {column} = $1 WHERE id = $2");
    balai_core::with_db!(&app.db, |c| sqlx::query(&sql)
        .bind(day)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))
    .unwrap();
}

/// Move a running clock's due day (as if it had started long ago).
pub async fn set_due(app: &TestApp, id: i64, purpose: &str, day: time::Date) {
    balai_core::with_db!(&app.db, |c| sqlx::query(
        "UPDATE clocks SET due_day = $1, start_day = $1, working_days = 0
         WHERE subject_kind = 'info_request' AND subject_id = $2 AND purpose = $3"
    )
    .bind(day)
    .bind(id.to_string())
    .bind(purpose)
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
}

pub fn day(v: &Value) -> time::Date {
    balai_core::calendar::parse_iso_day(v.as_str().unwrap()).unwrap()
}

/// A page's text as `client` gets it.
pub async fn html(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

//! The SOP world: the KPU of Sumatera Selatan province and of two of its cities (Palembang,
//! Prabumulih), a KPU of another province (Kota Banjar) and a Bawaslu in the province, each
//! with the roles the tests need and an API token per user; and a province SOP.

use balai_core::accounts::Role;
use reqwest::Response;
use serde_json::{json, Value};

use crate::support::http::*;
use crate::support::{exec, Backend, TestApp};

pub struct SopWorld {
    pub app: TestApp,
    /// (username, token)
    tokens: Vec<(String, String)>,
}

/// Users: `prov.{admin,spv,officer,counter,viewer}` (KPU Provinsi Sumatera Selatan),
/// `plg.admin` (with an email), `plg.officer`, `pbm.admin`, `banjar.admin`, `bawaslu.admin`
/// (Bawaslu Provinsi Sumatera Selatan) and the super-admin `root`.
pub async fn sop_world(b: Backend) -> SopWorld {
    let app = TestApp::spawn(b).await;
    let prov = app
        .add_agency("kpu", "KPU Provinsi Sumatera Selatan", "16")
        .await;
    let plg = app.add_agency("kpu", "KPU Kota Palembang", "16.71").await;
    let pbm = app.add_agency("kpu", "KPU Kota Prabumulih", "16.74").await;
    let banjar = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
    let bawaslu = app
        .add_agency("bawaslu", "Bawaslu Provinsi Sumatera Selatan", "16")
        .await;
    let users: [(&str, Option<i64>, Role, bool); 11] = [
        ("prov.admin", Some(prov), Role::Admin, false),
        ("prov.spv", Some(prov), Role::Supervisor, false),
        ("prov.officer", Some(prov), Role::Officer, false),
        ("prov.counter", Some(prov), Role::CounterOperator, false),
        ("prov.viewer", Some(prov), Role::Viewer, false),
        ("plg.admin", Some(plg), Role::Admin, false),
        ("plg.officer", Some(plg), Role::Officer, false),
        ("pbm.admin", Some(pbm), Role::Admin, false),
        ("banjar.admin", Some(banjar), Role::Admin, false),
        ("bawaslu.admin", Some(bawaslu), Role::Admin, false),
        ("root", None, Role::Admin, true),
    ];
    let mut tokens = Vec::new();
    for (name, agency, role, superadmin) in users {
        app.add_user(name, agency, role, superadmin).await;
        tokens.push((name.to_string(), app.token_for(name).await));
    }
    exec(
        &app.db,
        "UPDATE users SET email = 'admin@kpu-palembang.example' WHERE username = 'plg.admin'",
    )
    .await;
    SopWorld { app, tokens }
}

impl SopWorld {
    pub fn token(&self, user: &str) -> &str {
        &self
            .tokens
            .iter()
            .find(|(u, _)| u == user)
            .unwrap_or_else(|| panic!("no user {user}"))
            .1
    }

    pub async fn post(&self, user: &str, path: &str, body: Value) -> Response {
        api(&self.app, "POST", self.token(user), path, Some(body)).await
    }

    /// POST that must answer `want`; its JSON body.
    pub async fn post_ok(&self, user: &str, path: &str, body: Value, want: u16) -> Value {
        let (s, v) = status_json(self.post(user, path, body).await).await;
        assert_eq!(s, want, "{path} as {user}: {v}");
        v
    }

    /// `user` posts `body` to `/api/v1/sops/{id}/{what}` (`versions`, `overrides`, `review`,
    /// `publish`), which must answer `want`; its JSON body.
    pub async fn act(&self, user: &str, id: i64, what: &str, body: Value, want: u16) -> Value {
        self.post_ok(user, &format!("/api/v1/sops/{id}/{what}"), body, want)
            .await
    }

    /// GET without credentials (the public).
    pub async fn get_public(&self, path: &str) -> (u16, Value) {
        let c = reqwest::Client::new();
        status_json(get(&self.app, &c, path).await).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        count(&self.app.db, sql).await
    }
}

/// A step as the API takes it.
pub fn step(actor: &str, action: &str) -> Value {
    json!({ "actor": actor, "action": action, "time_limit": "1 hari kerja", "output": "Berita acara" })
}

/// The province's voting-day logistics SOP: three steps.
pub fn province_sop() -> Value {
    json!({
        "title": "SOP Distribusi Logistik Pemungutan Suara",
        "region_code": "16",
        "purpose": "Logistik tiba di TPS tepat waktu dan lengkap.",
        "legal_basis": "PKPU 8/2024",
        "documents": "Formulir serah terima logistik",
        "steps": [
            step("KPU Kabupaten/Kota", "Kirim logistik ke PPK"),
            step("PPK", "Periksa kelengkapan logistik"),
            step("PPS", "Serahkan logistik ke KPPS"),
        ],
    })
}

/// The province's SOP created by its admin; its id.
pub async fn create_province_sop(w: &SopWorld) -> i64 {
    let v = w
        .post_ok("prov.admin", "/api/v1/sops", province_sop(), 201)
        .await;
    assert_eq!(v["version"], 1);
    v["id"].as_i64().unwrap()
}

/// `user` adopts SOP `id` for `region`; the adoption's id.
pub async fn adopt(w: &SopWorld, user: &str, id: i64, region: &str) -> i64 {
    let v = w
        .post_ok(
            user,
            &format!("/api/v1/sops/{id}/adoptions"),
            json!({ "region_code": region }),
            201,
        )
        .await;
    v["id"].as_i64().unwrap()
}

/// The actions of an SOP's effective steps, in order.
pub fn actions(v: &Value) -> Vec<String> {
    strings(&v["steps"], "action")
}

/// The province's SOP, adopted by Palembang with the one override `o`; (SOP, adoption).
pub async fn adopted_with(w: &SopWorld, o: Value) -> (i64, i64) {
    let prov = create_province_sop(w).await;
    let plg = adopt(w, "plg.admin", prov, "16.71").await;
    w.act(
        "plg.admin",
        plg,
        "overrides",
        json!({ "overrides": [o] }),
        201,
    )
    .await;
    (prov, plg)
}

/// The province SOP's steps with step `i` (from 0) replaced by `s`.
pub fn steps_with(i: usize, s: Value) -> Value {
    let mut steps = province_sop()["steps"].clone();
    steps[i] = s;
    steps
}

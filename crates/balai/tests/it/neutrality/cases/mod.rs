//! Neutrality cases through the real HTTP API on both backends: a case from an Aduan
//! complaint of category ASN neutrality, through Bawaslu's and BKN's recommendations, the
//! PPK's sanction and the follow-up check, with scoping at each step (a Pemda cannot read
//! Bawaslu's examination before the recommendation), duties separated, the link to the same
//! official's appointments, audited reads, anonymised public statistics and bad input.

use serde_json::{json, Value};

mod flow;
mod input;
mod privacy;

use crate::support::http::count;
pub use crate::support::worlds::neutrality::*;

pub const BANJAR_VILLAGE: &str = "32.79.01.1001";
pub const NAME: &str = "Rudi Terlapor";
pub const POSITION: &str = "Camat Banjar";

/// Extra officials: a second Bawaslu official (a supervisor) and a BKN supervisor.
pub struct Cx {
    pub nx: Nx,
    pub bawaslu_spv: String,
    pub bkn_spv: String,
}

pub async fn scalar(nx: &Nx, sql: &str) -> i64 {
    count(&nx.app.db, sql).await
}

impl Cx {
    pub async fn new(b: crate::support::Backend) -> Cx {
        let nx = Nx::new(b).await;
        let bawaslu = scalar(
            &nx,
            "SELECT id FROM agencies WHERE name = 'Bawaslu Kota Banjar'",
        )
        .await;
        let bkn = scalar(
            &nx,
            "SELECT id FROM agencies WHERE name = 'BKN Kantor Regional III'",
        )
        .await;
        use balai_core::accounts::Role;
        nx.app
            .add_user("n.bawaslu.spv", Some(bawaslu), Role::Supervisor, false)
            .await;
        nx.app
            .add_user("n.bkn.spv", Some(bkn), Role::Supervisor, false)
            .await;
        Cx {
            bawaslu_spv: nx.app.token_for("n.bawaslu.spv").await,
            bkn_spv: nx.app.token_for("n.bkn.spv").await,
            nx,
        }
    }

    /// File a complaint through Aduan's public API; returns (id, tracking code).
    pub async fn complaint(&self, category: &str) -> (i64, String) {
        let res = self
            .nx
            .http
            .post(self.nx.app.url("/api/v1/complaints"))
            .json(&json!({
                    "category": category,
                    "description": "Camat mengunggah dukungan untuk paslon nomor 1 di media sosial.",
                    "village_code": BANJAR_VILLAGE,
                    "contact_name": "Sari Contoh",
                    "contact_phone": "0812 3456 7890",
                    "reported_party": "Camat Banjar",
                    "incident_time": "pukul 09.00",
                    "incident_place": "Akun media sosial",
                    "evidence": "Tangkapan layar",
                    "known_on": balai_complaints::domain::settings::today().to_string(),
            }))
            .send()
            .await
            .unwrap();
        let st = res.status().as_u16();
        let v: Value = res.json().await.unwrap();
        assert_eq!(st, 201, "{v}");
        (
            v["id"].as_i64().unwrap(),
            v["tracking_code"].as_str().unwrap().to_string(),
        )
    }

    pub async fn open(&self, token: &str, body: Value) -> (u16, Value) {
        self.nx
            .send("POST", token, "/api/v1/neutrality-cases", body)
            .await
    }

    pub async fn step(&self, token: &str, id: i64, body: Value) -> (u16, Value) {
        self.nx
            .send(
                "POST",
                token,
                &format!("/api/v1/neutrality-cases/{id}/steps"),
                body,
            )
            .await
    }

    pub async fn read(&self, token: &str, id: i64) -> (u16, Value) {
        self.nx
            .send(
                "GET",
                token,
                &format!("/api/v1/neutrality-cases/{id}"),
                Value::Null,
            )
            .await
    }
}

pub fn opening(complaint_id: Option<i64>) -> Value {
    json!({
        "region_code": "32.79",
        "complaint_id": complaint_id,
        "official_name": NAME,
        "nip": NIP,
        "official_position": POSITION,
        "allegation": "Mengunggah dukungan untuk paslon nomor 1.",
    })
}

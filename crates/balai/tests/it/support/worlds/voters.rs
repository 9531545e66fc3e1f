//! Shared set-up for the voter-list tests: the Kota Banjar walikota election, its KPU
//! (supervisor, officer, viewer), the KPU of Kota Palembang, and a list of Kota Banjar voters
//! over two villages.

use balai_core::accounts::Role;
use serde_json::{json, Value};

use crate::support::{Backend, TestApp};

pub struct Vx {
    pub app: TestApp,
    pub http: reqwest::Client,
    pub kpu: String,
    pub kpu_officer: String,
    pub kpu_viewer: String,
    pub palembang: String,
    pub election: i64,
}

/// Siti Wahyuni, female, born 15 August 1990, TPS 1 of Banjar.
pub const SITI: &str = "3279015508900002";
/// H. Ahmad Fauzi, S.E., male, born 15 August 1990, first registered in Palembang; TPS 3 of
/// Mekarsari.
pub const AHMAD: &str = "1671041508900001";
/// A well-formed NIK of Kota Banjar nobody holds.
pub const NOBODY: &str = "3279010101800009";

pub const HEADER: &str = "nik,nkk,name,birth_place,birth_date,sex,village_code,tps_number,address";

/// The good list: three voters at TPS 1 of Banjar (two women, one man), one at TPS 3 of
/// Mekarsari.
pub fn good_list() -> String {
    format!(
        "{HEADER}\n\
         {SITI},3279012301150004,Siti Wahyuni,Banjar,1990-08-15,P,32.79.01.1001,1,Jl. Mawar 1\n\
         3279014101850003,3279012301150004,Dewi Lestari,Banjar,1985-01-01,P,32.79.01.1001,1,Jl. Mawar 1\n\
         3279010202700004,3279012301150005,Budi Santoso,Ciamis,1970-02-02,L,32.79.01.1001,1,Jl. Mawar 3\n\
         {AHMAD},3279012301150006,\"H. Ahmad Fauzi, S.E.\",Palembang,1990-08-15,L,32.79.01.1002,3,Jl. Melati 2\n"
    )
}

impl Vx {
    pub async fn new(b: Backend) -> Vx {
        Self::with_config(b, |_| {}).await
    }

    pub async fn with_config(
        b: Backend,
        change: impl FnOnce(&mut balai_core::config::Config),
    ) -> Vx {
        let app = TestApp::spawn_with(b, change).await;
        let kpu = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
        let plg = app.add_agency("kpu", "KPU Kota Palembang", "16.71").await;
        for (u, a, r) in [
            ("v.kpu", kpu, Role::Supervisor),
            ("v.kpu.officer", kpu, Role::Officer),
            ("v.kpu.viewer", kpu, Role::Viewer),
            ("v.plg", plg, Role::Supervisor),
        ] {
            app.add_user(u, Some(a), r, false).await;
        }
        let mut vx = Vx {
            kpu: app.token_for("v.kpu").await,
            kpu_officer: app.token_for("v.kpu.officer").await,
            kpu_viewer: app.token_for("v.kpu.viewer").await,
            palembang: app.token_for("v.plg").await,
            http: reqwest::Client::new(),
            app,
            election: 0,
        };
        let (s, v) = vx
            .send(
                "POST",
                &vx.kpu.clone(),
                "/api/v1/elections",
                json!({"kind": "walikota", "region_code": "32.79", "name": "Pemilihan Wali Kota Banjar 2024", "voting_date": "2024-11-27"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        vx.election = v["id"].as_i64().unwrap();
        vx
    }

    /// Send JSON (with a bearer token unless empty); the status and the body's text.
    pub async fn send_text(
        &self,
        method: &str,
        token: &str,
        path: &str,
        body: Value,
    ) -> (u16, String) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rq = self.http.request(m, self.app.url(path)).json(&body);
        if !token.is_empty() {
            rq = rq.bearer_auth(token);
        }
        let res = rq.send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    pub async fn send(&self, method: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
        let (s, t) = self.send_text(method, token, path, body).await;
        (s, serde_json::from_str(&t).unwrap_or(Value::Null))
    }

    /// `PUT` a list as CSV; status, body.
    pub async fn put_list(&self, token: &str, stage: &str, csv: &str) -> (u16, Value) {
        self.put_list_to(token, self.election, stage, csv).await
    }

    /// `PUT` a list to another election.
    pub async fn put_list_to(
        &self,
        token: &str,
        election: i64,
        stage: &str,
        csv: &str,
    ) -> (u16, Value) {
        let res = self
            .http
            .put(
                self.app
                    .url(&format!("/api/v1/elections/{election}/dpt?stage={stage}")),
            )
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv.to_string())
            .send()
            .await
            .unwrap();
        let s = res.status().as_u16();
        (s, res.json().await.unwrap_or(Value::Null))
    }

    /// The check; status, `Retry-After` and the body's text.
    pub async fn lookup(&self, nik: &str, name: &str) -> (u16, Option<String>, String) {
        let res = self
            .http
            .post(self.app.url("/api/v1/dpt/lookup"))
            .json(&json!({"nik": nik, "name": name}))
            .send()
            .await
            .unwrap();
        let s = res.status().as_u16();
        let retry = res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        (s, retry, res.text().await.unwrap())
    }

    /// Each TPS of the election in the elections feature's master: (village, number, L, P).
    pub async fn master(&self) -> Vec<(String, i64, i64, i64)> {
        balai_core::with_db!(&self.app.ctx.db, |c| sqlx::query_as(
            "SELECT village_code, number, dpt_l, dpt_p FROM tps WHERE election_id = $1
             ORDER BY village_code, number"
        )
        .bind(self.election)
        .fetch_all(c)
        .await)
        .unwrap()
    }

    /// Audit events of `action`: (actor, target id, summary).
    pub async fn audit(&self, action: &str) -> Vec<(String, String, String)> {
        balai_core::with_db!(&self.app.ctx.db, |c| sqlx::query_as(
            "SELECT actor_label, target_id, summary FROM audit_events WHERE action = $1 ORDER BY seq"
        )
        .bind(action)
        .fetch_all(c)
        .await)
        .unwrap()
    }

    /// The list's id of TPS 1 of Banjar.
    pub async fn tps_one(&self) -> i64 {
        balai_core::with_db!(&self.app.ctx.db, |c| sqlx::query_scalar::<_, i64>(
            "SELECT id FROM voter_tps WHERE election_id = $1 AND village_code = '32.79.01.1001'
               AND number = 1"
        )
        .bind(self.election)
        .fetch_one(c)
        .await)
        .unwrap()
    }

    /// A response filed for TPS 1 of Banjar (naming a person, with a contact): its code.
    pub async fn file_response(&self) -> String {
        let (s, v) = self
            .send(
                "POST",
                "",
                "/api/v1/dpt/reports",
                json!({"election_id": self.election, "village_code": "32.79.01.1001",
                       "tps_number": 1, "kind": "deceased",
                       "details": "Bapak Budi Santoso meninggal Maret 2024.",
                       "evidence": "Akta kematian 3279-KM-2024-0012",
                       "contact": "0812 0000 1111"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        v["code"].as_str().unwrap().to_string()
    }
}

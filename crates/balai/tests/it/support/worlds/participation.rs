//! Shared set-up for the participation tests: KPU and Kesbangpol of Kota Banjar (every role
//! that matters), Bawaslu Kota Banjar, Kesbangpol and KPU of Kota Palembang, and helpers to
//! record agreements, activities and an election with loaded totals through the API.

use balai_core::accounts::Role;
use serde_json::{json, Value};

use crate::support::{Backend, TestApp};

pub struct Px {
    pub app: TestApp,
    pub http: reqwest::Client,
    pub kpu_id: i64,
    pub kesbang_id: i64,
    pub kpu_plg_id: i64,
    /// KPU Kota Banjar, supervisor.
    pub kpu: String,
    pub kpu_officer: String,
    pub kpu_viewer: String,
    /// Kesbangpol Kota Banjar, admin.
    pub kesbang: String,
    pub kesbang_officer: String,
    /// Kesbangpol Kota Palembang, admin.
    pub kesbang_plg: String,
    /// KPU Kota Palembang, supervisor.
    pub kpu_plg: String,
    pub bawaslu: String,
}

impl Px {
    pub async fn new(b: Backend) -> Px {
        Px::with_config(b, |_| {}).await
    }

    /// The same world on a server whose settings `change` alters.
    pub async fn with_config(
        b: Backend,
        change: impl FnOnce(&mut balai_core::config::Config),
    ) -> Px {
        let app = TestApp::spawn_with(b, change).await;
        let kpu_id = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
        let kesbang_id = app
            .add_agency("kesbangpol", "Kesbangpol Kota Banjar", "32.79")
            .await;
        let kesbang_plg_id = app
            .add_agency("kesbangpol", "Kesbangpol Kota Palembang", "16.71")
            .await;
        let kpu_plg_id = app.add_agency("kpu", "KPU Kota Palembang", "16.71").await;
        let bawaslu = app
            .add_agency("bawaslu", "Bawaslu Kota Banjar", "32.79")
            .await;
        for (u, a, r) in [
            ("p.kpu", kpu_id, Role::Supervisor),
            ("p.kpu.officer", kpu_id, Role::Officer),
            ("p.kpu.viewer", kpu_id, Role::Viewer),
            ("p.kesbang", kesbang_id, Role::Admin),
            ("p.kesbang.officer", kesbang_id, Role::Officer),
            ("p.kesbang.plg", kesbang_plg_id, Role::Admin),
            ("p.kpu.plg", kpu_plg_id, Role::Supervisor),
            ("p.bawaslu", bawaslu, Role::Admin),
        ] {
            app.add_user(u, Some(a), r, false).await;
        }
        Px {
            kpu: app.token_for("p.kpu").await,
            kpu_officer: app.token_for("p.kpu.officer").await,
            kpu_viewer: app.token_for("p.kpu.viewer").await,
            kesbang: app.token_for("p.kesbang").await,
            kesbang_officer: app.token_for("p.kesbang.officer").await,
            kesbang_plg: app.token_for("p.kesbang.plg").await,
            kpu_plg: app.token_for("p.kpu.plg").await,
            bawaslu: app.token_for("p.bawaslu").await,
            kpu_id,
            kesbang_id,
            kpu_plg_id,
            http: reqwest::Client::new(),
            app,
        }
    }

    /// Send JSON with a bearer token; returns the status and the JSON body (or Null).
    pub async fn send(&self, method: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = self
            .http
            .request(m, self.app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let s = res.status().as_u16();
        (s, res.json().await.unwrap_or(Value::Null))
    }

    /// Send a CSV body with PUT.
    pub async fn put_csv(&self, token: &str, path: &str, body: &str) -> (u16, Value) {
        let res = self
            .http
            .put(self.app.url(path))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let s = res.status().as_u16();
        (s, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let res = self.http.get(self.app.url(path)).send().await.unwrap();
        let s = res.status().as_u16();
        (s, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let res = self.http.get(self.app.url(path)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    pub async fn count(&self, sql: &str) -> i64 {
        crate::support::http::count(&self.app.db, sql).await
    }

    pub async fn audits(&self, action: &str) -> i64 {
        self.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
        ))
        .await
    }

    /// An agreement of KPU and Kesbangpol Kota Banjar valid through 2024, recorded by
    /// Kesbangpol; returns its id.
    pub async fn agreement(&self) -> i64 {
        let (s, v) = self
            .send(
                "POST",
                &self.kesbang,
                "/api/v1/agreements",
                self.agreement_body(),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        v["id"].as_i64().unwrap()
    }

    pub fn agreement_body(&self) -> Value {
        json!({
            "title": "Peningkatan partisipasi pemilih pemula",
            "number": "001/PKS/2024",
            "agency_ids": [self.kesbang_id, self.kpu_id],
            "other_parties": ["PC NU Kota Banjar", "FKUB Kota Banjar"],
            "signed_on": "2024-02-20",
            "valid_from": "2024-03-01",
            "valid_until": "2024-12-31",
            "clauses": ["Sosialisasi bersama di sekolah.", "Dialog dengan tokoh agama."],
            "legal_basis": "PKPU 9/2022",
        })
    }

    /// An activity body under `agreement` (or none) on `date` in `region`.
    pub fn activity_body(agreement: Option<i64>, date: &str, region: &str) -> Value {
        json!({
            "agreement_id": agreement,
            "title": "Sosialisasi di SMA Negeri 1 Banjar",
            "region_code": region,
            "date": date,
            "target_group": "pemilih_pemula",
            "participants": 120,
            "organisations": ["SMA Negeri 1 Banjar"],
        })
    }

    /// Record an activity as the KPU supervisor; returns its id.
    pub async fn activity(&self, body: Value) -> i64 {
        let (s, v) = self
            .send("POST", &self.kpu, "/api/v1/activities", body)
            .await;
        assert_eq!(s, 201, "{v}");
        v["id"].as_i64().unwrap()
    }

    /// A Kota Banjar election voting on 27 November 2024 with loaded totals: the city
    /// 1245 of 1600 (77.8125%), district 32.79.01 2 of 3 (66.666…%).
    pub async fn election_with_totals(&self) -> i64 {
        let (s, v) = self
            .send(
                "POST",
                &self.kpu,
                "/api/v1/elections",
                json!({"kind": "walikota", "region_code": "32.79", "name": "Pemilihan Wali Kota Banjar 2024", "voting_date": "2024-11-27"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["id"].as_i64().unwrap();
        let (s, v) = self
            .put_csv(
                &self.kpu,
                &format!("/api/v1/elections/{id}/totals"),
                "region_code,dpt,pengguna\n32.79,1600,1245\n32.79.01,3,2\n",
            )
            .await;
        assert_eq!(s, 200, "{v}");
        id
    }
}

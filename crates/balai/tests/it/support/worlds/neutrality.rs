//! Shared set-up for the neutrality tests: the Pemda of Kota Banjar (officer, supervisor,
//! counter operator, viewer), BKN covering Jawa Barat, the Pemda of Jawa Barat, Bawaslu Kota
//! Banjar and the Pemda of Kota Palembang; KPU supervisors who publish the 2024 schedules of the
//! Kota Banjar and Jawa Barat elections through the API.

use balai_core::accounts::Role;
use serde_json::{json, Value};

use crate::support::{Backend, TestApp};

pub struct Nx {
    pub app: TestApp,
    pub http: reqwest::Client,
    /// Pemda Kota Banjar (its BKPSDM).
    pub pemda: String,
    pub pemda_sup: String,
    pub pemda_admin: String,
    pub pemda_counter: String,
    pub pemda_viewer: String,
    /// BKN covering Jawa Barat.
    pub bkn: String,
    /// Pemda Provinsi Jawa Barat (does not appoint Kota Banjar's officials).
    pub pemda_jabar: String,
    pub bawaslu: String,
    pub palembang: String,
    pub kpu_banjar: String,
    pub kpu_jabar: String,
}

pub const NIP: &str = "198503122010012003";

/// The 2024 schedule: designation on 22 September 2024, inauguration on 20 February 2025.
pub fn schedule_2024(designation: &str, inauguration: Option<&str>) -> Value {
    let mut stages = vec![
        json!({"name": "Pendaftaran pasangan calon", "start": "2024-08-27", "end": "2024-08-29", "kind": "pendaftaran_paslon"}),
        json!({"name": "Penetapan pasangan calon", "start": designation, "end": designation, "kind": "penetapan_paslon"}),
        json!({"name": "Pemungutan suara", "start": "2024-11-27", "end": "2024-11-27", "kind": "pemungutan_suara"}),
    ];
    if let Some(i) = inauguration {
        stages.push(json!({"name": "Pelantikan", "start": i, "end": i, "kind": "pelantikan"}));
    }
    json!({"reason": "Jadwal awal", "legal_basis": "PKPU 2/2024", "stages": stages})
}

impl Nx {
    pub async fn new(b: Backend) -> Nx {
        let app = TestApp::spawn(b).await;
        let pemda = app
            .add_agency("pemda", "Pemerintah Kota Banjar", "32.79")
            .await;
        let jabar = app
            .add_agency("pemda", "Pemerintah Provinsi Jawa Barat", "32")
            .await;
        let bkn = app.add_agency("bkn", "BKN Kantor Regional III", "32").await;
        let bawaslu = app
            .add_agency("bawaslu", "Bawaslu Kota Banjar", "32.79")
            .await;
        let plg = app
            .add_agency("pemda", "Pemerintah Kota Palembang", "16.71")
            .await;
        let kpu = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
        let kpu_jabar = app.add_agency("kpu", "KPU Provinsi Jawa Barat", "32").await;
        let users = [
            ("n.pemda", pemda, Role::Officer),
            ("n.pemda.spv", pemda, Role::Supervisor),
            ("n.pemda.admin", pemda, Role::Admin),
            ("n.pemda.counter", pemda, Role::CounterOperator),
            ("n.pemda.viewer", pemda, Role::Viewer),
            ("n.bkn", bkn, Role::Officer),
            ("n.jabar", jabar, Role::Admin),
            ("n.bawaslu", bawaslu, Role::Admin),
            ("n.palembang", plg, Role::Admin),
            ("n.kpu", kpu, Role::Supervisor),
            ("n.kpu.jabar", kpu_jabar, Role::Supervisor),
        ];
        for (u, a, r) in users {
            app.add_user(u, Some(a), r, false).await;
        }
        Nx {
            pemda: app.token_for("n.pemda").await,
            pemda_sup: app.token_for("n.pemda.spv").await,
            pemda_admin: app.token_for("n.pemda.admin").await,
            pemda_counter: app.token_for("n.pemda.counter").await,
            pemda_viewer: app.token_for("n.pemda.viewer").await,
            bkn: app.token_for("n.bkn").await,
            pemda_jabar: app.token_for("n.jabar").await,
            bawaslu: app.token_for("n.bawaslu").await,
            palembang: app.token_for("n.palembang").await,
            kpu_banjar: app.token_for("n.kpu").await,
            kpu_jabar: app.token_for("n.kpu.jabar").await,
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

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let res = self.http.get(self.app.url(path)).send().await.unwrap();
        let s = res.status().as_u16();
        (s, res.json().await.unwrap_or(Value::Null))
    }

    /// Create an election through the API and publish its schedule; returns its id.
    pub async fn election(&self, token: &str, kind: &str, region: &str, schedule: Value) -> i64 {
        let (s, v) = self
            .send(
                "POST",
                token,
                "/api/v1/elections",
                json!({"kind": kind, "region_code": region, "name": format!("Pemilihan {region} 2024"), "voting_date": "2024-11-27"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["id"].as_i64().unwrap();
        self.schedule(token, id, schedule).await;
        id
    }

    pub async fn schedule(&self, token: &str, id: i64, schedule: Value) {
        let (s, v) = self
            .send(
                "PUT",
                token,
                &format!("/api/v1/elections/{id}/schedule"),
                schedule,
            )
            .await;
        assert_eq!(s, 201, "{v}");
    }

    /// Record an appointment of Kota Banjar as the Pemda officer.
    pub async fn record(&self, token: &str, body: Value) -> (u16, Value) {
        self.send("POST", token, "/api/v1/appointments", body).await
    }

    /// A page's status and text, fetched with `client` (its cookies).
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client.get(self.app.url(path)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    pub async fn count(&self, table: &str) -> i64 {
        crate::support::http::count(&self.app.db, &format!("SELECT COUNT(*) FROM {table}")).await
    }
}

/// An appointment of Kota Banjar decreed on `decree_date`.
pub fn appointment(decree_date: &str) -> Value {
    json!({
        "region_code": "32.79",
        "official_name": "Hendra Contoh",
        "nip": NIP,
        "from_position": "Kepala Bidang Anggaran",
        "to_position": "Kepala Dinas Pendidikan",
        "decree_number": "821.2/19-BKPSDM/2024",
        "decree_date": decree_date,
    })
}

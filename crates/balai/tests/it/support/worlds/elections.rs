//! Shared set-up for the elections tests: a Kota Banjar walikota election with two paslon and
//! three TPS (set up by the KPU supervisor), KPU operators, a counter operator, a supervisor,
//! an admin and a viewer, and a consistent C.Hasil-KWK form.

use balai_core::accounts::Role;
use balai_elections::domain::form::{Form, Row};
use serde_json::{json, Value};

use crate::support::{Backend, TestApp};

pub struct Fx {
    pub app: TestApp,
    pub http: reqwest::Client,
    pub op1: String,
    pub op2: String,
    pub sup: String,
    pub admin: String,
    pub counter: String,
    pub viewer: String,
    /// An officer and a supervisor of KPU Kota Palembang (another region).
    pub palembang: String,
    pub palembang_sup: String,
    /// An officer of Bawaslu Kota Banjar (another agency kind, same region).
    pub bawaslu: String,
    pub election: i64,
    pub tps: Vec<i64>,
}

pub const VILLAGES: [&str; 3] = ["32.79.01.1001", "32.79.01.1002", "32.79.02.1001"];

/// A consistent form with no warnings: DPT 200 (100 L + 100 P), two paslon.
pub fn good_form() -> Form {
    Form {
        pemilih_dpt: Row::new(100, 100),
        pemilih_dpph: Row::new(2, 1),
        pemilih_dptb: Row::new(1, 1),
        pemilih_total: Row::new(103, 102),
        pengguna_dpt: Row::new(80, 90),
        pengguna_dpph: Row::new(2, 1),
        pengguna_dptb: Row::new(1, 1),
        pengguna_total: Row::new(83, 92),
        surat_diterima: 205,
        surat_dikembalikan: 2,
        surat_tidak_digunakan: 28,
        surat_digunakan: 175,
        disabilitas_pemilih: Row::new(2, 1),
        disabilitas_pengguna: Row::new(1, 1),
        votes: [(1, 100), (2, 70)].into_iter().collect(),
        suara_sah: 170,
        suara_tidak_sah: 5,
        suara_total: 175,
    }
}

pub fn form_json(f: &Form) -> Value {
    serde_json::to_value(f).unwrap()
}

impl Fx {
    pub async fn new(backend: Backend) -> Fx {
        Self::with_config(backend, |_| {}).await
    }

    /// Like [`Fx::new`], with the app's settings changed by `change` first.
    pub async fn with_config(
        backend: Backend,
        change: impl FnOnce(&mut balai_core::config::Config),
    ) -> Fx {
        let app = TestApp::spawn_with(backend, change).await;
        let banjar = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
        let palembang = app.add_agency("kpu", "KPU Kota Palembang", "16.71").await;
        let bawaslu = app
            .add_agency("bawaslu", "Bawaslu Kota Banjar", "32.79")
            .await;
        for (u, a, r) in [
            ("banjar.op1", banjar, Role::Officer),
            ("banjar.op2", banjar, Role::Officer),
            ("banjar.sup", banjar, Role::Supervisor),
            ("banjar.admin", banjar, Role::Admin),
            ("banjar.counter", banjar, Role::CounterOperator),
            ("banjar.viewer", banjar, Role::Viewer),
            ("palembang.op", palembang, Role::Officer),
            ("palembang.sup", palembang, Role::Supervisor),
            ("bawaslu.banjar", bawaslu, Role::Officer),
        ] {
            app.add_user(u, Some(a), r, false).await;
        }
        let mut fx = Fx {
            op1: app.token_for("banjar.op1").await,
            op2: app.token_for("banjar.op2").await,
            sup: app.token_for("banjar.sup").await,
            admin: app.token_for("banjar.admin").await,
            counter: app.token_for("banjar.counter").await,
            viewer: app.token_for("banjar.viewer").await,
            palembang: app.token_for("palembang.op").await,
            palembang_sup: app.token_for("palembang.sup").await,
            bawaslu: app.token_for("bawaslu.banjar").await,
            http: app.client(),
            app,
            election: 0,
            tps: vec![],
        };
        let (s, v) = fx
            .post(
                &fx.sup.clone(),
                "/api/v1/elections",
                json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar 2024", "voting_date": "2024-11-27"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        fx.election = v["id"].as_i64().unwrap();
        fx.tps = fx.paslon_and_tps(fx.election).await;
        fx
    }

    /// Two paslon and the three TPS of the fixture (two in `VILLAGES[0]`, one in
    /// `VILLAGES[2]`) for `election`; the TPS ids in that order.
    pub async fn paslon_and_tps(&self, election: i64) -> Vec<i64> {
        let base = format!("/api/v1/elections/{election}");
        for (b, head) in [(1, "Calon Satu"), (2, "Calon Dua")] {
            let (s, v) = self
                .post(
                    &self.sup,
                    &format!("{base}/candidates"),
                    json!({"ballot_number": b, "head_name": head, "deputy_name": "Wakil", "parties": ["Partai A"]}),
                )
                .await;
            assert_eq!(s, 201, "{v}");
        }
        let csv = format!(
            "village_code,number,address,dpt_l,dpt_p\n{},1,Jl. Satu,100,100\n{},2,Jl. Dua,100,100\n{},1,Jl. Tiga,100,100\n",
            VILLAGES[0], VILLAGES[0], VILLAGES[2]
        );
        self.import_tps(election, &csv).await
    }

    /// Import the TPS of `csv` into `election` as the supervisor; their ids in CSV order.
    pub async fn import_tps(&self, election: i64, csv: &str) -> Vec<i64> {
        let path = format!("/api/v1/elections/{election}/tps/import");
        let (s, v) = self.send_csv(&self.sup, "POST", &path, csv).await;
        assert_eq!(s, 201, "{v}");
        v["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect()
    }

    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/elections/{}{rest}", self.election)
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.send("POST", token, path, body).await
    }

    pub async fn send(&self, method: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.http.request(m, self.app.url(path)).json(&body);
        if !token.is_empty() {
            r = r.bearer_auth(token);
        }
        let res = r.send().await.unwrap();
        let s = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            s,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn send_csv(&self, token: &str, method: &str, path: &str, csv: &str) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = self
            .http
            .request(m, self.app.url(path))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv.to_string())
            .send()
            .await
            .unwrap();
        let s = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            s,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let res = self.http.get(self.app.url(path)).send().await.unwrap();
        let s = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            s,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Submit a form for a TPS.
    pub async fn submit(&self, token: &str, tps: i64, form: Value, extra: Value) -> (u16, Value) {
        let mut body = json!({"tps_id": tps, "form": form});
        if let Value::Object(m) = extra {
            for (k, v) in m {
                body[k] = v;
            }
        }
        self.post(token, &self.path("/results"), body).await
    }

    pub async fn results(&self, region: &str) -> Value {
        let (s, v) = self
            .get(&self.path(&format!("/results?region={region}")))
            .await;
        assert_eq!(s, 200, "{v}");
        v
    }

    /// Everything a bad request must leave unchanged.
    pub async fn snapshot(&self) -> (Value, Value, i64, i64) {
        let results = self.results("32.79").await;
        let (_, log) = self.get(&self.path("/log")).await;
        let audit: i64 = balai_core::with_db!(&self.app.db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        let entries: i64 = balai_core::with_db!(&self.app.db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM result_entries"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        (results, log, audit, entries)
    }
}

/// The rule numbers of the errors in a 422 body.
pub fn error_rules(v: &Value) -> Vec<u64> {
    v["details"]["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["rule"].as_u64()).collect())
        .unwrap_or_default()
}

pub fn warning_codes(v: &Value) -> Vec<String> {
    codes_of(&v["warnings"])
}

/// The codes of the errors in a 422 body.
pub fn error_codes(v: &Value) -> Vec<String> {
    codes_of(&v["details"]["errors"])
}

fn codes_of(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

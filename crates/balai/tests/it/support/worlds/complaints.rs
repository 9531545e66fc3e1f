//! A small world for the complaint tests: agencies and officials in Kota Banjar and Kota
//! Palembang, with API tokens, on a fresh app.

use balai_core::accounts::{self, Role};
use balai_core::{with_db, Db};
use serde_json::{json, Value};

use crate::support::{Backend, TestApp};

pub const BANJAR_VILLAGE: &str = "32.79.01.1001";

pub struct World {
    pub app: TestApp,
    pub plg_village: String,
    pub pemda_banjar: i64,
    pub dukcapil_banjar: i64,
    pub pemda_plg: i64,
    pub bkn: i64,
    /// API tokens.
    pub officer_banjar: String,
    pub officer_banjar_id: i64,
    /// Supervisors of Pemerintah Kota Banjar and of Bawaslu Kota Banjar (they reject,
    /// re-route and moderate: docs/ROLES.md).
    pub supervisor_banjar: String,
    pub bawaslu_supervisor: String,
    pub bawaslu_officer: String,
    pub dukcapil_officer: String,
    pub officer_plg: String,
    pub superadmin: String,
    pub sms_gateway: String,
}

async fn user_with_email(db: &Db, username: &str, agency: i64, role: Role, email: &str) -> i64 {
    let hash = balai_core::auth::hash_password("pw-0123456789-x").unwrap();
    let mut tx = db.begin().await.unwrap();
    let id = accounts::create_user(
        &mut tx,
        &accounts::NewUser {
            username,
            display_name: username,
            email: Some(email),
            agency_id: Some(agency),
            role,
            is_superadmin: false,
            password_hash: &hash,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

impl World {
    pub async fn new(b: Backend) -> World {
        Self::with_config(b, |_| {}).await
    }

    /// A world whose app runs with settings changed by `change`.
    pub async fn with_config(
        b: Backend,
        change: impl FnOnce(&mut balai_core::config::Config),
    ) -> World {
        let app = TestApp::spawn_with(b, change).await;
        let plg_village: String = with_db!(&app.db, |c| {
            sqlx::query_scalar(
            "SELECT code FROM regions WHERE level = 4 AND code LIKE '16.71.%' ORDER BY code LIMIT 1"
        )
        .fetch_one(c)
        .await
        })
        .unwrap();
        let pemda_banjar = app
            .add_agency("pemda", "Pemerintah Kota Banjar", "32.79")
            .await;
        let bawaslu_banjar = app
            .add_agency("bawaslu", "Bawaslu Kota Banjar", "32.79")
            .await;
        let dukcapil_banjar = app
            .add_agency("disdukcapil", "Disdukcapil Kota Banjar", "32.79")
            .await;
        let pemda_plg = app
            .add_agency("pemda", "Pemerintah Kota Palembang", "16.71")
            .await;
        let bkn = app.add_agency("bkn", "BKN Kantor Regional", "32").await;
        app.add_user("petugas.banjar", Some(pemda_banjar), Role::Officer, false)
            .await;
        app.add_user("bawaslu.banjar", Some(bawaslu_banjar), Role::Officer, false)
            .await;
        app.add_user(
            "bawaslu.atasan",
            Some(bawaslu_banjar),
            Role::Supervisor,
            false,
        )
        .await;
        app.add_user(
            "dukcapil.banjar",
            Some(dukcapil_banjar),
            Role::Officer,
            false,
        )
        .await;
        app.add_user("petugas.plg", Some(pemda_plg), Role::Officer, false)
            .await;
        app.add_user("super", None, Role::Admin, true).await;
        app.add_user("gateway", Some(pemda_banjar), Role::Officer, false)
            .await;
        user_with_email(
            &app.db,
            "atasan.banjar",
            pemda_banjar,
            Role::Supervisor,
            "atasan@banjar.example",
        )
        .await;
        let officer_banjar_id = accounts::user_by_name(&app.db, "petugas.banjar")
            .await
            .unwrap()
            .unwrap()
            .id;
        World {
            officer_banjar: app.token_for("petugas.banjar").await,
            bawaslu_officer: app.token_for("bawaslu.banjar").await,
            dukcapil_officer: app.token_for("dukcapil.banjar").await,
            officer_plg: app.token_for("petugas.plg").await,
            superadmin: app.token_for("super").await,
            sms_gateway: app.token_for("gateway").await,
            officer_banjar_id,
            supervisor_banjar: app.token_for("atasan.banjar").await,
            bawaslu_supervisor: app.token_for("bawaslu.atasan").await,
            app,
            plg_village,
            pemda_banjar,
            dukcapil_banjar,
            pemda_plg,
            bkn,
        }
    }

    pub fn http(&self) -> reqwest::Client {
        self.app.client()
    }

    /// POST /api/v1/complaints; the response.
    pub async fn file_response(&self, body: &Value) -> reqwest::Response {
        self.http()
            .post(self.app.url("/api/v1/complaints"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// POST /api/v1/complaints; returns (status, body).
    pub async fn file(&self, body: Value) -> (u16, Value) {
        let r = self.file_response(&body).await;
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(Value::Null))
    }

    /// File a simple infrastructure report in Banjar; returns (id, tracking code).
    pub async fn file_banjar(&self, extra: Value) -> (i64, String) {
        let (id, code, _) = self.file_banjar_with_secret(extra).await;
        (id, code)
    }

    /// Like [`World::file_banjar`]; returns (id, tracking code, the reporter's secret).
    pub async fn file_banjar_with_secret(&self, extra: Value) -> (i64, String, String) {
        let mut body = json!({
            "category": "infrastruktur",
            "description": "Jalan berlubang besar di depan pasar, berbahaya bagi motor.",
            "village_code": BANJAR_VILLAGE,
            "contact_email": "warga@contoh.id",
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let (st, v) = self.file(body).await;
        assert_eq!(st, 201, "{v}");
        (
            v["id"].as_i64().unwrap(),
            v["tracking_code"].as_str().unwrap().to_string(),
            // Checked where it matters (complaints::credentials); empty from a server without.
            v["secret"].as_str().unwrap_or_default().to_string(),
        )
    }

    /// The reporter's view (`POST /api/v1/complaints/track` with code and secret).
    pub async fn reporter(&self, code: &str, secret: &str) -> Value {
        let r = self
            .http()
            .post(self.app.url("/api/v1/complaints/track"))
            .json(&json!({"tracking_code": code, "secret": secret}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.json().await.unwrap()
    }

    /// Post a reporter's form (`/aduan/lacak`, `/aduan/lacak/balas`, …) from a fresh browser
    /// with a CSRF token, and follow its redirect as a browser does (a form that changes or
    /// opens something answers 303 to a page that can be reloaded); returns (status, page) of
    /// where it ended.
    pub async fn reporter_form(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let client = self.app.client();
        let csrf = self.app.csrf(&client, "/aduan/lacak").await;
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let r = client
            .post(self.app.url(path))
            .form(&form)
            .send()
            .await
            .unwrap();
        if r.status().as_u16() != 303 {
            return (r.status().as_u16(), r.text().await.unwrap());
        }
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let r = client.get(self.app.url(&to)).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn act(&self, token: &str, id: i64, body: Value) -> (u16, Value) {
        let r = self
            .http()
            .post(
                self.app
                    .url(&format!("/api/v1/work/complaints/{id}/actions")),
            )
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn public(&self, code: &str) -> Value {
        let r = self
            .http()
            .get(self.app.url(&format!("/api/v1/complaints/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.json().await.unwrap()
    }

    pub async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self
            .http()
            .get(self.app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn count(&self, sql: &str) -> i64 {
        with_db!(&self.app.db, |c| sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(c)
            .await)
        .unwrap()
    }
}

/// A real JPEG of the given size.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 77])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

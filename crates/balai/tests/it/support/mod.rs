//! Test harness: a fresh database on each backend, prepared from a cached template so the
//! 91,599 regions are loaded once per machine, and the app served on a real TCP port.
//! Helpers shared by one area live next to it: `http` (HTTP foundation), `cli` (the `balai`
//! binary as a child process), `browser` (headless Chromium), `smtp` (an SMTP sink) and
//! `worlds` (each feature's set-up: agencies, staff and fixtures).

pub mod axe;
pub mod browser;
pub mod cli;
pub mod gateway;
pub mod http;
pub mod smtp;
pub mod worlds;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use balai_core::config::Config;
pub use balai_core::db::Backend;
use balai_core::web::AppCtx;
use balai_core::Db;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// Generate one test per backend from an async body taking a `Backend`.
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::support::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($crate::support::Backend::Postgres).await
            }
        }
    };
}

fn schema_fingerprint() -> String {
    use sha2::Digest;
    // The migrations compiled into this test binary (not the files on disk, which may be newer).
    let mut h = sha2::Sha256::new();
    h.update(balai_core::db::migrations_fingerprint());
    h.update(balai_core::regions::REGIONS_TSV.len().to_le_bytes());
    h.update(balai_core::calendar::HOLIDAYS_CSV.as_bytes());
    hex::encode(&h.finalize()[..8])
}

pub fn pg_admin_url() -> String {
    std::env::var("BALAI_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn tmp_root() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A prepared SQLite template file (built once, then copied per test).
async fn sqlite_template() -> PathBuf {
    let path = tmp_root().join(format!("balai-template-{}.sqlite3", schema_fingerprint()));
    if path.exists() {
        return path;
    }
    let building = tmp_root().join(format!("building-{}.sqlite3", uuid::Uuid::new_v4()));
    let db = Db::connect(&format!("sqlite://{}", building.display()))
        .await
        .unwrap();
    balai::app::prepare(&db).await.unwrap();
    if let Db::Sqlite { write, .. } = &db {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(write)
            .await
            .unwrap();
    }
    db.close().await;
    // Concurrent builders race harmlessly: rename is atomic and the results are identical.
    std::fs::rename(&building, &path).unwrap();
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", building.display()));
    }
    path
}

/// A fresh SQLite database file in `dir`.
pub async fn fresh_sqlite(dir: &std::path::Path) -> (Db, String) {
    let tpl = sqlite_template().await;
    let file = dir.join("balai.sqlite3");
    std::fs::copy(&tpl, &file).unwrap();
    let url = format!("sqlite://{}", file.display());
    let db = Db::connect(&url).await.unwrap();
    balai::app::prepare(&db).await.unwrap();
    (db, url)
}

/// A fresh PostgreSQL database created from a prepared template database.
pub async fn fresh_postgres() -> (Db, String) {
    let admin_url = pg_admin_url();
    let opts = PgConnectOptions::from_str(&admin_url).unwrap();
    let mut admin = opts.connect().await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for the tests ({admin_url}): {e}. Run ./scripts/test.sh, which starts it.")
    });
    let tpl = format!("balai_tpl_{}", schema_fingerprint());
    sqlx::query("SELECT pg_advisory_lock(727272)")
        .execute(&mut admin)
        .await
        .unwrap();
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&tpl)
        .fetch_optional(&mut admin)
        .await
        .unwrap();
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE {tpl}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let db = Db::connect_pg(opts.clone().database(&tpl)).await.unwrap();
        balai::app::prepare(&db).await.unwrap();
        db.close().await;
    }
    // Named after the run's database so ./scripts/test.sh drops them when the run ends.
    let run_db = admin_url
        .rsplit('/')
        .next()
        .unwrap_or("postgres")
        .split('?')
        .next()
        .unwrap_or("postgres");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let prefix = if run_db.starts_with("balai_test_") {
        run_db.to_string()
    } else {
        // Outside ./scripts/test.sh nobody drops these at the end of a run: name them with their
        // creation time and drop those of earlier runs (older than an hour) here.
        let old: Vec<String> = sqlx::query_scalar(
            "SELECT datname FROM pg_database WHERE datname LIKE 'balai!_t!_%' ESCAPE '!'",
        )
        .fetch_all(&mut admin)
        .await
        .unwrap();
        for db in old {
            let created = db
                .split('_')
                .nth(2)
                .and_then(|t| t.parse::<u64>().ok())
                .unwrap_or(0);
            if created + 3600 < now {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
                    .execute(&mut admin)
                    .await;
            }
        }
        format!("balai_t_{now}")
    };
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {tpl}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query("SELECT pg_advisory_unlock(727272)")
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let db = Db::connect_pg(opts.clone().database(&name)).await.unwrap();
    balai::app::prepare(&db).await.unwrap();
    let url = format!("{}/{}", admin_url.rsplit_once('/').unwrap().0, name);
    (db, url)
}

/// A fresh database of the given backend; keep the returned guard alive for SQLite's files.
pub async fn fresh_db(backend: Backend) -> (Db, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (db, url) = match backend {
        Backend::Sqlite => fresh_sqlite(dir.path()).await,
        Backend::Postgres => fresh_postgres().await,
    };
    (db, url, dir)
}

pub fn test_config(dir: &std::path::Path, url: &str) -> Config {
    let mut cfg = Config {
        data_dir: dir.to_path_buf(),
        database_url: Some(url.to_string()),
        // reqwest's cookie store keeps Secure cookies off plain http; browsers do not (localhost).
        secure_cookies: false,
        ..Config::default()
    };
    cfg.jobs.poll_millis = 50;
    cfg.jobs.backoff_base_seconds = 0;
    cfg
}

/// The app served on 127.0.0.1:0 over real HTTP.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub ctx: AppCtx,
    pub db: Db,
    pub url: String,
    pub dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Serve `ctx` on `listener` until the returned sender fires (graceful: open connections are
/// closed, so the address refuses afterwards).
fn serve_on(
    listener: tokio::net::TcpListener,
    ctx: AppCtx,
) -> (
    tokio::task::JoinHandle<()>,
    tokio::sync::oneshot::Sender<()>,
) {
    let router = balai::app::router(ctx);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (server, tx)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with settings changed by `change`.
    pub async fn spawn_with(backend: Backend, change: impl FnOnce(&mut Config)) -> TestApp {
        let (db, url, dir) = fresh_db(backend).await;
        let mut cfg = test_config(dir.path(), &url);
        change(&mut cfg);
        Self::serve(db, url, dir, cfg).await
    }

    /// Stop serving; the address refuses connections until [`TestApp::restart`].
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if tokio::time::timeout(std::time::Duration::from_secs(10), &mut self.server)
            .await
            .is_err()
        {
            self.server.abort();
        }
    }

    /// Serve again on the same address and database.
    pub async fn restart(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        let (server, stop) = serve_on(listener, self.ctx.clone());
        self.server = server;
        self.stop = Some(stop);
    }

    /// Serve another instance on an existing database (multi-instance tests).
    pub async fn serve(db: Db, url: String, dir: tempfile::TempDir, cfg: Config) -> TestApp {
        let ctx = balai::app::context(db.clone(), cfg).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (server, stop) = serve_on(listener, ctx.clone());
        TestApp {
            addr,
            base: format!("http://{addr}"),
            ctx,
            db,
            url,
            dir,
            server,
            stop: Some(stop),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar (one browser).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Create a user directly (bypassing the UI); returns the password.
    pub async fn add_user(
        &self,
        username: &str,
        agency_id: Option<i64>,
        role: balai_core::accounts::Role,
        superadmin: bool,
    ) -> String {
        let password = format!("pw-{username}-0123456789");
        let hash = balai_core::auth::hash_password(&password).unwrap();
        let mut tx = self.db.begin().await.unwrap();
        balai_core::accounts::create_user(
            &mut tx,
            &balai_core::accounts::NewUser {
                username,
                display_name: username,
                email: None,
                agency_id,
                role,
                is_superadmin: superadmin,
                password_hash: &hash,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        password
    }

    pub async fn add_agency(&self, kind: &str, name: &str, region: &str) -> i64 {
        let mut tx = self.db.begin().await.unwrap();
        let id = balai_core::accounts::create_agency(&mut tx, kind, name, region)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn token_for(&self, username: &str) -> String {
        let u = balai_core::accounts::user_by_name(&self.db, username)
            .await
            .unwrap()
            .unwrap();
        let mut tx = self.db.begin().await.unwrap();
        let t = balai_core::auth::create_api_token(&mut tx, u.id, "test")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        t
    }

    /// Fetch a page and pull the CSRF token out of its first form.
    pub async fn csrf(&self, client: &reqwest::Client, path: &str) -> String {
        let html = client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        extract_csrf(&html).unwrap_or_else(|| panic!("no csrf field on {path}"))
    }

    /// Sign in through the real form; returns the response of the POST.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let csrf = self.csrf(client, "/login").await;
        post_login(client, &self.url("/login"), &csrf, username, password).await
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[i + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Path of the compiled `balai` binary, for CLI tests.
pub fn balai_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_balai"))
}

/// A hand-built multipart body (the test client has no multipart feature).
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    pub fn new() -> Self {
        Multipart {
            boundary: "----balaiTestBoundary7MA4YWxk".into(),
            body: Vec::new(),
        }
    }

    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self
    }

    pub fn file(mut self, name: &str, filename: &str, ct: &str, data: &[u8]) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(data);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub fn finish(mut self) -> (String, Vec<u8>) {
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (
            format!("multipart/form-data; boundary={}", self.boundary),
            self.body,
        )
    }
}

/// POST the login form at `url` with the token `csrf` read from it (next: the dashboard).
pub async fn post_login(
    client: &reqwest::Client,
    url: &str,
    csrf: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(url)
        .form(&[
            ("csrf", csrf),
            ("username", username),
            ("password", password),
            ("next", "/dashboard"),
        ])
        .send()
        .await
        .unwrap()
}

/// Run one statement in a transaction of its own (test set-up and tampering).
pub async fn exec(db: &Db, sql: &str) {
    let mut tx = db.begin().await.unwrap();
    balai_core::with_tx!(&mut tx, |c| sqlx::query(sql)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    tx.commit().await.unwrap();
}

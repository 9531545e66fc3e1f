//! The `balai` command line, run as a real process against both backends: account and token
//! commands, the audit chain check, commands beside a running server, graceful shutdown, the
//! demo world, bad input and the first migration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use balai_core::{auth, with_db, with_tx, Db};
use common::{fresh_db, Backend};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The binary with no inherited `BALAI_*` settings (the harness's `BALAI_TEST_*` may stay: the
/// app ignores them), run from `cwd` so a stray default `./balai-data` never lands in the repo.
fn balai(cwd: &Path) -> Command {
    let mut c = Command::new(common::balai_bin());
    for (k, _) in std::env::vars_os() {
        if let Some(k) = k.to_str() {
            if k.starts_with("BALAI_") && !k.starts_with("BALAI_TEST_") {
                c.env_remove(k);
            }
        }
    }
    c.current_dir(cwd).kill_on_drop(true);
    c
}

fn bare(cwd: &Path, args: &[&str]) -> Command {
    let mut c = balai(cwd);
    c.args(args);
    c
}

/// Where a command's database is: a URL (`BALAI_DATABASE_URL`) and/or a data directory.
#[derive(Clone)]
struct Target {
    url: Option<String>,
    data_dir: PathBuf,
}

impl Target {
    fn url(url: &str, dir: &Path) -> Target {
        Target {
            url: Some(url.to_string()),
            data_dir: dir.to_path_buf(),
        }
    }

    fn data_dir(dir: &Path) -> Target {
        Target {
            url: None,
            data_dir: dir.to_path_buf(),
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        // Run from the data dir, or from its parent while it does not exist yet.
        let cwd = if self.data_dir.exists() {
            self.data_dir.as_path()
        } else {
            self.data_dir.parent().unwrap()
        };
        let mut c = balai(cwd);
        c.arg("--data-dir").arg(&self.data_dir).args(args);
        if let Some(u) = &self.url {
            c.env("BALAI_DATABASE_URL", u);
        }
        c
    }
}

struct Out {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Out {
    fn ok(&self) -> bool {
        self.status.success()
    }
}

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.status.code(),
            self.stdout,
            self.stderr
        )
    }
}

/// Run to completion (at most 60 s), optionally feeding standard input.
async fn run(mut cmd: Command, stdin: Option<&str>) -> Out {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn balai");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).await.unwrap();
        drop(pipe);
    }
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("balai did not finish within 60 s")
        .unwrap();
    Out {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn run_ok(t: &Target, args: &[&str]) -> Out {
    let out = run(t.cmd(args), None).await;
    assert!(out.ok(), "balai {args:?} failed:\n{out}");
    out
}

/// The value after `password: ` in a command's output.
fn printed_password(out: &Out) -> String {
    out.stdout
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap_or_else(|| panic!("no password printed:\n{out}"))
        .trim()
        .to_string()
}

fn no_panic(out: &Out) {
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"),
        "the binary panicked instead of reporting an error:\n{out}"
    );
}

async fn scalar_i64(db: &Db, sql: &str) -> i64 {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn scalar_string(db: &Db, sql: &str) -> String {
    with_db!(db, |c| sqlx::query_scalar::<_, String>(sql)
        .fetch_one(c)
        .await)
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn exec(db: &Db, sql: &str) {
    let mut tx = db.begin().await.unwrap();
    with_tx!(&mut tx, |c| sqlx::query(sql)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    tx.commit().await.unwrap();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// `balai serve` as a child process; its output goes to files so a full pipe never blocks it.
struct Server {
    child: Child,
    addr: String,
    base: String,
    logs: tempfile::TempDir,
}

impl Server {
    /// Start and wait (at most 60 s) for `/readyz` to answer 200. Returns the time to ready.
    async fn start(t: &Target, extra: &[&str], env: &[(&str, &str)]) -> (Server, Duration) {
        let logs = tempfile::tempdir().unwrap();
        let addr = format!("127.0.0.1:{}", free_port());
        let mut args = vec!["serve", "--listen", addr.as_str()];
        args.extend_from_slice(extra);
        let mut cmd = t.cmd(&args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null())
            .stdout(std::fs::File::create(logs.path().join("stdout")).unwrap())
            .stderr(std::fs::File::create(logs.path().join("stderr")).unwrap());
        let started = Instant::now();
        let child = cmd.spawn().expect("spawn balai serve");
        let mut server = Server {
            child,
            base: format!("http://{addr}"),
            addr,
            logs,
        };
        let client = http();
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "balai serve exited early ({status}):\n{}\n{}",
                    server.stdout(),
                    server.stderr()
                );
            }
            if let Ok(r) = client.get(server.url("/readyz")).send().await {
                if r.status() == reqwest::StatusCode::OK {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "balai serve not ready within 60 s:\n{}",
                server.stderr()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let ready = started.elapsed();
        (server, ready)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn stdout(&self) -> String {
        std::fs::read_to_string(self.logs.path().join("stdout")).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.logs.path().join("stderr")).unwrap_or_default()
    }

    fn sigterm(&self) {
        let pid = self.child.id().expect("server already reaped") as i32;
        rustix::process::kill_process(
            rustix::process::Pid::from_raw(pid).unwrap(),
            rustix::process::Signal::TERM,
        )
        .unwrap();
    }

    /// Wait (at most 30 s) for the process to exit on its own.
    async fn wait_exit(&mut self) -> ExitStatus {
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => status.unwrap(),
            Err(_) => panic!(
                "balai serve did not exit within 30 s of SIGTERM:\n{}",
                self.stderr()
            ),
        }
    }

    /// SIGTERM, then assert a clean exit (code 0) within 30 s.
    async fn stop(mut self) {
        self.sigterm();
        let status = self.wait_exit().await;
        assert_eq!(
            status.code(),
            Some(0),
            "balai serve did not stop cleanly ({status}):\n{}",
            self.stderr()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Help
// ---------------------------------------------------------------------------------------------

/// True when some line of `help` lists `cmd` as a subcommand (`  cmd    description`).
fn lists(help: &str, cmd: &str) -> bool {
    help.lines().any(|l| {
        let l = l.trim_start();
        l.strip_prefix(cmd)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
    })
}

#[tokio::test]
async fn help_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(bare(dir.path(), &["--help"]), None).await;
    assert!(out.ok(), "{out}");
    for cmd in ["serve", "migrate", "demo", "user", "token", "audit"] {
        assert!(
            lists(&out.stdout, cmd),
            "`balai --help` lacks {cmd}:\n{out}"
        );
    }
    assert!(out.stdout.contains("--data-dir") && out.stdout.contains("--config"));

    let out = run(bare(dir.path(), &["user", "--help"]), None).await;
    assert!(out.ok(), "{out}");
    for cmd in ["add", "list", "disable", "set-password"] {
        assert!(
            lists(&out.stdout, cmd),
            "`balai user --help` lacks {cmd}:\n{out}"
        );
    }
    let out = run(bare(dir.path(), &["token", "--help"]), None).await;
    assert!(out.ok() && lists(&out.stdout, "create"), "{out}");
    let out = run(bare(dir.path(), &["audit", "--help"]), None).await;
    assert!(out.ok() && lists(&out.stdout, "verify"), "{out}");
    // An unknown command is a usage error, not a crash.
    let out = run(bare(dir.path(), &["frobnicate"]), None).await;
    assert!(!out.ok(), "{out}");
    no_panic(&out);
    // Nothing was created by merely asking for help.
    assert!(!dir.path().join("balai-data").exists());
}

// ---------------------------------------------------------------------------------------------
// 2 + 3. Accounts, tokens and the audit chain, on both backends
// ---------------------------------------------------------------------------------------------

both_backends!(user_and_token_commands, |b: Backend| async move {
    let (db, url, dir) = fresh_db(b).await;
    let t = Target::url(&url, dir.path());

    // A super-admin gets a generated password that matches the stored hash.
    let out = run_ok(&t, &["user", "add", "alice", "--superadmin"]).await;
    assert!(out.stdout.contains("created user alice"), "{out}");
    let alice_pw = printed_password(&out);
    assert!(
        alice_pw.chars().count() >= 10,
        "short password {alice_pw:?}"
    );
    let alice_hash = scalar_string(
        &db,
        "SELECT password_hash FROM users WHERE username = 'alice'",
    )
    .await;
    assert!(auth::verify_password(&alice_pw, &alice_hash));
    assert_ne!(alice_hash, alice_pw);

    // An agency user needs an agency.
    let out = run(t.cmd(&["user", "add", "bob", "--role", "officer"]), None).await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("--agency"), "{out}");
    no_panic(&out);
    assert_eq!(
        scalar_i64(&db, "SELECT COUNT(*) FROM users WHERE username = 'bob'").await,
        0
    );
    // ...and a real one.
    let out = run(
        t.cmd(&[
            "user", "add", "bob", "--role", "officer", "--agency", "999999",
        ]),
        None,
    )
    .await;
    assert!(!out.ok() && out.stderr.contains("999999"), "{out}");

    // A password from standard input.
    let agency = {
        let mut tx = db.begin().await.unwrap();
        let id = balai_core::accounts::create_agency(&mut tx, "kpu", "KPU Kota Banjar", "32.79")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let agency_s = agency.to_string();
    let carol_pw = "Carol-pw-123";
    assert_eq!(carol_pw.len(), 12);
    let out = run(
        t.cmd(&[
            "user",
            "add",
            "carol",
            "--role",
            "officer",
            "--agency",
            &agency_s,
            "--password-stdin",
        ]),
        Some(&format!("{carol_pw}\n")),
    )
    .await;
    assert!(out.ok(), "{out}");
    assert!(
        !out.stdout.contains("password:") && !out.stdout.contains(carol_pw),
        "a given password must not be echoed:\n{out}"
    );
    let carol_hash = scalar_string(
        &db,
        "SELECT password_hash FROM users WHERE username = 'carol'",
    )
    .await;
    assert!(auth::verify_password(carol_pw, &carol_hash));
    assert!(!auth::verify_password("Carol-pw-12", &carol_hash));
    // Too short a password from standard input is refused.
    let out = run(
        t.cmd(&[
            "user",
            "add",
            "dave",
            "--agency",
            &agency_s,
            "--password-stdin",
        ]),
        Some("short\n"),
    )
    .await;
    assert!(!out.ok() && out.stderr.contains("10 characters"), "{out}");
    // Duplicates are refused.
    let out = run(t.cmd(&["user", "add", "alice", "--superadmin"]), None).await;
    assert!(!out.ok() && out.stderr.contains("already exists"), "{out}");

    // Listing.
    let out = run_ok(&t, &["user", "list"]).await;
    let alice_line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("alice\t"))
        .unwrap_or_else(|| panic!("alice not listed:\n{out}"));
    assert!(alice_line.contains("super-admin") && alice_line.contains("active"));
    let carol_line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("carol\t"))
        .unwrap_or_else(|| panic!("carol not listed:\n{out}"));
    assert!(
        carol_line.contains("officer") && carol_line.contains("KPU Kota Banjar"),
        "{carol_line}"
    );
    assert!(!out.stdout.contains("bob"), "{out}");

    // A token is printed once; only its SHA-256 is stored.
    let out = run_ok(&t, &["token", "create", "--user", "alice"]).await;
    let token = out.stdout.trim().to_string();
    assert!(token.starts_with("balai_"), "{out}");
    assert!(token.len() > "balai_".len() + 20, "{token}");
    let alice_id = scalar_i64(&db, "SELECT id FROM users WHERE username = 'alice'").await;
    let stored: Vec<(i64, String, String)> = with_db!(&db, |c| sqlx::query_as(
        "SELECT user_id, name, token_hash FROM api_tokens"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0, alice_id);
    assert_eq!(stored[0].1, "cli");
    assert_eq!(stored[0].2, auth::sha256_hex(&token));
    let like = format!("'%{token}%'");
    for sql in [
        format!("SELECT COUNT(*) FROM api_tokens WHERE name LIKE {like} OR token_hash LIKE {like}"),
        format!("SELECT COUNT(*) FROM audit_events WHERE summary LIKE {like} OR target_id LIKE {like} OR actor_label LIKE {like}"),
    ] {
        assert_eq!(scalar_i64(&db, &sql).await, 0, "{sql}");
    }
    // A second token with a label.
    let out = run_ok(
        &t,
        &["token", "create", "--user", "alice", "--name", "gateway"],
    )
    .await;
    let token2 = out.stdout.trim().to_string();
    assert!(token2.starts_with("balai_") && token2 != token);
    let out = run(t.cmd(&["token", "create", "--user", "nobody"]), None).await;
    assert!(!out.ok() && out.stderr.contains("nobody"), "{out}");

    // Disabling revokes every token.
    let out = run_ok(&t, &["user", "disable", "alice"]).await;
    assert!(out.stdout.contains("disabled alice"), "{out}");
    assert_eq!(
        scalar_i64(
            &db,
            &format!(
                "SELECT COUNT(*) FROM api_tokens WHERE user_id = {alice_id} AND revoked_at IS NULL"
            )
        )
        .await,
        0
    );
    assert_eq!(
        scalar_i64(
            &db,
            &format!("SELECT COUNT(*) FROM api_tokens WHERE user_id = {alice_id} AND revoked_at IS NOT NULL")
        )
        .await,
        2
    );
    assert!(
        balai_core::accounts::user_by_name(&db, "alice")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    let out = run_ok(&t, &["user", "list"]).await;
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("alice\t") && l.contains("disabled")),
        "{out}"
    );
    let out = run(t.cmd(&["token", "create", "--user", "alice"]), None).await;
    assert!(!out.ok() && out.stderr.contains("disabled"), "{out}");

    // A new generated password replaces the old one.
    let out = run_ok(&t, &["user", "set-password", "carol"]).await;
    let new_pw = printed_password(&out);
    assert_ne!(new_pw, carol_pw);
    let carol_hash = scalar_string(
        &db,
        "SELECT password_hash FROM users WHERE username = 'carol'",
    )
    .await;
    assert!(auth::verify_password(&new_pw, &carol_hash));
    assert!(!auth::verify_password(carol_pw, &carol_hash));
    let out = run(t.cmd(&["user", "set-password", "nobody"]), None).await;
    assert!(!out.ok(), "{out}");

    // Unknown role.
    let out = run(
        t.cmd(&["user", "add", "erin", "--role", "wizard", "--superadmin"]),
        None,
    )
    .await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("unknown role"), "{out}");
    no_panic(&out);
    assert_eq!(
        scalar_i64(&db, "SELECT COUNT(*) FROM users WHERE username = 'erin'").await,
        0
    );

    // 3. The audit chain: intact after all of the above...
    let events = scalar_i64(&db, "SELECT COUNT(*) FROM audit_events").await;
    // user add ×2, token create ×2, user disable, set-password; failed commands record nothing.
    assert_eq!(events, 6);
    let out = run_ok(&t, &["audit", "verify"]).await;
    assert!(
        out.stdout.contains(&format!("{events} events verified")),
        "expected {events} events:\n{out}"
    );
    // ...and broken by editing one row.
    exec(
        &db,
        "UPDATE audit_events SET summary = '{\"username\":\"mallory\"}' WHERE seq = 2",
    )
    .await;
    let out = run(t.cmd(&["audit", "verify"]), None).await;
    assert_eq!(out.status.code(), Some(1), "{out}");
    assert!(out.stderr.contains("#2"), "{out}");
    assert!(out.stderr.contains("altered"), "{out}");
    no_panic(&out);
    // Not in the database file nor its write-ahead log either. Read only once this process's
    // connections are closed: closing any other descriptor of a SQLite file drops the
    // process's POSIX locks on it, which would break the other processes' view of the WAL.
    db.close().await;
    if b == Backend::Sqlite {
        for f in ["balai.sqlite3", "balai.sqlite3-wal"] {
            if let Ok(bytes) = std::fs::read(dir.path().join(f)) {
                assert!(
                    !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                    "the plaintext token is in {f}"
                );
            }
        }
    }
});

both_backends!(audit_verify_names_a_deleted_row, |b: Backend| async move {
    let (db, url, dir) = fresh_db(b).await;
    let t = Target::url(&url, dir.path());
    // Five events from the CLI itself: user add, then tokens.
    run_ok(&t, &["user", "add", "root", "--superadmin"]).await;
    for _ in 0..4 {
        run_ok(&t, &["token", "create", "--user", "root"]).await;
    }
    assert_eq!(
        scalar_i64(&db, "SELECT COUNT(*) FROM audit_events").await,
        5
    );
    let out = run_ok(&t, &["audit", "verify"]).await;
    assert!(out.stdout.contains("5 events verified"), "{out}");

    exec(&db, "DELETE FROM audit_events WHERE seq = 3").await;
    let out = run(t.cmd(&["audit", "verify"]), None).await;
    assert_eq!(out.status.code(), Some(1), "{out}");
    assert!(out.stderr.contains("#3"), "{out}");
    assert!(out.stderr.contains("missing"), "{out}");

    // Removing the newest row is caught too (the chain head remembers it).
    exec(&db, "DELETE FROM audit_events WHERE seq IN (4, 5)").await;
    let out = run(t.cmd(&["audit", "verify"]), None).await;
    assert_eq!(out.status.code(), Some(1), "{out}");
    assert!(out.stderr.contains("#5"), "{out}");
});

// ---------------------------------------------------------------------------------------------
// 4. Commands beside a running server, and graceful shutdown
// ---------------------------------------------------------------------------------------------

both_backends!(commands_work_while_serving, |b: Backend| async move {
    let (db, url, dir) = fresh_db(b).await;
    // SQLite through the data directory (fresh_db put balai.sqlite3 there), PostgreSQL by URL.
    let t = match b {
        Backend::Sqlite => Target::data_dir(dir.path()),
        Backend::Postgres => Target::url(&url, dir.path()),
    };
    let (mut server, ready) = Server::start(&t, &[], &[]).await;
    eprintln!("[{b:?}] balai serve: started to /readyz 200 in {ready:?}");
    assert!(
        server.stdout().contains(&server.addr),
        "{}",
        server.stdout()
    );

    let out = run_ok(&t, &["user", "add", "alice", "--superadmin"]).await;
    printed_password(&out);
    let out = run_ok(&t, &["token", "create", "--user", "alice"]).await;
    let token = out.stdout.trim().to_string();
    assert!(token.starts_with("balai_"));

    let client = http();
    let res = client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["username"], "alice");
    assert_eq!(me["is_superadmin"], true);
    let res = client
        .get(server.url("/api/v1/me"))
        .bearer_auth("balai_not-a-real-token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // The server sees a CLI disable at once.
    run_ok(&t, &["user", "add", "bob", "--superadmin"]).await;
    let out = run_ok(&t, &["token", "create", "--user", "bob"]).await;
    let bob_token = out.stdout.trim().to_string();
    run_ok(&t, &["user", "disable", "bob"]).await;
    let res = client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&bob_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let out = run_ok(&t, &["audit", "verify"]).await;
    assert!(out.stdout.contains("events verified"), "{out}");

    // A request in flight when SIGTERM arrives still completes: send the headers and half of
    // the body, signal, then the rest.
    let body = serde_json::json!({
        "kind": "bawaslu",
        "name": "Bawaslu Uji Penghentian",
        "region_code": "32.79",
    })
    .to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut conn = tokio::net::TcpStream::connect(&server.addr).await.unwrap();
    conn.write_all(
        format!(
            "POST /api/v1/agencies HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
            server.addr,
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.sigterm();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited with a request in flight:\n{}",
        server.stderr()
    );
    // While it drains, new connections get no answer.
    assert!(
        client.get(server.url("/healthz")).send().await.is_err(),
        "a new request was served after SIGTERM"
    );
    conn.write_all(rest.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), conn.read_to_end(&mut response)).await;
    let response = String::from_utf8_lossy(&response).into_owned();
    assert!(read.is_ok(), "no complete response within 20 s: {response}");
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "in-flight request was not completed: {response:?}\n{}",
        server.stderr()
    );
    let status = server.wait_exit().await;
    eprintln!(
        "[{b:?}] balai serve: exited {status} {:?} after SIGTERM",
        signalled.elapsed()
    );
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
    assert!(
        server.stderr().contains("stopped cleanly"),
        "{}",
        server.stderr()
    );
    assert_eq!(
        scalar_i64(
            &db,
            "SELECT COUNT(*) FROM agencies WHERE name = 'Bawaslu Uji Penghentian'"
        )
        .await,
        1
    );
    // The server is gone.
    assert!(client.get(server.url("/healthz")).send().await.is_err());
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_server_stops_on_sigterm() {
    let (_db, _url, dir) = fresh_db(Backend::Sqlite).await;
    let t = Target::data_dir(dir.path());
    let (server, _) = Server::start(&t, &[], &[]).await;
    let started = Instant::now();
    server.stop().await;
    assert!(started.elapsed() < Duration::from_secs(10));
}

// ---------------------------------------------------------------------------------------------
// 5. The demo world
// ---------------------------------------------------------------------------------------------

/// The (username → password) table `serve --demo` printed.
fn demo_logins(stdout: &str) -> BTreeMap<String, (String, String)> {
    assert!(
        stdout.contains("Demo logins (also in"),
        "no demo header:\n{stdout}"
    );
    stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols.len() >= 4).then(|| {
                (
                    cols[0].to_string(),
                    (cols[1].to_string(), cols[2].to_string()),
                )
            })
        })
        .collect()
}

async fn login(server: &Server, username: &str, password: &str) -> reqwest::Response {
    let client = http();
    let html = client
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = common::extract_csrf(&html).expect("csrf field on /login");
    client
        .post(server.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/dashboard"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_prints_working_logins_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let t = Target::data_dir(&data);
    let env = [("BALAI_SECURE_COOKIES", "false")];

    let (server, ready) = Server::start(&t, &["--demo"], &env).await;
    eprintln!("serve --demo on an empty data dir: ready in {ready:?}");
    let first = demo_logins(&server.stdout());
    assert!(first.contains_key("admin"), "{}", server.stdout());
    assert_eq!(first["admin"].1, "super-admin");
    assert!(first.contains_key("banjar.kpu"), "{}", server.stdout());
    for slug in ["banjar", "palembang", "prabumulih", "babel", "sumbar"] {
        for kind in [
            "kpu",
            "bawaslu",
            "kesbangpol",
            "pemda",
            "disdukcapil",
            "ppid",
            "kelurahan",
        ] {
            assert!(
                first.contains_key(&format!("{slug}.{kind}")),
                "{slug}.{kind} not printed"
            );
        }
    }
    let passwords: HashSet<&str> = first.values().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        passwords.len(),
        first.len(),
        "two demo accounts share a password"
    );
    for (u, (p, _)) in &first {
        assert!(p.chars().count() >= 10, "{u} has a short password {p:?}");
    }

    // The list is kept, private to the owner.
    let file = data.join("demo-logins.txt");
    let meta = std::fs::metadata(&file).expect("demo-logins.txt");
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&file).unwrap();
    for (u, (p, _)) in &first {
        assert!(
            text.contains(&format!("{u}\t{p}\t")),
            "{u} missing from the file"
        );
    }

    // Printed passwords sign in through the real form; a wrong one does not.
    let res = login(&server, "banjar.kpu", &first["banjar.kpu"].0).await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/dashboard");
    let res = login(&server, "admin", &first["admin"].0).await;
    assert_eq!(res.status(), 303);
    let res = login(&server, "banjar.kpu", &first["admin"].0).await;
    assert_eq!(res.status(), 401);

    server.stop().await;

    let db = Db::connect(&format!(
        "sqlite://{}",
        data.join("balai.sqlite3").display()
    ))
    .await
    .unwrap();
    let agencies = scalar_i64(&db, "SELECT COUNT(*) FROM agencies").await;
    let users = scalar_i64(&db, "SELECT COUNT(*) FROM users").await;
    assert_eq!(users as usize, first.len());
    assert_eq!(agencies, 5 * 7);
    for code in ["32.79", "16.71", "16.74", "19", "13"] {
        for kind in [
            "kpu",
            "bawaslu",
            "kesbangpol",
            "pemda",
            "disdukcapil",
            "ppid",
        ] {
            let n = scalar_i64(
                &db,
                &format!("SELECT COUNT(*) FROM agencies WHERE region_code = '{code}' AND kind = '{kind}'"),
            )
            .await;
            assert_eq!(n, 1, "{kind} of {code}");
        }
        let counter = scalar_string(
            &db,
            &format!("SELECT r.name FROM agencies a JOIN regions r ON r.code = a.region_code WHERE a.kind = 'kelurahan' AND a.region_code LIKE '{code}.%' AND r.level = 4"),
        )
        .await;
        assert!(!counter.is_empty(), "kelurahan counter of {code}");
    }
    db.close().await;

    // Again on the same data dir: nothing new, the same passwords.
    let (server, _) = Server::start(&t, &["--demo"], &env).await;
    let second = demo_logins(&server.stdout());
    assert_eq!(second, first, "the second start printed other logins");
    let res = login(&server, "sumbar.ppid", &second["sumbar.ppid"].0).await;
    assert_eq!(res.status(), 303);
    server.stop().await;
    let db = Db::connect(&format!(
        "sqlite://{}",
        data.join("balai.sqlite3").display()
    ))
    .await
    .unwrap();
    assert_eq!(
        scalar_i64(&db, "SELECT COUNT(*) FROM agencies").await,
        agencies
    );
    assert_eq!(scalar_i64(&db, "SELECT COUNT(*) FROM users").await, users);
    assert_eq!(
        scalar_i64(
            &db,
            "SELECT COUNT(*) FROM (SELECT kind, region_code FROM agencies GROUP BY kind, region_code HAVING COUNT(*) > 1) d"
        )
        .await,
        0
    );
    let out = run_ok(&t, &["audit", "verify"]).await;
    assert!(out.stdout.contains("events verified"), "{out}");
    db.close().await;
}

// ---------------------------------------------------------------------------------------------
// 6. Bad input
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_configuration_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let t = Target::data_dir(&dir.path().join("data"));
    let with_config = |toml: &str, name: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, toml).unwrap();
        p
    };

    // A wrong type.
    let p = with_config("listen = 42\n", "type.toml");
    let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("listen"), "{out}");
    no_panic(&out);

    // Not TOML at all.
    let p = with_config("listen = \n[[[\n", "syntax.toml");
    let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("syntax.toml"), "{out}");
    no_panic(&out);

    // An unknown key, top level and nested.
    let p = with_config("listne = \"127.0.0.1:8080\"\n", "unknown.toml");
    let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("listne"), "{out}");
    let p = with_config("[smtp]\nhots = \"mail\"\n", "nested.toml");
    let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("hots"), "{out}");

    // A bad value from the environment.
    let mut cmd = t.cmd(&["migrate"]);
    cmd.env("BALAI_LISTEN", "nowhere");
    let out = run(cmd, None).await;
    assert!(!out.ok() && out.stderr.contains("listen"), "{out}");

    // A missing file.
    let missing = dir.path().join("nope.toml");
    let out = run(
        t.cmd(&["--config", missing.to_str().unwrap(), "migrate"]),
        None,
    )
    .await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("nope.toml"), "{out}");
    assert!(out.stderr.contains("does not exist"), "{out}");

    // None of these touched the data directory.
    assert!(!dir.path().join("data").exists());

    // A good file is honoured.
    let p = with_config("session_hours = 8\n[jobs]\nworkers = 1\n", "good.toml");
    let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
    assert!(out.ok(), "{out}");
}

#[tokio::test]
async fn bad_listen_address_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let t = Target::data_dir(&dir.path().join("data"));
    let out = run(t.cmd(&["serve", "--listen", "notanaddress"]), None).await;
    assert!(!out.ok(), "{out}");
    assert!(out.stderr.contains("notanaddress"), "{out}");
    no_panic(&out);
    assert!(!dir.path().join("data").exists());
}

#[tokio::test]
async fn unreachable_or_unsupported_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();

    let mut cmd = balai(dir.path());
    cmd.env("BALAI_DATABASE_URL", "postgres://postgres@127.0.0.1:1/nope")
        .env("RUST_BACKTRACE", "1")
        .arg("migrate");
    let started = Instant::now();
    let out = run(cmd, None).await;
    let took = started.elapsed();
    eprintln!("unreachable PostgreSQL reported after {took:?}");
    assert!(!out.ok(), "{out}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(out.stderr.contains("cannot open the database"), "{out}");
    assert!(out.stderr.contains("127.0.0.1:1"), "{out}");
    no_panic(&out);
    assert!(!out.stderr.contains("stack backtrace"), "{out}");

    let mut cmd = balai(dir.path());
    cmd.env("BALAI_DATABASE_URL", "mysql://x")
        .args(["user", "list"]);
    let out = run(cmd, None).await;
    assert!(!out.ok(), "{out}");
    assert!(
        out.stderr.contains("sqlite:") && out.stderr.contains("postgres://"),
        "{out}"
    );
    assert!(out.stderr.contains("mysql://x"), "{out}");
    no_panic(&out);

    // A password in the URL is not printed.
    let mut cmd = balai(dir.path());
    cmd.env(
        "BALAI_DATABASE_URL",
        "postgres://postgres:s3cret-pw@127.0.0.1:1/nope",
    )
    .arg("migrate");
    let out = run(cmd, None).await;
    assert!(!out.ok(), "{out}");
    assert!(!out.stderr.contains("s3cret-pw"), "{out}");
    assert!(!dir.path().join("balai-data").exists());
}

// ---------------------------------------------------------------------------------------------
// 7. First migration
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_creates_the_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    let t = Target::data_dir(&data);

    let started = Instant::now();
    let out = run_ok(&t, &["migrate"]).await;
    let first = started.elapsed();
    eprintln!("first `balai migrate` (schema + 91,599 regions): {first:?}");
    assert!(out.stdout.contains("database ready"), "{out}");
    let file = data.join("balai.sqlite3");
    assert!(file.exists());
    assert!(
        first < Duration::from_secs(60),
        "first migrate took {first:?}"
    );

    let url = format!("sqlite://{}", file.display());
    let counts = |db: Db| async move {
        let r = scalar_i64(&db, "SELECT COUNT(*) FROM regions").await;
        let m = scalar_i64(&db, "SELECT COUNT(*) FROM _sqlx_migrations").await;
        let h = scalar_i64(&db, "SELECT COUNT(*) FROM holidays").await;
        db.close().await;
        (r, m, h)
    };
    let before = counts(Db::connect(&url).await.unwrap()).await;
    assert_eq!(before.0, 91_599);
    assert!(before.1 >= 1 && before.2 > 0, "{before:?}");

    let started = Instant::now();
    run_ok(&t, &["migrate"]).await;
    eprintln!("second `balai migrate`: {:?}", started.elapsed());
    let after = counts(Db::connect(&url).await.unwrap()).await;
    assert_eq!(after, before);
}

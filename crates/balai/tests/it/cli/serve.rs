//! The `balai` command line beside a running `balai serve`: commands while it serves, graceful
//! shutdown, and the demo world with its printed logins.

use crate::support;

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use crate::support::cli::*;
use crate::support::{fresh_db, Backend};
use balai_core::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

/// The agency kinds the demo world sets up in each of its regions.
const AGENCY_KINDS: [&str; 6] = [
    "kpu",
    "bawaslu",
    "kesbangpol",
    "pemda",
    "disdukcapil",
    "ppid",
];

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

/// Printed passwords sign in through the real form, a wrong one does not, and the demo's voter
/// list answers the public check.
async fn printed_logins_work(server: &Server, first: &BTreeMap<String, (String, String)>) {
    // Printed passwords sign in through the real form; a wrong one does not.
    let res = login(server, "banjar.kpu", &first["banjar.kpu"].0).await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/dashboard");
    let res = login(server, "admin", &first["admin"].0).await;
    assert_eq!(res.status(), 303);
    let res = login(server, "banjar.kpu", &first["admin"].0).await;
    assert_eq!(res.status(), 401);

    demo_voter_is_found(server).await;
}

/// The demo's voter list is loaded: its known voter is found by the public check.
async fn demo_voter_is_found(server: &Server) {
    let found: serde_json::Value = reqwest::Client::new()
        .post(server.url("/api/v1/dpt/lookup"))
        .json(&serde_json::json!({"nik": "3279015508900002", "name": "siti  wahyuni"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["found"], true, "{found}");
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
    let csrf = support::extract_csrf(&html).expect("csrf field on /login");
    support::post_login(&client, &server.url("/login"), &csrf, username, password).await
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
    for slug in [
        "banjar",
        "palembang",
        "prabumulih",
        "babel",
        "sumbar",
        "sumsel",
    ] {
        for kind in AGENCY_KINDS.iter().chain(&["kelurahan"]) {
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

    printed_logins_work(&server, &first).await;

    server.stop().await;

    let db = Db::open_data_dir(&data).await.unwrap();
    let agencies = scalar_i64(&db, "SELECT COUNT(*) FROM agencies").await;
    let users = scalar_i64(&db, "SELECT COUNT(*) FROM users").await;
    assert_eq!(users as usize, first.len());
    assert_eq!(agencies, 6 * 7 + 1); // and BKN's regional office (Netralitas ASN)
    for code in ["32.79", "16.71", "16.74", "19", "13", "16"] {
        for kind in AGENCY_KINDS {
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
    let db = Db::open_data_dir(&data).await.unwrap();
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

//! The `balai` command line before anything runs: bad configuration, a bad listen address, an
//! unreachable or unsupported database, and the first migration.

use std::time::{Duration, Instant};

use crate::support::cli::*;
use balai_core::Db;

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

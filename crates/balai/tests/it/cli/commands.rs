//! The `balai` command line, run as a real process against both backends: help, account and
//! token commands, and the audit chain check. (Beside a running server: `cli::serve`; bad
//! configuration and the first migration: `cli::setup`.)

use crate::support::cli::*;
use crate::support::exec;
use crate::support::{fresh_db, Backend};
use balai_core::{auth, with_db};

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

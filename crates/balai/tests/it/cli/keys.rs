//! `balai keys generate|show`: the checkpoint signing key, written with mode 0600 and never
//! replaced, found in the data directory or in `BALAI_CHECKPOINT_KEY`, and a bad key is a clear
//! error. No database is opened (none is created). A server with a key signs on its schedule
//! and skips a head that did not move; one without warns.

use crate::support::cli::*;

fn line_after<'a>(out: &'a Out, prefix: &str) -> &'a str {
    out.stdout
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line:\n{out}"))
}

#[tokio::test]
async fn keys_are_generated_once_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let data = Target::data_dir(&dir.path().join("data"));
    let out = run(data.cmd(&["keys", "show"]), None).await;
    assert_eq!(out.status.code(), Some(1), "{out}");
    assert!(out.stderr.contains("no checkpoint signing key"), "{out}");

    let out = run(data.cmd(&["keys", "generate"]), None).await;
    assert!(out.ok(), "{out}");
    let id = line_after(&out, "key id: ").to_string();
    let public = line_after(&out, "public key (Ed25519, base64): ").to_string();
    let file = data.data_dir.join("checkpoint.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let secret = std::fs::read_to_string(&file).unwrap();
    assert!(
        !out.stdout.contains(secret.trim()),
        "the secret is never printed"
    );

    let out = run(data.cmd(&["keys", "generate"]), None).await;
    assert!(!out.ok() && out.stderr.contains("never replaced"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), secret);

    let out = run(data.cmd(&["keys", "show"]), None).await;
    assert!(out.ok(), "{out}");
    assert_eq!(line_after(&out, "key id: "), id);
    assert_eq!(line_after(&out, "public key (Ed25519, base64): "), public);
    assert!(!data.data_dir.join("balai.sqlite3").exists());

    // The environment's key wins; a malformed one is an error naming the variable.
    let other = tempfile::tempdir().unwrap();
    let mut cmd = Target::data_dir(other.path()).cmd(&["keys", "show"]);
    cmd.env("BALAI_CHECKPOINT_KEY", secret.trim());
    let out = run(cmd, None).await;
    assert!(out.ok() && line_after(&out, "key id: ") == id, "{out}");
    let mut cmd = Target::data_dir(other.path()).cmd(&["keys", "show"]);
    cmd.env("BALAI_CHECKPOINT_KEY", "not-a-key");
    let out = run(cmd, None).await;
    assert!(
        !out.ok() && out.stderr.contains("BALAI_CHECKPOINT_KEY"),
        "{out}"
    );
    no_panic(&out);
}

both_backends!(
    a_server_with_a_key_signs_on_its_schedule,
    |b: crate::support::Backend| async move {
        let (db, url, dir) = crate::support::fresh_db(b).await;
        let t = Target::url(&url, dir.path());
        // Without a key: a clear warning, nothing signed.
        let every = [("BALAI_CHECKPOINTS__EVERY_SECONDS", "1")];
        let (server, _) = Server::start(&t, &[], &every).await;
        assert!(
            server.stderr().contains("no checkpoint signing key"),
            "{}",
            server.stderr()
        );
        server.stop().await;

        run_ok(&t, &["keys", "generate"]).await;
        run_ok(&t, &["user", "add", "siti", "--superadmin"]).await;
        let (server, _) = Server::start(&t, &[], &every).await;
        assert!(!server.stderr().contains("no checkpoint signing key"));
        let client = http();
        let audit_page = || async {
            let url = server.url("/api/v1/checkpoints?chain=audit");
            let res = client.get(url).send().await.unwrap();
            res.json::<serde_json::Value>().await.unwrap()
        };
        let mut signed = serde_json::Value::Null;
        for _ in 0..100 {
            signed = audit_page().await;
            if signed["checkpoints"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let cps = signed["checkpoints"].as_array().unwrap();
        assert_eq!(cps.len(), 1, "signed once within seconds: {signed}");
        let head: i64 = scalar_i64(&db, "SELECT seq FROM audit_head").await;
        assert_eq!(cps[0]["seq"], head);
        // Several more rounds pass; the head did not move, so nothing more is signed.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(audit_page().await["checkpoints"], signed["checkpoints"]);
        server.stop().await;
        db.close().await;
    }
);

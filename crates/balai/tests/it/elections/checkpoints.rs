//! Checkpoints of the publication log (security review M5): a recapitulation signs the log at
//! once, the job signs logs that moved and skips those that did not, the election page shows
//! the latest checkpoint, and a history rewritten with every hash recomputed passes
//! `balai verify-log` alone but fails `--checkpoint` and the outside script. On both backends.

use balai_core::checkpoints::{self, job, Checkpoint};
use balai_core::{with_db, with_tx, Db};
use serde_json::json;

use crate::foundation::checkpoints::{app_key, get_json, with_key};
use crate::support::cli::{run, Target};
use crate::support::worlds::elections::*;
use crate::support::Backend;

/// Change entry `seq`'s payload (a field the totals do not use) and recompute every later hash
/// and the election's head, as someone with write access to the database can.
async fn rewrite_log(db: &Db, election: i64, seq: i64) {
    let rows: Vec<(i64, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT seq, payload FROM election_log WHERE election_id = $1 ORDER BY seq"
    )
    .bind(election)
    .fetch_all(c)
    .await)
    .unwrap();
    let mut prev = balai_elections::domain::publog::GENESIS.to_string();
    let mut tx = db.begin().await.unwrap();
    for (s, payload) in rows {
        let payload = if s == seq {
            let p = payload.replacen("\"entered_at\":\"2", "\"entered_at\":\"1", 1);
            assert_ne!(p, payload);
            p
        } else {
            payload
        };
        let hash = balai_elections::domain::publog::entry_hash(&prev, s, &payload);
        with_tx!(&mut tx, |c| sqlx::query(
            "UPDATE election_log SET payload = $1, prev_hash = $2, hash = $3
             WHERE election_id = $4 AND seq = $5"
        )
        .bind(&payload)
        .bind(&prev)
        .bind(&hash)
        .bind(election)
        .bind(s)
        .execute(&mut *c)
        .await
        .map(drop))
        .unwrap();
        prev = hash;
    }
    with_tx!(&mut tx, |c| sqlx::query(
        "UPDATE elections SET log_head = $1 WHERE id = $2"
    )
    .bind(&prev)
    .bind(election)
    .execute(&mut *c)
    .await
    .map(drop))
    .unwrap();
    tx.commit().await.unwrap();
}

/// `node scripts/verify-checkpoint.mjs ARGS`: `None` when Node.js is not installed.
fn node_script(args: &[&str]) -> Option<(i32, String)> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/verify-checkpoint.mjs");
    match std::process::Command::new("node")
        .arg(&script)
        .args(args)
        .output()
    {
        Ok(out) => Some((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED: the outside verification script needs Node.js 20+ (`node` not found)"
            );
            None
        }
        Err(e) => panic!("node: {e}"),
    }
}

both_backends!(
    a_recapitulation_signs_the_log_and_a_rewrite_is_caught,
    |b: Backend| async move {
        let fx = Fx::with_config(b, with_key).await;
        let key = app_key(&fx.app);
        let chain = checkpoints::election_chain(fx.election);
        for tps in [fx.tps[0], fx.tps[1]] {
            let (s, v) = fx
                .submit(&fx.op1, tps, form_json(&good_form()), json!({}))
                .await;
            assert_eq!(s, 201, "{v}");
        }
        let list = format!("/api/v1/checkpoints?chain={chain}");
        let (_, before) = get_json(&fx.app, &list).await;
        assert_eq!(before["checkpoints"], json!([]), "{before}");
        let (_, page) = fx.get(&format!("/elections/{}", fx.election)).await;
        assert!(page.as_str().unwrap().contains("belum ada"), "{page}");

        // The recapitulation signs the log (and the audit chain holding its event) at once.
        let (s, v) = fx
            .post(
                &fx.sup,
                &fx.path("/recaps"),
                json!({"region_code": "32.79.01", "document_ref": "BA PPK Banjar 1/2024"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let (_, signed) = get_json(&fx.app, &list).await;
        let cps: Vec<Checkpoint> = serde_json::from_value(signed["checkpoints"].clone()).unwrap();
        assert_eq!(cps.len(), 1, "{signed}");
        let (_, log) = fx.get(&fx.path("/log")).await;
        assert_eq!(
            (cps[0].seq, &json!(cps[0].head_hash)),
            (2, &log["head_hash"])
        );
        cps[0].verify_signature().unwrap();
        assert_eq!(cps[0].key_id, key.id());
        let audit = checkpoints::store::latest(&fx.app.db, checkpoints::AUDIT)
            .await
            .unwrap()
            .expect("the audit chain signed with the recapitulation");
        assert_eq!(audit.seq, job::audit_head(&fx.app.db).await.unwrap().seq);

        // The job finds nothing new to sign, then signs the log once it moves.
        let sources = [balai_elections::anchor::heads_source()];
        assert_eq!(job::round(&fx.app.db, &key, &sources).await.unwrap(), 0);
        let (s, _) = fx
            .submit(&fx.op1, fx.tps[2], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "a TPS outside the recapitulated district");
        // The election's log and the audit chain (the entry's event) moved.
        assert_eq!(job::round(&fx.app.db, &key, &sources).await.unwrap(), 2);
        assert_eq!(job::round(&fx.app.db, &key, &sources).await.unwrap(), 0);

        // The page shows the latest, in both languages.
        let (_, signed) = get_json(&fx.app, &list).await;
        let latest: Checkpoint = serde_json::from_value(signed["checkpoints"][0].clone()).unwrap();
        assert_eq!(
            (latest.number, latest.seq, &latest.prev),
            (2, 3, &cps[0].digest)
        );
        let short = &latest.head_hash[..12];
        for (lang, words) in [
            ("id", "Titik periksa bertanda tangan terakhir"),
            ("en", "Latest signed checkpoint"),
        ] {
            let (_, page) = fx
                .get(&format!("/elections/{}?lang={lang}", fx.election))
                .await;
            let page = page.as_str().unwrap().to_string();
            assert!(
                page.contains(words) && page.contains(short),
                "{lang}: {page}"
            );
            assert!(page.contains(&format!("#{}", latest.seq)), "{page}");
            assert!(page.contains(&format!(
                "/api/v1/checkpoints?chain=election:{}",
                fx.election
            )));
        }

        // Kept outside: the checkpoints and the log verify, in Balai and in the outside script.
        let dir = fx.app.dir.path();
        let file = dir.join("e-checkpoints.json");
        std::fs::write(&file, signed.to_string()).unwrap();
        let log_file = dir.join("log.json");
        let (_, log) = fx.get(&fx.path("/log")).await;
        std::fs::write(&log_file, log.to_string()).unwrap();
        let (path, log_path) = (file.to_str().unwrap(), log_file.to_str().unwrap());
        let t = Target::url(&fx.app.url, dir);
        let election = fx.election.to_string();
        let verify_log = |with: bool| {
            let mut args = vec!["verify-log", "--election", election.as_str()];
            if with {
                args.extend(["--checkpoint", path]);
            }
            t.cmd(&args)
        };
        let out = run(verify_log(true), None).await;
        assert!(out.ok() && out.stdout.contains("2 checkpoint(s)"), "{out}");
        let node = node_script(&[path, "--key", key.public_key(), "--log", log_path]);
        if let Some((code, text)) = &node {
            assert_eq!(*code, 0, "{text}");
        }

        // Entry 1 rewritten, every hash after it recomputed: consistent on its own...
        rewrite_log(&fx.app.db, fx.election, 1).await;
        let out = run(verify_log(false), None).await;
        assert!(out.ok(), "the recomputed log is consistent again: {out}");
        // ...but no longer extends the checkpoints kept outside.
        let out = run(verify_log(true), None).await;
        assert_eq!(out.status.code(), Some(1), "{out}");
        assert!(out.stderr.contains("no longer a prefix"), "{out}");
        if node.is_some() {
            let (_, log) = fx.get(&fx.path("/log")).await;
            std::fs::write(&log_file, log.to_string()).unwrap();
            let (code, text) =
                node_script(&[path, "--key", key.public_key(), "--log", log_path]).unwrap();
            assert_eq!(code, 1, "{text}");
            assert!(text.contains("no longer a prefix"), "{text}");
            // A checkpoint signed by another key than the one trusted is refused too.
            let other = balai_core::checkpoints::CheckpointKey::generate();
            let (code, text) = node_script(&[path, "--key", other.public_key()]).unwrap();
            assert_eq!(code, 1, "{text}");
        }
    }
);

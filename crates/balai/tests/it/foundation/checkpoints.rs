//! Signed checkpoints of the audit chain (security review M5): the job signs a head that moved
//! and skips one that did not, the API publishes them (public, newest first, by chain, paged)
//! with the key, and `balai audit verify --checkpoint` catches a history rewritten with every
//! hash recomputed, which the chain check alone passes. On both backends.

use balai_core::audit::{self, AuditContext, AuditEvent, AuditRow};
use balai_core::checkpoints::{self, job, key, Checkpoint, CheckpointKey};
use balai_core::config::Config;
use balai_core::{with_db, with_tx, Db};
use serde_json::{json, Value};

use crate::support::cli::{run, Target};
use crate::support::{Backend, TestApp};

/// A signing key in the app's data directory (found there by itself, as after
/// `balai keys generate`).
pub fn with_key(cfg: &mut Config) {
    key::generate_file(&cfg.data_dir.join(key::DATA_DIR_FILE)).unwrap();
}

pub fn app_key(app: &TestApp) -> CheckpointKey {
    app.ctx
        .ext
        .get::<CheckpointKey>()
        .cloned()
        .expect("the app loaded the data directory's key")
}

pub async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let res = app.client().get(app.url(path)).send().await.unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

async fn event(db: &Db, n: i64) {
    audit::record_now(
        db,
        &AuditContext::cli("test"),
        AuditEvent {
            action: "test.event",
            target_kind: "test",
            target_id: n.to_string(),
            region_code: None,
            summary: json!({ "n": n }),
        },
    )
    .await
    .unwrap();
}

/// What someone with write access to the database can do: change event `seq`'s summary and
/// recompute every hash after it and the head, so that the chain is consistent again.
async fn rewrite_audit(db: &Db, seq: i64, summary: &str) {
    let mut rows: Vec<AuditRow> = with_db!(db, |c| sqlx::query_as::<_, AuditRow>(
        "SELECT * FROM audit_events ORDER BY seq"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    let mut prev = "0".repeat(64);
    let mut tx = db.begin().await.unwrap();
    for r in rows.iter_mut() {
        if r.seq == seq {
            r.summary = summary.to_string();
        }
        r.prev_hash = prev.clone();
        r.hash = audit::chain_hash(r);
        prev = r.hash.clone();
        with_tx!(&mut tx, |c| sqlx::query(
            "UPDATE audit_events SET summary = $1, prev_hash = $2, hash = $3 WHERE seq = $4"
        )
        .bind(&r.summary)
        .bind(&r.prev_hash)
        .bind(&r.hash)
        .bind(r.seq)
        .execute(&mut *c)
        .await
        .map(drop))
        .unwrap();
    }
    with_tx!(&mut tx, |c| sqlx::query(
        "UPDATE audit_head SET last_hash = $1 WHERE id = 1"
    )
    .bind(&prev)
    .execute(&mut *c)
    .await
    .map(drop))
    .unwrap();
    tx.commit().await.unwrap();
}

both_backends!(
    audit_checkpoints_are_signed_published_and_catch_a_rewrite,
    |b: Backend| async move {
        let app = TestApp::spawn_with(b, with_key).await;
        let key = app_key(&app);
        for n in 1..=4 {
            event(&app.db, n).await;
        }
        // The job signs the head once; an unchanged head gets no second checkpoint.
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 1);
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 0);
        event(&app.db, 5).await;
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 1);
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 0);

        // Published: public, newest first, signed by the published key, each linking the last.
        let (s, page) = get_json(&app, "/api/v1/checkpoints?chain=audit").await;
        assert_eq!(s, 200, "{page}");
        let cps: Vec<Checkpoint> = serde_json::from_value(page["checkpoints"].clone()).unwrap();
        assert_eq!(cps.len(), 2, "{page}");
        let head = job::audit_head(&app.db).await.unwrap();
        assert_eq!((cps[0].number, cps[0].seq), (2, head.seq));
        assert_eq!(cps[0].head_hash, head.hash);
        assert_eq!(cps[0].prev, cps[1].digest);
        assert_eq!(cps[1].prev, checkpoints::NO_PREV);
        for c in &cps {
            c.verify_signature().unwrap();
            assert_eq!(c.key_id, key.id());
        }
        assert_eq!(page["key"]["public_key"], key.public_key());
        let (s, wk) = get_json(&app, "/.well-known/balai-checkpoint-key.json").await;
        assert_eq!((s, &wk["key_id"]), (200, &json!(key.id())), "{wk}");
        assert_eq!(wk["public_key"], key.public_key());

        // Kept outside, the page verifies against the chain...
        let file = app.dir.path().join("audit-checkpoints.json");
        std::fs::write(&file, page.to_string()).unwrap();
        let t = Target::url(&app.url, app.dir.path());
        let path = file.to_str().unwrap();
        let out = run(t.cmd(&["audit", "verify", "--checkpoint", path]), None).await;
        assert!(out.ok(), "{out}");
        assert!(
            out.stdout.contains("2 checkpoint(s) of audit verified"),
            "{out}"
        );

        // ...and a rewrite with every hash recomputed passes the chain check alone, but not
        // the check against the checkpoint kept outside.
        rewrite_audit(&app.db, 2, "{\"n\":20}").await;
        let out = run(t.cmd(&["audit", "verify"]), None).await;
        assert!(out.ok(), "the recomputed chain is consistent again: {out}");
        let out = run(t.cmd(&["audit", "verify", "--checkpoint", path]), None).await;
        assert_eq!(out.status.code(), Some(1), "{out}");
        assert!(
            out.stderr.contains("CHECKPOINT CHECK FAILED")
                && out.stderr.contains("no longer a prefix"),
            "{out}"
        );

        // A checkpoint altered in the file (its statement rebuilt, its signature kept) fails.
        let mut forged = cps[1].clone();
        forged.head_hash = head.hash.clone();
        forged.statement = forged.expected_statement();
        forged.digest = checkpoints::sha256_hex(forged.statement.as_bytes());
        std::fs::write(&file, serde_json::to_string(&forged).unwrap()).unwrap();
        let out = run(t.cmd(&["audit", "verify", "--checkpoint", path]), None).await;
        assert_eq!(out.status.code(), Some(1), "{out}");
        assert!(out.stderr.contains("signature does not verify"), "{out}");
    }
);

both_backends!(
    checkpoints_api_filters_by_chain_and_pages,
    |b: Backend| async move {
        let app = TestApp::spawn_with(b, with_key).await;
        let key = app_key(&app);
        // Three audit checkpoints and two of an "election" chain (heads given directly).
        for n in 1..=3 {
            event(&app.db, n).await;
            job::round(&app.db, &key, &[]).await.unwrap();
        }
        for seq in 1..=2 {
            let head = checkpoints::Head {
                chain: checkpoints::election_chain(7),
                seq,
                hash: format!("{seq:064}"),
            };
            checkpoints::store::make(&app.db, &key, &head)
                .await
                .unwrap()
                .unwrap();
        }
        let chains = |v: &Value| -> Vec<String> {
            v["checkpoints"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| format!("{}#{}", c["chain"].as_str().unwrap(), c["number"]))
                .collect()
        };
        let (s, all) = get_json(&app, "/api/v1/checkpoints").await;
        assert_eq!(s, 200);
        assert_eq!(
            chains(&all),
            [
                "election:7#2",
                "election:7#1",
                "audit#3",
                "audit#2",
                "audit#1"
            ]
        );
        assert_eq!(all["next_before"], Value::Null);
        let (_, e) = get_json(&app, "/api/v1/checkpoints?chain=election:7").await;
        assert_eq!(chains(&e), ["election:7#2", "election:7#1"]);
        let (_, a) = get_json(&app, "/api/v1/checkpoints?chain=audit&limit=2").await;
        assert_eq!(chains(&a), ["audit#3", "audit#2"]);
        let next = a["next_before"].as_i64().expect("a next page");
        let (_, a2) = get_json(
            &app,
            &format!("/api/v1/checkpoints?chain=audit&limit=2&before={next}"),
        )
        .await;
        assert_eq!(chains(&a2), ["audit#1"]);
        assert_eq!(a2["next_before"], Value::Null);
        let (_, none) = get_json(&app, "/api/v1/checkpoints?chain=election:8").await;
        assert_eq!(chains(&none), Vec::<String>::new());
        for bad in ["elections:7", "election:x", "audit;drop"] {
            let (s, v) = get_json(&app, &format!("/api/v1/checkpoints?chain={bad}")).await;
            assert_eq!(
                (s, v["code"].as_str()),
                (422, Some("bad_chain")),
                "{bad}: {v}"
            );
        }
    }
);

both_backends!(
    without_a_key_nothing_is_signed_and_the_key_is_not_published,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        assert!(app.ctx.ext.get::<CheckpointKey>().is_none());
        let (s, page) = get_json(&app, "/api/v1/checkpoints").await;
        assert_eq!((s, &page["key"]), (200, &Value::Null), "{page}");
        let (s, _) = get_json(&app, "/.well-known/balai-checkpoint-key.json").await;
        assert_eq!(s, 404);
    }
);

// The job does not sign a rewritten history: after a rewrite below the last checkpoint (every
// hash recomputed, so the chain itself checks out) a new head gets no checkpoint, and neither
// does a shortened chain; the published checkpoints still show the old history.
both_backends!(
    the_job_refuses_to_sign_a_rewritten_chain,
    |b: Backend| async move {
        let app = TestApp::spawn_with(b, with_key).await;
        let key = app_key(&app);
        for n in 1..=3 {
            event(&app.db, n).await;
        }
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 1);
        let count = || async {
            with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM checkpoints WHERE chain = 'audit'"
            )
            .fetch_one(c)
            .await)
            .unwrap()
        };
        assert_eq!(count().await, 1);
        // The same head rewritten in place.
        let last = job::audit_head(&app.db).await.unwrap();
        rewrite_audit(&app.db, 2, "{\"n\": 99}").await;
        let head = job::audit_head(&app.db).await.unwrap();
        assert_eq!(head.seq, last.seq);
        assert_ne!(head.hash, last.hash);
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 0);
        // A new event on top of the rewrite: still refused, the reason names the entry.
        event(&app.db, 4).await;
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 0);
        let head = job::audit_head(&app.db).await.unwrap();
        let db = app.db.clone();
        let signed = job::sign(&app.db, &key, &head, move |seq| {
            Box::pin(async move { job::audit_hash_at(&db, seq).await })
        })
        .await
        .unwrap();
        match signed {
            job::Signed::Refused(why) => {
                let entry = format!("entry #{} now hashes to", last.seq);
                assert!(why.contains(&entry), "{why}");
                assert!(why.contains("history was rewritten"), "{why}");
            }
            other => panic!("signed a rewritten chain: {other:?}"),
        }
        assert_eq!(count().await, 1);
        // The refusal holds for as long as the rewrite stands.
        event(&app.db, 5).await;
        assert_eq!(job::round(&app.db, &key, &[]).await.unwrap(), 0);
        assert_eq!(count().await, 1);
    }
);

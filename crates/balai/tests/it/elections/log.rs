//! The publication log: it verifies, replays to the published totals and shows any rewrite
//! (API, library and `balai verify-log`), and stays in order under concurrent entries, on both
//! backends.

use crate::support;

use crate::support::worlds::elections::*;
use crate::support::Backend;
use balai_elections::domain::publog::{self, LogEntry};
use serde_json::json;

both_backends!(
    publication_log_verifies_and_replays,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let mut f2 = good_form();
        f2.votes.insert(1, 10);
        f2.votes.insert(2, 160);
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        fx.submit(&fx.op2, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        fx.submit(&fx.op1, fx.tps[2], form_json(&good_form()), json!({}))
            .await;
        let (s, _) = fx
            .submit(
                &fx.op1,
                fx.tps[2],
                form_json(&f2),
                json!({"reason": "koreksi"}),
            )
            .await;
        assert_eq!(s, 201);
        let (s, log) = fx.get(&fx.path("/log")).await;
        assert_eq!(s, 200);
        let entries: Vec<LogEntry> = serde_json::from_value(log["entries"].clone()).unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(publog::verify(&entries), Ok(4));
        assert_eq!(log["head_seq"], 4);
        assert_eq!(log["head_hash"], entries[3].hash.as_str());
        // Replaying the log gives the published totals.
        let current = publog::replay(&entries).unwrap();
        let r = fx.results("32.79").await;
        let sum = |g: &dyn Fn(&publog::Payload) -> u64| current.values().map(g).sum::<u64>();
        assert_eq!(
            r["pengguna"].as_u64().unwrap(),
            sum(&|p| u64::from(p.form.pengguna_total.total))
        );
        assert_eq!(
            r["dpt"].as_u64().unwrap(),
            sum(&|p| u64::from(p.form.pemilih_dpt.total))
        );
        assert_eq!(
            r["votes"]["1"].as_u64().unwrap(),
            sum(&|p| u64::from(p.form.votes[&1]))
        );
        assert_eq!(r["votes"]["1"], 110);
        assert_eq!(
            balai_elections::verify::verify_log(&fx.app.db, fx.election)
                .await
                .unwrap()
                .unwrap()
                .entries,
            4
        );
        let cli = |db_url: String, election: i64| {
            let out = std::process::Command::new(support::balai_bin())
                .args(["verify-log", "--election", &election.to_string()])
                .env("BALAI_DATABASE_URL", db_url)
                .env("BALAI_DATA_DIR", fx.app.dir.path())
                .current_dir(fx.app.dir.path())
                .output()
                .unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).to_string()
                    + &String::from_utf8_lossy(&out.stderr),
            )
        };
        let (code, text) = cli(fx.app.url.clone(), fx.election);
        assert_eq!(code, Some(0), "{text}");
        assert!(text.contains("4 entries"), "{text}");
        // A stored version changed behind the log's back is detected.
        balai_core::with_db!(&fx.app.db, |c| sqlx::query(
        "UPDATE result_entries SET form = REPLACE(form, '\"1\":10', '\"1\":11') WHERE version = 2 AND tps_id = $1"
    )
    .bind(fx.tps[2])
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
        let (code, text) = cli(fx.app.url.clone(), fx.election);
        assert_eq!(code, Some(1), "{text}");
        assert!(
            text.contains("differs from what log entry 4 published"),
            "{text}"
        );
        // Rewriting a published row is detected.
        balai_core::with_db!(&fx.app.db, |c| {
            sqlx::query(
        "UPDATE election_log SET payload = REPLACE(payload, '\"1\":10', '\"1\":99') WHERE seq = 4"
    )
    .execute(c)
    .await
    .map(|r| r.rows_affected())
        })
        .unwrap();
        // The default pages are cached until the log moves, and this change went behind the
        // app's back: a page of another size is read from the database.
        let (_, log) = fx.get(&fx.path("/log?limit=100")).await;
        let entries: Vec<LogEntry> = serde_json::from_value(log["entries"].clone()).unwrap();
        assert_eq!(
            publog::verify(&entries),
            Err(publog::LogProblem::Altered { seq: 4 })
        );
    }
);

both_backends!(
    concurrent_entries_keep_the_log_in_order,
    |b: Backend| async move {
        let fx = std::sync::Arc::new(Fx::new(b).await);
        let csv: String = std::iter::once("village_code,number,address,dpt_l,dpt_p\n".to_string())
            .chain((1..=16).map(|n| format!("32.79.04.2001,{n},Jl,100,100\n")))
            .collect();
        let ids = fx.import_tps(fx.election, &csv).await;
        let mut tasks = Vec::new();
        for id in ids {
            for token in [fx.op1.clone(), fx.op2.clone()] {
                let fx = fx.clone();
                tasks.push(tokio::spawn(async move {
                    fx.submit(&token, id, form_json(&good_form()), json!({}))
                        .await
                        .0
                }));
            }
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 201);
        }
        let r = fx.results("32.79.04.2001").await;
        assert_eq!(
            (r["tps_entered"].as_i64(), r["tps_verified"].as_i64()),
            (Some(16), Some(16))
        );
        let (_, log) = fx.get(&fx.path("/log")).await;
        let entries: Vec<LogEntry> = serde_json::from_value(log["entries"].clone()).unwrap();
        assert_eq!(publog::verify(&entries), Ok(32));
    }
);

both_backends!(log_pages_join_into_the_whole_log, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let csv: String = std::iter::once("village_code,number,address,dpt_l,dpt_p\n".to_string())
        .chain((1..=6).map(|n| format!("32.79.04.2001,{n},Jl,100,100\n")))
        .collect();
    for id in fx.import_tps(fx.election, &csv).await {
        for token in [&fx.op1, &fx.op2] {
            let (s, _) = fx
                .submit(token, id, form_json(&good_form()), json!({}))
                .await;
            assert_eq!(s, 201);
        }
    }
    // Without parameters: the first page of the default size, here the whole log.
    let (s, whole) = fx.get(&fx.path("/log")).await;
    assert_eq!(s, 200);
    let all: Vec<LogEntry> = serde_json::from_value(whole["entries"].clone()).unwrap();
    assert_eq!((all.len(), whole["head_seq"].as_i64()), (12, Some(12)));
    assert_eq!(whole["next_after"], serde_json::Value::Null);
    // Pages of 5, followed by their `next` links: 5 + 5 + 2 entries, each page chained to
    // the one before, joined equal to the whole log, and the chain verifies across them.
    let mut joined: Vec<LogEntry> = Vec::new();
    let mut next = Some(fx.path("/log?limit=5"));
    let mut sizes = Vec::new();
    while let Some(path) = next {
        let (s, page) = fx.get(&path).await;
        assert_eq!(s, 200, "{page}");
        assert_eq!(page["head_seq"], 12);
        let entries: Vec<LogEntry> = serde_json::from_value(page["entries"].clone()).unwrap();
        if let (Some(last), Some(first)) = (joined.last(), entries.first()) {
            assert_eq!(first.prev_hash, last.hash);
        }
        sizes.push(entries.len());
        joined.extend(entries);
        next = page["next"].as_str().map(str::to_string);
        if let Some(n) = &next {
            assert_eq!(
                n,
                &fx.path(&format!("/log?after={}&limit=5", page["next_after"]))
            );
        }
    }
    assert_eq!(sizes, [5, 5, 2]);
    assert_eq!(serde_json::to_value(&joined).unwrap(), whole["entries"]);
    assert_eq!(publog::verify(&joined), Ok(12));
    let (_, tail) = fx.get(&fx.path("/log?after=10&limit=5")).await;
    assert_eq!(tail["entries"][0]["seq"], 11);
    // Out-of-range parameters are refused, not clamped.
    for q in ["limit=0", "limit=5001", "after=-1", "limit=x"] {
        let (s, _) = fx.get(&fx.path(&format!("/log?{q}"))).await;
        assert_eq!(s, 400, "{q}");
    }
    // The same head answers from cache: the same ETag, and 304 to If-None-Match.
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/log")))
        .send()
        .await
        .unwrap();
    let etag = res.headers()["etag"].clone();
    let again = fx
        .http
        .get(fx.app.url(&fx.path("/log")))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // A new entry moves the head: the first page changes.
    let more = fx
        .import_tps(
            fx.election,
            "village_code,number,address,dpt_l,dpt_p\n32.79.04.2001,7,Jl,100,100\n",
        )
        .await;
    fx.submit(&fx.op1, more[0], form_json(&good_form()), json!({}))
        .await;
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/log")))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["head_seq"], 13);
});

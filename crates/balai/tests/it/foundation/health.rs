//! `/readyz` tells the truth, with a JSON body that names each check: a stopped writer, a
//! failed last commit, an unreachable database, a stopped job worker, a full disk.

use std::time::{Duration, Instant};

use crate::support::{Backend, TestApp};
use balai_core::health::DiskState;
use balai_core::with_tx;
use serde_json::Value;

async fn readyz(app: &TestApp) -> (u16, Value) {
    let res = reqwest::get(app.url("/readyz")).await.unwrap();
    let st = res.status().as_u16();
    let text = res.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (st, v)
}

both_backends!(readyz_names_every_check, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    let (st, v) = readyz(&app).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["ready"], true);
    for check in ["database", "writer", "last_commit", "disk"] {
        assert_eq!(v["checks"][check], "ok", "{check}: {v}");
    }
    // No job workers in this in-process app.
    assert_eq!(v["checks"]["workers"], "none");
    // A full or read-only disk (the disk monitor's report) is not ready; a low one is.
    app.ctx.health.set_disk(DiskState::Low);
    assert_eq!(readyz(&app).await.0, 200);
    app.ctx.health.set_disk(DiskState::Full);
    let (st, v) = readyz(&app).await;
    assert_eq!((st, v["checks"]["disk"].as_str()), (503, Some("full")));
    app.ctx.health.set_disk(DiskState::Ok);
    assert_eq!(readyz(&app).await.0, 200);
    // `/healthz` stays a bare liveness answer.
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.text().await.unwrap(), "ok");
});

both_backends!(
    a_stopped_writer_fails_readyz_and_the_watch,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        // A write whose work panics takes the writer task down with it.
        let died = app
            .ctx
            .writer
            .run::<(), sqlx::Error, _>(|_tx| Box::pin(async { panic!("writer dies (on purpose)") }))
            .await;
        assert!(died.is_err());
        // The caller's answer is dropped while the task unwinds, a moment before it ends.
        let started = Instant::now();
        let (st, v) = loop {
            let (st, v) = readyz(&app).await;
            if st == 503 || started.elapsed() > Duration::from_secs(2) {
                break (st, v);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(st, 503, "{v}");
        assert_eq!(v["ready"], false);
        assert_eq!(v["checks"]["writer"], "stopped", "{v}");
        assert_eq!(v["checks"]["database"], "ok", "{v}");
        // Later writes say why they fail, not "closed pool".
        let err = app
            .ctx
            .writer
            .run::<(), sqlx::Error, _>(|_tx| Box::pin(async { Ok(()) }))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("writer has stopped"), "{err}");
        // The server's watch notices it (and `serve` then exits non-zero).
        let what = tokio::time::timeout(
            Duration::from_secs(5),
            balai::app::critical_task_stopped(&app.ctx, &[]),
        )
        .await
        .expect("the stopped writer is noticed");
        assert_eq!(what, "the group-commit writer");
    }
);

both_backends!(a_stopped_job_worker_fails_readyz, |b: Backend| async move {
    let app = TestApp::spawn(b).await;
    let worker = tokio::spawn(async { panic!("a job worker dies (on purpose)") });
    let what = tokio::time::timeout(
        Duration::from_secs(5),
        balai::app::critical_task_stopped(&app.ctx, &[worker]),
    )
    .await
    .expect("the stopped worker is noticed");
    assert_eq!(what, "a job worker");
    let (st, v) = readyz(&app).await;
    assert_eq!(
        (st, v["checks"]["workers"].as_str()),
        (503, Some("stopped"))
    );
});

both_backends!(
    a_failed_commit_fails_readyz_until_a_write_commits,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        // A constraint checked at the commit: the work succeeds, the commit fails.
        let ddl: &[&str] = match b {
            Backend::Sqlite => &[
                "CREATE TABLE t_parent (id INTEGER PRIMARY KEY)",
                "CREATE TABLE t_child (p INTEGER REFERENCES t_parent(id) DEFERRABLE INITIALLY DEFERRED)",
            ],
            Backend::Postgres => &[
                "CREATE TABLE t_child (p INTEGER, CONSTRAINT t_once UNIQUE (p) DEFERRABLE INITIALLY DEFERRED)",
            ],
        };
        let mut tx = app.db.begin().await.unwrap();
        for sql in ddl {
            with_tx!(&mut tx, |c| sqlx::query(sql)
                .execute(&mut *c)
                .await
                .map(|_| ()))
            .unwrap();
        }
        tx.commit().await.unwrap();
        let failed = app
            .ctx
            .writer
            .run::<(), sqlx::Error, _>(|tx| {
                Box::pin(async move {
                    for _ in 0..2 {
                        with_tx!(tx, |c| sqlx::query("INSERT INTO t_child (p) VALUES (7)")
                            .execute(&mut *c)
                            .await
                            .map(|_| ()))?;
                    }
                    Ok(())
                })
            })
            .await;
        assert!(failed.is_err(), "the commit fails");
        let (st, v) = readyz(&app).await;
        assert_eq!(st, 503, "{v}");
        assert_eq!(v["checks"]["last_commit"], "failed", "{v}");
        assert_eq!(v["checks"]["writer"], "ok", "{v}");
        // The check queued a probe write; once it commits, the instance is ready again.
        let started = Instant::now();
        loop {
            let (st, v) = readyz(&app).await;
            if st == 200 {
                assert_eq!(v["checks"]["last_commit"], "ok");
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{v}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
);

both_backends!(
    an_unreachable_database_fails_readyz,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        app.db.close().await;
        let (st, v) = readyz(&app).await;
        assert_eq!(st, 503, "{v}");
        assert_eq!(v["checks"]["database"], "unreachable", "{v}");
    }
);

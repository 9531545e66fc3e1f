//! The group-commit writer on SQLite and PostgreSQL: batching, failures rolled back alone,
//! the connection given back, and PostgreSQL's writer lanes side by side on one audit chain.

use crate::support::{fresh_db, Backend};
use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::group_commit::GroupCommit;
use balai_core::{with_db, AppError, Db, Tx};
use serde_json::json;

/// A settings row `key` and an audit event `action` on `target`, in the writer's transaction.
async fn insert_and_audit(
    tx: &mut Tx,
    key: String,
    action: &'static str,
    target: String,
) -> Result<(), AppError> {
    balai_core::with_tx!(tx, |c| sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, '1')"
    )
    .bind(key)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    audit::record(
        tx,
        &AuditContext::system("test"),
        AuditEvent {
            action,
            target_kind: "thing",
            summary: json!({ "target": target }),
            target_id: target,
            region_code: None,
        },
    )
    .await?;
    Ok(())
}

both_backends!(
    group_commit_batches_and_isolates_failures,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let writer = GroupCommit::start(db.clone(), 64);
        // PostgreSQL has two writer lanes: their events must still make one chain.
        assert_eq!(writer.lanes(), if b == Backend::Postgres { 2 } else { 1 });
        let mut tasks = Vec::new();
        for i in 0..300u32 {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                writer
                    .run_on(u64::from(i), move |tx| {
                        Box::pin(async move {
                            insert_and_audit(tx, format!("gc.{i}"), "test.gc", i.to_string())
                                .await?;
                            // Every seventh request fails after writing: its writes must vanish.
                            if i % 7 == 0 {
                                return Err(AppError::bad_request("test", "gagal", "failed"));
                            }
                            Ok(i * 2)
                        })
                    })
                    .await
            }));
        }
        let mut ok = 0;
        for (i, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(v) => {
                    assert_eq!(v, i as u32 * 2);
                    assert_ne!(i % 7, 0);
                    ok += 1;
                }
                Err(e) => {
                    assert_eq!(i % 7, 0, "request {i} failed: {e:?}");
                }
            }
        }
        let keys: Vec<String> = with_db!(&db, |c| sqlx::query_scalar(
            "SELECT key FROM settings WHERE key LIKE 'gc.%' ORDER BY key"
        )
        .fetch_all(c)
        .await)
        .unwrap();
        assert_eq!(keys.len(), ok);
        assert!(keys.iter().all(|k| k[3..].parse::<u32>().unwrap() % 7 != 0));
        let audited: i64 = with_db!(&db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'test.gc'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(audited as usize, ok);
        // Rolled-back savepoints leave no gap or fork in the audit chain.
        assert!(audit::verify(&db).await.unwrap().is_ok());
        let (jobs, commits) = writer.counts();
        assert_eq!(jobs, 300);
        assert!(
            commits < jobs,
            "{commits} commits for {jobs} jobs: nothing was grouped"
        );
    }
);

both_backends!(
    group_commit_lanes_write_side_by_side,
    |b: Backend| async move {
        use std::time::{Duration, Instant};
        let (db, _url, _dir) = fresh_db(b).await;
        let writer = GroupCommit::start(db.clone(), 64);
        let job = |key: u64, hold: Duration| {
            let writer = writer.clone();
            tokio::spawn(async move {
                writer
                    .run_on(key, move |tx| {
                        Box::pin(async move {
                            // The event first, then the wait: recording must not take the
                            // audit head (shared by the lanes) before the commit.
                            let (k, target) = (format!("lane.{key}"), key.to_string());
                            insert_and_audit(tx, k, "test.lane", target).await?;
                            tokio::time::sleep(hold).await;
                            Ok::<Instant, AppError>(Instant::now())
                        })
                    })
                    .await
            })
        };
        // Lane 0 holds its transaction open for 400 ms; a write for lane 1 queued just after.
        let slow = job(0, Duration::from_millis(400));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let quick = job(1, Duration::ZERO);
        let (slow, quick) = (slow.await.unwrap().unwrap(), quick.await.unwrap().unwrap());
        if b == Backend::Postgres {
            // Its own connection and transaction: done while lane 0 still works.
            assert!(quick < slow, "lane 1 waited for lane 0");
        } else {
            // One write connection, one lane: in queue order.
            assert!(slow < quick, "one lane runs its writes in order");
        }
        let n: i64 = with_db!(&db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM settings WHERE key LIKE 'lane.%'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(n, 2);
        // Both events on one chain, in commit order (the head is taken at the commit).
        assert_eq!(
            audit::verify(&db).await.unwrap(),
            Ok(audit_count(&db).await)
        );
        let order: Vec<String> = with_db!(&db, |c| sqlx::query_scalar(
            "SELECT target_id FROM audit_events WHERE action = 'test.lane' ORDER BY seq"
        )
        .fetch_all(c)
        .await)
        .unwrap();
        let expected = if b == Backend::Postgres {
            ["1", "0"]
        } else {
            ["0", "1"]
        };
        assert_eq!(order, expected);
    }
);

async fn audit_count(db: &Db) -> i64 {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events"
    )
    .fetch_one(c)
    .await)
    .unwrap()
}

both_backends!(
    group_commit_gives_its_connection_back,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let writer = GroupCommit::start(db.clone(), 64);
        let begin_soon = || async {
            let tx = tokio::time::timeout(std::time::Duration::from_secs(5), db.begin())
                .await
                .expect("the writer kept the write connection")
                .unwrap();
            tx.commit().await.unwrap();
        };
        // A write that takes longer than the writer keeps one connection (50 ms), then
        // nothing: the writer must not wait for the next write with the connection in hand.
        writer
            .run(|_tx| {
                Box::pin(async {
                    tokio::time::sleep(std::time::Duration::from_millis(80)).await;
                    Ok::<(), AppError>(())
                })
            })
            .await
            .unwrap();
        begin_soon().await;
        // Writes one after another for longer than that, then nothing: a direct transaction
        // (on SQLite the one write connection) gets its turn after the stream.
        let started = std::time::Instant::now();
        let mut i = 0u32;
        while started.elapsed() < std::time::Duration::from_millis(120) {
            i += 1;
            writer
                .run(move |tx| {
                    Box::pin(async move {
                        balai_core::with_tx!(tx, |c| sqlx::query(
                            "INSERT INTO settings (key, value) VALUES ($1, '1')"
                        )
                        .bind(format!("keep.{i}"))
                        .execute(&mut *c)
                        .await
                        .map(|_| ()))
                        .map_err(AppError::from)
                    })
                })
                .await
                .unwrap();
        }
        begin_soon().await;
        assert!(i > 1, "{i}");
    }
);

/// A batched write for the test: every item a settings row; an item `poison` makes the whole
/// call fail after the good ones were written (their rows must vanish with it).
fn write_settings<'a>(
    tx: &'a mut Tx,
    items: &'a [(String, bool)],
) -> balai_core::group_commit::TxFuture<'a, Result<Vec<Result<usize, AppError>>, AppError>> {
    Box::pin(async move {
        let mut out = Vec::with_capacity(items.len());
        for (key, poison) in items {
            if *poison && items.len() > 1 {
                return Err(AppError::bad_request("test", "racun", "poisoned batch"));
            }
            if *poison {
                out.push(Err(AppError::bad_request("test", "racun", "poisoned item")));
                continue;
            }
            balai_core::with_tx!(tx, |c| sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, '1')"
            )
            .bind(key.clone())
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
            out.push(Ok(items.len()));
        }
        Ok(out)
    })
}

async fn count_like(db: &Db, pattern: &str) -> i64 {
    let pattern = pattern.to_string();
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM settings WHERE key LIKE $1"
    )
    .bind(pattern.clone())
    .fetch_one(c)
    .await)
    .unwrap()
}

both_backends!(
    batched_items_are_each_written_once_and_answered,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let writer = GroupCommit::start(db.clone(), 64);
        // More items at once than one batched write takes: the rest go in later jobs. They
        // pile up while the writer is busy with a slow job.
        let n = balai_core::group_commit::MAX_BATCH_ITEMS * 2 + 17;
        let slow = busy(&writer).await;
        let mut tasks = Vec::new();
        for i in 0..n {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                writer
                    .run_batched((format!("batch.{i}"), false), write_settings)
                    .await
            }));
        }
        slow.await.unwrap();
        let mut biggest = 0;
        for t in tasks {
            // An item left behind would never be answered.
            let size = tokio::time::timeout(std::time::Duration::from_secs(20), t)
                .await
                .expect("an item was never written")
                .unwrap()
                .unwrap();
            assert!(size <= balai_core::group_commit::MAX_BATCH_ITEMS);
            biggest = biggest.max(size);
        }
        assert_eq!(count_like(&db, "batch.%").await, n as i64);
        // Written together, a full write first: a handful of jobs, not one per item.
        assert_eq!(biggest, balai_core::group_commit::MAX_BATCH_ITEMS);
        let (jobs, _) = writer.counts();
        assert!(jobs <= 6, "{jobs} jobs for {n} items");

        // A batch that fails as a whole: each of its items is written again alone, so the
        // good ones are stored and only the poisoned one is refused.
        let slow = busy(&writer).await;
        let mut tasks = Vec::new();
        for i in 0..40 {
            let writer = writer.clone();
            tasks.push(tokio::spawn(async move {
                writer
                    .run_batched((format!("retry.{i}"), i == 13), write_settings)
                    .await
            }));
        }
        slow.await.unwrap();
        for (i, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(_) => assert_ne!(i, 13),
                Err(e) => {
                    assert_eq!(i, 13, "item {i} refused: {e:?}");
                    assert!(format!("{e:?}").contains("poisoned item"), "{e:?}");
                }
            }
        }
        assert_eq!(count_like(&db, "retry.%").await, 39);
        assert_eq!(count_like(&db, "retry.13").await, 0);
        // The batch, then each of its 40 items alone.
        let (after, _) = writer.counts();
        assert!(after - jobs > 40, "{} jobs", after - jobs);
    }
);

/// Keep the writer busy for a while with a slow job, so that what is queued next piles up.
async fn busy(writer: &GroupCommit) -> tokio::task::JoinHandle<()> {
    let w = writer.clone();
    let slow = tokio::spawn(async move {
        w.run(|_tx| {
            Box::pin(async {
                tokio::time::sleep(std::time::Duration::from_millis(150)).await;
                Ok::<(), AppError>(())
            })
        })
        .await
        .unwrap();
    });
    // The slow job has reached the writer.
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    slow
}

both_backends!(
    batched_items_get_an_error_when_the_writer_cannot_begin,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let writer = GroupCommit::start(db.clone(), 64);
        writer
            .run_batched(("before.close".to_string(), false), write_settings)
            .await
            .unwrap();
        // The database goes away: the writer cannot begin a transaction, and drops the job.
        // The writer gives its connection back once idle (a connection it still held would
        // go on working after the pool closed).
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        db.close().await;
        for attempt in 0..2 {
            // Each attempt must get its answer (an error), not wait for a job that never
            // comes: the first one's job was dropped unrun, the second must queue its own.
            let out = tokio::time::timeout(
                std::time::Duration::from_secs(20),
                writer.run_batched((format!("after.close.{attempt}"), false), write_settings),
            )
            .await
            .expect("a batched item was never answered");
            assert!(
                out.is_err(),
                "attempt {attempt} was stored with the database closed"
            );
        }
    }
);

//! Every store function of the foundation, run against SQLite and PostgreSQL.
// These tests exercise the fenced direct path itself.
#![allow(clippy::disallowed_methods)]

use crate::support;

use crate::support::{fresh_db, Backend};
use balai_core::accounts::{self, Role, Scope};
use balai_core::audit::{self, AuditContext, AuditEvent, ChainProblem};
use balai_core::calendar::{self, Holiday};
use balai_core::regions::{self, RegionCode};
use balai_core::{jobs, with_db, Db};
use serde_json::json;
use time::macros::date;

async fn audit_n(db: &Db, n: usize) {
    let ctx = AuditContext::system("test");
    for i in 0..n {
        audit::record_now(
            db,
            &ctx,
            AuditEvent {
                action: "test.event",
                target_kind: "thing",
                target_id: i.to_string(),
                region_code: Some("32.79".into()),
                summary: json!({ "i": i }),
            },
        )
        .await
        .unwrap();
    }
}

async fn exec(db: &Db, sql: &str) {
    let mut tx = db.begin().await.unwrap();
    balai_core::with_tx!(&mut tx, |c| sqlx::query(sql)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
}

both_backends!(regions_are_loaded_and_queryable, |b: Backend| async move {
    let (db, _url, _dir) = fresh_db(b).await;
    let counts: Vec<(i64, i64)> = with_db!(&db, |c| sqlx::query_as(
        "SELECT level, COUNT(*) FROM regions GROUP BY level ORDER BY level"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert_eq!(counts, vec![(1, 38), (2, 514), (3, 7_285), (4, 83_762)]);
    // Loading again is a no-op.
    assert_eq!(regions::load_if_empty(&db).await.unwrap(), 0);
    let banjar = regions::get(&db, &RegionCode::parse("32.79").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(banjar.name, "Kota Banjar");
    assert_eq!(banjar.parent_code.as_deref(), Some("32"));
    assert_eq!(banjar.tz, "WIB");
    let kids = regions::children(&db, &RegionCode::parse("32.79").unwrap())
        .await
        .unwrap();
    assert_eq!(kids.len(), 4);
    let hits = regions::search(&db, "prabumulih", 10).await.unwrap();
    assert_eq!(hits[0].code, "16.74");
    let papua = regions::get(&db, &RegionCode::parse("91").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(papua.tz, "WIT");
    assert!(regions::get(&db, &RegionCode::parse("99").unwrap())
        .await
        .unwrap()
        .is_none());
    let chain = regions::ancestry(&db, &RegionCode::parse("32.79.01.1001").unwrap())
        .await
        .unwrap();
    assert_eq!(
        chain.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        ["32", "32.79", "32.79.01", "32.79.01.1001"]
    );
});

both_backends!(
    audit_chain_detects_edit_and_delete,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        audit_n(&db, 6).await;
        assert_eq!(audit::verify(&db).await.unwrap(), Ok(6));
        // Edit one row's summary: its hash no longer matches.
        exec(
            &db,
            "UPDATE audit_events SET summary = '{\"i\":99}' WHERE seq = 3",
        )
        .await;
        assert_eq!(
            audit::verify(&db).await.unwrap(),
            Err(ChainProblem::Altered { seq: 3 })
        );
    }
);

both_backends!(audit_chain_detects_removed_rows, |b: Backend| async move {
    let (db, _url, _dir) = fresh_db(b).await;
    audit_n(&db, 5).await;
    exec(&db, "DELETE FROM audit_events WHERE seq = 2").await;
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Err(ChainProblem::Missing { seq: 2 })
    );
    let (db2, _u2, _d2) = fresh_db(b).await;
    audit_n(&db2, 5).await;
    exec(&db2, "DELETE FROM audit_events WHERE seq = 5").await;
    assert_eq!(
        audit::verify(&db2).await.unwrap(),
        Err(ChainProblem::Truncated {
            expected_last: 5,
            found_last: 4
        })
    );
    // Rewriting a row *and* its hash still breaks the link to the next row.
    let (db3, _u3, _d3) = fresh_db(b).await;
    audit_n(&db3, 4).await;
    let row: audit::AuditRow = with_db!(&db3, |c| sqlx::query_as::<_, audit::AuditRow>(
        "SELECT * FROM audit_events WHERE seq = 2"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    let mut forged = row.clone();
    forged.target_id = "forged".into();
    let forged_hash = audit::chain_hash(&forged);
    exec(
        &db3,
        &format!(
            "UPDATE audit_events SET target_id = 'forged', hash = '{forged_hash}' WHERE seq = 2"
        ),
    )
    .await;
    assert_eq!(
        audit::verify(&db3).await.unwrap(),
        Err(ChainProblem::Relinked { seq: 3 })
    );
});

both_backends!(
    calendar_edits_recompute_open_clocks,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        // Friday 2026-11-06 + 3 working days = Wednesday 2026-11-11.
        let mut tx = db.begin().await.unwrap();
        let due = calendar::start_clock(&mut tx, "test", "1", "respond", date!(2026 - 11 - 06), 3)
            .await
            .unwrap();
        let closed_due =
            calendar::start_clock(&mut tx, "test", "2", "respond", date!(2026 - 11 - 06), 3)
                .await
                .unwrap();
        calendar::stop_clock(&mut tx, "test", "2", "respond")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(due, date!(2026 - 11 - 11));
        assert_eq!(closed_due, due);
        let h = Holiday {
            day: date!(2026 - 11 - 10),
            kind: "libur_daerah".into(),
            name_id: "Uji".into(),
            name_en: "Test".into(),
            confirmed: true,
            source: "test".into(),
        };
        let mut tx = db.begin().await.unwrap();
        assert_eq!(calendar::upsert_holiday(&mut tx, &h).await.unwrap(), 1);
        tx.commit().await.unwrap();
        let c = calendar::get_clock(&db, "test", "1", "respond")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.due_day, date!(2026 - 11 - 12));
        // A closed clock keeps its due day.
        let c2 = calendar::get_clock(&db, "test", "2", "respond")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c2.due_day, date!(2026 - 11 - 11));
        let mut tx = db.begin().await.unwrap();
        assert!(calendar::delete_holiday(&mut tx, date!(2026 - 11 - 10))
            .await
            .unwrap());
        tx.commit().await.unwrap();
        let c = calendar::get_clock(&db, "test", "1", "respond")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.due_day, date!(2026 - 11 - 11));
        let cal = calendar::load(&db).await.unwrap();
        assert_eq!(
            cal.add_working_days(date!(2024 - 04 - 05), 3),
            date!(2024 - 04 - 18)
        );
    }
);

both_backends!(accounts_and_scope, |b: Backend| async move {
    let (db, _url, _dir) = fresh_db(b).await;
    let mut tx = db.begin().await.unwrap();
    let kpu_banjar = accounts::create_agency(&mut tx, "kpu", "KPU Kota Banjar", "32.79")
        .await
        .unwrap();
    let kpu_plg = accounts::create_agency(&mut tx, "kpu", "KPU Kota Palembang", "16.71")
        .await
        .unwrap();
    let kel = accounts::create_agency(&mut tx, "kelurahan", "Loket Banjar", "32.79.01.1001")
        .await
        .unwrap();
    for (name, agency) in [("a.banjar", kpu_banjar), ("a.plg", kpu_plg), ("a.kel", kel)] {
        accounts::create_user(
            &mut tx,
            &accounts::NewUser {
                username: name,
                display_name: name,
                email: None,
                agency_id: Some(agency),
                role: Role::Officer,
                is_superadmin: false,
                password_hash: "x",
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let banjar = Scope::Region {
        prefix: "32.79".into(),
        agency_id: kpu_banjar,
        agency_kind: "kpu".into(),
    };
    let names: Vec<String> = accounts::list_agencies(&db, &banjar)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, vec!["KPU Kota Banjar"]);
    let users: Vec<String> = accounts::list_users(&db, &banjar)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u.username)
        .collect();
    assert_eq!(users, vec!["a.banjar"]);
    assert_eq!(
        accounts::list_agencies(&db, &Scope::All)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(accounts::list_agencies(&db, &Scope::Nothing)
        .await
        .unwrap()
        .is_empty());
    // Duplicate agency is refused by the database.
    let mut tx = db.begin().await.unwrap();
    assert!(
        accounts::create_agency(&mut tx, "kpu", "KPU Kota Banjar", "32.79")
            .await
            .is_err()
    );
    drop(tx);
    let u = accounts::user_by_name(&db, "a.plg").await.unwrap().unwrap();
    let mut tx = db.begin().await.unwrap();
    accounts::set_disabled(&mut tx, u.id, true).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        accounts::user_by_id(&db, u.id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
});

both_backends!(
    job_queue_claims_retries_and_expires_leases,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let settings = balai_core::config::JobSettings {
            backoff_base_seconds: 0,
            ..Default::default()
        };
        let mut tx = db.begin().await.unwrap();
        let id = jobs::enqueue(&mut tx, "t.flaky", &json!({}), 3)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let lease = time::Duration::seconds(60);
        let j = jobs::claim(&db, "w1", lease).await.unwrap().unwrap();
        assert_eq!(j.id, id);
        // While w1 holds the lease nobody else gets it.
        assert!(jobs::claim(&db, "w2", lease).await.unwrap().is_none());
        jobs::fail(&db, &j, "w1", "boom", &settings).await.unwrap();
        let s = jobs::status(&db, id).await.unwrap().unwrap();
        assert_eq!(
            (s.status.as_str(), s.attempts, s.last_error.as_deref()),
            ("queued", 1, Some("boom"))
        );
        // Expired lease: a crashed worker's job is taken over.
        let j = jobs::claim(&db, "w1", time::Duration::seconds(-1))
            .await
            .unwrap()
            .unwrap();
        let j2 = jobs::claim(&db, "w2", lease).await.unwrap().unwrap();
        assert_eq!(j2.id, j.id);
        // The old owner can no longer complete it.
        assert!(!jobs::complete(&db, id, "w1").await.unwrap());
        jobs::fail(&db, &j2, "w2", "boom again", &settings)
            .await
            .unwrap();
        let s = jobs::status(&db, id).await.unwrap().unwrap();
        assert_eq!(s.status, "failed", "gives up after max_attempts");
        // A registered handler runs and completes.
        let mut reg = jobs::JobRegistry::default();
        reg.register("t.ok", |db: Db, payload: serde_json::Value| async move {
            let mut tx = db.begin().await.map_err(|e| e.to_string())?;
            balai_core::with_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, 'ran')"
            )
            .bind(payload["key"].as_str().unwrap_or("none"))
            .execute(&mut *c)
            .await
            .map(|_| ()))
            .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        });
        let mut tx = db.begin().await.unwrap();
        let ok_id = jobs::enqueue(&mut tx, "t.ok", &json!({"key": "job-ran"}), 3)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(jobs::run_one(&db, &reg, "w3", &settings).await.unwrap());
        assert_eq!(
            jobs::status(&db, ok_id).await.unwrap().unwrap().status,
            "done"
        );
        let v: String = with_db!(&db, |c| sqlx::query_scalar(
            "SELECT value FROM settings WHERE key = 'job-ran'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(v, "ran");
        assert!(
            !jobs::run_one(&db, &reg, "w3", &settings).await.unwrap(),
            "queue is empty"
        );
    }
);

both_backends!(
    maintenance_purges_only_stale_rows,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let mut tx = db.begin().await.unwrap();
        let agency = accounts::create_agency(&mut tx, "kpu", "KPU Uji", "32.79")
            .await
            .unwrap();
        let uid = accounts::create_user(
            &mut tx,
            &accounts::NewUser {
                username: "m.user",
                display_name: "m",
                email: None,
                agency_id: Some(agency),
                role: Role::Officer,
                is_superadmin: false,
                password_hash: "x",
            },
        )
        .await
        .unwrap();
        balai_core::auth::create_session(&mut tx, uid, 1, "127.0.0.1", "t")
            .await
            .unwrap();
        balai_core::auth::record_login_failure(&mut tx, "m.user", "127.0.0.1")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let now = balai_core::db::now();
        // Nothing is stale yet.
        let p = balai_core::maintenance::purge(&db, now).await.unwrap();
        assert_eq!(p, balai_core::maintenance::Purged::default());
        // Two days later the 1-hour session and the failed login are gone.
        let p = balai_core::maintenance::purge(&db, now + time::Duration::days(2))
            .await
            .unwrap();
        assert_eq!((p.sessions, p.login_failures), (1, 1));
    }
);

both_backends!(
    wal_is_checkpointed_beside_the_writer,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        for i in 0..5 {
            let mut tx = db.begin().await.unwrap();
            accounts::create_agency(&mut tx, "kpu", &format!("KPU Uji {i}"), "32.79")
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let done = db.checkpoint().await.unwrap();
        match b {
            Backend::Postgres => assert_eq!(done, None),
            Backend::Sqlite => {
                // The commits above are in the WAL, and all of it is now in the database file.
                let (log, copied) = done.unwrap();
                assert!(log > 0, "{log}");
                assert_eq!(copied, log);
                // The writer's own commits checkpoint only past the raised threshold.
                let mut tx = db.begin().await.unwrap();
                let pages: i64 = balai_core::with_tx!(&mut tx, |c| sqlx::query_scalar(
                    "PRAGMA wal_autocheckpoint"
                )
                .fetch_one(&mut *c)
                .await)
                .unwrap();
                // The WAL is cut back when it starts over, so a full disk gets its room back.
                let limit: i64 = balai_core::with_tx!(&mut tx, |c| sqlx::query_scalar(
                    "PRAGMA journal_size_limit"
                )
                .fetch_one(&mut *c)
                .await)
                .unwrap();
                tx.commit().await.unwrap();
                assert_eq!(pages, i64::from(balai_core::db::WAL_AUTOCHECKPOINT));
                assert_eq!(limit as u64, balai_core::db::WAL_SIZE_LIMIT);
                // A truncating checkpoint leaves an empty WAL file.
                assert!(db.checkpoint_truncate().await.unwrap());
            }
        }
    }
);

/// The PostgreSQL pool pings a connection before handing it out only when it idled longer than
/// `PG_PING_IDLE`; a connection the server dropped meanwhile is then replaced, not handed out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_replaces_a_connection_dropped_while_idle() {
    use sqlx::Connection;
    let (_db, url) = support::fresh_postgres().await;
    let db = Db::connect(&url).await.unwrap();
    let Db::Postgres(pool) = &db else {
        panic!("a PostgreSQL handle")
    };
    let pid = || async {
        let p: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(pool)
            .await
            .unwrap();
        p
    };
    let first = pid().await;
    assert_eq!(
        pool.size(),
        1,
        "one connection, so the next hand-out is the dropped one"
    );
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    let killed: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(first)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert!(killed);
    tokio::time::sleep(balai_core::db::PG_PING_IDLE + std::time::Duration::from_millis(500)).await;
    let second = pid().await;
    assert_ne!(second, first);
}

/// How many `settings` rows have a key starting with `prefix`.
async fn settings_like(db: &Db, prefix: &str) -> i64 {
    let pattern = format!("{prefix}%");
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM settings WHERE key LIKE $1"
    )
    .bind(&pattern)
    .fetch_one(c)
    .await)
    .unwrap()
}

/// Work for [`balai_core::db::Tx::sqlite_direct`]: insert a `settings` row named `key`.
fn insert_setting(
    key: &'static str,
) -> impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<usize> {
    move |c: &rusqlite::Connection| {
        c.execute(
            "INSERT INTO settings (key, value) VALUES (?1, 'x')",
            rusqlite::params![key],
        )
    }
}

/// Insert a `settings` row named `key` through [`balai_core::db::Tx::sqlite_direct`] (SQLite).
async fn insert_direct(tx: &mut balai_core::db::Tx, key: &'static str) {
    tx.sqlite_direct(insert_setting(key))
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

both_backends!(
    direct_sqlite_work_is_inside_the_transaction,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let count = |db: Db| async move { settings_like(&db, "direct.").await };
        let insert = insert_setting;
        // PostgreSQL has no direct path: nothing runs.
        let mut tx = db.begin().await.unwrap();
        let ran = tx.sqlite_direct(insert("direct.a")).await.unwrap();
        if b == Backend::Postgres {
            assert!(ran.is_none());
            return;
        }
        assert_eq!(ran.unwrap().unwrap(), 1);
        // The rest of the transaction (through sqlx) sees the direct write...
        let seen: i64 = balai_core::with_tx!(&mut tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM settings WHERE key = 'direct.a'"
        )
        .fetch_one(&mut *c)
        .await)
        .unwrap();
        assert_eq!(seen, 1);
        // ...which goes with a rollback (the transaction dropped open)...
        drop(tx);
        assert_eq!(count(db.clone()).await, 0);
        // ...and stays with a commit, as does a sqlx write after it in the same transaction.
        let mut tx = db.begin().await.unwrap();
        insert_direct(&mut tx, "direct.b").await;
        balai_core::with_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('direct.c', 'y')"
        )
        .execute(&mut *c)
        .await
        .map(|_| ()))
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(db.clone()).await, 2);
        // A failing statement is an error of the work, and the connection stays usable.
        let mut tx = db.begin().await.unwrap();
        let failed = tx.sqlite_direct(insert("direct.b")).await.unwrap().unwrap();
        assert!(failed.is_err(), "a duplicate key must fail");
        drop(tx);
        exec(
            &db,
            "INSERT INTO settings (key, value) VALUES ('direct.d', 'z')",
        )
        .await;
        assert_eq!(count(db).await, 3);
    }
);

/// SQLite write transactions begin on the connection directly; when another connection (say
/// `balai import results` in another process) holds the write lock, `begin` waits for it
/// without holding its thread, and goes ahead once it is free. On a current-thread runtime a
/// wait that held the thread would never let the other transaction commit.
#[tokio::test(flavor = "current_thread")]
async fn sqlite_begin_waits_for_another_connections_write_lock() {
    let (db, url, _dir) = fresh_db(Backend::Sqlite).await;
    let other = Db::connect(&url).await.unwrap();
    let count = |db: Db| async move { settings_like(&db, "busy.").await };
    // The other connection holds the write lock with a write of its own in progress.
    let mut held = other.begin().await.unwrap();
    insert_direct(&mut held, "busy.first").await;
    let waiting = tokio::spawn({
        let db = db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            insert_direct(&mut tx, "busy.second").await;
            tx.commit().await.unwrap();
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "begin must wait for the write lock");
    assert_eq!(count(db.clone()).await, 0, "nothing committed yet");
    held.commit().await.unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
        .await
        .expect("begin goes ahead once the lock is free")
        .unwrap();
    assert_eq!(count(db.clone()).await, 2);
    other.close().await;
}

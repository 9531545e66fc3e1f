//! Token look-ups that arrive together share one statement on PostgreSQL (balai_core::coalesce)
//! and still answer every request from the database as it is when the request arrives.

use crate::support::{exec, fresh_db, Backend};
use balai_core::accounts::{self, NewUser, Role, TokenLookups};
use balai_core::coalesce::{Coalescer, FetchFuture};
use balai_core::{auth, Db};
use sqlx::PgConnection;

async fn add_user(db: &Db, username: &str, agency_id: Option<i64>, superadmin: bool) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = accounts::create_user(
        &mut tx,
        &NewUser {
            username,
            display_name: username,
            email: None,
            agency_id,
            role: Role::Officer,
            is_superadmin: superadmin,
            password_hash: "not-a-password",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn tokens(db: &Db, user_id: i64, n: usize) -> Vec<String> {
    let mut tx = db.begin().await.unwrap();
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            auth::create_api_token(&mut tx, user_id, &format!("t{i}"))
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    out
}

/// Look up every `(token, expected user)` at once, each in its own task.
async fn look_up_all(lookups: &TokenLookups, asks: &[(String, Option<i64>)]) {
    let mut set = tokio::task::JoinSet::new();
    for (token, expected) in asks.iter().cloned() {
        let lookups = lookups.clone();
        set.spawn(async move {
            let found = lookups
                .user_by_token_hash(auth::sha256_hex(&token))
                .await
                .unwrap();
            (expected, found)
        });
    }
    let mut answered = 0;
    while let Some(r) = set.join_next().await {
        let (expected, found) = r.unwrap();
        assert_eq!(found.as_ref().map(|(u, _)| u.id), expected);
        if let Some((u, agency)) = found {
            // The agency comes with its user (the operator has one, the super-admin none).
            assert_eq!(
                agency.map(|a| a.region_code),
                u.agency_id.map(|_| "32.79".to_string())
            );
        }
        answered += 1;
    }
    assert_eq!(answered, asks.len());
}

both_backends!(
    token_lookups_answer_each_request_from_the_database,
    |b: Backend| async move {
        let (db, _url, _dir) = fresh_db(b).await;
        let mut tx = db.begin().await.unwrap();
        let agency = accounts::create_agency(&mut tx, "kpu", "KPU Kota Banjar", "32.79")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let root = add_user(&db, "root", None, true).await;
        let op = add_user(&db, "op", Some(agency), false).await;
        let root_tokens = tokens(&db, root, 30).await;
        let op_tokens = tokens(&db, op, 30).await;
        let lookups = TokenLookups::start(&db);

        // 200 requests at once: both users' tokens, some asked twice in a row, and every
        // seventh a token nobody has.
        let asks: Vec<(String, Option<i64>)> = (0..200)
            .map(|i| match (i % 7, i % 2) {
                (0, _) => (format!("balai_unknown{i}"), None),
                (_, 0) => (root_tokens[(i / 2) % 30].clone(), Some(root)),
                _ => (op_tokens[(i / 2) % 30].clone(), Some(op)),
            })
            .collect();
        look_up_all(&lookups, &asks).await;
        match (b, lookups.statements()) {
            (Backend::Sqlite, s) => assert_eq!(s, None, "SQLite looks up directly"),
            // Coalesced: far fewer statements than look-ups (one per look-up without it).
            (Backend::Postgres, Some(s)) => assert!((1..=50).contains(&s), "{s} statements"),
            (Backend::Postgres, None) => panic!("PostgreSQL look-ups are not coalesced"),
        }

        // Nothing is cached: revoked tokens are refused by the very next look-up, a disabled
        // user's tokens still resolve to the user (the extractor refuses them).
        exec(
            &db,
            &format!("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = {root}"),
        )
        .await;
        let asks: Vec<(String, Option<i64>)> = (0..60)
            .map(|i| match i % 2 {
                0 => (root_tokens[i / 2].clone(), None),
                _ => (op_tokens[i / 2].clone(), Some(op)),
            })
            .collect();
        look_up_all(&lookups, &asks).await;
    }
);

/// `k, v` rows of the test table for these keys.
fn fetch_test_rows(c: &mut PgConnection, keys: Vec<i64>) -> FetchFuture<'_, i64, String> {
    Box::pin(async move {
        sqlx::query_as::<_, (i64, String)>("SELECT k, v FROM coalesce_test WHERE k = ANY($1)")
            .bind(keys)
            .fetch_all(c)
            .await
    })
}

async fn ask_all(
    c: &Coalescer<i64, String>,
    keys: impl Iterator<Item = i64>,
) -> Vec<(i64, Result<Option<String>, String>)> {
    let mut set = tokio::task::JoinSet::new();
    for k in keys {
        let c = c.clone();
        set.spawn(async move { (k, c.get(k).await.map_err(|e| e.to_string())) });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.unwrap());
    }
    out
}

/// More look-ups than one statement takes are answered in several; a failed statement answers
/// its look-ups with the error and the next statement works again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coalesced_lookups_split_large_batches_and_survive_a_failed_statement() {
    let (db, _url, _dir) = fresh_db(Backend::Postgres).await;
    exec(
        &db,
        "CREATE TABLE coalesce_test (k BIGINT PRIMARY KEY, v TEXT NOT NULL)",
    )
    .await;
    exec(
        &db,
        "INSERT INTO coalesce_test SELECT g, 'v' || g FROM generate_series(0, 999) g",
    )
    .await;
    let Db::Postgres(pool) = &db else {
        panic!("not PostgreSQL")
    };
    let c = Coalescer::start(pool.clone(), fetch_test_rows);

    // 1,200 look-ups (keys 0–1,199, each asked twice; 1,000 and above are absent).
    let out = ask_all(&c, (0..2400).map(|i| i % 1200)).await;
    assert_eq!(out.len(), 2400);
    for (k, r) in &out {
        let expected = (*k < 1000).then(|| format!("v{k}"));
        assert_eq!(r.as_ref().unwrap(), &expected, "key {k}");
    }
    let s = c.statements();
    // At most MAX_KEYS look-ups a statement, and far fewer statements than look-ups.
    let least = 2400u64.div_ceil(balai_core::coalesce::MAX_KEYS as u64);
    assert!((least..=600).contains(&s), "{s} statements");

    exec(&db, "ALTER TABLE coalesce_test RENAME TO coalesce_gone").await;
    let out = ask_all(&c, 0..50).await;
    for (k, r) in &out {
        let e = r.as_ref().expect_err("the table is gone");
        assert!(
            e.contains("look-up failed") && e.contains("coalesce_test"),
            "key {k}: {e}"
        );
    }
    exec(&db, "ALTER TABLE coalesce_gone RENAME TO coalesce_test").await;
    let out = ask_all(&c, 0..50).await;
    for (k, r) in &out {
        assert_eq!(r.as_ref().unwrap(), &Some(format!("v{k}")));
    }
}

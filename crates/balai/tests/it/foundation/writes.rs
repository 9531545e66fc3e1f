//! Writes over real HTTP: Idempotency-Key replays and the working-day calendar API — on SQLite
//! and PostgreSQL.

use crate::support::http::*;
use crate::support::Backend;
use balai_core::with_tx;
use reqwest::header::CONTENT_TYPE;
use reqwest::Client;
use serde_json::{json, Value};
use sha2::Digest;
use time::macros::date;

// ---------------------------------------------------------------- 7. idempotency

both_backends!(idempotency_keys_on_api_posts, |b: Backend| async move {
    let w = world(b).await;
    let app = &w.app;
    let token = app.token_for("root").await;
    let c = Client::new();
    let post = |key: &str, body: &Value| {
        c.post(app.url("/api/v1/agencies"))
            .bearer_auth(&token)
            .header("idempotency-key", key)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).unwrap())
            .send()
    };
    let body = json!({ "kind": "kpu", "name": "KPU Kabupaten Bogor", "region_code": "32.01" });
    let first = post("k-1", &body).await.unwrap();
    assert_eq!(first.st(), 201);
    assert_eq!(header(&first, "idempotency-replayed"), "");
    let id1 = first.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let second = post("k-1", &body).await.unwrap();
    assert_eq!(second.st(), 201);
    assert_eq!(header(&second, "idempotency-replayed"), "true");
    let id2 = second.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(id1, id2);
    assert_eq!(agencies_named(&app.db, "KPU Kabupaten Bogor").await, 1);

    let other = json!({ "kind": "kpu", "name": "KPU Kabupaten Garut", "region_code": "32.05" });
    let (s, v) = status_json(post("k-1", &other).await.unwrap()).await;
    assert_eq!((s, code(&v)), (422, "idempotency_key_reused"));
    assert_eq!(agencies_named(&app.db, "KPU Kabupaten Garut").await, 0);

    // The first request with this key is still running (another instance, say).
    let scope = format!(
        "auth:{}",
        balai_core::auth::sha256_hex(&format!("Bearer {token}"))
    );
    let bytes = serde_json::to_vec(&other).unwrap();
    let mut h = sha2::Sha256::new();
    h.update(b"POST /api/v1/agencies\n");
    h.update(&bytes);
    let hash = hex::encode(h.finalize());
    let mut tx = app.db.begin().await.unwrap();
    with_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, created_at)
         VALUES ($1, 'k-running', $2, 'running', $3)"
    )
    .bind(&scope)
    .bind(&hash)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    let (s, v) = status_json(post("k-running", &other).await.unwrap()).await;
    assert_eq!((s, code(&v)), (409, "idempotency_in_progress"));
    assert_eq!(agencies_named(&app.db, "KPU Kabupaten Garut").await, 0);

    // A validation error is an answer too: stored and replayed, nothing created.
    let bad = json!({ "kind": "dukun", "name": "Kantor Aneh", "region_code": "32.01" });
    let (s, v) = status_json(post("k-bad", &bad).await.unwrap()).await;
    assert_eq!((s, code(&v)), (422, "bad_kind"));
    let again = post("k-bad", &bad).await.unwrap();
    assert_eq!(header(&again, "idempotency-replayed"), "true");
    let (s, v2) = status_json(again).await;
    assert_eq!(s, 422);
    assert_eq!(v2["code"], "bad_kind");
    assert_eq!(v2["message"], v["message"]);
    assert_eq!(agencies_named(&app.db, "Kantor Aneh").await, 0);
    // Keys belong to the caller: another token with the same key acts afresh.
    let admin = app.token_for("banjar.admin").await;
    let res = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&admin)
        .header("idempotency-key", "k-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.st(), 403);
    assert_eq!(header(&res, "idempotency-replayed"), "");
});

// ---------------------------------------------------------------- 8. calendar

both_backends!(
    calendar_api_moves_running_deadlines,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let c = Client::new();
        let path = "/api/v1/calendar/add-working-days?start=2024-04-05&n=3";
        let (s, v) = status_json(get(app, &c, path).await).await;
        assert_eq!((s, v["due"].as_str()), (200, Some("2024-04-18")));

        let mut tx = app.db.begin().await.unwrap();
        let due = balai_core::calendar::start_clock(
            &mut tx,
            "test",
            "1",
            "reply",
            date!(2026 - 11 - 06),
            3,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(due, date!(2026 - 11 - 11));
        let due_now = || async {
            balai_core::calendar::get_clock(&app.db, "test", "1", "reply")
                .await
                .unwrap()
                .unwrap()
                .due_day
        };
        let holiday = json!({ "day": "2026-11-10", "kind": "libur_daerah", "name_id": "Libur daerah uji",
        "source": "Perda uji 1/2026", "confirmed": true });
        let admin = app.token_for("banjar.admin").await;
        let (s, v) = status_json(
            api(
                app,
                "POST",
                &admin,
                "/api/v1/calendar/holidays",
                Some(holiday.clone()),
            )
            .await,
        )
        .await;
        assert_eq!((s, code(&v)), (403, "forbidden"));
        assert_eq!(due_now().await, date!(2026 - 11 - 11));

        let root = app.token_for("root").await;
        let (s, v) = status_json(
            api(
                app,
                "POST",
                &root,
                "/api/v1/calendar/holidays",
                Some(holiday),
            )
            .await,
        )
        .await;
        assert_eq!(s, 201);
        assert!(v["deadlines_moved"].as_u64().unwrap() >= 1, "{v}");
        assert_eq!(due_now().await, date!(2026 - 11 - 12));
        let (_, list) = status_json(get(app, &c, "/api/v1/calendar/holidays").await).await;
        let days = strings(&list, "day");
        assert!(days.contains(&"2026-11-10".to_string()), "{list}");
        assert!(
            days.contains(&"2024-04-10".to_string()),
            "shipped holidays, YYYY-MM-DD"
        );

        let bad =
            json!({ "day": "2026-13-45", "kind": "libur_daerah", "name_id": "x", "source": "y" });
        let (s, v) =
            status_json(api(app, "POST", &root, "/api/v1/calendar/holidays", Some(bad)).await)
                .await;
        assert!(s == 422 || s == 400, "status {s}");
        assert_eq!(v["code"], "bad_date");

        let del = "/api/v1/calendar/holidays/2026-11-10";
        assert_eq!(api(app, "DELETE", &admin, del, None).await.st(), 403);
        assert_eq!(api(app, "DELETE", &root, del, None).await.st(), 204);
        assert_eq!(due_now().await, date!(2026 - 11 - 11));
        assert_eq!(api(app, "DELETE", &root, del, None).await.st(), 404);
        let (_, list) = status_json(get(app, &c, "/api/v1/calendar/holidays").await).await;
        assert!(!strings(&list, "day").contains(&"2026-11-10".to_string()));
    }
);

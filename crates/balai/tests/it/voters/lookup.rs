//! The check: found, wrong name, unknown NIK, impossible NIK; the same answer for a wrong name
//! and an unknown NIK; no NIK in any answer; the budgets with `Retry-After`; the daily counts.

use serde_json::Value;

use crate::support::worlds::voters::*;

both_backends!(found_wrong_name_unknown_and_impossible, |b| async move {
    let vx = Vx::new(b).await;
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");

    // Found, with the name written differently (case, spacing, titles, punctuation).
    for name in ["H. Ahmad Fauzi, S.E.", "ahmad  fauzi", "AHMAD FAUZI SE"] {
        let (s, _, body) = vx.lookup(AHMAD, name).await;
        assert_eq!(s, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["found"], true, "{name}: {v}");
        let r = &v["registrations"][0];
        assert_eq!(r["election_id"], vx.election);
        assert_eq!(r["election_name"], "Pemilihan Wali Kota Banjar 2024");
        assert_eq!(
            r["tps"],
            serde_json::json!({"number": 3, "village_code": "32.79.01.1002",
                "village_name": "Mekarsari", "address": "Jl. Melati 2"})
        );
        assert_eq!(r["name_masked"], "A**** F****");
        assert!(!body.contains(AHMAD), "NIK in the answer: {body}");
    }

    // A wrong name and an unknown NIK: the same status, the same bytes.
    let (s1, _, wrong_name) = vx.lookup(SITI, "Siti Rahayu").await;
    let (s2, _, unknown) = vx.lookup(NOBODY, "Siti Wahyuni").await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(wrong_name, unknown);
    assert_eq!(wrong_name, r#"{"found":false,"registrations":[]}"#);

    // A NIK that cannot exist: 422 with the reason, not a "not found".
    let (s, _, body) = vx.lookup("2222222222222222", "Siti Wahyuni").await;
    assert_eq!(s, 422, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], "nik_birth_date");
    let (s, _, body) = vx.lookup("3269011508900001", "Siti Wahyuni").await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("nik_region_unknown"), "{body}");
    let (s, _, _) = vx.lookup("12345", "Siti").await;
    assert_eq!(s, 422);

    // The daily counts: 3 found, 2 not found, 3 refused.
    let (s, v) = vx.send("GET", "", "/api/v1/dpt/stats", Value::Null).await;
    assert_eq!(s, 200, "{v}");
    let d = &v["days"][0];
    assert_eq!(
        (&d["lookups"], &d["found"], &d["not_found"], &d["refused"]),
        (
            &Value::from(8),
            &Value::from(3),
            &Value::from(2),
            &Value::from(3)
        ),
        "{v}"
    );
});

both_backends!(
    budgets_per_address_and_per_nik_with_retry_after,
    |b| async move {
        let vx = Vx::with_config(b, |c| {
            c.voters.insert("lookups_per_minute".into(), 6.into());
            c.voters
                .insert("failures_per_nik_per_hour".into(), 2.into());
        })
        .await;
        let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        // Two wrong names for Siti's NIK spend its failures: the right name is refused now too,
        // exactly as an unknown NIK's third try is (nothing tells the two apart).
        for _ in 0..2 {
            assert_eq!(vx.lookup(SITI, "Siti Rahayu").await.0, 200);
            assert_eq!(vx.lookup(NOBODY, "Siti Rahayu").await.0, 200);
        }
        let (s, retry, body) = vx.lookup(SITI, "Siti Wahyuni").await;
        assert_eq!(s, 429, "{body}");
        let secs: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((3000..=3600).contains(&secs), "{secs}");
        let (s2, _, _) = vx.lookup(NOBODY, "Siti Wahyuni").await;
        assert_eq!(s2, 429);
        // Six look-ups a minute from this address: the seventh is refused, whatever it asks.
        let (s, retry, body) = vx.lookup(AHMAD, "Ahmad Fauzi").await;
        assert_eq!(s, 429, "{body}");
        let secs: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((1..=60).contains(&secs), "{secs}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["code"], "rate_limited");
        let (_, v) = vx.send("GET", "", "/api/v1/dpt/stats", Value::Null).await;
        assert_eq!(v["days"][0]["throttled"], 3, "{v}");
    }
);

both_backends!(the_breaker_opens_when_failures_jump, |b| async move {
    let vx = Vx::with_config(b, |c| {
        c.voters.insert("lookups_per_minute".into(), 1000.into());
        c.voters
            .insert("failures_per_nik_per_hour".into(), 1000.into());
        c.voters.insert("breaker_min_lookups".into(), 10.into());
    })
    .await;
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    // A harvest: guessed NIKs, nearly all failing.
    let mut opened = None;
    for i in 0..20 {
        let (s, retry, _) = vx.lookup(NOBODY, "Tebakan").await;
        if s == 429 {
            opened = Some((i, retry));
            break;
        }
    }
    let (i, retry) = opened.expect("the breaker opens");
    assert_eq!(i, 10);
    assert!(retry.is_some());
    // While open, even a real look-up is refused.
    assert_eq!(vx.lookup(AHMAD, "Ahmad Fauzi").await.0, 429);
});

both_backends!(an_official_opens_one_record_audited, |b| async move {
    let vx = Vx::new(b).await;
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    let path = format!("/api/v1/elections/{}/dpt/record", vx.election);
    let ask = serde_json::json!({"nik": SITI, "purpose": "Tanggapan TPS 001"});
    let (s, v) = vx.send("POST", &vx.kpu_officer, &path, ask.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (
            &v["nik"],
            &v["nkk"],
            &v["name"],
            &v["birth_date"],
            &v["sex"]
        ),
        (
            &Value::from(SITI),
            &Value::from("3279012301150004"),
            &Value::from("Siti Wahyuni"),
            &Value::from("1990-08-15"),
            &Value::from("P")
        )
    );
    let events = vx.audit("personal_data.read").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "v.kpu.officer");
    assert_eq!(events[0].1, "3279**********02");
    assert!(events[0].2.contains("Tanggapan TPS 001"));
    assert!(!events[0].2.contains(SITI));
    // Another region's KPU, a viewer, no account: refused, and nothing audited.
    for token in [&vx.palembang, &vx.kpu_viewer] {
        let (s, _) = vx.send("POST", token, &path, ask.clone()).await;
        assert_eq!(s, 403);
    }
    let (s, _) = vx.send("POST", "", &path, ask.clone()).await;
    assert_eq!(s, 401);
    let (s, _) = vx
        .send(
            "POST",
            &vx.kpu,
            &path,
            serde_json::json!({"nik": NOBODY, "purpose": "cek"}),
        )
        .await;
    assert_eq!(s, 404);
    assert_eq!(vx.audit("personal_data.read").await.len(), 1);
    // The records are sealed and the index holds keyed hashes: the NIK and the name are
    // nowhere in the tables' bytes.
    let blobs: Vec<Vec<u8>> = balai_core::with_db!(&vx.app.ctx.db, |c| sqlx::query_scalar(
        "SELECT entries FROM voter_index UNION ALL SELECT sealed FROM voter_records"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert!(
        blobs.len() >= 5,
        "four buckets and a block of four records: {}",
        blobs.len()
    );
    for needle in [SITI.as_bytes(), b"Siti", b"SITI", b"32.79.01.1001"] {
        assert!(
            !blobs
                .iter()
                .any(|b| b.windows(needle.len()).any(|w| w == needle)),
            "{needle:?} stored in clear"
        );
    }
});

both_backends!(
    a_read_sent_as_post_keeps_nothing_under_its_key,
    |b| async move {
        let vx = Vx::new(b).await;
        let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        let path = format!("/api/v1/elections/{}/dpt/record", vx.election);
        let open = |key: &'static str| {
            vx.http
                .post(vx.app.url(&path))
                .bearer_auth(&vx.kpu_officer)
                .header("Idempotency-Key", key)
                .json(&serde_json::json!({"nik": SITI, "purpose": "Tanggapan TPS 001"}))
                .send()
        };
        // A malformed key is refused as on every POST, and nothing is opened.
        let res = open("not valid").await.unwrap();
        assert_eq!(res.status().as_u16(), 400);
        assert!(vx.audit("personal_data.read").await.is_empty());
        // A well-formed key twice: read twice, audited twice, never replayed from a stored answer.
        for n in 1..=2 {
            let res = open("buka-1").await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            assert!(res.headers().get("idempotency-replayed").is_none());
            let v: Value = res.json().await.unwrap();
            assert_eq!(v["nik"], SITI);
            assert_eq!(vx.audit("personal_data.read").await.len(), n);
        }
        // The check, keyed: answered each time, counted each time.
        for _ in 0..2 {
            let res = vx
                .http
                .post(vx.app.url("/api/v1/dpt/lookup"))
                .header("Idempotency-Key", "cek-1")
                .json(&serde_json::json!({"nik": SITI, "name": "Siti Wahyuni"}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 200);
            assert!(res.headers().get("idempotency-replayed").is_none());
        }
        let (_, stats) = vx.send("GET", "", "/api/v1/dpt/stats", Value::Null).await;
        assert_eq!(stats["days"][0]["found"], 2, "{stats}");
        // No answer, and so no record, rests under either key.
        let kept: i64 = balai_core::with_db!(&vx.app.ctx.db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM idempotency_keys WHERE idem_key IN ('buka-1', 'cek-1')"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(kept, 0);
    }
);

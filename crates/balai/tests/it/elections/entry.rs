//! Double entry, versions and PSU, bad input, scoping, caching and the API document, on both
//! backends (bulk input: `elections::imports`; the publication log: `elections::log`).

use crate::support::worlds::elections::*;
use crate::support::Backend;
use serde_json::{json, Value};

both_backends!(double_entry_verifies_or_queues, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let f = form_json(&good_form());
    // Agreement: two operators, same numbers → verified.
    let (s, v) = fx.submit(&fx.op1, fx.tps[0], f.clone(), json!({})).await;
    assert_eq!(s, 201);
    assert_eq!(v["verified"], false);
    let (s, v) = fx.submit(&fx.op2, fx.tps[0], f.clone(), json!({})).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["verified"], true);
    assert_eq!(v["disputed"], false);
    // Disagreement → the supervisor's queue, both versions side by side.
    let mut other = good_form();
    other.votes.insert(1, 90);
    other.votes.insert(2, 80);
    let (s, _) = fx.submit(&fx.op1, fx.tps[1], f.clone(), json!({})).await;
    assert_eq!(s, 201);
    let (s, v) = fx
        .submit(&fx.op2, fx.tps[1], form_json(&other), json!({}))
        .await;
    assert_eq!(s, 201);
    assert_eq!(v["disputed"], true);
    let r = fx.results("32.79").await;
    assert_eq!(
        (r["tps_entered"].as_i64(), r["tps_verified"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(r["tps_disputed"], 1);
    // Operators are not supervisors.
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/disputes")))
        .bearer_auth(&fx.op1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/disputes")))
        .bearer_auth(&fx.sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let q: Value = res.json().await.unwrap();
    assert_eq!(q.as_array().unwrap().len(), 1, "{q}");
    assert_eq!(q[0]["tps"]["id"], fx.tps[1]);
    assert_eq!(q[0]["entries"].as_array().unwrap().len(), 2);
    let diff: Vec<&str> = q[0]["differing_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(diff, vec!["votes.1", "votes.2"]);
    // The supervisor checks the paper and enters it: agrees with op1 → verified, queue empty.
    let (s, v) = fx.submit(&fx.sup, fx.tps[1], f.clone(), json!({})).await;
    assert_eq!(s, 201);
    assert_eq!(v["verified"], true);
    let (_, q) = {
        let res = fx
            .http
            .get(fx.app.url(&fx.path("/disputes")))
            .bearer_auth(&fx.sup)
            .send()
            .await
            .unwrap();
        (res.status(), res.json::<Value>().await.unwrap())
    };
    assert_eq!(q, json!([]));
    assert_eq!(fx.results("32.79").await["tps_verified"], 2);
});

// While a TPS is disputed its totals keep the last verified version, or no numbers at all:
// a third operator's different entry never reaches the published totals.
both_backends!(
    a_disputed_tps_counts_its_last_verified_version,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let f = form_json(&good_form());
        let mut other = good_form();
        other.votes.insert(1, 20);
        other.votes.insert(2, 150);
        // TPS 1: verified by two operators, then a third enters other numbers.
        fx.submit(&fx.op1, fx.tps[0], f.clone(), json!({})).await;
        let (_, v) = fx.submit(&fx.op2, fx.tps[0], f.clone(), json!({})).await;
        assert_eq!(v["verified"], true);
        let (s, v) = fx
            .submit(&fx.counter, fx.tps[0], form_json(&other), json!({}))
            .await;
        assert_eq!((s, v["disputed"].as_bool()), (201, Some(true)), "{v}");
        // TPS 2: two operators disagree from the start.
        fx.submit(&fx.op1, fx.tps[1], f.clone(), json!({})).await;
        let (_, v) = fx
            .submit(&fx.op2, fx.tps[1], form_json(&other), json!({}))
            .await;
        assert_eq!(v["disputed"], true);
        // Every level (the stored district and city rows, the village summed when read)
        // counts TPS 1's verified numbers and nothing of TPS 2.
        for region in ["32.79", "32.79.01", VILLAGES[0]] {
            let r = fx.results(region).await;
            assert_eq!(r["votes"], json!({"1": 100, "2": 70}), "{region}: {r}");
            assert_eq!(r["suara_sah"], 170, "{region}");
            assert_eq!(
                (r["tps_entered"].as_i64(), r["tps_disputed"].as_i64()),
                (Some(2), Some(2))
            );
        }
        // The village's TPS lines (the CSV export) say the same; the history keeps every
        // version.
        let csv = fx
            .http
            .get(
                fx.app
                    .url(&fx.path(&format!("/results.csv?region={}", VILLAGES[0]))),
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let tps_votes: Vec<String> = csv
            .lines()
            .filter(|l| l.starts_with("TPS"))
            .map(|l| l.rsplitn(3, ',').take(2).collect::<Vec<_>>().join("<"))
            .collect();
        assert_eq!(tps_votes, ["70<100", "0<0"], "{csv}");
        let (_, t) = fx.get(&fx.path(&format!("/tps/{}", fx.tps[0]))).await;
        assert_eq!(t["history"].as_array().unwrap().len(), 3);
        // A second operator agreeing with the third resolves TPS 1 to the new numbers.
        let (_, v) = fx
            .submit(
                &fx.op1,
                fx.tps[0],
                form_json(&other),
                json!({"reason": "dicek ulang"}),
            )
            .await;
        assert_eq!(v["verified"], true, "{v}");
        let r = fx.results("32.79").await;
        assert_eq!(r["votes"], json!({"1": 20, "2": 150}), "{r}");
    }
);

both_backends!(versions_and_psu, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let t = fx.tps[0];
    let (s, _) = fx
        .submit(&fx.op1, t, form_json(&good_form()), json!({}))
        .await;
    assert_eq!(s, 201);
    let mut fixed = good_form();
    fixed.votes.insert(1, 101);
    fixed.votes.insert(2, 69);
    // A correction needs a reason.
    let (s, v) = fx.submit(&fx.op1, t, form_json(&fixed), json!({})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("reason_required")));
    let (s, v) = fx
        .submit(
            &fx.op1,
            t,
            form_json(&fixed),
            json!({"reason": "salah ketik paslon 1"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        (v["version"].as_i64(), v["kind"].as_str()),
        (Some(2), Some("correction"))
    );
    assert_eq!(fx.results("32.79").await["votes"]["1"], 101);
    // A re-vote supersedes both, with a reference to the decision.
    let mut psu = good_form();
    psu.votes.insert(1, 60);
    psu.votes.insert(2, 110);
    let (s, v) = fx
        .submit(
            &fx.sup,
            t,
            form_json(&psu),
            json!({"psu_ref": "Keputusan KPU Kota Banjar 12/2024", "reason": "PSU"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        (v["version"].as_i64(), v["kind"].as_str()),
        (Some(3), Some("psu"))
    );
    let (_, h) = fx.get(&fx.path(&format!("/tps/{t}"))).await;
    let hist = h["history"].as_array().unwrap();
    assert_eq!(hist.len(), 3);
    assert_eq!(hist[0]["version"], 3);
    assert_eq!(hist[0]["current"], true);
    assert_eq!(hist[1]["superseded"], true);
    assert_eq!(hist[2]["superseded"], true);
    assert_eq!(hist[1]["reason"], "salah ketik paslon 1");
    assert_eq!(hist[2]["operator"], "banjar.op1");
    assert_eq!(hist[2]["form"]["votes"]["1"], 100);
    let r = fx.results("32.79").await;
    assert_eq!(r["votes"], json!({"1": 60, "2": 110}));
    // The other operator's entry of the PSU form verifies it; the pre-PSU entries do not count.
    let (s, v) = fx
        .submit(&fx.op2, t, form_json(&good_form()), json!({}))
        .await;
    assert_eq!(s, 201);
    assert_eq!(v["verified"], false);
    let (s, v) = fx
        .submit(&fx.op2, t, form_json(&psu), json!({"reason": "baca ulang"}))
        .await;
    assert_eq!(s, 201);
    assert_eq!(v["verified"], true);
});

both_backends!(bad_input_changes_nothing, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let (s, _) = fx
        .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    assert_eq!(s, 201);
    let before = fx.snapshot().await;
    let good = form_json(&good_form());
    // Unknown TPS.
    let (s, v) = fx.submit(&fx.op1, 999_999, good.clone(), json!({})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unknown_tps")));
    let (s, v) = fx
        .post(
            &fx.op1,
            &fx.path("/results"),
            json!({"village_code": VILLAGES[1], "tps_number": 7, "form": good}),
        )
        .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("unknown_tps")));
    // Negative and non-numeric counts name their fields.
    let mut neg = good.clone();
    neg["pengguna_dpt"]["l"] = json!(-80);
    neg["suara_sah"] = json!("seratus");
    let (s, v) = fx.submit(&fx.op1, fx.tps[1], neg, json!({})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_form")), "{v}");
    let fields: Vec<(&str, &str)> = v["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("pengguna_dpt.l", "negative")), "{v}");
    assert!(fields.contains(&("suara_sah", "not_a_number")), "{v}");
    assert!(v["message"].as_str().unwrap().contains("pengguna_dpt.l"));
    // A vote for a paslon that does not exist.
    let mut extra = good.clone();
    extra["votes"]["3"] = json!(0);
    let (s, v) = fx.submit(&fx.op1, fx.tps[1], extra, json!({})).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("invalid_form")));
    // A duplicate submission.
    let (s, v) = fx.submit(&fx.op1, fx.tps[0], good.clone(), json!({})).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("duplicate_entry")),
        "{v}"
    );
    // Not JSON at all.
    let res = fx
        .http
        .post(fx.app.url(&fx.path("/results")))
        .bearer_auth(&fx.op1)
        .header("content-type", "application/json")
        .body("{tps_id: 1")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    // Ballot numbers outside 1..=MAX_BALLOT, or one already taken, are refused.
    let candidates = fx.path("/candidates");
    let max = balai_elections::commands::setup::MAX_BALLOT;
    for (ballot, status, code) in [
        (0, 422, "bad_candidate"),
        (max + 1, 422, "bad_candidate"),
        (2, 409, "ballot_number_taken"),
    ] {
        let (s, v) = fx
            .post(
                &fx.sup,
                &candidates,
                json!({"ballot_number": ballot, "head_name": "X", "deputy_name": "Y", "independent": true}),
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str()),
            (status, Some(code)),
            "{ballot}: {v}"
        );
    }
    let (_, election) = fx.get(&fx.path("")).await;
    assert_eq!(
        election["candidates"].as_array().map(Vec::len),
        Some(2),
        "{election}"
    );
    assert_eq!(fx.snapshot().await, before);
    // A closed election.
    let (s, _) = fx
        .send(
            "PUT",
            &fx.sup,
            &fx.path("/status"),
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(s, 204);
    let before = fx.snapshot().await;
    let (s, v) = fx.submit(&fx.op1, fx.tps[1], good.clone(), json!({})).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("election_closed")));
    assert_eq!(fx.snapshot().await, before);
});

both_backends!(
    writes_are_scoped_reads_are_public,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let before = fx.snapshot().await;
        let good = form_json(&good_form());
        // KPU Kota Palembang cannot submit for Kota Banjar; nor Bawaslu, a viewer or anonymous.
        for token in [&fx.palembang, &fx.bawaslu, &fx.viewer] {
            let (s, v) = fx.submit(token, fx.tps[0], good.clone(), json!({})).await;
            assert_eq!(s, 403, "{v}");
        }
        let (s, _) = fx.submit("", fx.tps[0], good.clone(), json!({})).await;
        assert_eq!(s, 401);
        // Nor create an election in Banjar, nor a TPS there.
        let (s, _) = fx
        .post(&fx.palembang, "/api/v1/elections", json!({"kind": "walikota", "region_code": "32.79", "name": "x", "voting_date": "2024-11-27"}))
        .await;
        assert_eq!(s, 403);
        let (s, _) = fx
            .send_csv(
                &fx.palembang,
                "POST",
                &fx.path("/tps/import"),
                "v,n,a,l,p\n32.79.01.1006,1,Jl,1,1\n",
            )
            .await;
        assert_eq!(s, 403);
        assert_eq!(fx.snapshot().await, before);
        // ...but Palembang can run its own.
        let (s, v) = fx
        .post(&fx.palembang_sup, "/api/v1/elections", json!({"kind": "walikota", "region_code": "16.71", "name": "Pilwalkot Palembang", "voting_date": "2024-11-27"}))
        .await;
        assert_eq!(s, 201, "{v}");
        let plg = v["id"].as_i64().unwrap();
        for b in [1, 2] {
            let (s, _) = fx
                .post(&fx.palembang_sup, &format!("/api/v1/elections/{plg}/candidates"), json!({"ballot_number": b, "head_name": "A", "deputy_name": "B", "independent": true}))
                .await;
            assert_eq!(s, 201);
        }
        let (s, v) = fx
            .post(&fx.palembang_sup, &format!("/api/v1/elections/{plg}/tps"), json!({"village_code": "16.71.01.1001", "number": 1, "address": "Jl", "dpt_l": 100, "dpt_p": 100}))
            .await;
        assert_eq!(s, 201, "{v}");
        let plg_tps = v["ids"][0].as_i64().unwrap();
        // A KPU Kota Banjar operator cannot submit for Palembang.
        let body = json!({"tps_id": plg_tps, "form": good.clone()});
        let (s, v) = fx
            .post(
                &fx.op1,
                &format!("/api/v1/elections/{plg}/results"),
                body.clone(),
            )
            .await;
        assert_eq!(s, 403, "{v}");
        assert!(v["message"].as_str().unwrap().contains("16.71.01.1001"));
        let (s, _) = fx
            .post(
                &fx.palembang,
                &format!("/api/v1/elections/{plg}/results"),
                body,
            )
            .await;
        assert_eq!(s, 201);
        // Kind must match the region level.
        let (s, v) = fx
        .post(&fx.op1, "/api/v1/elections", json!({"kind": "bupati", "region_code": "32.79", "name": "x", "voting_date": "2024-11-27"}))
        .await;
        assert_eq!((s, v["code"].as_str()), (422, Some("kind_region_mismatch")));
        // Results need no sign-in.
        let (s, r) = fx.get(&fx.path("/results")).await;
        assert_eq!(s, 200);
        assert_eq!(r["tps_total"], 3);
        assert!(r["turnout_percent"].is_null());
        let (s, _) = fx.get(&fx.path("/results?region=16.71")).await;
        assert_eq!(s, 422);
    }
);

both_backends!(results_are_cacheable, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let url = fx.app.url(&fx.path("/results?region=32.79"));
    let res = fx.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let tag = res.headers()["etag"].to_str().unwrap().to_string();
    let res = fx
        .http
        .get(&url)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    // A new form changes the numbers and so the tag.
    fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    let res = fx
        .http
        .get(&url)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_ne!(res.headers()["etag"].to_str().unwrap(), tag);
    let (_, log) = fx.get(&fx.path("/log")).await;
    assert!(log["algorithm"].as_str().unwrap().contains("\\n"));
});

both_backends!(
    openapi_documents_the_elections_api,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let (s, doc) = fx.get("/api/v1/openapi.json").await;
        assert_eq!(s, 200);
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/api/v1/elections",
            "/api/v1/elections/{id}/totals",
            "/api/v1/elections/{id}/results",
            "/api/v1/elections/{id}/results/batch",
            "/api/v1/elections/{id}/log",
            "/api/v1/elections/{id}/tps/{tps_id}/photos",
        ] {
            assert!(paths.contains_key(p), "{p} missing");
        }
        assert!(paths["/api/v1/elections/{id}/results"]["post"].is_object());
        assert!(paths["/api/v1/elections/{id}/results"]["get"].is_object());
    }
);

/// PostgreSQL keys an entry and a TPS state to their TPS *and its election* with one
/// composite key: a row naming another election is refused by the schema itself (SQLite keeps
/// one key per column; there the application alone writes the TPS's election).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keys_results_to_the_tps_election() {
    let fx = Fx::new(Backend::Postgres).await;
    let (s, _) = fx
        .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    assert_eq!(s, 201);
    let (s, v) = fx
        .post(
            &fx.sup,
            "/api/v1/elections",
            json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar 2029", "voting_date": "2029-11-28"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let other = v["id"].as_i64().unwrap();
    let before = fx.snapshot().await;
    for (table, key) in [
        ("result_entries", "result_entries_tps_fkey"),
        ("tps_results", "tps_results_tps_fkey"),
    ] {
        let sql = format!("UPDATE {table} SET election_id = $1 WHERE tps_id = $2");
        let err = balai_core::with_db!(&fx.app.db, |c| sqlx::query(&sql)
            .bind(other)
            .bind(fx.tps[0])
            .execute(c)
            .await
            .map(|r| r.rows_affected()))
        .expect_err(table);
        let db_err = err.as_database_error().expect("a database error");
        assert_eq!(db_err.code().as_deref(), Some("23503"), "{table}: {err}");
        assert_eq!(db_err.constraint(), Some(key), "{table}: {err}");
    }
    assert_eq!(fx.snapshot().await, before);
}

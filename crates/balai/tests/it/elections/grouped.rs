//! Single forms for several elections submitted at the same time are written together (one
//! group, the same statements for all its elections): each form still gets its own answer,
//! each election its own totals and its own publication log, on both backends.

use crate::support::worlds::elections::*;
use crate::support::Backend;
use balai_elections::domain::publog::{self, LogEntry};
use serde_json::{json, Value};

/// POST every `(token, path, body)` at once; the answers in the same order.
async fn post_all(fx: &Fx, reqs: Vec<(String, String, Value)>) -> Vec<(u16, Value)> {
    let mut set = tokio::task::JoinSet::new();
    for (i, (token, path, body)) in reqs.into_iter().enumerate() {
        let (http, url) = (fx.http.clone(), fx.app.url(&path));
        set.spawn(async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (i, status, res.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut out = vec![(0, Value::Null); set.len()];
    while let Some(r) = set.join_next().await {
        let (i, s, v) = r.unwrap();
        out[i] = (s, v);
    }
    out
}

/// A second election in the same city, with its own paslon and TPS (the same villages and
/// numbers as the first's).
async fn second_election(fx: &Fx) -> (i64, Vec<i64>) {
    let (s, v) = fx
        .post(
            &fx.sup,
            "/api/v1/elections",
            json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar (ulang)", "voting_date": "2025-08-27"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    let tps = fx.paslon_and_tps(id).await;
    (id, tps)
}

async fn log_of(fx: &Fx, election: i64) -> Vec<LogEntry> {
    let (s, log) = fx.get(&format!("/api/v1/elections/{election}/log")).await;
    assert_eq!(s, 200, "{log}");
    serde_json::from_value(log["entries"].clone()).unwrap()
}

both_backends!(concurrent_forms_of_two_elections, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let (e2, tps2) = second_election(&fx).await;
    let first = form_json(&good_form());
    let mut other = good_form();
    other.votes.insert(1, 60);
    other.votes.insert(2, 110);
    let other = form_json(&other);
    let results = |e: i64| format!("/api/v1/elections/{e}/results");
    let mut reqs = Vec::new();
    for (e1_tps, e2_tps) in fx.tps.iter().zip(&tps2) {
        reqs.push((
            fx.op1.clone(),
            fx.path("/results"),
            json!({"tps_id": e1_tps, "form": first}),
        ));
        reqs.push((
            fx.op1.clone(),
            results(e2),
            json!({"tps_id": e2_tps, "form": other}),
        ));
    }
    // In the same moment: a TPS of the first election named for the second, and an
    // election that does not exist. Each is that form's answer alone.
    reqs.push((
        fx.op1.clone(),
        results(e2),
        json!({"tps_id": fx.tps[0], "form": other}),
    ));
    reqs.push((
        fx.op1.clone(),
        results(e2 + 1000),
        json!({"tps_id": tps2[0], "form": other}),
    ));
    let answers = post_all(&fx, reqs).await;
    let (good, bad) = answers.split_at(6);
    for (s, v) in good {
        assert_eq!(*s, 201, "{v}");
        assert_eq!(v["version"], 1, "{v}");
    }
    assert_eq!(
        (bad[0].0, bad[0].1["code"].as_str()),
        (422, Some("unknown_tps")),
        "{:?}",
        bad[0]
    );
    assert_eq!(bad[1].0, 404, "{:?}", bad[1]);
    // Each election's log numbers its own forms 1, 2, 3.
    for parity in [0, 1] {
        let mut seqs: Vec<i64> = good
            .iter()
            .skip(parity)
            .step_by(2)
            .map(|(_, v)| v["log_seq"].as_i64().unwrap())
            .collect();
        seqs.sort_unstable();
        assert_eq!(seqs, vec![1, 2, 3]);
    }
    let r1 = fx.results("32.79").await;
    let (s, r2) = fx.get(&format!("{}?region=32.79", results(e2))).await;
    assert_eq!(s, 200);
    assert_eq!(
        (r1["tps_entered"].as_i64(), r2["tps_entered"].as_i64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        (r1["votes"]["1"].as_i64(), r1["votes"]["2"].as_i64()),
        (Some(300), Some(210))
    );
    assert_eq!(
        (r2["votes"]["1"].as_i64(), r2["votes"]["2"].as_i64()),
        (Some(180), Some(330))
    );

    // The second operator at the same time, naming the TPS by village and number (the same
    // pairs exist in both elections): agreeing in the first election, disagreeing in the
    // second.
    let mut reqs = Vec::new();
    for (village, number) in [(VILLAGES[0], 1), (VILLAGES[0], 2), (VILLAGES[2], 1)] {
        for path in [fx.path("/results"), results(e2)] {
            reqs.push((
                fx.op2.clone(),
                path,
                json!({"village_code": village, "tps_number": number, "form": first}),
            ));
        }
    }
    for (s, v) in post_all(&fx, reqs).await {
        assert_eq!(s, 201, "{v}");
    }
    let r1 = fx.results("32.79").await;
    let (_, r2) = fx.get(&format!("{}?region=32.79", results(e2))).await;
    assert_eq!(
        (r1["tps_verified"].as_i64(), r1["tps_disputed"].as_i64()),
        (Some(3), Some(0))
    );
    assert_eq!(
        (r2["tps_verified"].as_i64(), r2["tps_disputed"].as_i64()),
        (Some(0), Some(3))
    );
    // A disputed TPS without a verified version counts no numbers: the second election shows
    // neither operator's until the dispute is settled.
    assert_eq!(r2["votes"]["1"].as_i64(), Some(0));
    assert_eq!(r2["suara_sah"].as_i64(), Some(0));

    // Both logs verify and replay to their own published totals.
    for (e, r) in [(fx.election, &r1), (e2, &r2)] {
        let entries = log_of(&fx, e).await;
        assert_eq!(publog::verify(&entries), Ok(6));
        let current = publog::replay(&entries).unwrap();
        assert!(current.values().all(|p| p.election_id == e));
        assert_eq!(current.len(), 3);
        // The disputed TPS's entries say what their totals count (here: nothing).
        let counted = publog::counted(&entries).unwrap();
        let votes: u64 = counted
            .values()
            .filter_map(|c| c.form.as_ref())
            .map(|f| u64::from(f.votes[&1]))
            .sum();
        assert_eq!(r["votes"]["1"].as_u64(), Some(votes));
        let checked = balai_elections::verify::verify_log(&fx.app.db, e)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(checked.entries, 6);
    }
});

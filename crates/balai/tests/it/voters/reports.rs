//! Tanggapan masyarakat: filed by anyone while the list is DPS, published without the details
//! or the contact, answered publicly by the KPU of the TPS's region, refused once the DPT is
//! fixed.

use serde_json::{json, Value};

use crate::support::worlds::voters::*;

fn response(election: i64) -> Value {
    json!({"election_id": election, "village_code": "32.79.01.1001", "tps_number": 1,
           "kind": "deceased", "details": "Bapak Budi Santoso meninggal Maret 2024.",
           "evidence": "Akta kematian 3279-KM-2024-0012", "contact": "0812 0000 1111"})
}

both_backends!(a_response_is_a_case_answered_publicly, |b| async move {
    let vx = Vx::new(b).await;
    // No list published yet: not taken.
    let (s, v) = vx
        .send("POST", "", "/api/v1/dpt/reports", response(vx.election))
        .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("list_closed")), "{v}");
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = vx
        .send("POST", "", "/api/v1/dpt/reports", response(vx.election))
        .await;
    assert_eq!(s, 201, "{v}");
    let code = v["code"].as_str().unwrap().to_string();
    assert!(v["due_at"].as_str().unwrap().len() >= 20);

    // Bad input: 422 with a code, nothing stored.
    let mut bad = response(vx.election);
    bad["kind"] = json!("alien");
    let (s, v) = vx.send("POST", "", "/api/v1/dpt/reports", bad).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("report_kind")), "{v}");
    let mut outside = response(vx.election);
    outside["village_code"] = json!("16.71.01.1001");
    let (s, _) = vx.send("POST", "", "/api/v1/dpt/reports", outside).await;
    assert_eq!(s, 422);

    // Published without the details or the contact.
    let (s, body) = vx
        .send_text(
            "GET",
            "",
            &format!("/api/v1/dpt/reports?election_id={}", vx.election),
            Value::Null,
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert!(!body.contains("Budi") && !body.contains("0812"), "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["reports"].as_array().unwrap().len(), 1);
    assert_eq!(v["reports"][0]["status"], "open");
    assert_eq!(v["reports"][0]["overdue"], false);

    // Answered by the KPU of the region; not by Palembang's, nor with a NIK in the answer.
    let path = format!("/api/v1/dpt/reports/{code}/answer");
    let answer = json!({"status": "accepted", "answer": "Diperiksa PPS: dicoret pada DPSHP."});
    let (s, _) = vx.send("POST", &vx.palembang, &path, answer.clone()).await;
    assert_eq!(s, 403);
    let (s, v) = vx
        .send(
            "POST",
            &vx.kpu_officer,
            &path,
            json!({"status": "accepted", "answer": format!("NIK {SITI} dicoret.")}),
        )
        .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("answer_text")), "{v}");
    let (s, v) = vx
        .send("POST", &vx.kpu_officer, &path, answer.clone())
        .await;
    assert_eq!(s, 204, "{v}");
    let (s, v) = vx.send("POST", &vx.kpu_officer, &path, answer).await;
    assert_eq!((s, v["code"].as_str()), (409, Some("report_answered")));
    let (s, v) = vx
        .send(
            "GET",
            "",
            &format!("/api/v1/dpt/reports/{code}"),
            Value::Null,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "accepted");
    assert_eq!(v["answer"], "Diperiksa PPS: dicoret pada DPSHP.");
    assert!(v.get("details").is_none() && v.get("contact").is_none());
    assert_eq!(vx.audit("voters.report_answered").await.len(), 1);
    assert_eq!(vx.audit("voters.report_filed").await.len(), 1);

    // The DPT fixed: responses are closed.
    let (s, _) = vx.put_list(&vx.kpu, "dpt", &good_list()).await;
    assert_eq!(s, 200);
    let (s, v) = vx
        .send("POST", "", "/api/v1/dpt/reports", response(vx.election))
        .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("list_closed")), "{v}");
});

both_backends!(a_retried_response_is_filed_once, |b| async move {
    let vx = Vx::new(b).await;
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    let post = |key: &'static str| {
        vx.http
            .post(vx.app.url("/api/v1/dpt/reports"))
            .header("Idempotency-Key", key)
            .json(&response(vx.election))
            .send()
    };
    let filed = || async {
        balai_core::with_db!(&vx.app.ctx.db, |c| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM voter_list_reports"
        )
        .fetch_one(c)
        .await)
        .unwrap()
    };
    // A malformed key: refused before anything is filed.
    let res = post("not valid").await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["code"], "bad_idempotency_key", "{v}");
    assert_eq!(filed().await, 0);
    // The same key sent twice at once, then again: one response, one code.
    let (a, b) = tokio::join!(post("tanggapan-1"), post("tanggapan-1"));
    let (a, b) = (a.unwrap(), b.unwrap());
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    let codes: Vec<&str> = [&a, &b].iter().filter_map(|v| v["code"].as_str()).collect();
    // Either both carry the one code, or the later was told the first is still running.
    match statuses {
        [201, 201] => assert_eq!(codes[0], codes[1]),
        [201, 409] | [409, 201] => assert!(codes.contains(&"idempotency_in_progress")),
        other => panic!("{other:?}: {a} {b}"),
    }
    assert_eq!(filed().await, 1);
    let res = post("tanggapan-1").await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    assert_eq!(res.headers()["idempotency-replayed"], "true");
    let again: Value = res.json().await.unwrap();
    let first = if statuses[0] == 201 { &a } else { &b };
    assert_eq!(again["code"], first["code"]);
    assert_eq!(filed().await, 1);
});

//! Bad input to the case API: a clear 422 with its code, nothing stored.

use serde_json::{json, Value};

use super::*;

both_backends!(
    bad_input_is_refused_and_nothing_stored,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        let (other, _) = cx.complaint("pelanggaran_pemilihan").await;
        let with = |k: &str, v: Value| {
            let mut b = opening(None);
            b[k] = v;
            b
        };
        let cases = [
            (with("region_code", json!("99.99")), 422, "unknown_region"),
            (with("region_code", json!("32.79.01")), 422, "bad_region"),
            (with("official_name", json!("   ")), 422, "bad_name"),
            (with("nip", json!("123456789012345678")), 422, "bad_nip"),
            (with("official_position", json!("")), 422, "empty_position"),
            (with("allegation", json!(" ")), 422, "bad_allegation"),
            (
                with("complaint_id", json!(999_999)),
                422,
                "unknown_complaint",
            ),
            (
                with("complaint_id", json!(other)),
                422,
                "complaint_not_neutrality",
            ),
            (with("origin", json!("bkn_entry")), 422, "origin_mismatch"),
            (
                with("origin", json!("complaint")),
                422,
                "complaint_mismatch",
            ),
        ];
        for (body, status, code) in cases {
            let (s, v) = cx.open(&nx.bawaslu, body).await;
            assert_eq!((s, v["code"].as_str()), (status, Some(code)), "{v}");
        }
        // A Pemda opens no case; an unknown field is refused.
        assert_eq!(cx.open(&nx.pemda_admin, opening(None)).await.0, 403);
        assert_eq!(cx.open(&nx.bawaslu, with("extra", json!(1))).await.0, 422);
        assert_eq!(nx.count("neutrality_cases").await, 0);

        let (_, v) = cx.open(&nx.bawaslu, opening(None)).await;
        let id = v["id"].as_i64().unwrap();
        let step = |k: &str, v: Value| {
            let mut b = json!({"step": "bawaslu_examination", "decision": "no_violation", "note": "Tidak terbukti."});
            b[k] = v;
            b
        };
        let steps = [
            (step("decision", json!("maybe")), 422, "bad_decision"),
            (
                step("decision", json!("complied")),
                422,
                "decision_not_for_step",
            ),
            (
                step("decided_on", json!("2999-01-01")),
                422,
                "date_in_future",
            ),
            (
                step("decided_on", json!("2000-01-01")),
                422,
                "date_in_future",
            ),
            (step("note", json!("")), 422, "bad_note"),
            (
                step("forbidden_act", json!("kampanye")),
                422,
                "bad_forbidden_act",
            ),
            (step("step", json!("closed")), 422, "bad_step"),
        ];
        for (body, status, code) in steps {
            let (s, v) = cx.step(&cx.bawaslu_spv, id, body).await;
            assert_eq!((s, v["code"].as_str()), (status, Some(code)), "{v}");
        }
        assert_eq!(
            cx.step(&cx.bawaslu_spv, 999_999, step("note", json!("x")))
                .await
                .0,
            404
        );
        assert_eq!(nx.count("neutrality_case_steps").await, 0);
        let (s, v) = cx
            .step(&cx.bawaslu_spv, id, step("note", json!("Tidak terbukti.")))
            .await;
        assert_eq!(
            (s, v["outcome"].as_str()),
            (201, Some("no_violation")),
            "{v}"
        );
        // A closed case takes no more decisions.
        let (s, _) = cx
            .step(&cx.bawaslu_spv, id, step("note", json!("Lagi.")))
            .await;
        assert_eq!(s, 409);
        let (s, v) = nx.get("/api/v1/neutrality-cases/stats?region=99.99").await;
        assert_eq!((s, v["code"].as_str()), (422, Some("unknown_region")));
    }
);

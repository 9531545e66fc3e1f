//! A case from an Aduan complaint to a complied sanction, with scoping at each step and duties
//! separated; a retried request written once.

use serde_json::{json, Value};

use super::*;
use crate::support::http::signed_in;

both_backends!(
    a_case_from_complaint_to_sanction_with_scoping,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        // The official was promoted by the Pemda: the case must link to it by NIP.
        let (s, v) = nx.record(&nx.pemda, appointment("2024-12-02")).await;
        assert_eq!(s, 201, "{v}");
        let (complaint, tracking) = cx.complaint("netralitas_asn").await;

        // Bawaslu (the complaint's agency) opens the case; its clock starts.
        let (s, v) = cx.open(&nx.bawaslu, opening(Some(complaint))).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["stage"], "bawaslu_examination");
        let id = v["id"].as_i64().unwrap();
        let cal = balai_core::calendar::load(&nx.app.db).await.unwrap();
        let today = balai_neutrality::commands::today();
        assert_eq!(
            v["due_on"].as_str().unwrap(),
            cal.add_working_days(today, 5).to_string()
        );
        // One case per complaint.
        let (s, v) = cx.open(&nx.bawaslu, opening(Some(complaint))).await;
        assert_eq!((s, v["code"].as_str()), (409, Some("complaint_has_case")));

        // Before Bawaslu's recommendation the Pemda and BKN see nothing of it.
        for t in [&nx.pemda_admin, &cx.bkn_spv, &nx.kpu_banjar, &nx.palembang] {
            assert_eq!(cx.read(t, id).await.0, 404);
        }
        let (s, list) = nx
            .send(
                "GET",
                &nx.pemda_admin,
                "/api/v1/neutrality-cases",
                Value::Null,
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
        let (s, _) = nx
            .send(
                "GET",
                &nx.kpu_banjar,
                "/api/v1/neutrality-cases",
                Value::Null,
            )
            .await;
        assert_eq!(s, 403);
        // Bawaslu reads the identity and the same official's appointment; the read is audited.
        let reads_before = scalar(
            nx,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'personal_data.read' AND target_kind = 'neutrality_case'",
        )
        .await;
        let (s, v) = cx.read(&cx.bawaslu_spv, id).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            (v["official_name"].as_str(), v["nip"].as_str()),
            (Some(NAME), Some(NIP))
        );
        assert_eq!(v["complaint_id"], complaint);
        assert_eq!(v["appointments"].as_array().unwrap().len(), 1, "{v}");
        assert_eq!(v["may_decide"], true);
        assert!(!v.to_string().contains(&tracking));
        // The staff page links the complaint by its number, never its tracking code.
        let (s, html) = nx
            .page(
                &signed_in(&nx.app, "n.bawaslu.spv").await,
                &format!("/netralitas/kasus/{id}"),
            )
            .await;
        assert_eq!(s, 200);
        assert!(html.contains(&format!("/petugas/aduan/{complaint}")) && html.contains(NIP));
        assert!(!html.contains(&tracking), "tracking code on a staff page");
        let reads_after = scalar(
            nx,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'personal_data.read' AND target_kind = 'neutrality_case'",
        )
        .await;
        // The API read and the page read, one event each.
        assert_eq!(reads_after, reads_before + 2);

        // Duties separated: who opened it does not recommend; a Pemda does not decide Bawaslu's step.
        let recommend = json!({"step": "bawaslu_examination", "decision": "violation",
            "forbidden_act": "social_media_support", "reference": "Rekomendasi Bawaslu 12/2024",
            "note": "Terbukti mengunggah dukungan.", "documents": ["BA klarifikasi 3/2024", "Tangkapan layar"]});
        let (s, v) = cx.step(&nx.bawaslu, id, recommend.clone()).await;
        assert_eq!((s, v["code"].as_str()), (403, Some("own_case")), "{v}");
        assert_eq!(cx.step(&nx.pemda_admin, id, recommend.clone()).await.0, 404);
        // A violation names the act.
        let mut no_act = recommend.clone();
        no_act["forbidden_act"] = Value::Null;
        let (s, v) = cx.step(&cx.bawaslu_spv, id, no_act).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("forbidden_act_required"))
        );
        let (s, v) = cx.step(&cx.bawaslu_spv, id, recommend.clone()).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["stage"], "bkn_examination");

        // Now the Pemda reads the examination; it cannot take BKN's step, nor can a BKN officer.
        let (s, v) = cx.read(&nx.pemda_admin, id).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["steps"][0]["note"], "Terbukti mengunggah dukungan.");
        assert_eq!(v["steps"][0]["documents"].as_array().unwrap().len(), 2);
        assert_eq!(v["may_decide"], false);
        let bkn_step = json!({"step": "bkn_examination", "decision": "violation",
            "sanction": "discipline_medium", "note": "Direkomendasikan hukuman disiplin sedang."});
        assert_eq!(cx.step(&nx.pemda_admin, id, bkn_step.clone()).await.0, 403);
        assert_eq!(cx.step(&nx.bkn, id, bkn_step.clone()).await.0, 403);
        let (s, v) = cx.step(&cx.bkn_spv, id, bkn_step).await;
        assert_eq!((s, v["stage"].as_str()), (201, Some("sanction")), "{v}");

        // The PPK (the region's Pemda) decides; a form for a past step is stale.
        let sanction = json!({"step": "sanction", "decision": "sanction",
            "sanction": "discipline_medium", "reference": "SK Wali Kota 800/12/2024",
            "note": "Penundaan kenaikan pangkat satu tahun."});
        let mut stale = sanction.clone();
        stale["step"] = json!("bkn_examination");
        let (s, v) = cx.step(&nx.pemda_admin, id, stale).await;
        assert_eq!((s, v["code"].as_str()), (409, Some("stale_step")));
        assert_eq!(cx.step(&cx.bawaslu_spv, id, sanction.clone()).await.0, 403);
        let (s, v) = cx.step(&nx.pemda_admin, id, sanction).await;
        assert_eq!((s, v["stage"].as_str()), (201, Some("follow_up")), "{v}");

        // BKN checks the follow-up; the case closes.
        let (s, v) = cx
            .step(&cx.bkn_spv, id, json!({"step": "follow_up", "decision": "complied", "note": "SK telah dilaksanakan."}))
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(
            (v["stage"].as_str(), v["outcome"].as_str()),
            (Some("closed"), Some("sanction_complied"))
        );
        assert!(v["due_on"].is_null());
        assert_eq!(nx.count("neutrality_case_steps").await, 4);
        let (_, v) = cx.read(&nx.pemda_admin, id).await;
        assert_eq!(v["sanction"], "discipline_medium");
        assert_eq!(v["steps"].as_array().unwrap().len(), 4);

        // Every write audited; no audit row carries the official's name, NIP or the tracking code.
        let writes = scalar(nx, "SELECT COUNT(*) FROM audit_events WHERE action IN ('neutrality.case_opened', 'neutrality.case_step_decided')").await;
        assert_eq!(writes, 5);
        for secret in [NAME, NIP, tracking.as_str()] {
            let n = scalar(nx, &format!("SELECT COUNT(*) FROM audit_events WHERE target_kind = 'neutrality_case' AND summary LIKE '%{secret}%'")).await;
            assert_eq!(n, 0, "{secret} in the audit log");
        }
    }
);

both_backends!(
    a_retried_opening_and_decision_are_written_once,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        let send = |token: &str, path: String, key: &'static str, body: Value| {
            nx.http
                .post(nx.app.url(&path))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
        };
        let open = || {
            send(
                &nx.bawaslu,
                "/api/v1/neutrality-cases".into(),
                "kasus-rudi-1",
                opening(None),
            )
        };
        let a: Value = open().await.unwrap().json().await.unwrap();
        let res = open().await.unwrap();
        assert_eq!(res.status().as_u16(), 201);
        let b: Value = res.json().await.unwrap();
        assert_eq!(a["id"], b["id"]);
        assert_eq!(nx.count("neutrality_cases").await, 1);
        let id = a["id"].as_i64().unwrap();
        let decide = || {
            send(
                &cx.bawaslu_spv,
                format!("/api/v1/neutrality-cases/{id}/steps"),
                "kasus-rudi-1-bawaslu",
                json!({"step": "bawaslu_examination", "decision": "no_violation", "note": "Tidak terbukti."}),
            )
        };
        assert_eq!(decide().await.unwrap().status().as_u16(), 201);
        // The retry gets the first answer, not 409 stale_step.
        assert_eq!(decide().await.unwrap().status().as_u16(), 201);
        assert_eq!(nx.count("neutrality_case_steps").await, 1);
        let events = format!("audit_events WHERE target_kind = 'neutrality_case' AND target_id = '{id}' AND action LIKE 'neutrality.%'");
        assert_eq!(nx.count(&events).await, 2);
    }
);

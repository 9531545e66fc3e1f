//! The PPID's and the Atasan PPID's steps through the real API: refusal on an art. 17 ground
//! with its consequence test, partial answer, transfer, clarification, the objection's answer,
//! the dispute and its outcome; scoping (another city's PPID sees nothing, a viewer and an
//! officer are refused what is not theirs) with nothing changed.

use serde_json::json;

use crate::support::worlds::information::*;
use crate::support::TestApp;

const TEST: &str =
    "Membuka rincian gaji per pegawai mengungkap rahasia pribadi; kepentingan publik \
                    terpenuhi oleh rekapitulasi per golongan yang sudah diumumkan.";

both_backends!(
    refusal_objection_answer_dispute_and_outcome,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let atasan = app.token_for("atasan").await;
        let (_, filed) = file(&app, request_json(p.banjar)).await;
        let id = filed["id"].as_i64().unwrap();
        let code = filed["tracking_code"].as_str().unwrap().to_string();
        let secret = filed["secret"].as_str().unwrap().to_string();

        // A refusal names an art. 17 ground and carries the consequence test.
        let (s, err) = act(
            &app,
            &ppid1,
            id,
            json!({"action": "refuse", "consequence_test": TEST}),
        )
        .await;
        assert_eq!((s, err["code"].as_str()), (422, Some("exemption_required")));
        let (s, err) = act(
            &app,
            &ppid1,
            id,
            json!({"action": "refuse", "exemption": "h"}),
        )
        .await;
        assert_eq!((s, err["code"].as_str()), (422, Some("text_required")));
        let (s, done) = act(
            &app,
            &ppid1,
            id,
            json!({"action": "refuse", "exemption": "h", "consequence_test": TEST}),
        )
        .await;
        assert_eq!(
            (s, done["status"].as_str()),
            (200, Some("refused")),
            "{done}"
        );
        let (_, view) = public(&app, id).await;
        assert_eq!(view["exemption"]["code"], "h");
        assert_eq!(
            view["exemption"]["label_id"],
            "Pasal 17 huruf h: rahasia pribadi"
        );
        assert_eq!(view["consequence_test"], TEST);
        assert_eq!(view["answered_on"], json!(today().to_string()));
        assert_eq!(view["late"], false);
        // The requester is told (by e-mail, given).
        let mails = crate::support::http::count(
            &app.db,
            &format!("SELECT COUNT(*) FROM notifications WHERE recipient = '{EMAIL}'"),
        )
        .await;
        assert_eq!(mails, 1);
        // Answered already: no second answer.
        let (s, err) = act(
            &app,
            &ppid1,
            id,
            json!({"action": "answer", "answer": "Terlampir rinciannya."}),
        )
        .await;
        assert_eq!((s, err["code"].as_str()), (409, Some("wrong_state")));

        // The requester objects; only the Atasan PPID answers the objection.
        let (s, _) = requester(
            &app,
            &code,
            &secret,
            json!({"action": "object", "reason": "Gaji pejabat publik bukan rahasia pribadi"}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, err) = requester(&app, &code, &secret, json!({"action": "dispute"})).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("dispute_too_early")));
        let answer = json!({"action": "answer_objection",
            "answer": "Keberatan diterima sebagian: gaji pejabat eselon II diberikan."});
        let (s, _) = act(&app, &ppid1, id, answer.clone()).await;
        assert_eq!(s, 403);
        let (s, done) = act(&app, &atasan, id, answer).await;
        assert_eq!(
            (s, done["status"].as_str()),
            (200, Some("objection_answered"))
        );
        let (_, mine) = track(&app, &code, &secret).await;
        let cal = calendar(&app).await;
        assert_eq!(mine["may_dispute"], true);
        assert_eq!(
            day(&mine["dispute_deadline"]),
            cal.add_working_days(today(), 14)
        );
        // Too late once 14 working days have passed since the objection's answer.
        set_day(
            &app,
            id,
            "objection_answered_on",
            today() - time::Duration::days(40),
        )
        .await;
        let (s, err) = requester(&app, &code, &secret, json!({"action": "dispute"})).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("dispute_too_late")));
        set_day(&app, id, "objection_answered_on", today()).await;
        let (s, done) = requester(
            &app,
            &code,
            &secret,
            json!({"action": "dispute", "reason": "Register sengketa KI Jabar 045/2026"}),
        )
        .await;
        assert_eq!((s, done["status"].as_str()), (200, Some("disputed")));
        let outcome = json!({"action": "record_dispute_outcome",
            "reason": "Putusan KI Jawa Barat: informasi terbuka, diberikan dalam 14 hari"});
        let (s, _) = act(&app, &ppid1, id, outcome.clone()).await;
        assert_eq!(s, 403);
        let (s, done) = act(&app, &atasan, id, outcome).await;
        assert_eq!((s, done["status"].as_str()), (200, Some("dispute_decided")));
        let (s, done) = requester(
            &app,
            &code,
            &secret,
            json!({"action": "rate", "satisfied": true}),
        )
        .await;
        assert_eq!((s, done["status"].as_str()), (200, Some("dispute_decided")));
        let (_, mine) = track(&app, &code, &secret).await;
        assert_eq!(mine["satisfied"], true, "the rating is kept");
        let (s, err) = requester(&app, &code, &secret, json!({"action": "rate"})).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("satisfied_required")));

        let (_, view) = public(&app, id).await;
        let steps: Vec<&str> = view["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            [
                "file",
                "refuse",
                "object",
                "answer_objection",
                "dispute",
                "record_dispute_outcome",
                "rate"
            ]
        );
        assert_eq!(view["dispute"]["filed_on"], json!(today().to_string()));
        for private in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE] {
            assert!(!view.to_string().contains(private), "{private}");
        }
        let audited = crate::support::http::count(
            &app.db,
            &format!("SELECT COUNT(*) FROM audit_events WHERE target_kind = 'info_request' AND target_id = '{id}'"),
        )
        .await;
        assert_eq!(audited, 7);
    }
);

both_backends!(
    partial_answer_transfer_and_clarification,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let plg = app.token_for("plg").await;
        let (_, a) = file(&app, request_json(p.banjar)).await;
        let a_id = a["id"].as_i64().unwrap();
        // A partial answer marks what it withholds, each mark with its reason.
        for (answer, code) in [
            (
                "Rekap per golongan terlampir; sisanya tidak.",
                "redaction_mark_required",
            ),
            (
                "Rekap terlampir; [DIHITAMKAN: nama dan NIP",
                "bad_redaction_mark",
            ),
            (
                "Rekap terlampir; [DIHITAMKAN: ] dan sisanya",
                "bad_redaction_mark",
            ),
        ] {
            let (s, err) = act(
                &app,
                &ppid1,
                a_id,
                json!({"action": "answer_partly", "exemption": "h", "consequence_test": TEST,
                    "answer": answer}),
            )
            .await;
            assert_eq!((s, err["code"].as_str()), (422, Some(code)), "{answer}");
        }
        let (_, view) = public(&app, a_id).await;
        assert_eq!(view["status"], "received");
        assert_eq!(
            view["history"].as_array().unwrap().len(),
            1,
            "nothing stored"
        );
        let (s, done) = act(
            &app,
            &ppid1,
            a_id,
            json!({"action": "answer_partly", "exemption": "17h", "consequence_test": TEST,
                "answer": "Rekap per golongan terlampir; [DIHITAMKAN: nama dan NIP, Pasal 17 huruf h]"}),
        )
        .await;
        assert_eq!(
            (s, done["status"].as_str()),
            (200, Some("answered_partly")),
            "{done}"
        );
        let (_, view) = public(&app, a_id).await;
        assert!(view["answer"].as_str().unwrap().contains("[DIHITAMKAN"));
        assert_eq!(view["exemption"]["code"], "h");
        // The page draws the mark as a marked bar with its reason, in both languages.
        for (lang, word) in [("id", "Dihitamkan"), ("en", "Withheld")] {
            let page = html(
                &app,
                &app.client(),
                &format!("/informasi/permohonan/{a_id}?lang={lang}"),
            )
            .await;
            let mark = format!("{word}: nama dan NIP, Pasal 17 huruf h</mark>");
            assert!(
                page.contains("<mark class=\"withheld badge badge-red\">"),
                "{page}"
            );
            assert!(page.contains(&mark), "{mark}");
            assert!(!page.contains("[DIHITAMKAN"), "the raw mark is not shown");
        }
        let clock =
            balai_core::calendar::get_clock(&app.db, "info_request", &a_id.to_string(), "answer")
                .await
                .unwrap()
                .unwrap();
        assert!(!clock.open);

        // Clarification keeps the request open; a transfer gives it to the PPID that holds it,
        // with a new 10-day clock from today.
        let (_, b) = file(&app, request_json(p.banjar)).await;
        let b_id = b["id"].as_i64().unwrap();
        let (s, done) = act(
            &app,
            &ppid1,
            b_id,
            json!({"action": "clarify", "reason": "Mohon sebutkan tahun anggaran yang dimaksud."}),
        )
        .await;
        assert_eq!((s, done["status"].as_str()), (200, Some("received")));
        let (s, err) = act(
            &app,
            &ppid1,
            b_id,
            json!({"action": "transfer", "to_agency_id": p.dinas}),
        )
        .await;
        assert_eq!(
            (s, err["code"].as_str()),
            (422, Some("bad_transfer_target"))
        );
        let (s, done) = act(
            &app,
            &ppid1,
            b_id,
            json!({"action": "transfer", "to_agency_id": p.palembang,
                "reason": "Dokumen dikuasai Pemerintah Kota Palembang"}),
        )
        .await;
        assert_eq!((s, done["status"].as_str()), (200, Some("received")));
        let (_, view) = public(&app, b_id).await;
        assert_eq!(view["agency"]["name"], "PPID Kota Palembang");
        assert_eq!(
            day(&view["due_day"]),
            calendar(&app).await.add_working_days(today(), 10)
        );
        // Now Palembang's to answer, no longer Banjar's.
        let (s, _) = act(
            &app,
            &ppid1,
            b_id,
            json!({"action": "answer", "answer": "Terlampir dokumennya."}),
        )
        .await;
        assert_eq!(s, 404);
        let (s, _) = act(
            &app,
            &plg,
            b_id,
            json!({"action": "answer", "answer": "Terlampir dokumennya."}),
        )
        .await;
        assert_eq!(s, 200);
    }
);

both_backends!(
    another_citys_ppid_a_viewer_and_a_counter_operator_change_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (_, a) = file(&app, request_json(p.banjar)).await;
        let id = a["id"].as_i64().unwrap();
        let answer = json!({"action": "answer", "answer": "Terlampir dokumennya."});
        let extend = json!({"action": "extend", "reason": "Dokumen masih dihimpun dari bidang"});
        for (user, want) in [
            ("plg", 404),
            ("plgsup", 404),
            ("pemantau", 403),
            ("loket", 403),
        ] {
            let token = app.token_for(user).await;
            for body in [&answer, &extend] {
                let (s, _) = act(&app, &token, id, body.clone()).await;
                assert_eq!(s, want, "{user} {body}");
            }
        }
        let (s, err) = act(
            &app,
            &app.token_for("ppid2").await,
            id,
            json!({"action": "approve"}),
        )
        .await;
        assert_eq!((s, err["code"].as_str()), (422, Some("unknown_action")));
        // No token at all.
        let res = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/information-requests/{id}/actions")))
            .json(&answer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
        let (_, view) = public(&app, id).await;
        assert_eq!(view["status"], "received");
        assert_eq!(view["history"].as_array().unwrap().len(), 1);
        assert_eq!(
            crate::support::http::count(
                &app.db,
                "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'information.%' AND action <> 'information.file'"
            )
            .await,
            0
        );
        // A super-admin may act anywhere.
        let (s, _) = act(&app, &app.token_for("root").await, id, answer).await;
        assert_eq!(s, 200);
    }
);

//! The whole civil-registry workflow on both backends: online application, receipt and its
//! check, verification at the kelurahan, return for correction, the applicant's fix, claim and
//! supervisor release, processing at Disdukcapil, completion; rejection; the assisted channel;
//! staff pages with masking and audited reads.

use crate::support;

use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_events WHERE action = $1"
    )
    .bind(action)
    .fetch_one(c)
    .await)
    .unwrap()
}

both_backends!(
    online_application_through_correction_release_and_completion,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let kel1 = app.token_for("kel1").await;
        let kel2 = app.token_for("kel2").await;
        let kelsup = app.token_for("kelsup").await;
        let dinas1 = app.token_for("dinas1").await;
        let viewer = app.token_for("viewer").await;

        // Apply online without an account.
        let citizen = app.client();
        let (code, secret, receipt) = apply_ktp(&app, &citizen).await;
        assert_eq!(code.len(), 10);
        assert!(!code.contains(['0', 'O', '1', 'I']));
        assert!(receipt.contains("<svg"), "QR code on the receipt");
        let verify = between(&receipt, "<code>", "</code>").unwrap().to_string();
        assert!(
            verify.contains(&format!("/dukcapil/verify/{code}/")),
            "{verify}"
        );
        let path = &verify[verify.find("/dukcapil/").unwrap()..];
        let page = citizen
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("ASLI"), "{page}");
        assert!(!page.contains(NIK_MALE) && !page.contains("Budi"));
        let forged = format!("{}0000", &path[..path.len() - 4]);
        let page = citizen
            .get(app.url(&forged))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("TIDAK SAH"));

        // Stored encrypted, masked, with a keyed hash; a deadline clock and a notification.
        let row = balai_civil_registry::store::by_tracking_code(&app.db, &code)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, "submitted");
        assert_eq!(row.channel, "online");
        assert_eq!(row.nik_masked, "3279**********01");
        assert!(!row.nik_enc.windows(16).any(|w| w == NIK_MALE.as_bytes()));
        let clock =
            balai_core::calendar::get_clock(&app.db, "cr_application", &code, "service_standard")
                .await
                .unwrap()
                .unwrap();
        assert!(clock.open);
        assert_eq!(clock.working_days, 14);
        assert_eq!(clock.due_day, row.due_day);
        assert_eq!(count(&app, "notifications").await, 1);
        let id = row.id;

        // Verification belongs to the kelurahan counter, not Disdukcapil; viewers cannot act.
        assert_eq!(act(&app, &dinas1, id, "take", None).await.0, 403);
        assert_eq!(act(&app, &viewer, id, "take", None).await.0, 403);
        let (s, body) = act(&app, &kel1, id, "take", None).await;
        assert_eq!((s, body["status"].as_str()), (200, Some("verification")));
        // Two officers never hold the same application.
        let (s, body) = act(&app, &kel2, id, "take", None).await;
        assert_eq!((s, body["code"].as_str()), (409, Some("taken_by_other")));
        assert!(body["message"].as_str().unwrap().contains("petugas lain"));
        assert_eq!(act(&app, &kel2, id, "approve", None).await.0, 409);
        let (s, body) = act(&app, &kel2, id, "release", None).await;
        assert_eq!((s, body["code"].as_str()), (403, Some("forbidden")));
        // The supervisor releases it; the other officer takes over.
        assert_eq!(act(&app, &kelsup, id, "release", None).await.0, 200);
        assert_eq!(act(&app, &kel2, id, "take", None).await.0, 200);

        // Return for correction: a reason is required.
        let (s, body) = act(&app, &kel2, id, "request_correction", Some("  ")).await;
        assert_eq!((s, body["code"].as_str()), (422, Some("reason_required")));
        let (s, _) = act(
            &app,
            &kel2,
            id,
            "request_correction",
            Some("Foto KK buram, unggah ulang"),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(status_of(&app, &code).await, "needs_correction");
        let clock =
            balai_core::calendar::get_clock(&app.db, "cr_application", &code, "service_standard")
                .await
                .unwrap()
                .unwrap();
        assert!(!clock.open, "the clock stops while the applicant corrects");

        // The applicant sees the reason on the tracking page (code + secret), not with a wrong secret.
        let csrf = app.csrf(&citizen, "/dukcapil/track").await;
        let res = citizen
            .post(app.url("/dukcapil/track"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", code.as_str()),
                ("secret", "ZZZZZZZZZZ"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let wrong = res.text().await.unwrap();
        assert!(wrong.contains("Kode lacak atau kode rahasia salah"));
        assert!(
            wrong.contains(&format!("value=\"{code}\"")),
            "the code typed is kept"
        );
        let res = track(&app, &citizen, &code.to_lowercase(), &secret).await;
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("Perlu perbaikan"), "{html}");
        assert!(html.contains("Foto KK buram"));
        assert!(html.contains("/dukcapil/track/correct"));
        // The receipt can be printed again (without the secret).
        assert!(html.contains("href=\"/dukcapil/track/receipt\""));
        let res = citizen
            .get(app.url("/dukcapil/track/receipt"))
            .send()
            .await
            .unwrap();
        let again = res.text().await.unwrap();
        assert!(
            again.contains(&grouped(&code)) && again.contains("<svg") && !again.contains(&secret)
        );
        // The applicant (and only with the secret) can download their own upload.
        let doc_id = balai_civil_registry::store::documents(&app.db, id)
            .await
            .unwrap()[0]
            .id
            .to_string();
        let res = citizen
            .post(app.url("/dukcapil/track/document"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", code.as_str()),
                ("secret", secret.as_str()),
                ("doc", doc_id.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());
        let res = citizen
            .post(app.url("/dukcapil/track/document"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", code.as_str()),
                ("secret", "ABCDEFGHJK"),
                ("doc", doc_id.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);

        // The applicant fixes it: a new scan, back to the verification queue.
        let res = post_multipart(
            &app,
            &citizen,
            "/dukcapil/track",
            "/dukcapil/track/correct",
            &[("code", code.clone()), ("secret", secret.clone())],
            &[("doc_kk", "kk-baru.png", "image/png", png())],
        )
        .await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Perbaikan terkirim"));
        assert_eq!(status_of(&app, &code).await, "submitted");
        assert_eq!(count(&app, "cr_documents").await, 2);
        let clock =
            balai_core::calendar::get_clock(&app.db, "cr_application", &code, "service_standard")
                .await
                .unwrap()
                .unwrap();
        assert!(clock.open, "the clock restarts on the corrected file");
        // A second resubmission is not possible.
        let res = post_multipart(
            &app,
            &citizen,
            "/dukcapil/track",
            "/dukcapil/track/correct",
            &[("code", code.clone()), ("secret", secret.clone())],
            &[],
        )
        .await;
        assert_eq!(res.status(), 409);

        // Verification passes; processing is Disdukcapil's.
        assert_eq!(act(&app, &kel1, id, "take", None).await.0, 200);
        assert_eq!(
            act(&app, &kel1, id, "approve", None).await.1["status"],
            "processing"
        );
        assert_eq!(act(&app, &kel1, id, "take", None).await.0, 403);
        let (s, body) = act(&app, &dinas1, id, "mark_ready", None).await;
        assert_eq!((s, body["code"].as_str()), (422, Some("not_taken")));
        assert_eq!(act(&app, &dinas1, id, "take", None).await.0, 200);
        assert_eq!(
            act(&app, &dinas1, id, "mark_ready", None).await.1["status"],
            "ready"
        );
        // Handed over at the kelurahan counter.
        assert_eq!(
            act(&app, &kel1, id, "complete", None).await.1["status"],
            "completed"
        );
        let (s, body) = act(&app, &kel1, id, "complete", None).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (409, Some("transition_not_allowed"))
        );
        let row = balai_civil_registry::store::by_tracking_code(&app.db, &code)
            .await
            .unwrap()
            .unwrap();
        assert!(row.completed_at.is_some());
        assert!(row.assignee_user_id.is_none());
        let clock =
            balai_core::calendar::get_clock(&app.db, "cr_application", &code, "service_standard")
                .await
                .unwrap()
                .unwrap();
        assert!(!clock.open);

        // Every step is in the history and the audit log; the applicant was told each change.
        let history = balai_civil_registry::store::history(&app.db, id)
            .await
            .unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "submit",
                "take",
                "release",
                "take",
                "request_correction",
                "resubmit",
                "take",
                "approve",
                "take",
                "mark_ready",
                "complete"
            ]
        );
        assert_eq!(audit_count(&app, "civil_registry.submit").await, 1);
        assert_eq!(audit_count(&app, "civil_registry.take").await, 4);
        assert_eq!(audit_count(&app, "civil_registry.release").await, 1);
        assert_eq!(audit_count(&app, "civil_registry.resubmit").await, 1);
        assert_eq!(audit_count(&app, "civil_registry.complete").await, 1);
        // submit, needs_correction, verification×2… only status changes notify.
        let notes: i64 = balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM notifications WHERE recipient = 'budi@example.test'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert!(notes >= 6, "{notes}");
        assert!(
            balai_core::audit::verify(&app.db).await.unwrap().is_ok(),
            "audit chain intact"
        );
    }
);

both_backends!(rejection_and_final_states, |backend| async move {
    let app = TestApp::spawn(backend).await;
    banjar(&app).await;
    let kel1 = app.token_for("kel1").await;
    let dinas1 = app.token_for("dinas1").await;
    let (code, _, _) = apply_ktp(&app, &app.client()).await;
    let id = app_id(&app, &code).await;
    assert_eq!(
        act(&app, &kel1, id, "reject", Some("x")).await.0,
        409,
        "a submitted application is not in verification yet"
    );
    act(&app, &kel1, id, "take", None).await;
    let (s, body) = act(&app, &kel1, id, "reject", Some("")).await;
    assert_eq!((s, body["code"].as_str()), (422, Some("reason_required")));
    assert_eq!(
        act(&app, &kel1, id, "reject", Some("Bukan warga kelurahan ini"))
            .await
            .1["status"],
        "rejected"
    );
    for a in ["take", "approve", "mark_ready", "complete", "release"] {
        let (s, _) = act(&app, &kel1, id, a, Some("r")).await;
        assert!(s == 409 || s == 403, "{a}: {s}");
    }
    assert_eq!(act(&app, &dinas1, id, "take", None).await.0, 403);
    // Unknown action and unknown application.
    assert_eq!(act(&app, &kel1, id, "fly", None).await.0, 422);
    assert_eq!(act(&app, &kel1, 999_999, "take", None).await.0, 404);
    // An agency elsewhere cannot even see it.
    let other = app
        .add_agency("disdukcapil", "Disdukcapil Kota Palembang", "16.71")
        .await;
    app.add_user(
        "plg",
        Some(other),
        balai_core::accounts::Role::Supervisor,
        false,
    )
    .await;
    let plg = app.token_for("plg").await;
    assert_eq!(act(&app, &plg, id, "release", None).await.0, 404);
});

both_backends!(
    staff_pages_assisted_channel_and_audited_reads,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        // A counter operator files for a citizen without a phone.
        let loket = app.client();
        let res = app.login(&loket, "loket", "pw-loket-0123456789").await;
        assert!(res.status().is_redirection());
        let mut fields = ktp_fields();
        fields.retain(|(k, _)| *k != "email");
        fields.push(("phone", "081234567890".into()));
        let res = post_multipart(
            &app,
            &loket,
            "/dukcapil/staff/counter/ktp_baru",
            "/dukcapil/staff/counter/ktp_baru",
            &fields,
            &[(
                "doc_kk",
                "kk.jpg",
                "image/jpeg",
                vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
            )],
        )
        .await;
        let html = res.text().await.unwrap();
        let (code, _, _) = receipt_codes(&html);
        let row = balai_civil_registry::store::by_tracking_code(&app.db, &code)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.channel, "counter");
        assert!(row.filed_by_user_id.is_some());
        let sms: i64 = balai_core::with_db!(&app.db, |c| {
            sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM notifications WHERE channel = 'sms' AND recipient = '081234567890'"
    ).fetch_one(c).await
        })
        .unwrap();
        assert_eq!(sms, 1);

        // The kelurahan officer's queue: masked NIK only.
        let kel = app.client();
        app.login(&kel, "kel1", "pw-kel1-0123456789").await;
        let q = kel
            .get(app.url("/dukcapil/staff"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let verify_queue = between(&q, "id=\"queue-verify\"", "</section>").unwrap();
        assert!(verify_queue.contains(&code));
        assert!(q.contains("3279**********01"));
        assert!(!q.contains(NIK_MALE));
        let before = audit_count(&app, "personal_data.read").await;
        // Opening the full record shows the NIK and is audited.
        let detail_path = format!("/dukcapil/staff/applications/{}", row.id);
        let d = kel
            .get(app.url(&detail_path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(d.contains(NIK_MALE) && d.contains(KK));
        assert_eq!(audit_count(&app, "personal_data.read").await, before + 1);
        // Look-up by NIK goes through the keyed hash and is audited.
        let found = kel
            .get(app.url(&format!("/dukcapil/staff?nik={NIK_MALE}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let search = between(&found, "id=\"queue-search\"", "</section>").unwrap();
        assert!(search.contains(&code), "{search}");
        let found = kel
            .get(app.url("/dukcapil/staff?nik=3279015508900002"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!between(&found, "id=\"queue-search\"", "</section>")
            .unwrap()
            .contains(&code));
        assert_eq!(audit_count(&app, "personal_data.search").await, 2);
        // Take through the CSRF form.
        let csrf = support::extract_csrf(&d).unwrap();
        let res = kel
            .post(app.url(&format!("{detail_path}/action")))
            .form(&[("csrf", csrf.as_str()), ("action", "take")])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection());
        assert_eq!(status_of(&app, &code).await, "verification");
        let res = kel
            .post(app.url(&format!("{detail_path}/action")))
            .form(&[("csrf", "forged"), ("action", "approve")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(status_of(&app, &code).await, "verification");
        // Documents are served to staff who see the application, with an audited read.
        let docs = balai_civil_registry::store::documents(&app.db, row.id)
            .await
            .unwrap();
        let res = kel
            .get(app.url(&format!("{detail_path}/documents/{}", docs[0].id)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert_eq!(audit_count(&app, "personal_data.read").await, before + 2);
        // Not to the public, not to an agency elsewhere.
        let res = app
            .client()
            .get(app.url(&format!("{detail_path}/documents/{}", docs[0].id)))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection() || res.status() == 401);
        let other = app
            .add_agency("kelurahan", "Kelurahan Mekarsari", "32.79.01.1002")
            .await;
        app.add_user(
            "mekar",
            Some(other),
            balai_core::accounts::Role::Officer,
            false,
        )
        .await;
        let m = app.client();
        app.login(&m, "mekar", "pw-mekar-0123456789").await;
        assert_eq!(
            m.get(app.url(&detail_path)).send().await.unwrap().status(),
            404
        );
        let q = m
            .get(app.url("/dukcapil/staff"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!q.contains(&code));
        // Public pages render.
        let home = app
            .client()
            .get(app.url("/dukcapil"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Akta Kelahiran") && home.contains("/dukcapil/apply/ktp_baru"));
    }
);

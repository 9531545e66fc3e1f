//! Filing a request (online, at the counter), what the public sees (never the requester), what
//! the requester sees with their credentials, and bad input refused with nothing stored.

use serde_json::json;

use crate::support::worlds::information::*;
use crate::support::TestApp;

both_backends!(
    online_request_gets_a_receipt_and_the_public_never_sees_the_requester,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (s, filed) = file(&app, request_json(p.banjar)).await;
        assert_eq!(s, 201, "{filed}");
        let id = filed["id"].as_i64().unwrap();
        let code = filed["tracking_code"].as_str().unwrap().to_string();
        let secret = filed["secret"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 10);
        assert_eq!(secret.len(), 16);
        let year = today().year();
        assert_eq!(
            filed["registration_number"],
            json!(format!("KIP/{}/{year}/{id:06}", p.banjar))
        );
        // Due on the 10th working day after today, on the stored calendar.
        let due = calendar(&app).await.add_working_days(today(), 10);
        assert_eq!(day(&filed["due_day"]), due);
        // Only a hash of the secret is stored.
        let stored: String = balai_core::with_db!(&app.db, |c| sqlx::query_scalar(
            "SELECT secret_hash FROM info_requests WHERE id = $1"
        )
        .bind(id)
        .fetch_one(c)
        .await)
        .unwrap();
        assert_ne!(stored, secret);
        assert_eq!(
            stored,
            balai_core::secret::secret_hash("info_request", &code, &secret)
        );

        // The public record and the public list: the request and its dates, no requester.
        let (s, view) = public(&app, id).await;
        assert_eq!(s, 200);
        assert_eq!(view["status"], "received");
        assert_eq!(view["agency"]["name"], "PPID Kota Banjar");
        assert_eq!(view["due_day"], filed["due_day"]);
        assert_eq!(view["history"][0]["action"], "file");
        let list = reqwest::get(app.url(&format!(
            "/api/v1/information-requests?agency_id={}",
            p.banjar
        )))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
        assert!(list.contains("Dokumen Pelaksanaan Anggaran"), "{list}");
        for body in [view.to_string(), list] {
            for private in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE, &secret, &code] {
                assert!(!body.contains(private), "{private} leaked: {body}");
            }
        }
        // The audit event does not carry the requester either.
        let summary: String = balai_core::with_db!(&app.db, |c| sqlx::query_scalar(
            "SELECT summary FROM audit_events WHERE action = 'information.file'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        for private in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE] {
            assert!(!summary.contains(private), "{summary}");
        }

        // The requester sees everything with the code and the secret, nothing without it.
        let (s, mine) = track(&app, &code.to_lowercase(), &secret).await;
        assert_eq!(s, 200, "{mine}");
        assert_eq!(mine["requester"]["name"], NAME);
        assert_eq!(mine["requester"]["email"], EMAIL);
        assert_eq!(mine["requester"]["purpose"], PURPOSE);
        assert_eq!(mine["may_object"], false);
        assert_eq!(mine["objection_deadline"], json!(null));
        let (s, body) = track(&app, &code, "AAAAAAAAAAAAAAAA").await;
        assert_eq!(
            (s, body["code"].as_str()),
            (404, Some("tracking_not_found"))
        );
        assert!(!body.to_string().contains(NAME));
    }
);

both_backends!(
    bad_requests_are_refused_clearly_and_store_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let cases = [
            (json!({"agency_id": 999_999}), "unknown_agency"),
            // Another kind of agency is not a PPID.
            (json!({"agency_id": p.dinas}), "unknown_agency"),
            (json!({"information": "   "}), "bad_information"),
            (json!({"name": ""}), "bad_name"),
            (
                json!({"email": null, "phone": null, "address": null}),
                "contact_required",
            ),
            (json!({"purpose": " "}), "bad_purpose"),
            (json!({"email": "bukan-email"}), "bad_email"),
            (json!({"delivery": "post", "address": null}), "bad_delivery"),
            // Only officials may date a request back.
        ];
        for (change, want) in cases {
            let mut body = request_json(p.banjar);
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (s, err) = file(&app, body).await;
            assert_eq!((s, err["code"].as_str()), (422, Some(want)), "{err}");
            assert!(!err["message"].as_str().unwrap().is_empty());
        }
        // English on request.
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/information-requests?lang=en"))
            .json(
                &json!({"agency_id": p.banjar, "name": "A", "email": "a@b.id",
                "information": "", "purpose": "x"}),
            )
            .send()
            .await
            .unwrap();
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            err["message"],
            "Describe the information requested (10–5,000 characters)."
        );
        assert_eq!(count(&app, "info_requests").await, 0);
        assert_eq!(count(&app, "info_request_events").await, 0);
        assert_eq!(
            crate::support::http::count(
                &app.db,
                "SELECT COUNT(*) FROM clocks WHERE subject_kind = 'info_request'"
            )
            .await,
            0
        );
    }
);

both_backends!(
    officials_file_at_the_counter_dated_back_only_for_their_own_ppid,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let loket = app.token_for("loket").await;
        let pemantau = app.token_for("pemantau").await;
        let plg = app.token_for("plg").await;
        let received = today() - time::Duration::days(3);
        let mut body = request_json(p.banjar);
        body["received_on"] = json!(received.to_string());
        body["channel"] = json!("email");
        let (s, filed) = file_as(&app, &loket, body.clone()).await;
        assert_eq!(s, 201, "{filed}");
        let due = calendar(&app).await.add_working_days(received, 10);
        assert_eq!(day(&filed["due_day"]), due);
        let (_, view) = public(&app, filed["id"].as_i64().unwrap()).await;
        assert_eq!(view["received_on"], json!(received.to_string()));
        // A viewer files nothing; another city's PPID cannot file for Banjar.
        let (s, _) = file_as(&app, &pemantau, body.clone()).await;
        assert_eq!(s, 403);
        let (s, _) = file_as(&app, &plg, body.clone()).await;
        assert_eq!(s, 403);
        // Not in the future, not more than 60 days back.
        for bad in [
            today() + time::Duration::days(1),
            today() - time::Duration::days(61),
        ] {
            body["received_on"] = json!(bad.to_string());
            let (s, err) = file_as(&app, &loket, body.clone()).await;
            assert_eq!((s, err["code"].as_str()), (422, Some("bad_received_on")));
        }
        assert_eq!(count(&app, "info_requests").await, 1);
    }
);

both_backends!(
    the_counter_page_files_a_pasted_email_dated_back_as_the_official,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let loket = crate::support::http::signed_in(&app, "loket").await;
        let form = html(&app, &loket, "/informasi/ppid/loket").await;
        assert!(form.contains("PPID Kota Banjar") && !form.contains("PPID Kota Palembang"));
        let csrf = app.csrf(&loket, "/informasi/ppid/loket").await;

        // A forwarded e-mail pasted in fills the form; nothing is stored yet.
        let received = today() - time::Duration::days(3);
        let month: String = received.month().to_string().chars().take(3).collect();
        let pasted = format!(
            "Mohon diregistrasi.\n\n---------- Forwarded message ---------\n\
             From: \"{NAME}\" <{EMAIL}>\nDate: {}, {} {month} {} 09:15:00 +0700\n\
             Subject: Salinan DPA 2025\nTo: <ppid@banjarkota.go.id>\n\n\
             Mohon salinan Dokumen Pelaksanaan Anggaran Dinas Pendidikan 2025.",
            &received.weekday().to_string()[..3],
            received.day(),
            received.year()
        );
        let res = loket
            .post(app.url("/informasi/ppid/loket/email"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("agency_id", &p.banjar.to_string()),
                ("text", &pasted),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let read = res.text().await.unwrap();
        assert!(read.contains(&format!("value=\"{NAME}\"")), "{read}");
        assert!(read.contains(&format!("value=\"{EMAIL}\"")));
        assert!(
            read.contains(&format!("value=\"{received}\"")),
            "{received}"
        );
        assert!(read.contains("Salinan DPA 2025\n\nMohon salinan Dokumen Pelaksanaan"));
        assert_eq!(count(&app, "info_requests").await, 0);

        // Filed without the purpose: the form again, nothing stored; then filed.
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("agency_id", p.banjar.to_string()),
            ("channel", "email".to_string()),
            ("received_on", received.to_string()),
            ("name", NAME.to_string()),
            ("email", EMAIL.to_string()),
            (
                "information",
                "Salinan DPA 2025\n\nDokumen Pelaksanaan Anggaran Dinas Pendidikan".to_string(),
            ),
            ("purpose", String::new()),
        ];
        let res = loket
            .post(app.url("/informasi/ppid/loket"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Tujuan penggunaan informasi wajib diisi"));
        assert_eq!(count(&app, "info_requests").await, 0);
        fields[7].1 = PURPOSE.to_string();
        let res = loket
            .post(app.url("/informasi/ppid/loket"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"], "/informasi/terkirim");
        let receipt = html(&app, &loket, "/informasi/terkirim").await;
        assert!(
            receipt.contains("id=\"kode-rahasia\""),
            "the code to send back"
        );
        let (id, channel, filed_by): (i64, String, Option<i64>) = balai_core::with_db!(
            &app.db,
            |c| sqlx::query_as("SELECT id, channel, filed_by_user_id FROM info_requests")
                .fetch_one(c)
                .await
        )
        .unwrap();
        assert_eq!(channel, "email");
        assert!(filed_by.is_some(), "filed as the official");
        let (_, view) = public(&app, id).await;
        assert_eq!(view["received_on"], json!(received.to_string()));
        let due = calendar(&app).await.add_working_days(received, 10);
        assert_eq!(day(&view["due_day"]), due);

        // A viewer has no intake page; another city's PPID cannot file for Banjar.
        let viewer = crate::support::http::signed_in(&app, "pemantau").await;
        let res = viewer
            .get(app.url("/informasi/ppid/loket"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        let plg = crate::support::http::signed_in(&app, "plg").await;
        let plg_csrf = app.csrf(&plg, "/informasi/ppid/loket").await;
        fields[0].1 = plg_csrf;
        let res = plg
            .post(app.url("/informasi/ppid/loket"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(count(&app, "info_requests").await, 1);
    }
);

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

//! Survey codes: issued by the unit's officials only, single-use, refused when used, unknown
//! or expired without storing anything, and claimed once under concurrent answers.

use serde_json::json;

use crate::support::worlds::performance::*;
use crate::support::TestApp;

const ALL_FOURS: [i64; 9] = [4; 9];

both_backends!(
    issuing_codes_is_for_the_units_own_officials,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let n_codes = "SELECT COUNT(*) FROM perf_survey_codes";
        let n_audit = "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.codes_issued'";
        for who in ["dk.officer", "dk.loket", "dk.spv", "dk.admin"] {
            let t = app.token_for(who).await;
            let (s, body) = issue(&app, &t, u.dukcapil, 2).await;
            assert_eq!(s, 201, "{who}: {body}");
            assert_eq!(body["codes"].as_array().unwrap().len(), 2);
            assert_eq!(body["service"], "KTP-el");
            assert_eq!(body["service_day"], today().to_string());
            assert!(body["urls"][0]
                .as_str()
                .unwrap()
                .ends_with(&format!("/survei/{}", body["codes"][0].as_str().unwrap())));
        }
        assert_eq!(count(&app, n_codes).await, 8);
        assert_eq!(count(&app, n_audit).await, 4);
        // Refused: a viewer, another unit of the region, the same kind of unit elsewhere, bad counts.
        for (who, agency, count_, want) in [
            ("dk.viewer", u.dukcapil, 2, 403),
            ("pemda.officer", u.dukcapil, 2, 403),
            ("plg.officer", u.dukcapil, 2, 403),
            ("dk.officer", u.pemda, 2, 403),
            ("dk.officer", u.dukcapil, 0, 422),
            ("dk.officer", u.dukcapil, 501, 422),
            ("dk.officer", 999_999, 2, 404),
        ] {
            let t = app.token_for(who).await;
            let (s, body) = issue(&app, &t, agency, count_).await;
            assert_eq!(s, want, "{who} → {agency} × {count_}: {body}");
        }
        let res = app
            .client()
            .post(app.url("/api/v1/surveys/codes"))
            .json(&json!({ "agency_id": u.dukcapil, "count": 1 }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(count(&app, n_codes).await, 8);
        assert_eq!(count(&app, n_audit).await, 4);
    }
);

both_backends!(
    a_code_answers_once_and_refusals_store_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let t = app.token_for("dk.officer").await;
        let c = codes(&app, &t, u.dukcapil, 4).await;
        let n = "SELECT COUNT(*) FROM perf_survey_responses";
        let n_used = "SELECT COUNT(*) FROM perf_survey_codes WHERE used = TRUE";

        // Bad answers are refused before the code is touched: it stays usable.
        for bad in [
            json!({ "code": c[0], "answers": [4, 4, 4, 4, 4, 4, 4, 4] }),
            json!({ "code": c[0], "answers": [4, 4, 4, 4, 4, 4, 4, 4, 5] }),
            json!({ "code": c[0], "answers": [0, 4, 4, 4, 4, 4, 4, 4, 4] }),
            json!({ "code": c[0], "answers": ALL_FOURS, "sex": "X" }),
            // No name or NIK is taken: such fields are refused, not ignored.
            json!({ "code": c[0], "answers": ALL_FOURS, "nik": "3279014101900001" }),
            json!({ "code": c[0], "answers": ALL_FOURS, "name": "Siti" }),
            json!({ "code": c[0], "answers": ALL_FOURS, "comment": "x".repeat(2001) }),
        ] {
            let (s, body) = answer_with(&app, bad.clone()).await;
            assert_eq!(s, 422, "{bad}: {body}");
        }
        assert_eq!((count(&app, n).await, count(&app, n_used).await), (0, 0));

        // The first answer is stored with the code's unit, service and day — not the code.
        let (s, body) = answer_with(
            &app,
            json!({ "code": c[0].to_lowercase(), "answers": [4, 3, 2, 4, 3, 4, 4, 1, 3],
            "age_band": "30_39", "sex": "P", "education": "s1", "occupation": "swasta",
            "comment": "Antrean panjang" }),
        )
        .await;
        assert_eq!(s, 201, "{body}");
        assert_eq!(body["agency_id"], u.dukcapil);
        assert_eq!(body["service"], "KTP-el");
        assert_eq!((count(&app, n).await, count(&app, n_used).await), (1, 1));
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM perf_survey_responses WHERE agency_id = {} AND u8 = 1 \
                 AND sex = 'P' AND service = 'KTP-el' AND comment = 'Antrean panjang'",
                    u.dukcapil
                )
            )
            .await,
            1
        );
        // The audit event keeps neither the code nor the sender's address.
        let (codes_in_audit, with_ip) = (
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM audit_events WHERE summary LIKE '%{}%'",
                    c[0]
                ),
            )
            .await,
            count(
                &app,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.survey_answered' \
             AND (ip <> '' OR user_agent <> '')",
            )
            .await,
        );
        assert_eq!((codes_in_audit, with_ip), (0, 0));

        // Used again (in its printed form): 409, nothing stored.
        let printed = format!("{}-{}", &c[0][..5], &c[0][5..]);
        let (s, body) = answer(&app, &printed, &ALL_FOURS).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (409, Some("code_used")),
            "{body}"
        );
        // Unknown: well-formed but never issued, and mistyped (the check character fails).
        let never = balai_performance::domain::codes::SurveyCode::generate(&mut rand::thread_rng());
        let (s, body) = answer(&app, never.as_str(), &ALL_FOURS).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (422, Some("code_unknown")),
            "{body}"
        );
        let mut typo = c[1].clone().into_bytes();
        typo[0] = if typo[0] == b'A' { b'B' } else { b'A' };
        let (s, body) = answer(&app, &String::from_utf8(typo).unwrap(), &ALL_FOURS).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (422, Some("code_unknown")),
            "{body}"
        );
        // Expired: its last day is past.
        balai_core::with_db!(&app.db, |conn| sqlx::query(
            "UPDATE perf_survey_codes SET expires_at = $1 WHERE code = $2"
        )
        .bind(balai_core::db::now() - time::Duration::minutes(1))
        .bind(&c[2])
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();
        let (s, body) = answer(&app, &c[2], &ALL_FOURS).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (422, Some("code_expired")),
            "{body}"
        );
        assert_eq!((count(&app, n).await, count(&app, n_used).await), (1, 1));

        // The still-unused code works, also with an Idempotency-Key, and a retry with the key gets
        // the stored answer instead of a 409.
        let send = || {
            app.client()
                .post(app.url("/api/v1/surveys/responses"))
                .header("Idempotency-Key", "survey-retry-1")
                .json(&json!({ "code": c[3], "answers": ALL_FOURS }))
                .send()
        };
        let first = send().await.unwrap();
        assert_eq!(first.status(), 201);
        let again = send().await.unwrap();
        assert_eq!(again.status(), 201);
        assert_eq!(
            again
                .headers()
                .get("idempotency-replayed")
                .and_then(|v| v.to_str().ok()),
            Some("true")
        );
        assert_eq!((count(&app, n).await, count(&app, n_used).await), (2, 2));
    }
);

both_backends!(
    concurrent_answers_with_one_code_store_one,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let t = app.token_for("dk.officer").await;
        let c = codes(&app, &t, u.dukcapil, 4).await;
        // 4 × 7 losers stay within the address's budget of refused codes (30 a minute).
        for code in &c {
            let mut tasks = Vec::new();
            for k in 0..8i64 {
                let client = app.client();
                let url = app.url("/api/v1/surveys/responses");
                let body = json!({ "code": code, "answers": vec![1 + k % 4; 9] });
                tasks.push(tokio::spawn(async move {
                    client
                        .post(url)
                        .json(&body)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                }));
            }
            let mut statuses = Vec::new();
            for task in tasks {
                statuses.push(task.await.unwrap());
            }
            statuses.sort_unstable();
            assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409], "{code}");
        }
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM perf_survey_responses").await,
            4
        );
        // Two more refusals spend the budget: then even a good code from that address waits.
        let more = codes(&app, &t, u.dukcapil, 1).await;
        for _ in 0..2 {
            assert_eq!(answer(&app, &c[0], &[4; 9]).await.0, 409);
        }
        let (s, body) = answer(&app, &more[0], &[4; 9]).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (429, Some("rate_limited")),
            "{body}"
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM perf_survey_responses").await,
            4
        );
    }
);

//! A unit's own extra survey questions: set by its admin only, answered on the API and the
//! page, stored, reported apart — and never part of the index.

use serde_json::{json, Value};

use crate::support::http::{api, status_json};
use crate::support::worlds::performance::*;
use crate::support::{extract_csrf, TestApp};

const NINE: [i64; 9] = [4, 3, 2, 4, 3, 4, 4, 1, 3];

async fn add(app: &TestApp, token: &str, agency: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/surveys/units/{agency}/questions");
    status_json(api(app, "POST", token, &path, Some(body)).await).await
}

async fn questions(app: &TestApp, agency: i64) -> Value {
    let today = today();
    let res = app
        .client()
        .get(app.url(&format!(
            "/api/v1/surveys/units/{agency}/questions?from={today}&to={today}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

both_backends!(
    extra_questions_are_the_admins_and_outside_the_index,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let admin = app.token_for("dk.admin").await;
        let n_audit =
            "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.question_added'";
        let (s, q1) = add(
            &app,
            &admin,
            u.dukcapil,
            json!({ "text": "Apakah ruang tunggu nyaman?", "text_en": "Is the waiting room comfortable?" }),
        )
        .await;
        assert_eq!(s, 201, "{q1}");
        let (s, q2) = add(
            &app,
            &admin,
            u.dukcapil,
            json!({ "text": "Apakah petugas memakai tanda pengenal?" }),
        )
        .await;
        assert_eq!(s, 201, "{q2}");
        let (q1, q2) = (q1["id"].as_i64().unwrap(), q2["id"].as_i64().unwrap());
        // Only the unit's admin: not its officer or supervisor, not another unit's admin.
        for who in ["dk.officer", "dk.spv", "pemda.admin"] {
            let t = app.token_for(who).await;
            let (s, body) = add(&app, &t, u.dukcapil, json!({ "text": "X?" })).await;
            assert_eq!(s, 403, "{who}: {body}");
        }
        for bad in [
            json!({ "text": "  " }),
            json!({ "text": "a\nb" }),
            json!({ "text": "x".repeat(301) }),
        ] {
            let (s, body) = add(&app, &admin, u.dukcapil, bad.clone()).await;
            assert_eq!(
                (s, body["code"].as_str()),
                (422, Some("bad_question")),
                "{bad}"
            );
        }
        for i in 0..3 {
            let (s, _) = add(
                &app,
                &admin,
                u.dukcapil,
                json!({ "text": format!("Q{i}?") }),
            )
            .await;
            assert_eq!(s, 201);
        }
        let (s, body) = add(&app, &admin, u.dukcapil, json!({ "text": "Keenam?" })).await;
        assert_eq!(
            (s, body["code"].as_str()),
            (422, Some("too_many_questions"))
        );
        assert_eq!(count(&app, n_audit).await, 5);

        // The same nine answers at both units; Disdukcapil's come with extra answers.
        let dk = codes(&app, &app.token_for("dk.officer").await, u.dukcapil, 4).await;
        let pd = codes(&app, &app.token_for("pemda.officer").await, u.pemda, 2).await;
        let with =
            |code: &str, extra: Value| json!({ "code": code, "answers": NINE, "extra": extra });
        // Refused extras store nothing and leave the code unused: another unit's question, a
        // score outside 1–4, the same question twice.
        let other = add(
            &app,
            &app.token_for("pemda.admin").await,
            u.pemda,
            json!({ "text": "Lain?" }),
        )
        .await
        .1["id"]
            .clone();
        for extra in [
            json!([{ "question_id": other, "score": 4 }]),
            json!([{ "question_id": q1, "score": 5 }]),
            json!([{ "question_id": q1, "score": 4 }, { "question_id": q1, "score": 3 }]),
        ] {
            let (s, body) = answer_with(&app, with(&dk[0], extra.clone())).await;
            assert_eq!(
                (s, body["code"].as_str()),
                (422, Some("bad_extra_answer")),
                "{extra}"
            );
        }
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM perf_survey_responses").await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM perf_survey_codes WHERE used = TRUE"
            )
            .await,
            0
        );

        let (s, body) = answer_with(
            &app,
            with(
                &dk[0],
                json!([{ "question_id": q1, "score": 1 }, { "question_id": q2, "score": 2 }]),
            ),
        )
        .await;
        assert_eq!(s, 201, "{body}");
        let (s, _) = answer_with(
            &app,
            with(&dk[1], json!([{ "question_id": q1, "score": 4 }])),
        )
        .await;
        assert_eq!(s, 201);
        for c in &pd {
            assert_eq!(answer(&app, c, &NINE).await.0, 201);
        }
        assert_eq!(answer_with(&app, with(&dk[2], json!([]))).await.0, 201);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM perf_extra_answers").await,
            3
        );

        // The index is the nine elements' alone: Σ NRR = 28, IKM = 28 × 25 / 9 = 700/9 = 77.78,
        // B, at both units, extra answers or not.
        let a = ikm(&app, u.dukcapil, "").await;
        let b = ikm(&app, u.pemda, "").await;
        assert_eq!(a["ikm"], 77.78);
        assert_eq!(a["grade"], "B");
        assert_eq!(
            (a["ikm"].clone(), a["nrr"].clone()),
            (b["ikm"].clone(), b["nrr"].clone())
        );
        assert_eq!(a["responses"], 3);

        // Reported apart: q1 answered 1 and 4 (mean 2.50), q2 once with 2.
        let r = questions(&app, u.dukcapil).await;
        assert_eq!(r["in_index"], false);
        let by_id = |id: i64| {
            r["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(
            (by_id(q1)["answers"].clone(), by_id(q1)["mean"].clone()),
            (json!(2), json!(2.5))
        );
        assert_eq!(
            (by_id(q2)["answers"].clone(), by_id(q2)["mean"].clone()),
            (json!(1), json!(2.0))
        );
        assert_eq!(by_id(q1)["text_en"], "Is the waiting room comfortable?");

        // Retired: no longer asked or accepted, still reported with its answers.
        let path = format!("/api/v1/surveys/units/{}/questions/{q1}", u.dukcapil);
        let officer = app.token_for("dk.officer").await;
        assert_eq!(
            api(&app, "DELETE", &officer, &path, None).await.status(),
            403
        );
        assert_eq!(api(&app, "DELETE", &admin, &path, None).await.status(), 204);
        assert_eq!(api(&app, "DELETE", &admin, &path, None).await.status(), 404);
        let (s, _) = answer_with(
            &app,
            with(&dk[3], json!([{ "question_id": q1, "score": 3 }])),
        )
        .await;
        assert_eq!(s, 422);
        let r = questions(&app, u.dukcapil).await;
        assert_eq!(by_id(q1)["answers"], 2);
        assert!(r["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == q1 && q["active"] == false));
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.question_retired'"
            )
            .await,
            1
        );
    }
);

both_backends!(extra_questions_on_the_pages, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let u = units(&app).await;
    // The admin adds a question from the officials' page (POST, then back to it).
    let admin = app.client();
    app.login(&admin, "dk.admin", &crate::support::http::pw("dk.admin"))
        .await;
    let csrf = app.csrf(&admin, "/kinerja/petugas").await;
    let res = admin
        .post(app.url("/kinerja/petugas/pertanyaan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("agency_id", &u.dukcapil.to_string()),
            ("text", "Apakah ruang tunggu nyaman?"),
            ("text_en", "Is the waiting room comfortable?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let staff = text(&app, &admin, "/kinerja/petugas").await;
    assert!(staff.contains("Apakah ruang tunggu nyaman?"));
    let res = admin
        .post(app.url("/kinerja/petugas/pertanyaan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("agency_id", &u.dukcapil.to_string()),
            ("text", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // An officer sees no question form.
    let officer = app.client();
    app.login(
        &officer,
        "dk.officer",
        &crate::support::http::pw("dk.officer"),
    )
    .await;
    assert!(!text(&app, &officer, "/kinerja/petugas")
        .await
        .contains("/kinerja/petugas/pertanyaan"));

    let c = codes(&app, &app.token_for("dk.officer").await, u.dukcapil, 1).await;
    let browser = app.client();
    let html = text(&app, &browser, &format!("/survei/{}", c[0])).await;
    assert_eq!(html.matches("<fieldset>").count(), 10);
    assert!(
        html.contains("Apakah ruang tunggu nyaman?")
            && html.contains("tidak dihitung dalam indeks")
    );
    let en = text(&app, &browser, &format!("/survei/{}?lang=en", c[0])).await;
    assert!(en.contains("Is the waiting room comfortable?"));
    let qid = count(&app, "SELECT MAX(id) FROM perf_extra_questions").await;
    let mut form: Vec<(String, String)> = vec![("csrf".into(), extract_csrf(&html).unwrap())];
    for i in 1..=9 {
        form.push((format!("u{i}"), "4".into()));
    }
    form.push((format!("x{qid}"), "1".into()));
    let res = browser
        .post(app.url(&format!("/survei/{}", c[0])))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM perf_extra_answers WHERE score = 1"
        )
        .await,
        1
    );
    // The report: the index untouched by the extra answer (all fours: 100,00), the question
    // in its own table.
    // (This browser chose English above; the report is asked for in Indonesian.)
    let report = text(
        &app,
        &browser,
        &format!("/kinerja/unit/{}?lang=id", u.dukcapil),
    )
    .await;
    assert!(
        report.contains("<strong id=\"ikm\">100,00</strong>"),
        "{report}"
    );
    assert!(report.contains("Pertanyaan tambahan unit (di luar IKM)"));
    assert!(report.contains("<td class=\"num\">1,00</td>"));
    let en = text(
        &app,
        &browser,
        &format!("/kinerja/unit/{}?lang=en", u.dukcapil),
    )
    .await;
    assert!(
        en.contains("The unit&#39;s extra questions (outside the IKM)")
            && en.contains("Is the waiting room comfortable?")
    );
});

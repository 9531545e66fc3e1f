//! The survey pages without JavaScript: a code's form, the answer, refusals, both languages;
//! officials' cards; the public report.

use crate::support::worlds::performance::*;
use crate::support::{extract_csrf, TestApp};

both_backends!(answering_on_the_page, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let u = units(&app).await;
    let t = app.token_for("dk.loket").await;
    let c = codes(&app, &t, u.dukcapil, 2).await;
    let browser = app.client();
    let html = text(&app, &browser, &format!("/survei/{}", c[0])).await;
    assert!(html.contains("Disdukcapil Kota Banjar"));
    assert_eq!(html.matches("<fieldset>").count(), 9);
    assert_eq!(html.matches("type=\"radio\"").count(), 36);
    assert!(html.contains("Sangat sopan dan ramah"));
    assert!(!html.contains("<script"));
    let csrf = extract_csrf(&html).unwrap();

    // Eight answers only: the form again (422) with the message, the choices kept, nothing stored.
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    for i in 1..=8 {
        form.push((format!("u{i}"), "3".into()));
    }
    let res = browser
        .post(app.url(&format!("/survei/{}", c[0])))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let again = res.text().await.unwrap();
    assert!(again.contains("Jawab kesembilan pertanyaan"));
    assert_eq!(again.matches(" checked").count(), 8);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM perf_survey_responses").await,
        0
    );

    form.push(("u9".into(), "2".into()));
    form.push(("sex".into(), "L".into()));
    let res = browser
        .post(app.url(&format!("/survei/{}", c[0])))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/survei/terima-kasih?unit={}", u.dukcapil));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM perf_survey_responses WHERE u9 = 2 AND sex = 'L'"
        )
        .await,
        1
    );
    let thanks = text(&app, &browser, &to).await;
    assert!(thanks.contains("Terima kasih"));

    // The used code: refused with 409, in Indonesian and in English.
    let res = browser
        .get(app.url(&format!("/survei/{}", c[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("sudah dipakai"));
    let res = browser
        .get(app.url(&format!("/survei/{}?lang=en", c[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let en = res.text().await.unwrap();
    assert!(en.contains("has been used") && en.contains("lang=\"en\""));
    // Posting the used code again stores nothing.
    let res = browser
        .post(app.url(&format!("/survei/{}", c[0])))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM perf_survey_responses").await,
        1
    );

    // The English form, reached by typing the code on the entry page.
    let res = browser
        .get(app.url(&format!(
            "/survei/buka?code={}&lang=en",
            c[1].to_lowercase()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let en = text(&app, &browser, &format!("/survei/{}?lang=en", c[1])).await;
    assert!(en.contains("Very polite and friendly") && en.contains("Send my answers"));
    let res = browser
        .get(app.url("/survei/buka?code=XXXX"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // The public report shows the index; the CSV has the same numbers.
    let report = text(
        &app,
        &browser,
        &format!("/kinerja/unit/{}?lang=id", u.dukcapil),
    )
    .await;
    // Eight elements at 3, one at 2: Σ NRR = 26, IKM = 26 × 25 / 9 = 72.22, C.
    assert!(
        report.contains("<strong id=\"ikm\">72,22</strong>"),
        "{report}"
    );
    assert!(report.contains("C — Kurang Baik"));
    let csv = text(
        &app,
        &browser,
        &format!("/kinerja/unit/{}/ikm.csv", u.dukcapil),
    )
    .await;
    assert!(csv.contains("U9,Sarana dan prasarana,2.00,1/9"), "{csv}");
    assert!(csv.contains("IKM,Disdukcapil Kota Banjar,72.22,C"), "{csv}");
});

both_backends!(cards_are_for_the_units_officials, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let u = units(&app).await;
    let own = app.client();
    app.login(&own, "dk.loket", &crate::support::http::pw("dk.loket"))
        .await;
    let csrf = app.csrf(&own, "/kinerja/petugas").await;
    let res = own
        .post(app.url("/kinerja/petugas/kode"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("agency_id", &u.dukcapil.to_string()),
            ("service", "Akta Kelahiran"),
            ("count", "3"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let cards = res.headers()["location"].to_str().unwrap().to_string();
    let html = text(&app, &own, &cards).await;
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(html.contains("Akta Kelahiran"));
    // Another unit's official and a visitor do not get them.
    let other = app.client();
    app.login(
        &other,
        "pemda.officer",
        &crate::support::http::pw("pemda.officer"),
    )
    .await;
    assert_eq!(
        other.get(app.url(&cards)).send().await.unwrap().status(),
        404
    );
    let res = app.client().get(app.url(&cards)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM perf_survey_codes WHERE service = 'Akta Kelahiran'"
        )
        .await,
        3
    );
});

//! Survey codes on the receipts Balai already shows: one per receipt, bound to the unit, the
//! service and the day it is first shown, the same on every later showing, answerable once.

use serde_json::json;

use crate::support::TestApp;

/// The survey code on a page, as printed (`ABCDE-FGHJK`), and its link.
fn survey_on(html: &str) -> Option<(String, String)> {
    let i = html.find("id=\"survei\"")?;
    let rest = &html[i..];
    let code = rest
        .split("<strong class=\"code nowrap\">")
        .nth(1)?
        .split('<')
        .next()?;
    let link = rest.split("<a href=\"/survei/").nth(1)?.split('"').next()?;
    Some((code.to_string(), link.to_string()))
}

async fn code_row(app: &TestApp, code: &str) -> (i64, String, String, bool) {
    balai_core::with_db!(&app.db, |c| sqlx::query_as::<_, (i64, String, String, bool)>(
        "SELECT agency_id, service, CAST(service_day AS TEXT), used FROM perf_survey_codes WHERE code = $1"
    )
    .bind(code)
    .fetch_one(c)
    .await)
    .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    crate::support::http::count(&app.db, sql).await
}

fn wib_today() -> String {
    balai_core::db::now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap())
        .date()
        .to_string()
}

both_backends!(
    a_complaint_receipt_carries_one_survey_code,
    |backend| async move {
        let w = crate::support::worlds::complaints::World::new(backend).await;
        let (id, code, secret) = w.file_banjar_with_secret(json!({})).await;
        // Routed to the unit that answers it.
        crate::support::exec(
            &w.app.db,
            &format!(
                "UPDATE complaints SET agency_id = {} WHERE id = {id}",
                w.pemda_banjar
            ),
        )
        .await;
        // Shown four times at once: one code for all of them.
        let form = [("kode", code.as_str()), ("rahasia", secret.as_str())];
        let shown = tokio::join!(
            w.reporter_form("/aduan/lacak", &form),
            w.reporter_form("/aduan/lacak", &form),
            w.reporter_form("/aduan/lacak", &form),
            w.reporter_form("/aduan/lacak", &form),
        );
        let links: Vec<_> = [shown.0, shown.1, shown.2, shown.3]
            .iter()
            .map(|(_, html)| survey_on(html).map(|s| s.1))
            .collect();
        assert!(
            links.iter().all(|l| l.is_some() && *l == links[0]),
            "{links:?}"
        );
        let (s, first) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert_eq!(s, 200);
        let (shown, link) = survey_on(&first).expect("a survey code on the reporter's page");
        assert_eq!(shown.replace('-', ""), link);
        assert!(first.contains("Survei kepuasan"));
        // Reloaded: the same code, no second one.
        let (_, again) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert_eq!(survey_on(&again).map(|s| s.1), Some(link.clone()));
        assert_eq!(
            count(&w.app, "SELECT COUNT(*) FROM perf_survey_codes").await,
            1
        );
        assert_eq!(
            count(&w.app, "SELECT COUNT(*) FROM perf_receipt_codes").await,
            1
        );
        let (agency, service, day, used) = code_row(&w.app, &link).await;
        assert_eq!(
            (agency, service.as_str(), day.as_str(), used),
            (w.pemda_banjar, "Pengaduan", wib_today().as_str(), false)
        );
        // The audit row names neither the code nor the complaint.
        assert_eq!(
        count(&w.app, &format!("SELECT COUNT(*) FROM audit_events WHERE action = 'performance.receipt_code_issued' AND summary NOT LIKE '%{link}%' AND summary NOT LIKE '%{code}%'")).await,
        1
    );
        // The public page (tracking code only) shows no code: one answer per visit, the reporter's.
        let public = w
            .app
            .client()
            .get(w.app.url(&format!("/aduan/lihat/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(survey_on(&public).is_none());
        // Answered once, then the receipt says so.
        let res = w
            .app
            .client()
            .post(w.app.url("/api/v1/surveys/responses"))
            .json(&json!({ "code": link, "answers": [4, 4, 4, 4, 4, 4, 4, 4, 4] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let (_, after) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert!(
            after.contains("survei untuk layanan ini sudah diisi"),
            "{after}"
        );
    }
);

both_backends!(
    an_unrouted_complaint_has_no_code_yet,
    |backend| async move {
        let w = crate::support::worlds::complaints::World::new(backend).await;
        let (id, code, secret) = w.file_banjar_with_secret(json!({})).await;
        crate::support::exec(
            &w.app.db,
            &format!("UPDATE complaints SET agency_id = NULL WHERE id = {id}"),
        )
        .await;
        let (_, page) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert!(survey_on(&page).is_none());
        assert_eq!(
            count(&w.app, "SELECT COUNT(*) FROM perf_survey_codes").await,
            0
        );
    }
);

both_backends!(
    a_document_receipt_carries_one_survey_code,
    |backend| async move {
        use crate::support::worlds::civil_registry::*;
        let app = TestApp::spawn(backend).await;
        let b = banjar(&app).await;
        let citizen = app.client();
        let (_, _, receipt) = apply_ktp(&app, &citizen).await;
        let (_, link) = survey_on(&receipt).expect("a survey code on the receipt");
        let (agency, service, day, _) = code_row(&app, &link).await;
        assert_eq!(agency, b.dinas);
        assert!(!service.is_empty());
        assert_eq!(day, wib_today());
        // The reprint shows the same code.
        let reprint = citizen
            .get(app.url("/dukcapil/track/receipt"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if let Some((_, again)) = survey_on(&reprint) {
            assert_eq!(again, link);
        }
        let codes = "SELECT COUNT(*) FROM perf_survey_codes";
        assert_eq!(crate::support::http::count(&app.db, codes).await, 1);
        // The receipt links to the survey page of that code.
        assert!(receipt.contains(&format!("href=\"/survei/{link}\"")));
    }
);

both_backends!(
    an_information_receipt_carries_one_survey_code,
    |backend| async move {
        use crate::support::worlds::information::*;
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (s, filed) = file(&app, request_json(p.banjar)).await;
        assert_eq!(s, 201, "{filed}");
        let (code, secret) = (
            filed["tracking_code"].as_str().unwrap().to_string(),
            filed["secret"].as_str().unwrap().to_string(),
        );
        let citizen = app.client();
        let mut links = Vec::new();
        for lang in ["id", "en"] {
            let csrf = app
                .csrf(&citizen, &format!("/informasi/lacak?lang={lang}"))
                .await;
            let res = citizen
                .post(app.url(&format!("/informasi/lacak?lang={lang}")))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("kode", code.as_str()),
                    ("rahasia", secret.as_str()),
                ])
                .send()
                .await
                .unwrap();
            // POST, redirect, GET: the requester's page opens with the kept cookie.
            assert_eq!(res.status(), 303);
            let to = res.headers()["location"].to_str().unwrap().to_string();
            let res = citizen.get(app.url(&to)).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let html = res.text().await.unwrap();
            links.push(
                survey_on(&html)
                    .expect("a survey code on the requester's page")
                    .1,
            );
            if lang == "en" {
                assert!(html.contains("Answer the satisfaction survey"));
            }
        }
        assert_eq!(links[0], links[1]);
        let (agency, service, _, _) = code_row(&app, &links[0]).await;
        assert_eq!(
            (agency, service.as_str()),
            (p.banjar, "Permohonan informasi publik")
        );
        // The survey page opens with it.
        let res = app
            .client()
            .get(app.url(&format!("/survei/{}", links[0])))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
);

//! Open statistics on known data: counts, exact shares, channels, median processing time and
//! completion within the standard; the monthly report page and its CSV.

use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;

both_backends!(statistics_on_known_data, |backend| async move {
    let app = TestApp::spawn(backend).await;
    banjar(&app).await;
    let kel1 = app.token_for("kel1").await;
    let dinas1 = app.token_for("dinas1").await;
    let c = app.client();
    // Two KTP-el online (two people: one NIK has one open application), one completed.
    let (a, _, _) = apply_ktp(&app, &c).await;
    let mut other = ktp_fields();
    other.retain(|(k, _)| *k != "nik");
    other.push(("nik", "3279011508900003".into()));
    let res = post_ktp(&app, &c, &other).await;
    assert_eq!(res.status(), 200);
    let id = app_id(&app, &a).await;
    for (t, step) in [
        (&kel1, "take"),
        (&kel1, "approve"),
        (&dinas1, "take"),
        (&dinas1, "mark_ready"),
        (&dinas1, "complete"),
    ] {
        assert_eq!(act(&app, t, id, step, None).await.0, 200, "{step}");
    }
    // One new KK at the counter.
    let loket = app.client();
    app.login(&loket, "loket", "pw-loket-0123456789").await;
    let res = post_multipart(
        &app,
        &loket,
        "/dukcapil/staff/counter/kk_baru",
        "/dukcapil/staff/counter/kk_baru",
        &ktp_fields(),
        &[
            ("doc_buku_nikah", "n.pdf", "application/pdf", pdf()),
            ("doc_kk_asal", "k.pdf", "application/pdf", pdf()),
        ],
    )
    .await;
    assert_eq!(res.status(), 200);

    // Periods are counted in the region's local days (Kota Banjar: WIB).
    let today = balai_civil_registry::domain::service::local_date(balai_core::db::now(), "WIB");
    let url = format!("/api/v1/civil-registry/stats?region=32.79&from={today}&to={today}");
    let s: serde_json::Value = c
        .get(app.url(&url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["total_received"], 3);
    assert_eq!(s["channels"]["online"], 2);
    assert_eq!(s["channels"]["counter"], 1);
    assert_eq!(s["channels"]["online_share_percent"], 66.67);
    assert_eq!(s["channels"]["counter_share_percent"], 33.33);
    let svc = |code: &str| {
        s["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == code)
            .unwrap()
            .clone()
    };
    let ktp = svc("ktp_baru");
    assert_eq!(ktp["received"], 2);
    assert_eq!(ktp["share_percent"], 66.67);
    assert_eq!(ktp["completed"], 1);
    assert_eq!(
        ktp["median_processing_working_days"], 0.0,
        "completed the same day"
    );
    assert_eq!(ktp["completed_within_standard_percent"], 100.0);
    let kk = svc("kk_baru");
    assert_eq!(
        (kk["received"].clone(), kk["share_percent"].clone()),
        (1.into(), 33.33.into())
    );
    assert_eq!(
        (kk["counter"].clone(), kk["online"].clone()),
        (1.into(), 0.into())
    );
    assert!(kk["median_processing_working_days"].is_null());
    assert_eq!(svc("akta_kematian")["received"], 0);
    assert_eq!(s["services"].as_array().unwrap().len(), 9);
    // No personal data in open statistics.
    let text = s.to_string();
    assert!(!text.contains(NIK_MALE) && !text.contains("Budi") && !text.contains(&a));

    // Another region, another period: nothing.
    let s: serde_json::Value = c
        .get(app.url(&format!(
            "/api/v1/civil-registry/stats?region=16.71&from={today}&to={today}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["total_received"], 0);
    assert_eq!(s["services"][0]["share_percent"], 0.0);
    let res = c
        .get(app.url("/api/v1/civil-registry/stats?region=32.7&from=2026-01-01&to=2026-01-31"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = c
        .get(app.url("/api/v1/civil-registry/stats?region=32.79&from=2026-02-01&to=2026-01-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // The monthly report page: chart and table; and CSV.
    let month = format!("{}-{:02}", today.year(), u8::from(today.month()));
    let html = c
        .get(app.url(&format!("/dukcapil/report?region=32.79&month={month}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<svg") && html.contains("id=\"report\""));
    assert!(html.contains("66.67") && html.contains("33.33"));
    let res = c
        .get(app.url(&format!("/dukcapil/report.csv?region=32.79&month={month}")))
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("region,from,to,service"));
    assert!(
        csv.lines()
            .any(|l| l.contains(",ktp_baru,") && l.contains(",2,66.67,2,0,1,")),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 10);
    // The endpoints are in the OpenAPI document.
    let doc = c
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for p in [
        "/api/v1/civil-registry/stats",
        "/api/v1/civil-registry/services",
        "/api/v1/civil-registry/applications/{id}/actions",
    ] {
        assert!(doc.contains(p), "{p}");
    }
    // The service list over the API.
    let list: serde_json::Value = c
        .get(app.url("/api/v1/civil-registry/services"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[3]["code"], "ktp_baru");
    assert_eq!(list[3]["fee_rupiah"], 0);
});

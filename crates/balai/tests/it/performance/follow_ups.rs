//! The follow-up plan: recorded and updated by the unit's admin or supervisor only, audited,
//! refused when malformed, and shown publicly on the unit's report page.

use serde_json::json;

use crate::support::http::{api, status_json};
use crate::support::worlds::performance::*;
use crate::support::TestApp;

both_backends!(
    follow_up_plan_recorded_tracked_and_public,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let path = format!("/api/v1/performance/units/{}/follow-ups", u.dukcapil);
        let n_audit =
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'performance.follow_up%'";
        let action = json!({ "from": "2026-01-01", "to": "2026-06-30", "element": 8,
        "plan": "Sediakan kotak pengaduan dan balas setiap pengaduan dalam 5 hari kerja",
        "owner": "Kepala Seksi Pelayanan", "due_on": "2026-09-30" });
        // Not for officers, viewers or another unit's officials; nothing is stored.
        for who in ["dk.officer", "dk.viewer", "pemda.admin", "plg.officer"] {
            let t = app.token_for(who).await;
            let res = api(&app, "POST", &t, &path, Some(action.clone())).await;
            assert_eq!(res.status(), 403, "{who}");
        }
        let spv = app.token_for("dk.spv").await;
        for (bad, code) in [
            (json!({ "element": 0 }), "bad_follow_up"),
            (json!({ "element": 10 }), "bad_follow_up"),
            (json!({ "plan": " " }), "bad_follow_up"),
            (json!({ "owner": "" }), "bad_follow_up"),
            (json!({ "status": "finished" }), "bad_follow_up"),
            // A due day sent must be a date: blank is not "none" in the API.
            (json!({ "due_on": "" }), "bad_follow_up"),
            (json!({ "due_on": "2026-02-30" }), "bad_follow_up"),
            (json!({ "from": "2026-07-01" }), "bad_period"),
        ] {
            let mut body = action.clone();
            for (k, v) in bad.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (s, out) = status_json(api(&app, "POST", &spv, &path, Some(body)).await).await;
            assert_eq!(
                (s, out["code"].as_str().unwrap_or("")),
                (422, code),
                "{bad}"
            );
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM perf_follow_ups").await, 0);
        assert_eq!(count(&app, n_audit).await, 0);

        let (s, made) =
            status_json(api(&app, "POST", &spv, &path, Some(action.clone())).await).await;
        assert_eq!(s, 201, "{made}");
        assert_eq!(
            (made["status"].as_str(), made["element"].as_i64()),
            (Some("planned"), Some(8))
        );
        let id = made["id"].as_i64().unwrap();
        // The admin updates it: in progress, with a note.
        let admin = app.token_for("dk.admin").await;
        let upd = json!({ "plan": action["plan"], "owner": "Kepala Seksi Pelayanan",
        "due_on": "2026-10-31", "status": "in_progress", "progress": "Kotak terpasang di loket 1" });
        let res = api(
            &app,
            "PUT",
            &admin,
            &format!("{path}/{id}"),
            Some(upd.clone()),
        )
        .await;
        assert_eq!(res.status(), 200);
        let other = format!("/api/v1/performance/units/{}/follow-ups/{id}", u.pemda);
        let pemda = app.token_for("pemda.admin").await;
        assert_eq!(
            api(&app, "PUT", &pemda, &other, Some(upd.clone()))
                .await
                .status(),
            404
        );
        assert_eq!(
            api(&app, "PUT", &admin, &format!("{path}/999999"), Some(upd))
                .await
                .status(),
            404
        );
        assert_eq!(count(&app, n_audit).await, 2);

        // Public: the API (periods overlapping the asked one) and the report page.
        let list = |q: &'static str| {
            let app = &app;
            let path = path.clone();
            async move {
                let res = app
                    .client()
                    .get(app.url(&format!("{path}?{q}")))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                res.json::<serde_json::Value>().await.unwrap()
            }
        };
        let got = list("from=2026-06-01&to=2026-12-31").await;
        let f = &got["follow_ups"][0];
        assert_eq!(
            (f["status"].as_str(), f["due_on"].as_str()),
            (Some("in_progress"), Some("2026-10-31"))
        );
        assert_eq!(f["progress"], "Kotak terpasang di loket 1");
        assert_eq!(
            list("from=2026-07-01&to=2026-12-31").await["follow_ups"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        let page = text(
            &app,
            &app.client(),
            &format!("/kinerja/unit/{}?from=2026-01-01&to=2026-06-30", u.dukcapil),
        )
        .await;
        assert!(page.contains("Sediakan kotak pengaduan"));
        assert!(page.contains("Sedang berjalan") && page.contains("31 Oktober 2026"));
        assert!(page.contains("Kepala Seksi Pelayanan"));
        // A visitor sees no form.
        assert!(!page.contains("/tindak-lanjut/"));
        let en = text(
            &app,
            &app.client(),
            &format!(
                "/kinerja/unit/{}?from=2026-01-01&to=2026-06-30&lang=en",
                u.dukcapil
            ),
        )
        .await;
        assert!(
            en.contains("Follow-up plan")
                && en.contains("In progress")
                && en.contains("31 October 2026")
        );
    }
);

both_backends!(follow_up_from_the_report_page, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let u = units(&app).await;
    let spv = app.client();
    app.login(&spv, "dk.spv", &crate::support::http::pw("dk.spv"))
        .await;
    let report = format!("/kinerja/unit/{}?from=2026-01-01&to=2026-06-30", u.dukcapil);
    let csrf = app.csrf(&spv, &report).await;
    let res = spv
        .post(app.url(&format!("/kinerja/unit/{}/tindak-lanjut", u.dukcapil)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("from", "2026-01-01"),
            ("to", "2026-06-30"),
            ("element", "3"),
            ("plan", "Tambah satu loket pada jam sibuk"),
            ("owner", "Sekretaris"),
            ("due_on", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("{report}#tindak-lanjut")
    );
    let id = count(&app, "SELECT MAX(id) FROM perf_follow_ups").await;
    let res = spv
        .post(app.url(&format!("/kinerja/unit/{}/tindak-lanjut/{id}", u.dukcapil)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("from", "2026-01-01"),
            ("to", "2026-06-30"),
            ("plan", "Tambah satu loket pada jam sibuk"),
            ("owner", "Sekretaris"),
            ("status", "done"),
            ("progress", "Loket 4 dibuka sejak Mei"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = text(&app, &spv, &report).await;
    assert!(page.contains("Loket 4 dibuka sejak Mei") && page.contains("Selesai"));
    assert!(page.contains(&format!("/tindak-lanjut/{id}")));
    // A counter operator of the unit cannot.
    let loket = app.client();
    app.login(&loket, "dk.loket", &crate::support::http::pw("dk.loket"))
        .await;
    let csrf = app.csrf(&loket, &report).await;
    let res = loket
        .post(app.url(&format!("/kinerja/unit/{}/tindak-lanjut", u.dukcapil)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("from", "2026-01-01"),
            ("to", "2026-06-30"),
            ("element", "3"),
            ("plan", "x"),
            ("owner", "y"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM perf_follow_ups").await, 1);
});

//! Intake details: which services a Disdukcapil offers, the online form coming back with the
//! citizen's values on bad input, the JSON submission endpoint for field apps (idempotent), and
//! statistics counted in the region's local days.

use crate::support;

use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;
use balai_core::accounts::Role;
use serde_json::{json, Value};

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_events WHERE action = $1"
    )
    .bind(action)
    .fetch_one(c)
    .await)
    .unwrap()
}

async fn post_json(app: &TestApp, body: &Value, key: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(app.url("/api/v1/civil-registry/applications"))
        .json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Save the offerings form of an agency with exactly `on` ticked.
async fn save_offerings(
    app: &TestApp,
    c: &reqwest::Client,
    agency: i64,
    on: &[&str],
) -> reqwest::Response {
    let csrf = app.csrf(c, "/dukcapil").await;
    let mut form = vec![("csrf".to_string(), csrf)];
    for code in on {
        form.push((format!("svc_{code}"), "1".to_string()));
    }
    c.post(app.url(&format!("/dukcapil/admin/offerings/{agency}")))
        .form(&form)
        .send()
        .await
        .unwrap()
}

const ALL: [&str; 9] = [
    "kk_baru",
    "kk_perubahan",
    "kk_penggantian",
    "ktp_baru",
    "ktp_penggantian",
    "pindah",
    "datang",
    "akta_kelahiran",
    "akta_kematian",
];

both_backends!(disdukcapil_offerings, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let b = banjar(&app).await;
    app.add_user("dinasadmin", Some(b.dinas), Role::Admin, false)
        .await;
    app.add_user("keladmin", Some(b.kelurahan), Role::Admin, false)
        .await;
    let other = app
        .add_agency("disdukcapil", "Disdukcapil Kota Tasikmalaya", "32.78")
        .await;
    app.add_user("tasikadmin", Some(other), Role::Admin, false)
        .await;

    // Default: no rows, every active service offered (online and listed for the kelurahan).
    let c = app.client();
    let home = c
        .get(app.url(&format!("/dukcapil?kelurahan={KELURAHAN}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Disdukcapil Kota Banjar"), "{home}");
    assert!(home.contains("/dukcapil/apply/ktp_baru?kelurahan=32.79.01.1001"));

    // A kelurahan admin and another Disdukcapil's admin may not manage Banjar's offerings.
    let kel = app.client();
    app.login(&kel, "keladmin", "pw-keladmin-0123456789").await;
    let res = kel
        .get(app.url("/dukcapil/admin/offerings"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let tasik = app.client();
    app.login(&tasik, "tasikadmin", "pw-tasikadmin-0123456789")
        .await;
    let page = tasik
        .get(app.url("/dukcapil/admin/offerings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Tasikmalaya") && !page.contains("Kota Banjar"));
    let res = save_offerings(&app, &tasik, b.dinas, &[]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        audit_count(&app, "civil_registry.offerings_update").await,
        0
    );

    // Banjar's admin withdraws the new KTP-el.
    let admin = app.client();
    app.login(&admin, "dinasadmin", "pw-dinasadmin-0123456789")
        .await;
    let page = admin
        .get(app.url("/dukcapil/admin/offerings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"svc_ktp_baru\" value=\"1\" checked"));
    let on: Vec<&str> = ALL.iter().copied().filter(|c| *c != "ktp_baru").collect();
    let res = save_offerings(&app, &admin, b.dinas, &on).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        audit_count(&app, "civil_registry.offerings_update").await,
        1
    );
    let page = admin
        .get(app.url("/dukcapil/admin/offerings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"svc_ktp_baru\" value=\"1\">"));
    assert!(page.contains("name=\"svc_pindah\" value=\"1\" checked"));

    // The kelurahan's list no longer offers it.
    let home = c
        .get(app.url(&format!("/dukcapil?kelurahan={KELURAHAN}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("/dukcapil/apply/ktp_baru"));
    assert!(home.contains("/dukcapil/apply/ktp_penggantian"));

    // Field apps see the same list; the form opened for the kelurahan says so at once.
    let list: Value = reqwest::get(app.url(&format!(
        "/api/v1/civil-registry/services?kelurahan={KELURAHAN}"
    )))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 8);
    assert!(!codes.contains(&"ktp_baru") && codes.contains(&"pindah"));
    let all: Value = reqwest::get(app.url("/api/v1/civil-registry/services"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 9);
    let res = reqwest::get(app.url("/api/v1/civil-registry/services?kelurahan=32.79"))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let form = c
        .get(app.url(&format!("/dukcapil/apply/ktp_baru?kelurahan={KELURAHAN}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("id=\"form-error\"") && form.contains("tidak dibuka"));
    let form = c
        .get(app.url(&format!("/dukcapil/apply/pindah?kelurahan={KELURAHAN}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!form.contains("form-error") && form.contains(&format!("value=\"{KELURAHAN}\"")));

    // Online, at the counter and through the API: refused, nothing stored.
    let res = post_multipart(
        &app,
        &c,
        "/dukcapil/apply/ktp_baru",
        "/dukcapil/apply/ktp_baru",
        &ktp_fields(),
        &[("doc_kk", "kk.pdf", "application/pdf", pdf())],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("tidak dibuka oleh Disdukcapil Kota Banjar"),
        "{html}"
    );
    let loket = app.client();
    app.login(&loket, "loket", "pw-loket-0123456789").await;
    let res = post_multipart(
        &app,
        &loket,
        "/dukcapil/staff/counter/ktp_baru",
        "/dukcapil/staff/counter/ktp_baru",
        &ktp_fields(),
        &[("doc_kk", "kk.pdf", "application/pdf", pdf())],
    )
    .await;
    assert_eq!(res.status(), 422);
    let (status, body) = post_json(&app, &ktp_json(), None).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "service_not_offered", "{body}");
    assert_eq!(count(&app, "cr_applications").await, 0);
    assert_eq!(count(&app, "cr_documents").await, 0);
    assert_eq!(count(&app, "clocks").await, 0);

    // Switched on again: accepted.
    let res = save_offerings(&app, &admin, b.dinas, &ALL).await;
    assert_eq!(res.status(), 303);
    apply_ktp(&app, &c).await;
    assert_eq!(count(&app, "cr_applications").await, 1);
});

both_backends!(bad_input_keeps_the_form, |backend| async move {
    let app = TestApp::spawn(backend).await;
    banjar(&app).await;
    let c = app.client();
    let mut fields = ktp_fields();
    fields.retain(|(k, _)| *k != "nik");
    fields.push(("nik", "32790115089000".into())); // 14 digits
    let res = post_multipart(
        &app,
        &c,
        "/dukcapil/apply/ktp_baru",
        "/dukcapil/apply/ktp_baru",
        &fields,
        &[("doc_kk", "kk.pdf", "application/pdf", pdf())],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"form-error\""), "{html}");
    assert!(html.contains("tepat 16 angka"), "{html}");
    assert!(html.contains("action=\"/dukcapil/apply/ktp_baru\""));
    assert!(html.contains("value=\"Budi Santoso\""));
    assert!(html.contains("value=\"32790115089000\""));
    assert!(html.contains(&format!("value=\"{KK}\"")));
    assert!(html.contains("value=\"1990-08-15\""));
    assert!(html.contains("value=\"budi@example.test\""));
    assert!(html.contains(&format!("value=\"{KELURAHAN}\"")));
    assert!(html.contains("<option value=\"L\" selected>"));
    // The re-rendered form carries a working CSRF token.
    assert!(support::extract_csrf(&html).is_some());

    // A wrong file type: the same form, the message next to it.
    let res = post_multipart(
        &app,
        &c,
        "/dukcapil/apply/ktp_baru",
        "/dukcapil/apply/ktp_baru",
        &ktp_fields(),
        &[("doc_kk", "kk.pdf", "application/pdf", b"just text".to_vec())],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("bukan PDF, JPEG atau PNG") && html.contains("form-error"));
    assert!(html.contains(&format!("value=\"{NIK_MALE}\"")));
    assert_eq!(count(&app, "cr_applications").await, 0);
    assert_eq!(count(&app, "cr_documents").await, 0);

    // The counter form does the same for an official.
    let loket = app.client();
    app.login(&loket, "loket", "pw-loket-0123456789").await;
    let mut fields = ktp_fields();
    fields.retain(|(k, _)| *k != "sex");
    fields.push(("sex", "P".into())); // NIK_MALE declared female: mismatch
    let res = post_multipart(
        &app,
        &loket,
        "/dukcapil/staff/counter/ktp_baru",
        "/dukcapil/staff/counter/ktp_baru",
        &fields,
        &[("doc_kk", "kk.pdf", "application/pdf", pdf())],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("form-error") && html.contains("<option value=\"P\" selected>"));
    assert!(html.contains("action=\"/dukcapil/staff/counter/ktp_baru\""));
    assert_eq!(count(&app, "cr_applications").await, 0);
});

both_backends!(json_submission, |backend| async move {
    let app = TestApp::spawn(backend).await;
    banjar(&app).await;

    // Bad input: nothing stored.
    let mut bad = ktp_json();
    bad["documents"][0]["data_base64"] = json!("%%% not base64");
    assert_eq!(post_json(&app, &bad, None).await.0, 422);
    let mut bad = ktp_json();
    bad["documents"][0]["content_type"] = json!("image/png");
    let (status, body) = post_json(&app, &bad, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("bad_file_type"))
    );
    let mut bad = ktp_json();
    bad["documents"] = json!([]);
    let (status, body) = post_json(&app, &bad, None).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "missing_document");
    let mut bad = ktp_json();
    bad["nik"] = json!("3279013208900001"); // day 32
    assert_eq!(post_json(&app, &bad, None).await.0, 422);
    let mut big = pdf();
    big.resize(1024 * 1024 + 10, b' ');
    let mut bad = ktp_json();
    bad["documents"][0]["data_base64"] = json!(b64(&big));
    let (status, body) = post_json(&app, &bad, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("upload_too_large"))
    );
    assert_eq!(count(&app, "cr_applications").await, 0);
    assert_eq!(count(&app, "cr_documents").await, 0);

    // Filed, then retried with the same Idempotency-Key: the same receipt, one application.
    let (status, first) = post_json(&app, &ktp_json(), Some("field-app-0001")).await;
    assert_eq!(status, 201, "{first}");
    let code = first["tracking_code"].as_str().unwrap().to_string();
    assert!(!first["secret"].as_str().unwrap().is_empty());
    let (status, again) = post_json(&app, &ktp_json(), Some("field-app-0001")).await;
    assert_eq!(status, 201);
    assert_eq!(again["tracking_code"], code.as_str());
    assert_eq!(again["secret"], first["secret"]);
    assert_eq!(count(&app, "cr_applications").await, 1);
    assert_eq!(count(&app, "cr_documents").await, 1);
    let row = balai_civil_registry::store::by_tracking_code(&app.db, &code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.channel.as_str(), row.status.as_str()),
        ("online", "submitted")
    );

    // The receipt URL is the public check of the receipt.
    let url = first["receipt_url"].as_str().unwrap();
    let path = &url[url.find("/dukcapil/verify/").unwrap()..];
    let html = app
        .client()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&code));
    assert!(html.contains("id=\"verdict\">ASLI"), "{html}");

    // The applicant tracks it with the code and secret.
    let c = app.client();
    let res = track(&app, &c, &code, first["secret"].as_str().unwrap()).await;
    assert_eq!(res.status(), 200);

    // An official with a token files for a citizen: the counter channel.
    let token = app.token_for("loket").await;
    let mut other = ktp_json();
    other["nik"] = serde_json::json!("3279011508900003");
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/civil-registry/applications"))
        .bearer_auth(&token)
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    let row = balai_civil_registry::store::by_tracking_code(
        &app.db,
        v["tracking_code"].as_str().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.channel, "counter");

    // Documented in the OpenAPI description.
    let spec: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/civil-registry/applications"]["post"].is_object());
});

both_backends!(stats_count_local_days, |backend| async move {
    let app = TestApp::spawn(backend).await;
    banjar(&app).await;
    let (status, v) = post_json(&app, &ktp_json(), None).await;
    assert_eq!(status, 201);
    let code = v["tracking_code"].as_str().unwrap().to_string();
    // 31 March 18:30 UTC is 1 April 01:30 WIB: an April application in Kota Banjar.
    let at = time::macros::datetime!(2026-03-31 18:30 UTC);
    balai_core::with_db!(&app.db, |c| sqlx::query(
        "UPDATE cr_applications SET submitted_at = $1 WHERE tracking_code = $2"
    )
    .bind(at)
    .bind(&code)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
    let total = |from: &'static str, to: &'static str| {
        let url = app.url(&format!(
            "/api/v1/civil-registry/stats?region=32.79&from={from}&to={to}"
        ));
        async move {
            let s: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
            s["total_received"].as_u64().unwrap()
        }
    };
    assert_eq!(total("2026-04-01", "2026-04-01").await, 1);
    assert_eq!(total("2026-03-01", "2026-03-31").await, 0);
    assert_eq!(total("2026-03-31", "2026-04-30").await, 1);
    // The monthly CSV agrees.
    let csv = reqwest::get(app.url("/dukcapil/report.csv?region=32.79&month=2026-04"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("ktp_baru,KTP-el baru,1,100"), "{csv}");
    let csv = reqwest::get(app.url("/dukcapil/report.csv?region=32.79&month=2026-03"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("ktp_baru,KTP-el baru,0,"), "{csv}");
});

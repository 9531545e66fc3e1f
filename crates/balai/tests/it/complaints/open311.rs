//! Open311 GeoReport v2 conformance: every endpoint in JSON and XML, errors in the spec's shape.

use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::Backend;
use serde_json::{json, Value};

async fn get(w: &World, path: &str) -> (u16, String, String) {
    let r = w.http().get(w.app.url(path)).send().await.unwrap();
    let st = r.status().as_u16();
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    (st, ct, r.text().await.unwrap())
}

async fn post(w: &World, fmt: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = w
        .http()
        .post(w.app.url(&format!("/open311/v2/requests.{fmt}")))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

both_backends!(discovery_and_services, |b: Backend| async move {
    let w = World::new(b).await;
    // The JSON API is in the OpenAPI document.
    let (_, _, doc) = get(&w, "/api/v1/openapi.json").await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    for p in [
        "/api/v1/complaints",
        "/api/v1/complaints/{tracking_code}",
        "/api/v1/complaint-categories",
        "/api/v1/sms/inbound",
        "/api/v1/work/complaints",
        "/api/v1/work/complaints/{id}/actions",
        "/api/v1/work/complaint-stats",
    ] {
        assert!(doc["paths"].get(p).is_some(), "openapi lacks {p}");
    }
    let (st, ct, body) = get(&w, "/open311/v2/discovery.json").await;
    assert_eq!((st, ct.as_str()), (200, "application/json; charset=utf-8"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["endpoints"][0]["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    let (st, ct, body) = get(&w, "/open311/v2/discovery.xml").await;
    assert_eq!((st, ct.as_str()), (200, "text/xml; charset=utf-8"));
    assert!(body.starts_with("<?xml"));
    assert!(body.contains("<discovery>") && body.contains("<endpoints><endpoint>"));
    assert!(body.contains("<format>text/xml</format>"));

    let (_, _, body) = get(&w, "/open311/v2/services.json").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"infrastruktur") && codes.contains(&"pelanggaran_pemilihan"));
    assert_eq!(v[0]["type"], "realtime");
    let (_, _, body) = get(&w, "/open311/v2/services.xml").await;
    assert!(body.contains("<services><service><service_code>infrastruktur</service_code>"));

    let (st, _, body) = get(&w, "/open311/v2/services/infrastruktur.json").await;
    assert_eq!(st, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["attributes"][0]["code"], "village_code");
    assert_eq!(v["attributes"][0]["required"], true);
    let (_, _, body) = get(&w, "/open311/v2/services/infrastruktur.xml").await;
    assert!(body.contains(
        "<service_definition><service_code>infrastruktur</service_code><attributes><attribute>"
    ));
    // Errors in the spec's format, both ways.
    let (st, _, body) = get(&w, "/open311/v2/services/nope.json").await;
    assert_eq!(st, 404);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        json!([{"code": 404, "description": "Unknown service_code"}])
    );
    let (st, ct, body) = get(&w, "/open311/v2/services/nope.xml").await;
    assert_eq!((st, ct.as_str()), (404, "text/xml; charset=utf-8"));
    assert!(body.contains("<errors><error><code>404</code><description>Unknown service_code</description></error></errors>"));
});

both_backends!(post_and_read_requests, |b: Backend| async move {
    let w = World::new(b).await;
    // No or a bad api_key: 403 in the spec's error shape.
    let (st, body) = post(&w, "json", &[("service_code", "infrastruktur")]).await;
    assert_eq!(st, 403);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()[0]["code"],
        403
    );
    let (st, body) = post(
        &w,
        "xml",
        &[("api_key", "wrong"), ("service_code", "infrastruktur")],
    )
    .await;
    assert_eq!(st, 403);
    assert!(body.contains("<errors><error><code>403</code>"));
    // Missing the village: 400 naming the field; nothing stored.
    let key = w.superadmin.clone();
    let (st, body) = post(
        &w,
        "json",
        &[
            ("api_key", &key),
            ("service_code", "infrastruktur"),
            ("description", "Lampu jalan mati di gang."),
        ],
    )
    .await;
    assert_eq!(st, 400, "{body}");
    assert!(body.contains("village_code"));
    assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 0);

    let form = [
        ("api_key", key.as_str()),
        ("service_code", "infrastruktur"),
        ("description", "Lampu jalan mati di gang mawar."),
        ("attribute[village_code]", BANJAR_VILLAGE),
        ("lat", "-7.37"),
        ("long", "108.53"),
        ("address_string", "Gang Mawar 3"),
        ("email", "warga@contoh.id"),
        ("first_name", "Ani"),
    ];
    let (st, body) = post(&w, "json", &form).await;
    assert_eq!(st, 201, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let id = v[0]["service_request_id"].as_str().unwrap().to_string();
    let token = v[0]["token"].as_str().unwrap().to_string();
    let (st, body) = post(&w, "xml", &form).await;
    assert_eq!(st, 201);
    assert!(body.contains("<service_requests><request><service_request_id>"));
    assert_eq!(
        w.count("SELECT COUNT(*) FROM complaints WHERE channel = 'open311'")
            .await,
        2
    );

    // tokens/{token}
    let (st, _, body) = get(&w, &format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(st, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v[0]["service_request_id"], id.as_str());
    let (_, _, body) = get(&w, &format!("/open311/v2/tokens/{token}.xml")).await;
    assert!(body.contains(&format!("<service_request_id>{id}</service_request_id>")));
    let (st, _, _) = get(&w, "/open311/v2/tokens/2222222222.json").await;
    assert_eq!(st, 404);

    // requests/{id}: open, with Balai's status in the notes.
    let (st, _, body) = get(&w, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(st, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v[0]["status"], "open");
    assert_eq!(v[0]["status_notes"], "Diterima");
    assert_eq!(v[0]["agency_responsible"], "Pemerintah Kota Banjar");
    assert_eq!(v[0]["address_id"], BANJAR_VILLAGE);
    assert_eq!(v[0]["long"], 108.53);
    let (_, _, body) = get(&w, &format!("/open311/v2/requests/{id}.xml")).await;
    assert!(body.contains("<status>open</status>"));
    // Rejected → closed, with the reason.
    let nid: i64 = id.parse().unwrap();
    let (st, _) = w
        .act(
            &w.supervisor_banjar,
            nid,
            json!({"action": "reject", "body": "Bukan lampu milik pemda"}),
        )
        .await;
    assert_eq!(st, 200);
    let (_, _, body) = get(&w, &format!("/open311/v2/requests/{id}.json")).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v[0]["status"], "closed");
    assert_eq!(v[0]["status_notes"], "Ditolak: Bukan lampu milik pemda");

    // GET requests with filters.
    let (_, _, body) = get(&w, "/open311/v2/requests.json").await;
    assert_eq!(
        serde_json::from_str::<Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (_, _, body) = get(&w, "/open311/v2/requests.json?status=closed").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["service_request_id"], id.as_str());
    let (_, _, body) = get(
        &w,
        &format!("/open311/v2/requests.xml?service_request_id={id}"),
    )
    .await;
    assert_eq!(body.matches("<request>").count(), 1);
    let (st, _, body) = get(&w, "/open311/v2/requests.json?status=maybe").await;
    assert_eq!(st, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()[0]["code"],
        400
    );
    // Confidential reports never appear.
    let (cid, _) = w.file_banjar(json!({"confidential": true})).await;
    let (st, _, _) = get(&w, &format!("/open311/v2/requests/{cid}.json")).await;
    assert_eq!(st, 404);
    let (_, _, body) = get(&w, "/open311/v2/requests.json").await;
    assert_eq!(
        serde_json::from_str::<Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
});

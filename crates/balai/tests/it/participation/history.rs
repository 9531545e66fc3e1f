//! The change history of agreements and activities as JSON (public): the same edits the pages
//! show, the newest first, with the agency but never the official who made them; 404 for a
//! record that does not exist.

use serde_json::json;

use crate::support::worlds::participation::*;

both_backends!(histories_as_json, |backend| async move {
    let px = Px::new(backend).await;
    let ag = px.agreement().await;
    let act = px
        .activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.01"))
        .await;
    for path in [
        format!("/api/v1/agreements/{ag}/history"),
        format!("/api/v1/activities/{act}/history"),
    ] {
        let (s, v) = px.get(&path).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["changes"], json!([]), "{v}");
    }
    for path in [
        "/api/v1/agreements/999/history",
        "/api/v1/activities/999/history",
    ] {
        assert_eq!(px.get(path).await.0, 404, "{path}");
    }
    assert_eq!(px.get("/api/v1/agreements/abc/history").await.0, 400);
    // Two edits of the agreement (by Kesbangpol's officer, then the KPU officer).
    let path = format!("/api/v1/agreements/{ag}");
    let mut body = px.agreement_body();
    body["valid_until"] = json!("2025-06-30");
    let (s, v) = px
        .send("PUT", &px.kesbang_officer, &path, body.clone())
        .await;
    assert_eq!(s, 200, "{v}");
    body["legal_basis"] = json!("PKPU 9/2022 dan Perda 3/2023");
    let (s, v) = px.send("PUT", &px.kpu_officer, &path, body).await;
    assert_eq!(s, 200, "{v}");
    let (s, h) = px.get(&format!("/api/v1/agreements/{ag}/history")).await;
    assert_eq!(s, 200);
    let changes = h["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{h}");
    assert_eq!(h["id"], ag);
    // The newest first, with the agency, the time and each field before and after.
    assert_eq!(changes[0]["agency"], "KPU Kota Banjar");
    assert_eq!(changes[1]["agency"], "Kesbangpol Kota Banjar");
    assert_eq!(
        changes[1]["fields"],
        json!([{"field": "valid_until", "label_id": "Berlaku sampai", "label_en": "Valid until",
                "before": "2024-12-31", "after": "2025-06-30"}])
    );
    assert_eq!(changes[0]["fields"][0]["before"], "PKPU 9/2022");
    let at = changes[0]["changed_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).is_ok(),
        "{at}"
    );
    // Never the official: only these keys, and no user name or id anywhere.
    let mut keys: Vec<&str> = changes[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["agency", "changed_at", "fields"]);
    let text = h.to_string();
    assert!(
        !text.contains("p.kpu") && !text.contains("p.kesbang"),
        "{text}"
    );
    // The activity's edit.
    let mut body = Px::activity_body(Some(ag), "2024-07-10", "32.79.01");
    body["participants"] = json!(150);
    let (s, v) = px
        .send("PUT", &px.kpu, &format!("/api/v1/activities/{act}"), body)
        .await;
    assert_eq!(s, 200, "{v}");
    let (_, h) = px.get(&format!("/api/v1/activities/{act}/history")).await;
    let fields: Vec<(&str, &str, &str)> = h["changes"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap(),
                f["before"].as_str().unwrap(),
                f["after"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("date", "2024-06-10", "2024-07-10"),
            ("participants", "120", "150")
        ]
    );
    assert_eq!(h["changes"][0]["agency"], "KPU Kota Banjar");
    // The agreement's history is its own.
    let (_, h) = px.get(&format!("/api/v1/agreements/{ag}/history")).await;
    assert_eq!(h["changes"].as_array().unwrap().len(), 2);
});

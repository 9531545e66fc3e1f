//! Agreements: recorded by a party, listed for the region and above, refused when their
//! validity ends before it starts (and other bad input) with nothing stored, renewed only by a
//! party, reminded 30 days before they end.

use serde_json::json;

use crate::support::worlds::participation::*;

both_backends!(recorded_listed_and_audited, |backend| async move {
    let px = Px::new(backend).await;
    let id = px.agreement().await;
    let (s, v) = px.get("/api/v1/agreements?region=32.79").await;
    assert_eq!(s, 200, "{v}");
    let a = &v["agreements"][0];
    assert_eq!(a["id"], id);
    assert_eq!(v["region_name"], "Kota Banjar");
    assert_eq!(a["region_code"], "32.79");
    assert_eq!(a["valid_until"], "2024-12-31");
    assert_eq!(a["standing"], "expired");
    let parties: Vec<&str> = a["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        parties,
        [
            "Kesbangpol Kota Banjar",
            "KPU Kota Banjar",
            "PC NU Kota Banjar",
            "FKUB Kota Banjar"
        ]
    );
    assert_eq!(a["parties"][2]["agency_id"], serde_json::Value::Null);
    assert_eq!(a["clauses"][1]["number"], 2);
    assert_eq!(a["legal_basis"], "PKPU 9/2022");
    // The province lists it (everything under it); another city does not.
    let (_, v) = px.get("/api/v1/agreements?region=32").await;
    assert_eq!(v["agreements"].as_array().unwrap().len(), 1);
    let (_, v) = px.get("/api/v1/agreements?region=16.71").await;
    assert!(v["agreements"].as_array().unwrap().is_empty());
    // A well-formed but unknown region is not found; a malformed one is refused.
    assert_eq!(px.get("/api/v1/agreements?region=99.99").await.0, 404);
    let (s, v) = px.get("/api/v1/agreements?region=banjar").await;
    assert_eq!((s, v["code"].as_str().unwrap()), (422, "bad_region_code"));
    assert_eq!(px.audits("participation.agreement_recorded").await, 1);
});

both_backends!(
    bad_agreements_are_422_and_store_nothing,
    |backend| async move {
        let px = Px::new(backend).await;
        let cases = [
            (
                json!({"valid_until": "2024-02-28"}),
                "validity_ends_before_start",
            ),
            (json!({"signed_on": "2025-01-01"}), "signed_after_validity"),
            (
                json!({"agency_ids": [px.kesbang_id, 9999]}),
                "unknown_agency",
            ),
            (
                json!({"agency_ids": [px.kesbang_id, px.kpu_plg_id]}),
                "no_common_region",
            ),
            (
                json!({"other_parties": ["FKUB", "fkub"]}),
                "duplicate_party",
            ),
            (json!({"valid_from": "2024-13-01"}), "bad_date"),
        ];
        for (change, code) in cases {
            let mut body = px.agreement_body();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (s, v) = px
                .send("POST", &px.kesbang, "/api/v1/agreements", body)
                .await;
            assert_eq!((s, v["code"].as_str().unwrap_or("")), (422, code), "{v}");
        }
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_agreements").await, 0);
        assert_eq!(
            px.count("SELECT COUNT(*) FROM collab_agreement_parties")
                .await,
            0
        );
        assert_eq!(px.audits("participation.agreement_recorded").await, 0);
        // An unknown field is refused before anything else.
        let mut body = px.agreement_body();
        body["region_code"] = json!("32.79");
        let s = px
            .send("POST", &px.kesbang, "/api/v1/agreements", body)
            .await
            .0;
        assert!(s == 400 || s == 422, "{s}");
    }
);

both_backends!(only_a_party_records_or_renews, |backend| async move {
    let px = Px::new(backend).await;
    // Kesbangpol Palembang cannot record an agreement of Kota Banjar's agencies.
    for token in [&px.kesbang_plg, &px.kpu_viewer, &px.bawaslu] {
        let (s, v) = px
            .send("POST", token, "/api/v1/agreements", px.agreement_body())
            .await;
        assert_eq!(s, 403, "{v}");
    }
    assert_eq!(px.count("SELECT COUNT(*) FROM collab_agreements").await, 0);
    let id = px.agreement().await;
    let renewal =
        json!({"number": "002/PKS/2024", "signed_on": "2024-12-20", "valid_until": "2026-12-31"});
    let path = format!("/api/v1/agreements/{id}/renewals");
    assert_eq!(
        px.send("POST", &px.kesbang_plg, &path, renewal.clone())
            .await
            .0,
        403
    );
    assert_eq!(
        px.send("POST", &px.bawaslu, &path, renewal.clone()).await.0,
        403
    );
    let (s, v) = px
        .send("POST", &px.kpu_officer, &path, renewal.clone())
        .await;
    assert_eq!(s, 201, "{v}");
    let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
    assert_eq!(v["agreements"][0]["valid_until"], "2026-12-31");
    // A renewal must move the end later.
    let (s, v) = px.send("POST", &px.kpu_officer, &path, renewal).await;
    assert_eq!((s, v["code"].as_str().unwrap()), (422, "renewal_not_later"));
    assert_eq!(
        px.count("SELECT COUNT(*) FROM collab_agreement_renewals")
            .await,
        1
    );
    assert_eq!(px.audits("participation.agreement_renewed").await, 1);
    assert_eq!(
        px.send(
            "POST",
            &px.kpu,
            "/api/v1/agreements/999/renewals",
            json!({"number": "x", "signed_on": "2024-01-01", "valid_until": "2030-01-01"})
        )
        .await
        .0,
        404
    );
});

both_backends!(
    expiry_reminder_goes_to_the_parties_admins,
    |backend| async move {
        let px = Px::new(backend).await;
        crate::support::exec(
        &px.app.db,
        "UPDATE users SET email = username || '@contoh.go.id' WHERE username IN ('p.kesbang', 'p.kesbang.officer', 'p.kesbang.plg')",
    )
    .await;
        let today = time::OffsetDateTime::now_utc().date();
        let until = (today + time::Duration::days(90)).to_string();
        let mut body = px.agreement_body();
        body["valid_from"] = json!("2024-03-01");
        body["valid_until"] = json!(until);
        let (s, v) = px
            .send("POST", &px.kesbang, "/api/v1/agreements", body)
            .await;
        assert_eq!(s, 201, "{v}");
        let id = v["id"].as_i64().unwrap();
        // Queued for 30 days before the end.
        let queued = px
        .count("SELECT COUNT(*) FROM jobs WHERE kind = 'participation.agreement_expiry' AND status = 'queued'")
        .await;
        assert_eq!(queued, 1);
        let payload = json!({"agreement_id": id, "valid_until": until});
        let sent = balai_participation::jobs::remind(&px.app.db, &payload)
            .await
            .unwrap();
        // Only the admin of a party agency with an e-mail (not the officer, not Palembang's).
        assert_eq!(sent, 1);
        assert_eq!(
            px.count(
                "SELECT COUNT(*) FROM notifications WHERE recipient = 'p.kesbang@contoh.go.id'"
            )
            .await,
            1
        );
        assert_eq!(
            px.audits("participation.agreement_expiry_reminded").await,
            1
        );
        // After a renewal the old reminder sends nothing.
        let renewal = json!({"number": "002/PKS", "signed_on": "2024-12-20", "valid_until": (today + time::Duration::days(400)).to_string()});
        let (s, _) = px
            .send(
                "POST",
                &px.kesbang,
                &format!("/api/v1/agreements/{id}/renewals"),
                renewal,
            )
            .await;
        assert_eq!(s, 201);
        assert_eq!(
            balai_participation::jobs::remind(&px.app.db, &payload)
                .await
                .unwrap(),
            0
        );
    }
);

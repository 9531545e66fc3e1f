//! The index through the API, on a hand-checked set: exact NRR and IKM, the grade, the
//! sample size from codes issued or from entered service users, and the unit's own weights.

use serde_json::json;

use crate::support::worlds::performance::*;
use crate::support::TestApp;

/// The fields of `GET /api/v1/surveys/ikm`, as issue #29 names them (sorted).
const ISSUE_KEYS: [&str; 7] = [
    "grade",
    "grade_label",
    "ikm",
    "nrr",
    "responses",
    "sample_enough",
    "sample_needed",
];

fn keys(v: &serde_json::Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    k.sort_unstable();
    k
}

/// Four respondents; by hand: NRR 3.5, 3, 2.25, 4, 3, 3.5, 4, 2, 2.75; Σ = 28;
/// IKM = 28 × 25 / 9 = 77.777… → 77.78, grade B (Baik).
const SET: [[i64; 9]; 4] = [
    [4, 3, 2, 4, 3, 4, 4, 1, 3],
    [3, 3, 2, 4, 3, 4, 4, 2, 2],
    [3, 2, 2, 4, 3, 3, 4, 2, 3],
    [4, 4, 3, 4, 3, 3, 4, 3, 3],
];

both_backends!(the_index_of_a_hand_checked_set, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let u = units(&app).await;
    let officer = app.token_for("dk.officer").await;
    // No answers yet: no index, and nothing to grade.
    let v = ikm(&app, u.dukcapil, "").await;
    assert_eq!(keys(&v), ISSUE_KEYS, "{v}");
    assert_eq!(v["responses"], 0);
    assert!(v["ikm"].is_null() && v["grade"].is_null(), "{v}");
    let c = codes(&app, &officer, u.dukcapil, 4).await;
    for (code, row) in c.iter().zip(SET) {
        assert_eq!(answer(&app, code, &row).await.0, 201);
    }
    // An answer for another unit does not count here.
    let plg = app.token_for("plg.officer").await;
    let other = codes(&app, &plg, u.palembang, 1).await;
    assert_eq!(answer(&app, &other[0], &[1; 9]).await.0, 201);

    let v = ikm(&app, u.dukcapil, "").await;
    // Exactly the fields the issue names, no more.
    assert_eq!(keys(&v), ISSUE_KEYS, "{v}");
    assert_eq!(v["responses"], 4);
    assert_eq!(
        v["nrr"],
        json!([3.5, 3.0, 2.25, 4.0, 3.0, 3.5, 4.0, 2.0, 2.75])
    );
    assert_eq!(v["ikm"], 77.78);
    assert_eq!(v["grade"], "B");
    assert_eq!(v["grade_label"], "Baik");
    // Four visits known (the codes issued): Krejcie-Morgan needs all four; four answered.
    assert_eq!(v["sample_needed"], 4);
    assert_eq!(v["sample_enough"], true);
    // By service: the same (all were KTP-el); another service has none.
    assert_eq!(ikm(&app, u.dukcapil, "&service=KTP-el").await["ikm"], 77.78);
    assert_eq!(ikm(&app, u.dukcapil, "&service=KK").await["responses"], 0);

    // The unit's admin enters 100 service users for the month: 80 are needed, 4 are not enough.
    let admin = app.token_for("dk.admin").await;
    let month = &today().to_string()[..7];
    let put = |token: String, path: String, body: serde_json::Value| {
        let app = &app;
        async move {
            let res = app
                .client()
                .put(app.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let s = res.status().as_u16();
            (s, res.json::<serde_json::Value>().await.unwrap_or_default())
        }
    };
    let users_path = format!("/api/v1/surveys/units/{}/service-users/{month}", u.dukcapil);
    assert_eq!(
        put(officer.clone(), users_path.clone(), json!({ "users": 100 }))
            .await
            .0,
        403
    );
    assert_eq!(
        put(admin.clone(), users_path.clone(), json!({ "users": -1 }))
            .await
            .0,
        422
    );
    assert_eq!(
        put(admin.clone(), users_path.clone(), json!({ "users": 100 }))
            .await
            .0,
        200
    );
    let v = ikm(&app, u.dukcapil, "").await;
    assert_eq!(
        (&v["sample_needed"], &v["sample_enough"]),
        (&json!(80), &json!(false))
    );

    // Weights: the admin doubles completion time (U3); not summing to 1 is refused, unchanged.
    let weights_path = format!("/api/v1/surveys/units/{}/weights", u.dukcapil);
    let mut w = vec!["0.1"; 9];
    w[2] = "0.2";
    let bad = vec!["0.111"; 9];
    assert_eq!(
        put(officer, weights_path.clone(), json!({ "weights": w }))
            .await
            .0,
        403
    );
    let (s, body) = put(
        admin.clone(),
        weights_path.clone(),
        json!({ "weights": bad }),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str()),
        (422, Some("bad_weights")),
        "{body}"
    );
    assert_eq!(ikm(&app, u.dukcapil, "").await["ikm"], 77.78);
    let (s, body) = put(admin, weights_path, json!({ "weights": w })).await;
    assert_eq!(s, 200, "{body}");
    // Σ NRR × w = 0.1 × (28 − 2.25) + 0.2 × 2.25 = 2.575 + 0.45 = 3.025; × 25 = 75.625 → 75.63, C.
    let v = ikm(&app, u.dukcapil, "").await;
    assert_eq!(
        (&v["ikm"], &v["grade"]),
        (&json!(75.63), &json!("C")),
        "{v}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.settings_update'"
        )
        .await,
        2
    );

    // Bad queries.
    for q in [
        format!("agency={}&from=2026-02-01&to=2026-01-01", u.dukcapil),
        format!("agency={}&from=kemarin&to=2026-01-01", u.dukcapil),
    ] {
        let res = app
            .client()
            .get(app.url(&format!("/api/v1/surveys/ikm?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{q}");
    }
    let res = app
        .client()
        .get(app.url("/api/v1/surveys/ikm?agency=999999&from=2026-01-01&to=2026-01-02"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
});

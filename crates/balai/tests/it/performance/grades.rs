//! The grade bounds through the API, on sets checked by hand: each set's IKM lands on or just
//! beside a bound of PermenPANRB 14/2017 (A ≥ 88.31, B ≥ 76.61, C ≥ 65.00), and the grade is
//! read from the value rounded half up to two decimals; a unit's own weights put an exact half
//! (88.305) on the A bound, which rounds up, not to the even 88.30. The unit's month of KPIs
//! carries the same index and grade.

use serde_json::{json, Value};

use crate::support::http::api;
use crate::support::worlds::performance::*;
use crate::support::TestApp;

/// A set of `n` answers whose 9 × n scores add up to `total`; by hand, with weights 1/9:
/// IKM = 25 × total / (9 × n).
struct Set {
    service: &'static str,
    n: i64,
    total: i64,
    ikm: f64,
    grade: &'static str,
    label: &'static str,
}

const SETS: [Set; 6] = [
    // 34175/387 = 88.3075 → 88.31: rounded up onto the A bound.
    Set {
        service: "KK",
        n: 43,
        total: 1367,
        ikm: 88.31,
        grade: "A",
        label: "Sangat Baik",
    },
    // 15100/171 = 88.3041 → 88.30: a hundredth below A.
    Set {
        service: "KTP-el",
        n: 19,
        total: 604,
        ikm: 88.30,
        grade: "B",
        label: "Baik",
    },
    // 13100/171 = 76.6082 → 76.61: rounded up onto the B bound.
    Set {
        service: "Pindah",
        n: 19,
        total: 524,
        ikm: 76.61,
        grade: "B",
        label: "Baik",
    },
    // 5975/78 = 76.6026 → 76.60: a hundredth below B.
    Set {
        service: "Datang",
        n: 26,
        total: 717,
        ikm: 76.60,
        grade: "C",
        label: "Kurang Baik",
    },
    // 2925/45 = 65 exactly: on the C bound.
    Set {
        service: "Akta Kelahiran",
        n: 5,
        total: 117,
        ikm: 65.00,
        grade: "C",
        label: "Kurang Baik",
    },
    // 22225/342 = 64.9854 → 64.99: a hundredth below C.
    Set {
        service: "Akta Kematian",
        n: 38,
        total: 889,
        ikm: 64.99,
        grade: "D",
        label: "Tidak Baik",
    },
];

/// `n` rows of nine scores 1–4 adding up to `total`: every score 1, then the rest added from
/// the first cell on, at most 3 to each.
fn rows(n: i64, total: i64) -> Vec<[i64; 9]> {
    let mut rest = total - 9 * n;
    assert!((0..=27 * n).contains(&rest));
    (0..n)
        .map(|_| {
            let mut row = [1i64; 9];
            for cell in &mut row {
                let add = rest.min(3);
                *cell += add;
                rest -= add;
            }
            row
        })
        .collect()
}

async fn codes_for(app: &TestApp, token: &str, agency: i64, service: &str, n: i64) -> Vec<String> {
    let res = app
        .client()
        .post(app.url("/api/v1/surveys/codes"))
        .bearer_auth(token)
        .json(&json!({ "agency_id": agency, "service": service, "count": n }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

fn service_query(s: &str) -> String {
    format!("&service={}", s.replace(' ', "%20"))
}

both_backends!(
    grades_on_the_bounds_of_hand_checked_sets,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let officer = app.token_for("dk.officer").await;
        for set in &SETS {
            let rows = rows(set.n, set.total);
            assert_eq!(rows.iter().flatten().sum::<i64>(), set.total);
            let codes = codes_for(&app, &officer, u.dukcapil, set.service, set.n).await;
            for (code, row) in codes.iter().zip(&rows) {
                assert_eq!(answer(&app, code, row).await.0, 201);
            }
        }
        for set in &SETS {
            let v = ikm(&app, u.dukcapil, &service_query(set.service)).await;
            assert_eq!(v["responses"], set.n, "{}: {v}", set.service);
            assert_eq!(
                (&v["ikm"], &v["grade"], &v["grade_label"]),
                (&json!(set.ikm), &json!(set.grade), &json!(set.label)),
                "{}: {v}",
                set.service
            );
            assert_eq!(v["nrr"].as_array().unwrap().len(), 9);
        }
        // The unit as a whole: 150 answers, 4,218 points; 25 × 4218 / 1350 = 703/9 = 78.11, B.
        let all_n: i64 = SETS.iter().map(|s| s.n).sum();
        let all_total: i64 = SETS.iter().map(|s| s.total).sum();
        assert_eq!((all_n, all_total), (150, 4218));
        let v = ikm(&app, u.dukcapil, "").await;
        assert_eq!(
            (&v["responses"], &v["ikm"], &v["grade"]),
            (&json!(150), &json!(78.11), &json!("B")),
            "{v}"
        );
        // The month's KPIs carry the same index and grade.
        let k = month_kpis(&app, u.dukcapil, &today().to_string()[..7]).await;
        assert_eq!(
            (&k["responses"], &k["ikm"], &k["grade"]),
            (&json!(150), &json!(78.11), &json!("B")),
            "{k}"
        );

        // The unit's own weights: U1 0.4678, the others 0.066525 each (sum exactly 1). One answer
        // of 3 on U1 and 4 elsewhere: (4 − 0.4678) × 25 = 88.305 exactly → 88.31 (half up), A.
        let admin = app.token_for("dk.admin").await;
        let weights_path = format!("/api/v1/surveys/units/{}/weights", u.dukcapil);
        let put_weights = |w: Vec<&'static str>| {
            let (app, admin, path) = (&app, &admin, &weights_path);
            async move {
                let body = json!({ "weights": w });
                api(app, "PUT", admin, path, Some(body)).await.status()
            }
        };
        let mut w = vec!["0.066525"; 9];
        w[0] = "0.4678";
        assert_eq!(put_weights(w.clone()).await, 200);
        let half = codes_for(&app, &officer, u.dukcapil, "Setengah", 1).await;
        assert_eq!(
            answer(&app, &half[0], &[3, 4, 4, 4, 4, 4, 4, 4, 4]).await.0,
            201
        );
        let v = ikm(&app, u.dukcapil, "&service=Setengah").await;
        assert_eq!(
            (&v["ikm"], &v["grade"]),
            (&json!(88.31), &json!("A")),
            "{v}"
        );
        // A ten-thousandth more weight on U1 (taken from U2): 88.3025 → 88.30, B.
        w[0] = "0.4679";
        w[1] = "0.066425";
        assert_eq!(put_weights(w).await, 200);
        let v = ikm(&app, u.dukcapil, "&service=Setengah").await;
        assert_eq!(
            (&v["ikm"], &v["grade"]),
            (&json!(88.30), &json!("B")),
            "{v}"
        );
    }
);

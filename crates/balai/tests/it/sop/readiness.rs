//! Training and readiness: a city's roster, sessions for a stage of its election, attendance
//! ticked off and imported, and the readiness figures before the stage, checked against the
//! same figures computed here from the seeded roster.

use balai_core::schedule::StageKind;
use serde_json::{json, Value};
use time::macros::date;

use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

/// The first `n` regions under `code`, by code.
pub async fn under(w: &SopWorld, code: &str, level: i64, n: i64) -> Vec<String> {
    balai_core::with_db!(&w.app.db, |c| sqlx::query_scalar::<_, String>(
        "SELECT code FROM regions WHERE level = $1 AND code LIKE $2 ORDER BY code LIMIT $3"
    )
    .bind(level)
    .bind(format!("{code}.%"))
    .bind(n)
    .fetch_all(c)
    .await)
    .unwrap()
}

/// Palembang's mayoral election, voting on 10 June 2030 and recapitulation from the 11th.
pub async fn palembang_election(w: &SopWorld) -> i64 {
    let db = &w.app.db;
    let mut tx = db.begin().await.unwrap();
    let id = balai_elections::store::insert_election(
        &mut tx,
        "walikota",
        "16.71",
        "Pemilihan Wali Kota Palembang 2030 (uji)",
        date!(2030 - 06 - 10),
        None,
    )
    .await
    .unwrap();
    let stages = [
        (
            "Pemungutan suara".to_string(),
            Some(StageKind::PemungutanSuara),
            date!(2030 - 06 - 10),
            date!(2030 - 06 - 10),
        ),
        (
            "Rekapitulasi".to_string(),
            Some(StageKind::Rekapitulasi),
            date!(2030 - 06 - 11),
            date!(2030 - 06 - 20),
        ),
    ];
    balai_elections::store::insert_schedule(&mut tx, id, 1, "Jadwal", "PKPU", None, "uji", &stages)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// The seeded roster: (body, region, name).
pub struct Roster {
    pub a: String,
    pub b: String,
    pub rows: Vec<(&'static str, String, String)>,
}

/// Palembang's roster: 2 staff, 3 PPK in district A, 2 in B, 4 PPS in A's first village, 5
/// KPPS in B's first village.
pub async fn seed_roster(w: &SopWorld) -> Roster {
    let d = under(w, "16.71", 3, 2).await;
    let (a, b) = (d[0].clone(), d[1].clone());
    let va = under(w, &a, 4, 1).await[0].clone();
    let vb = under(w, &b, 4, 1).await[0].clone();
    let mut rows = Vec::new();
    let mut add = |body: &'static str, region: &str, n: usize| {
        for i in 0..n {
            rows.push((
                body,
                region.to_string(),
                format!("{} {region} {i}", body.to_uppercase()),
            ));
        }
    };
    add("staff", "16.71", 2);
    add("ppk", &a, 3);
    add("ppk", &b, 2);
    add("pps", &va, 4);
    add("kpps", &vb, 5);
    let officers: Vec<Value> = rows
        .iter()
        .map(|(b, r, n)| json!({ "body": b, "region_code": r, "name": n }))
        .collect();
    let v = w
        .post_ok(
            "plg.admin",
            "/api/v1/readiness/officers",
            json!({ "region_code": "16.71", "officers": officers }),
            201,
        )
        .await;
    assert_eq!(v, json!({ "added": 16, "existing": 0 }));
    // Sent again: nothing is added twice.
    let v = w
        .post_ok(
            "plg.admin",
            "/api/v1/readiness/officers",
            json!({ "region_code": "16.71", "officers": officers[..3] }),
            201,
        )
        .await;
    assert_eq!(v, json!({ "added": 0, "existing": 3 }));
    Roster { a, b, rows }
}

/// A session for voting day in Palembang; its id.
pub async fn vote_session(w: &SopWorld, held_on: &str) -> i64 {
    let v = w
        .post_ok(
            "plg.admin",
            "/api/v1/trainings",
            json!({ "topic": "Bimtek pemungutan suara", "region_code": "16.71",
                "stage_kind": "pemungutan_suara", "bodies": ["ppk", "pps", "kpps"],
                "application": "Sirekap", "trainers": "Divisi Teknis", "held_on": held_on }),
            201,
        )
        .await;
    v["id"].as_i64().unwrap()
}

/// The ids of the session's roster lines whose name is in `names`.
async fn ids_of(w: &SopWorld, session: i64, names: &[String]) -> Vec<i64> {
    let (s, v) = status_json(
        api(
            &w.app,
            "GET",
            w.token("plg.admin"),
            &format!("/api/v1/trainings/{session}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v["roster"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| names.iter().any(|n| o["name"] == n.as_str()))
        .map(|o| o["id"].as_i64().unwrap())
        .collect()
}

async fn readiness(w: &SopWorld, user: &str, on: &str) -> Value {
    let (s, v) = status_json(
        api(
            &w.app,
            "GET",
            w.token(user),
            &format!("/api/v1/readiness?region_code=16.71&on={on}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v
}

both_backends!(
    readiness_figures_follow_the_roster,
    |b: Backend| async move {
        let w = sop_world(b).await;
        palembang_election(&w).await;
        let roster = seed_roster(&w).await;
        let session = vote_session(&w, "2030-06-01").await;
        // Who attended, per (body, region): the first k of each group.
        let attended_k: [(&str, &str, usize); 4] = [
            ("ppk", roster.a.as_str(), 2),
            ("ppk", roster.b.as_str(), 1),
            ("pps", "", 3),
            ("kpps", "", 2),
        ];
        let mut names = Vec::new();
        for (body, region, k) in attended_k {
            names.extend(
                roster
                    .rows
                    .iter()
                    .filter(|(b, r, _)| *b == body && (region.is_empty() || r == region))
                    .take(k)
                    .map(|(_, _, n)| n.clone()),
            );
        }
        let ids = ids_of(&w, session, &names).await;
        assert_eq!(ids.len(), 8);
        let (s, v) = status_json(
            api(
                &w.app,
                "PUT",
                w.token("plg.officer"),
                &format!("/api/v1/trainings/{session}/attendance"),
                Some(json!({ "officer_ids": ids })),
            )
            .await,
        )
        .await;
        assert_eq!((s, v), (200, json!({ "attended": 8, "added": 8 })));

        // A session on the first day of the stage is too late to count; imported as CSV.
        let late = vote_session(&w, "2030-06-10").await;
        let kpps: Vec<&(&str, String, String)> = roster
            .rows
            .iter()
            .filter(|(b, _, _)| *b == "kpps")
            .collect();
        let csv = format!(
            "body,region_code,name\nkpps,{},{}\nKPPS,{},{}\n",
            kpps[3].1,
            kpps[3].2,
            kpps[4].1,
            kpps[4].2.to_lowercase()
        );
        let res = reqwest::Client::new()
            .post(
                w.app
                    .url(&format!("/api/v1/trainings/{late}/attendance/import")),
            )
            .bearer_auth(w.token("plg.admin"))
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        let (s, v) = status_json(res).await;
        assert_eq!((s, v), (200, json!({ "attended": 2, "added": 2 })));

        // Expected, computed here: the bodies the sessions train (PPK, PPS, KPPS: 14 officers),
        // trained before 10 June: 2 + 1 + 3 + 2.
        let trained: i64 = 8;
        let officers: i64 = 3 + 2 + 4 + 5;
        let share = (trained * 10_000 * 2 + officers) / (officers * 2);
        let r = readiness(&w, "plg.admin", "2030-06-05").await;
        assert_eq!(r["officers"], 16);
        assert_eq!(
            r["thresholds"],
            json!({ "threshold_percent": 80, "warn_days": 7 })
        );
        let vote = &r["stages"][0];
        assert_eq!(vote["kind"], "pemungutan_suara");
        assert_eq!(vote["timing"], "near");
        assert_eq!(vote["days_until"], 5);
        assert_eq!(vote["bodies"], json!(["ppk", "pps", "kpps"]));
        assert_eq!(
            (vote["officers"].as_i64(), vote["trained"].as_i64()),
            (Some(officers), Some(trained))
        );
        assert_eq!(vote["share_hundredths"].as_i64(), Some(share));
        assert_eq!(share, 5714);
        assert_eq!(vote["warning"], true);
        let districts = vote["districts"].as_array().unwrap();
        assert_eq!(districts.len(), 2);
        assert_eq!(districts[0]["district_code"], roster.a.as_str());
        let cells = |d: &Value| -> Vec<(String, i64, i64)> {
            d["bodies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["body"].as_str().unwrap().to_string(),
                        c["trained"].as_i64().unwrap(),
                        c["officers"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(
            cells(&districts[0]),
            [("ppk".into(), 2, 3), ("pps".into(), 3, 4)]
        );
        assert_eq!(
            cells(&districts[1]),
            [("ppk".into(), 1, 2), ("kpps".into(), 2, 5)]
        );
        let untrained_kpps = strings(&districts[1]["bodies"][1]["untrained"], "name");
        assert_eq!(
            untrained_kpps,
            [kpps[2].2.clone(), kpps[3].2.clone(), kpps[4].2.clone()]
        );
        // No session prepares the recapitulation: nothing is counted, no warning.
        let recap = &r["stages"][1];
        assert_eq!(recap["kind"], "rekapitulasi");
        assert_eq!(
            (recap["officers"].as_i64(), recap["warning"].as_bool()),
            (Some(0), Some(false))
        );

        // Three weeks ahead: the session has not happened yet, and it is too early to warn.
        let early = readiness(&w, "prov.viewer", "2030-05-20").await;
        assert_eq!(early["stages"][0]["trained"], 0);
        assert_eq!(early["stages"][0]["timing"], "later");
        assert_eq!(early["stages"][0]["warning"], false);
        // After the stages ended nothing is shown.
        assert_eq!(
            readiness(&w, "plg.admin", "2030-07-01").await["stages"],
            json!([])
        );

        // Raising the share above the threshold (80%) clears the warning: 12 of 14.
        let all: Vec<String> = roster
            .rows
            .iter()
            .filter(|(b, _, n)| *b != "staff" && !kpps[3..].iter().any(|k| &k.2 == n))
            .map(|(_, _, n)| n.clone())
            .collect();
        let ids = ids_of(&w, session, &all).await;
        let (s, v) = status_json(
            api(
                &w.app,
                "PUT",
                w.token("plg.admin"),
                &format!("/api/v1/trainings/{session}/attendance"),
                Some(json!({ "officer_ids": ids })),
            )
            .await,
        )
        .await;
        assert_eq!((s, v), (200, json!({ "attended": 12, "added": 4 })));
        let r = readiness(&w, "plg.admin", "2030-06-05").await;
        assert_eq!(r["stages"][0]["share_hundredths"], 8571);
        assert_eq!(r["stages"][0]["warning"], false);
        assert_eq!(
            w.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'training.%'")
                .await,
            7
        );
    }
);

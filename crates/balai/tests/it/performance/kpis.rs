//! KPIs from each unit's own records, on a data set seeded here and computed independently in
//! the test: complaints dispatched and answered within their clocks, the median working days to
//! an answer, reopened reports; documents completed within the standard and by family; targets;
//! the league table ranked by improvement.

use balai_core::with_db;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

use crate::support::worlds::performance::*;
use crate::support::TestApp;

fn wib() -> time::UtcOffset {
    time::UtcOffset::from_hms(7, 0, 0).unwrap()
}

/// Noon (WIB) of a day `back` days before today.
fn noon(back: i64) -> OffsetDateTime {
    OffsetDateTime::new_in_offset(
        today() - Duration::days(back),
        time::macros::time!(12:00),
        wib(),
    )
}

/// A complaint routed to `agency`, filed `filed_back` days ago, with its events (kind, days ago)
/// and clocks (purpose, due in days from today, negative: past).
async fn complaint(
    app: &TestApp,
    id: i64,
    agency: i64,
    filed_back: i64,
    events: &[&str],
    clocks: &[(&str, i64)],
) {
    let db = &app.db;
    with_db!(db, |c| sqlx::query(
        "INSERT INTO complaints (id, tracking_code, report_type, category_code, title, description,
           anonymous, confidential, channel, status, agency_id, submitted_at, updated_at)
         VALUES ($1, $2, 'pengaduan', 'pelayanan', 't', 'd', FALSE, FALSE, 'web', 'answered', $3, $4, $4)"
    )
    .bind(id)
    .bind(format!("TEST{id:06}"))
    .bind(agency)
    .bind(noon(filed_back) - Duration::hours(4))
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
    for kind in events {
        with_db!(db, |c| sqlx::query(
            "INSERT INTO complaint_events (complaint_id, occurred_at, kind, public, actor_label)
             VALUES ($1, $2, $3, TRUE, 'test')"
        )
        .bind(id)
        .bind(noon(0))
        .bind(*kind)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();
    }
    for (purpose, due) in clocks {
        with_db!(db, |c| sqlx::query(
            "INSERT INTO clocks (subject_kind, subject_id, purpose, start_day, working_days, due_day, open, created_at)
             VALUES ('complaint', $1, $2, $3, 3, $4, FALSE, $5)"
        )
        .bind(id.to_string())
        .bind(*purpose)
        .bind(today())
        .bind(today() + Duration::days(*due))
        .bind(noon(0))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();
    }
}

/// A completed application of `service` at `agency`, its due day `due` days from today.
async fn document(app: &TestApp, id: i64, agency: i64, service: &str, status: &str, due: i64) {
    let db = &app.db;
    with_db!(db, |c| sqlx::query(
        "INSERT INTO cr_applications (id, tracking_code, secret_hash, service_code, channel, status,
           kelurahan_code, disdukcapil_agency_id, applicant_name, nik_enc, nik_hash, nik_masked,
           kk_enc, kk_hash, kk_masked, birth_date, sex, due_day, submitted_at, completed_at, updated_at)
         VALUES ($1, $2, 'x', $3, 'online', $4, '32.79.01.1001', $5, 'Uji', $6, $7, 'x', $6, $7, 'x',
           $8, 'L', $9, $10, $11, $10)"
    )
    .bind(id)
    .bind(format!("CR{id:08}"))
    .bind(service)
    .bind(status)
    .bind(agency)
    .bind(vec![0u8; 4])
    .bind(format!("h{id}"))
    .bind(time::macros::date!(1990 - 01 - 01))
    .bind(today() + Duration::days(due))
    .bind(noon(0) - Duration::hours(2))
    .bind((status == "completed").then(|| noon(0)))
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
}

async fn kpis(app: &TestApp, agency: i64) -> Value {
    month_kpis(app, agency, &today().to_string()[..7]).await
}

fn kpi<'a>(v: &'a Value, key: &str) -> &'a Value {
    v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["breakdown"].as_array().unwrap())
        .find(|k| k["key"] == key)
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

both_backends!(kpis_from_each_units_own_records, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let u = units(&app).await;
    // Complaints of Pemerintah Kota Banjar, every event today (WIB):
    // 1: dispatched (due today: on time), answered (due in 2 days: on time), filed today.
    // 2: dispatched (due yesterday: late), answered (due yesterday: late), filed 6 days ago.
    // 3: dispatched (due tomorrow: on time), reopened by the reporter.
    // 4: routed to Disdukcapil, dispatched late: not Pemda's.
    complaint(
        &app,
        1,
        u.pemda,
        0,
        &["dispatched", "answered"],
        &[("dispatch", 0), ("follow_up", 2)],
    )
    .await;
    complaint(
        &app,
        2,
        u.pemda,
        6,
        &["dispatched", "answered"],
        &[("dispatch", -1), ("follow_up", -1)],
    )
    .await;
    complaint(
        &app,
        3,
        u.pemda,
        1,
        &["dispatched", "reopened"],
        &[("dispatch", 1)],
    )
    .await;
    complaint(&app, 4, u.dukcapil, 1, &["dispatched"], &[("dispatch", -3)]).await;
    let cal = balai_core::calendar::load(&app.db).await.unwrap();
    // Working days from filing to answer: 0 for the first, those of six days for the second;
    // the median of two is their mean.
    let w2 = cal.working_days_between(today() - Duration::days(6), today());
    let median = w2 as f64 / 2.0;

    let v = kpis(&app, u.pemda).await;
    let d = kpi(&v, "complaints.dispatched_on_time");
    assert_eq!(
        (&d["part"], &d["whole"], &d["value"]),
        (&json!(2), &json!(3), &json!(66.67)),
        "{d}"
    );
    let a = kpi(&v, "complaints.answered_on_time");
    assert_eq!(
        (&a["part"], &a["whole"], &a["value"]),
        (&json!(1), &json!(2), &json!(50.0)),
        "{a}"
    );
    assert_eq!(
        kpi(&v, "complaints.median_days_to_answer")["value"],
        json!(median)
    );
    assert_eq!(kpi(&v, "complaints.reopened")["value"], json!(1.0));
    assert!(v["breakdown"].as_array().unwrap().is_empty());

    // Documents of Disdukcapil Kota Banjar completed today: three on or before their due day,
    // one late; one still open does not count.
    document(&app, 1, u.dukcapil, "kk_baru", "completed", 0).await;
    document(&app, 2, u.dukcapil, "ktp_baru", "completed", 5).await;
    document(&app, 3, u.dukcapil, "ktp_penggantian", "completed", -2).await;
    document(&app, 4, u.dukcapil, "akta_kelahiran", "completed", 1).await;
    document(&app, 5, u.dukcapil, "akta_kematian", "submitted", 9).await;
    let v = kpis(&app, u.dukcapil).await;
    let c = kpi(&v, "civil_registry.completed_within_standard");
    assert_eq!(
        (&c["part"], &c["whole"], &c["value"]),
        (&json!(3), &json!(4), &json!(75.0)),
        "{c}"
    );
    for (family, part, share) in [
        ("kk", 1, 25.0),
        ("ktp", 2, 50.0),
        ("pindah_datang", 0, 0.0),
        ("akta_kelahiran", 1, 25.0),
        ("akta_kematian", 0, 0.0),
    ] {
        let f = kpi(&v, &format!("civil_registry.family.{family}"));
        assert_eq!(
            (&f["part"], &f["value"]),
            (&json!(part), &json!(share)),
            "{f}"
        );
        assert_eq!(f["better"], "none");
    }
    // Disdukcapil's complaint (dispatched late) is its own.
    assert_eq!(
        kpi(&v, "complaints.dispatched_on_time")["value"],
        json!(0.0)
    );

    // Targets: the unit's admin sets them; an officer or another unit's admin may not.
    let admin = app.token_for("pemda.admin").await;
    let officer = app.token_for("pemda.officer").await;
    let dk_admin = app.token_for("dk.admin").await;
    let put = |token: String, kpi: &str, target: &str| {
        let req = app
            .client()
            .put(app.url(&format!(
                "/api/v1/performance/units/{}/targets/{kpi}",
                u.pemda
            )))
            .bearer_auth(token)
            .json(&json!({ "target": target }));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(put(officer, "complaints.answered_on_time", "90").await, 403);
    assert_eq!(
        put(dk_admin, "complaints.answered_on_time", "90").await,
        403
    );
    assert_eq!(
        put(admin.clone(), "complaints.answered_on_time", "x").await,
        422
    );
    assert_eq!(put(admin.clone(), "Bad Key", "90").await, 422);
    assert_eq!(
        put(admin.clone(), "complaints.answered_on_time", "90").await,
        200
    );
    assert_eq!(
        put(admin.clone(), "complaints.dispatched_on_time", "66,5").await,
        200
    );
    let v = kpis(&app, u.pemda).await;
    let a = kpi(&v, "complaints.answered_on_time");
    assert_eq!(
        (&a["target"], &a["target_met"]),
        (&json!(90.0), &json!(false))
    );
    let d = kpi(&v, "complaints.dispatched_on_time");
    assert_eq!(
        (&d["target"], &d["target_met"]),
        (&json!(66.5), &json!(true))
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM perf_kpi_targets").await,
        2
    );
});

both_backends!(
    the_league_ranks_improvement_not_level,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let dk = app.token_for("dk.officer").await;
        let pm = app.token_for("pemda.officer").await;
        // Disdukcapil: 75.00 last month, 100.00 this month (+25). Pemerintah: 100.00, then 87.50
        // (−12.50) — higher this month, but it fell.
        let dcodes = codes(&app, &dk, u.dukcapil, 2).await;
        let pcodes = codes(&app, &pm, u.pemda, 3).await;
        assert_eq!(answer(&app, &dcodes[0], &[3; 9]).await.0, 201);
        assert_eq!(answer(&app, &dcodes[1], &[4; 9]).await.0, 201);
        assert_eq!(answer(&app, &pcodes[0], &[4; 9]).await.0, 201);
        assert_eq!(answer(&app, &pcodes[1], &[4; 9]).await.0, 201);
        assert_eq!(answer(&app, &pcodes[2], &[3; 9]).await.0, 201);
        let (first, _) =
            balai_performance::domain::period::parse_month(&today().to_string()[..7]).unwrap();
        let last_month = first - Duration::days(1);
        // Move one answer of each into last month: Disdukcapil's 3s, Pemerintah's first 4s.
        for (agency, u1) in [(u.dukcapil, 3), (u.pemda, 4)] {
            let moved = with_db!(&app.db, |c| sqlx::query(
            "UPDATE perf_survey_responses SET service_day = $1
             WHERE id = (SELECT MIN(id) FROM perf_survey_responses WHERE agency_id = $2 AND u1 = $3)"
        )
        .bind(last_month)
        .bind(agency)
        .bind(u1)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();
            assert_eq!(moved, 1);
        }
        let month = &today().to_string()[..7];
        let res = app
            .client()
            .get(app.url(&format!(
                "/api/v1/performance/league?region=32.79&month={month}"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        let units = v["units"].as_array().unwrap();
        assert_eq!(units.len(), 2, "{v}");
        assert_eq!(
            (
                &units[0]["agency_id"],
                &units[0]["rank"],
                &units[0]["improvement"],
                &units[0]["ikm"]
            ),
            (&json!(u.dukcapil), &json!(1), &json!(25.0), &json!(100.0))
        );
        assert_eq!(
            (
                &units[1]["agency_id"],
                &units[1]["rank"],
                &units[1]["improvement"],
                &units[1]["ikm"]
            ),
            (&json!(u.pemda), &json!(2), &json!(-12.5), &json!(87.5))
        );
        // The page shows the same ranking.
        let html = text(
            &app,
            &app.client(),
            &format!("/kinerja/peringkat?region=32.79&month={month}&lang=id"),
        )
        .await;
        // The region is chosen by name, not typed as a code; the month by its name.
        assert!(
            html.contains(" selected>Kota Banjar, Jawa Barat</option>"),
            "{html}"
        );
        assert!(!html.contains("type=\"month\""));
        let first_unit = html.find("Disdukcapil Kota Banjar").unwrap();
        let second_unit = html.find("Pemerintah Kota Banjar").unwrap();
        assert!(first_unit < second_unit);
        assert!(html.contains("+25,00") && html.contains("-12,50"), "{html}");
        let res = app
            .client()
            .get(app.url("/api/v1/performance/league?region=xx&month=2026-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
    }
);

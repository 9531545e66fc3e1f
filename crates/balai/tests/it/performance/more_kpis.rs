//! The KPIs of Keterbukaan informasi (requests answered on time) and Partisipasi (outreach
//! activities done against planned), through the same trait in core, on a data set seeded
//! here in the month before this one (every day of it past) and computed independently.

use balai_core::with_db;
use serde_json::{json, Value};
use time::{Date, Duration};

use crate::support::TestApp;

/// The first day of last month and of this month (WIB).
fn months() -> (Date, Date) {
    let today = balai_core::db::now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap())
        .date();
    let this = today.replace_day(1).unwrap();
    let last = (this - Duration::days(1)).replace_day(1).unwrap();
    (last, this)
}

async fn kpis(app: &TestApp, agency: i64, month: Date) -> Value {
    crate::support::worlds::performance::month_kpis(app, agency, &month.to_string()[..7]).await
}

fn find<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == key)
}

/// Part of whole as the API states a share: percent, two decimals, half up.
fn percent(part: i64, whole: i64) -> f64 {
    ((part * 10_000 * 2 + whole) / (2 * whole)) as f64 / 100.0
}

both_backends!(
    information_requests_answered_on_time,
    |backend| async move {
        use crate::support::worlds::information::*;
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (m, next) = months();
        let d = |n: i64| m + Duration::days(n - 1);
        // (agency, due day, answered on)
        let seeds: Vec<(i64, Date, Option<Date>)> = vec![
            (p.banjar, d(10), Some(d(9))),                     // on time
            (p.banjar, d(10), Some(d(12))),                    // late
            (p.banjar, d(20), None),                           // past due, unanswered: late
            (p.banjar, d(15), Some(d(15))),                    // on the due day: on time
            (p.banjar, next + Duration::days(4), Some(d(28))), // due next month: not this one's
            (p.palembang, d(10), Some(d(9))),                  // another unit
        ];
        for (agency, due, answered) in &seeds {
            let (s, v) = file(&app, request_json(*agency)).await;
            assert_eq!(s, 201, "{v}");
            let id = v["id"].as_i64().unwrap();
            set_due(&app, id, "answer", *due).await;
            with_db!(&app.db, |c| sqlx::query(
                "UPDATE info_requests SET answered_on = $1 WHERE id = $2"
            )
            .bind(*answered)
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))
            .unwrap();
        }
        // Independently: due in the month, answered or past due; on time if answered by the due day.
        let in_month: Vec<_> = seeds
            .iter()
            .filter(|(a, due, _)| *a == p.banjar && *due >= m && *due < next)
            .collect();
        let whole = in_month.len() as i64;
        let part = in_month
            .iter()
            .filter(|(_, due, ans)| ans.is_some_and(|a| a <= *due))
            .count() as i64;
        assert_eq!((part, whole), (2, 4));
        let v = kpis(&app, p.banjar, m).await;
        let k = find(&v, "information.answered_on_time").expect("the information KPI");
        assert_eq!(
            (&k["part"], &k["whole"], &k["value"]),
            (&json!(part), &json!(whole), &json!(percent(part, whole))),
            "{k}"
        );
        assert_eq!(k["label"], "Permohonan informasi dijawab tepat waktu");
        // A unit without requests that month: no figure at all.
        assert!(find(
            &kpis(&app, p.dinas, m).await,
            "information.answered_on_time"
        )
        .is_none());
        // Another unit counts its own requests only.
        let v = kpis(&app, p.palembang, m).await;
        assert_eq!(
            find(&v, "information.answered_on_time").unwrap()["value"],
            json!(100.0)
        );
    }
);

/// (id, organiser, day, participants, attendance row: none, or one with this count).
type Activity = (i64, i64, Date, i64, Option<Option<i64>>);

async fn activity(app: &TestApp, id: i64, organiser: i64, user: i64, day: Date, participants: i64) {
    with_db!(&app.db, |c| {
        sqlx::query(
        "INSERT INTO collab_activities (id, title, region_code, day, target_group, participants,
           organiser_agency_id, organiser_name, created_by, created_at)
         VALUES ($1, 'Sosialisasi', '32.79', $2, 'pemilih_pemula', $3, $4, 'Penyelenggara', $5, $6)"
    )
    .bind(id)
    .bind(day)
    .bind(participants)
    .bind(organiser)
    .bind(user)
    .bind(balai_core::db::now())
    .execute(c)
    .await
    .map(|_| ())
    })
    .unwrap();
}

async fn attendance(app: &TestApp, activity: i64, attendees: Option<i64>) {
    with_db!(&app.db, |c| sqlx::query(
        "INSERT INTO collab_attendance (activity_id, position, institution, attendees, signed_list)
         VALUES ($1, 1, 'SMA Negeri 1', $2, FALSE)"
    )
    .bind(activity)
    .bind(attendees)
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
}

both_backends!(outreach_done_against_planned, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let kpu = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
    let other = app
        .add_agency("kesbangpol", "Kesbangpol Kota Banjar", "32.79")
        .await;
    app.add_user(
        "kpu.officer",
        Some(kpu),
        balai_core::accounts::Role::Officer,
        false,
    )
    .await;
    let user = crate::support::http::count(&app.db, "SELECT MAX(id) FROM users").await;
    let (m, next) = months();
    let d = |n: i64| m + Duration::days(n - 1);
    // (id, organiser, day, participants, attendance)
    let seeds: Vec<Activity> = vec![
        (1, kpu, d(5), 40, None),                     // held
        (2, kpu, d(12), 0, Some(Some(15))),           // held: attendance recorded per institution
        (3, kpu, d(18), 0, None),                     // planned, nothing recorded
        (4, kpu, d(25), 0, Some(None)),               // an institution listed without a count
        (5, kpu, d(27), 12, None),                    // held
        (6, kpu, next + Duration::days(2), 30, None), // next month
        (7, other, d(5), 50, None),                   // another organiser
    ];
    for (id, org, day, n, att) in &seeds {
        activity(&app, *id, *org, user, *day, *n).await;
        if let Some(a) = att {
            attendance(&app, *id, *a).await;
        }
    }
    let planned: Vec<_> = seeds
        .iter()
        .filter(|(_, org, day, _, _)| *org == kpu && *day >= m && *day < next)
        .collect();
    let whole = planned.len() as i64;
    let part = planned
        .iter()
        .filter(|(_, _, _, n, att)| *n > 0 || att.is_some_and(|a| a.is_some_and(|x| x > 0)))
        .count() as i64;
    assert_eq!((part, whole), (3, 5));
    let v = kpis(&app, kpu, m).await;
    let k = find(&v, "participation.outreach_done").expect("the outreach KPI");
    assert_eq!(
        (&k["part"], &k["whole"], &k["value"]),
        (&json!(part), &json!(whole), &json!(percent(part, whole))),
        "{k}"
    );
    assert_eq!(k["better"], "higher");
    // On the unit's page, in both languages.
    let page = app
        .client()
        .get(app.url(&format!(
            "/kinerja/unit/{kpu}?month={}",
            &m.to_string()[..7]
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Kegiatan sosialisasi terlaksana dari yang direncanakan")
            && page.contains("60,00% (3 dari 5)"),
        "{page}"
    );
    let en = app
        .client()
        .get(app.url(&format!(
            "/kinerja/unit/{kpu}?month={}&lang=en",
            &m.to_string()[..7]
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        en.contains("Outreach activities done of those planned") && en.contains("60.00% (3 of 5)")
    );
});

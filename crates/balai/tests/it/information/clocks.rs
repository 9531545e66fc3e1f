//! Every clock through the real API on the stored holiday calendar: the answer's due day moved
//! by a holiday added afterwards (and back when it is removed), one extension of 7 working days
//! and none after the due day, the objection window from the answer or the missed deadline.

use serde_json::json;

use crate::support::http::{api, status_json};
use crate::support::worlds::information::*;
use crate::support::TestApp;

both_backends!(
    a_holiday_added_afterwards_moves_the_due_day_and_removing_it_moves_it_back,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let root = app.token_for("root").await;
        let (_, filed) = file(&app, request_json(p.banjar)).await;
        let id = filed["id"].as_i64().unwrap();
        let cal = calendar(&app).await;
        let due = cal.add_working_days(today(), 10);
        assert_eq!(day(&filed["due_day"]), due);
        // A regional holiday on the first working day of the window.
        let first = cal.add_working_days(today(), 1);
        let (s, body) = status_json(
            api(
                &app,
                "POST",
                &root,
                "/api/v1/calendar/holidays",
                Some(json!({"day": first.to_string(), "kind": "libur_daerah",
                    "name_id": "Hari Jadi Kota Banjar", "source": "Perda Kota Banjar 2/2026"})),
            )
            .await,
        )
        .await;
        assert_eq!(s, 201, "{body}");
        let moved = calendar(&app).await.add_working_days(today(), 10);
        assert!(moved > due, "{moved} after {due}");
        let (_, view) = public(&app, id).await;
        assert_eq!(day(&view["due_day"]), moved);
        // Removed again: back to the first due day.
        let res = api(
            &app,
            "DELETE",
            &root,
            &format!("/api/v1/calendar/holidays/{first}"),
            None,
        )
        .await;
        assert_eq!(res.status().as_u16(), 204);
        let (_, view) = public(&app, id).await;
        assert_eq!(day(&view["due_day"]), due);
    }
);

both_backends!(
    one_extension_of_seven_working_days_with_reasons_and_never_after_the_due_day,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let (_, filed) = file(&app, request_json(p.banjar)).await;
        let id = filed["id"].as_i64().unwrap();
        // Reasons are required.
        let (s, err) = act(&app, &ppid1, id, json!({"action": "extend", "reason": " "})).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("text_required")));
        let reason = "Dokumen DPA masih dihimpun dari tiga bidang";
        let (s, done) = act(
            &app,
            &ppid1,
            id,
            json!({"action": "extend", "reason": reason}),
        )
        .await;
        assert_eq!(
            (s, done["status"].as_str()),
            (200, Some("extended")),
            "{done}"
        );
        let (_, view) = public(&app, id).await;
        let cal = calendar(&app).await;
        assert_eq!(day(&view["due_day"]), cal.add_working_days(today(), 17));
        assert_eq!(view["extended"], true);
        assert_eq!(view["extension_reason"], reason);
        // Once only.
        let (s, err) = act(
            &app,
            &ppid1,
            id,
            json!({"action": "extend", "reason": reason}),
        )
        .await;
        assert_eq!((s, err["code"].as_str()), (422, Some("already_extended")));
        assert!(err["message"].as_str().unwrap().contains("hanya sekali"));

        // A request whose due day has passed cannot be extended; nothing changes.
        let (_, late) = file(&app, request_json(p.banjar)).await;
        let late_id = late["id"].as_i64().unwrap();
        let yesterday = today() - time::Duration::days(1);
        set_due(&app, late_id, "answer", yesterday).await;
        let (s, err) = act(
            &app,
            &ppid1,
            late_id,
            json!({"action": "extend", "reason": reason}),
        )
        .await;
        assert_eq!(
            (s, err["code"].as_str()),
            (422, Some("extension_after_due_day"))
        );
        let (_, view) = public(&app, late_id).await;
        assert_eq!(view["status"], "received");
        assert_eq!(view["extended"], false);
        assert_eq!(day(&view["due_day"]), yesterday);
        assert_eq!(view["late"], true);
        let extends = crate::support::http::count(
            &app.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'information.extend'",
        )
        .await;
        assert_eq!(extends, 1);
    }
);

both_backends!(
    the_objection_window_opens_at_the_answer_or_the_missed_deadline_and_closes_after_30_working_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let why = json!({"action": "object", "reason": "PPID tidak menjawab dalam waktu 10 hari kerja"});

        // Too early: the PPID is still in time.
        let (_, a) = file(&app, request_json(p.banjar)).await;
        let (a_id, a_code, a_secret) = creds(&a);
        let (s, err) = requester(&app, &a_code, &a_secret, why.clone()).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("objection_too_early")));
        // A wrong secret is not the requester.
        let (s, _) = requester(&app, &a_code, "ZZZZZZZZZZZZZZZZ", why.clone()).await;
        assert_eq!(s, 404);

        // Missed deadline: the window runs from the due day; the objection starts a 30-day clock.
        let yesterday = today() - time::Duration::days(1);
        set_due(&app, a_id, "answer", yesterday).await;
        let (_, mine) = track(&app, &a_code, &a_secret).await;
        assert_eq!(mine["may_object"], true);
        let cal = calendar(&app).await;
        assert_eq!(
            day(&mine["objection_deadline"]),
            cal.add_working_days(yesterday, 30)
        );
        let (s, done) = requester(&app, &a_code, &a_secret, why.clone()).await;
        assert_eq!((s, done["status"].as_str()), (200, Some("objected")), "{done}");
        let (_, view) = public(&app, a_id).await;
        assert_eq!(view["late"], true);
        assert_eq!(
            day(&view["objection"]["due_day"]),
            cal.add_working_days(today(), 30)
        );
        let answer_clock =
            balai_core::calendar::get_clock(&app.db, "info_request", &a_id.to_string(), "answer")
                .await
                .unwrap()
                .unwrap();
        assert!(!answer_clock.open);
        // Objecting twice is not a thing.
        let (s, err) = requester(&app, &a_code, &a_secret, why.clone()).await;
        assert_eq!((s, err["code"].as_str()), (409, Some("wrong_state")));

        // Answered: the window runs from the answer, 30 working days.
        let (_, b) = file(&app, request_json(p.banjar)).await;
        let (b_id, b_code, b_secret) = creds(&b);
        let (s, _) = act(
            &app,
            &ppid1,
            b_id,
            json!({"action": "answer", "answer": "Salinan DPA terlampir dalam surat elektronik."}),
        )
        .await;
        assert_eq!(s, 200);
        let long_ago = cal.add_working_days(today() - time::Duration::days(60), 0);
        set_day(&app, b_id, "answered_on", long_ago).await;
        let (_, mine) = track(&app, &b_code, &b_secret).await;
        assert_eq!(mine["may_object"], false);
        let (s, err) = requester(&app, &b_code, &b_secret, why.clone()).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("objection_too_late")));
        // Within the window it is in time.
        let start = today() - time::Duration::days(20);
        set_day(&app, b_id, "answered_on", start).await;
        assert!(cal.add_working_days(start, 30) >= today());
        let (s, done) = requester(&app, &b_code, &b_secret, why.clone()).await;
        assert_eq!((s, done["status"].as_str()), (200, Some("objected")));
    }
);

/// Add a regional holiday as the super-admin; 201.
async fn add_holiday(app: &TestApp, root: &str, day: time::Date) {
    let (s, body) = status_json(
        api(
            app,
            "POST",
            root,
            "/api/v1/calendar/holidays",
            Some(json!({"day": day.to_string(), "kind": "libur_daerah",
                "name_id": "Hari Jadi Kota Banjar", "source": "Perda Kota Banjar 2/2026"})),
        )
        .await,
    )
    .await;
    assert_eq!(s, 201, "{body}");
}

both_backends!(
    a_holiday_added_afterwards_moves_the_extended_and_the_objection_answer_due_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let root = app.token_for("root").await;
        let ppid1 = app.token_for("ppid1").await;
        let cal = calendar(&app).await;
        // Extended: the 17th working day after receipt.
        let (_, a) = file(&app, request_json(p.banjar)).await;
        let a_id = a["id"].as_i64().unwrap();
        let why = json!({"action": "extend", "reason": "Dokumen masih dihimpun dari tiga bidang"});
        assert_eq!(act(&app, &ppid1, a_id, why).await.0, 200);
        let extended = cal.add_working_days(today(), 17);
        assert_eq!(day(&public(&app, a_id).await.1["due_day"]), extended);
        // Objected after a missed deadline: the Atasan PPID's 30 working days from today.
        let (_, b) = file(&app, request_json(p.banjar)).await;
        let (b_id, b_code, b_secret) = creds(&b);
        set_due(&app, b_id, "answer", today() - time::Duration::days(1)).await;
        let objection =
            json!({"action": "object", "reason": "Tidak ada jawaban sampai batas waktu"});
        assert_eq!(requester(&app, &b_code, &b_secret, objection).await.0, 200);
        let objection_due = cal.add_working_days(today(), 30);
        let (_, view) = public(&app, b_id).await;
        assert_eq!(day(&view["objection"]["due_day"]), objection_due);

        // A holiday on a working day inside both windows, added afterwards: both move by one
        // working day, on the calendar as it now stands.
        let inside = cal.add_working_days(today(), 2);
        add_holiday(&app, &root, inside).await;
        let now = calendar(&app).await;
        assert!(!now.is_working_day(inside));
        let (_, view) = public(&app, a_id).await;
        assert_eq!(day(&view["due_day"]), now.add_working_days(today(), 17));
        assert!(day(&view["due_day"]) > extended);
        let (_, view) = public(&app, b_id).await;
        assert_eq!(
            day(&view["objection"]["due_day"]),
            now.add_working_days(today(), 30)
        );
        assert!(day(&view["objection"]["due_day"]) > objection_due);
        // The requester's own view says the same.
        let (_, mine) = track(&app, &b_code, &b_secret).await;
        assert_eq!(
            mine["request"]["objection"]["due_day"],
            view["objection"]["due_day"]
        );
    }
);

fn creds(filed: &serde_json::Value) -> (i64, String, String) {
    (
        filed["id"].as_i64().unwrap(),
        filed["tracking_code"].as_str().unwrap().to_string(),
        filed["secret"].as_str().unwrap().to_string(),
    )
}

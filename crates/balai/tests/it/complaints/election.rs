//! Election-violation reports: formal requirements, the 7-day window, routing to Bawaslu, and
//! Bawaslu's 3-day follow-up clock with +2 days for more information.

use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::Backend;
use balai_complaints::domain::settings::{today, ComplaintSettings};
use balai_core::calendar;
use serde_json::{json, Value};

/// The due day of a report's follow-up clock.
async fn follow_up_due(w: &World, id: i64) -> time::Date {
    calendar::get_clock(&w.app.db, "complaint", &id.to_string(), "follow_up")
        .await
        .unwrap()
        .unwrap()
        .due_day
}

fn complete(known_on: time::Date) -> Value {
    json!({
        "category": "pelanggaran_pemilihan",
        "description": "Tim sukses membagikan amplop berisi uang kepada warga.",
        "village_code": BANJAR_VILLAGE,
        "contact_name": "Sari Contoh",
        "contact_phone": "0812 3456 7890",
        "reported_party": "Tim sukses paslon nomor 2",
        "incident_time": "pukul 09.00",
        "incident_place": "Depan balai warga RT 03",
        "evidence": "Dua saksi dan foto amplop",
        "known_on": known_on.to_string(),
    })
}

both_backends!(
    formal_reports_go_to_bawaslu_with_its_clock,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (st, v) = w.file(complete(today())).await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["formal"], true);
        let code = v["tracking_code"].as_str().unwrap();
        let id = v["id"].as_i64().unwrap();
        let p = w.public(code).await;
        assert_eq!(p["agency"], "Bawaslu Kota Banjar");
        assert_eq!(p["report_type"], "pelanggaran_pemilihan");
        // Pemda cannot touch it; Bawaslu dispatches and gets 3 days, +2 on asking for more.
        let (st, _) = w
            .act(&w.officer_banjar, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(st, 404);
        let (st, _) = w
            .act(&w.bawaslu_officer, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(st, 200);
        let cal = calendar::load(&w.app.db).await.unwrap();
        assert_eq!(
            follow_up_due(&w, id).await,
            cal.add_working_days(today(), 3)
        );
        let (st, _) = w
            .act(
                &w.bawaslu_officer,
                id,
                json!({"action": "request_more_info", "body": "Mohon kirim nama saksi."}),
            )
            .await;
        assert_eq!(st, 200);
        assert_eq!(
            follow_up_due(&w, id).await,
            cal.add_working_days(today(), 5)
        );
        // The request reaches the reporter by SMS.
        let sms = w.count("SELECT COUNT(*) FROM notifications WHERE channel = 'sms' AND recipient = '+6281234567890'").await;
        assert_eq!(sms, 3);
    }
);

both_backends!(
    anonymous_or_late_reports_are_kept_as_information,
    |b: Backend| async move {
        let w = World::new(b).await;
        let mut anon = complete(today());
        anon["anonymous"] = json!(true);
        let (st, v) = w.file(anon).await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["formal"], false);
        let msg = v["message"].as_str().unwrap();
        assert!(msg.contains("INFORMASI AWAL"), "{msg}");
        assert!(msg.contains("anonim"), "{msg}");

        let late = today() - time::Duration::days(8);
        let (st, v) = w.file(complete(late)).await;
        assert_eq!(st, 201);
        assert_eq!(v["formal"], false);
        assert!(v["message"].as_str().unwrap().contains("batas waktu"));
        // Still routed to Bawaslu and visible on the tracking page with the explanation.
        let p = w.public(v["tracking_code"].as_str().unwrap()).await;
        assert_eq!(p["formal"], false);
        assert_eq!(p["agency"], "Bawaslu Kota Banjar");
        assert!(p["formal_note"].as_str().unwrap().contains("batas waktu"));
        // The English tracking page says it in English, in the note and in the history.
        let code = v["tracking_code"].as_str().unwrap();
        let secret = v["secret"].as_str().unwrap();
        let (st, html) = w
            .reporter_form(
                "/aduan/lacak?lang=en",
                &[("kode", code), ("rahasia", secret)],
            )
            .await;
        assert_eq!(st, 200, "{html}");
        assert_eq!(
            html.matches("Your report is recorded as INFORMATION")
                .count(),
            2,
            "note and history: {html}"
        );
        assert!(
            html.contains("the deadline for reporting has passed"),
            "{html}"
        );
        assert!(!html.contains("INFORMASI AWAL"), "{html}");
        // The seventh day is still on time.
        let (_, v) = w.file(complete(today() - time::Duration::days(7))).await;
        assert_eq!(v["formal"], true);
        // Missing requirements are named.
        let (_, v) = w
        .file(json!({"category": "hoaks_politik_uang", "description": "Ada pesan berantai bohong soal TPS.", "village_code": BANJAR_VILLAGE}))
        .await;
        assert_eq!(v["formal"], false);
        assert!(v["message"].as_str().unwrap().contains("pihak terlapor"));
    }
);

both_backends!(
    asn_neutrality_can_be_forwarded_to_bkn,
    |b: Backend| async move {
        let w = World::new(b).await;
        let mut body = complete(today());
        body["category"] = json!("netralitas_asn");
        let (_, v) = w.file(body).await;
        let id = v["id"].as_i64().unwrap();
        let (st, r) = w
            .act(
                &w.bawaslu_supervisor,
                id,
                json!({"action": "reroute", "to_agency_id": w.bkn, "body": "Diteruskan ke BKN."}),
            )
            .await;
        assert_eq!(
            (st, r["status"].as_str()),
            (200, Some("not_our_authority")),
            "{r}"
        );
        let p = w.public(v["tracking_code"].as_str().unwrap()).await;
        assert_eq!(p["agency"], "BKN Kantor Regional");
    }
);

both_backends!(
    configured_clocks_change_the_deadlines,
    |b: Backend| async move {
        let w = World::with_config(b, |c| {
            ComplaintSettings {
                dispatch_working_days: 6,
                election_filing_window_days: 2,
                bawaslu_follow_up_days: 4,
                ..ComplaintSettings::default()
            }
            .write_to(c);
        })
        .await;
        let cal = calendar::load(&w.app.db).await.unwrap();
        // The LAPOR! dispatch clock: 6 working days instead of 3.
        let (st, v) = w
            .file(json!({
                "category": "infrastruktur",
                "description": "Jalan berlubang besar di depan pasar.",
                "village_code": BANJAR_VILLAGE,
            }))
            .await;
        assert_eq!(st, 201, "{v}");
        let due = cal.add_working_days(today(), 6);
        assert_ne!(due, cal.add_working_days(today(), 3));
        assert_eq!(v["dispatch_due"], due.to_string());
        // Known three days ago: formal under the default 7-day window, late under 2 days.
        let (st, v) = w.file(complete(today() - time::Duration::days(3))).await;
        assert_eq!(st, 201, "{v}");
        assert_eq!(v["formal"], false, "{v}");
        assert!(v["message"].as_str().unwrap().contains("2 hari"), "{v}");
        // Bawaslu's follow-up clock after dispatch: 4 days instead of 3.
        let (_, v) = w.file(complete(today())).await;
        assert_eq!(v["formal"], true, "{v}");
        let id = v["id"].as_i64().unwrap();
        let (st, _) = w
            .act(&w.bawaslu_officer, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(st, 200);
        assert_eq!(
            follow_up_due(&w, id).await,
            cal.add_working_days(today(), 4)
        );
    }
);

//! Withdrawing (cancelling) a recorded activity: only its organiser, with a reason, once; the
//! activity is kept and shown publicly as cancelled (list, page, calendar, iCalendar, CSV, its
//! change history), no longer counts as outreach, and takes no further change.

use serde_json::json;

use crate::support::http::signed_in;
use crate::support::worlds::participation::*;

/// The election's outreach in Kota Banjar: (activities, participants).
async fn outreach(px: &Px, election: i64) -> (Option<i64>, Option<i64>) {
    let path = format!("/api/v1/elections/{election}/participation?region=32.79");
    let (_, v) = px.get(&path).await;
    (v["activities"].as_i64(), v["participants"].as_i64())
}

both_backends!(
    a_withdrawn_activity_is_shown_cancelled_not_deleted,
    |backend| async move {
        let px = Px::new(backend).await;
        let e = px.election_with_totals().await;
        let ag = px.agreement().await;
        let mut body = Px::activity_body(Some(ag), "2024-10-01", "32.79.01");
        body["title"] = json!("Sosialisasi di SMA Negeri 2 Banjar");
        let id = px.activity(body).await;
        px.activity(Px::activity_body(None, "2024-09-09", "32.79.01"))
            .await;
        let next_year = time::OffsetDateTime::now_utc().year() + 1;
        let mut later = Px::activity_body(None, &format!("{next_year}-01-15"), "32.79");
        later["title"] = json!("Rapat evaluasi tahunan");
        let upcoming = px.activity(later).await;
        assert_eq!(outreach(&px, e).await, (Some(2), Some(240)));
        let path = format!("/api/v1/activities/{id}/withdrawal");
        let reason = json!({"reason": "Sekolah meliburkan siswa karena banjir."});
        // Kesbangpol is a party to the agreement but not the organiser; Palembang is neither;
        // a viewer may not write: 403, nothing changed.
        for token in [&px.kesbang, &px.kesbang_plg, &px.kpu_viewer] {
            assert_eq!(px.send("POST", token, &path, reason.clone()).await.0, 403);
        }
        // A blank reason: 422; a missing activity: 404.
        let (s, v) = px
            .send("POST", &px.kpu, &path, json!({"reason": "  "}))
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "bad_text"),
            "{v}"
        );
        let (s, _) = px
            .send(
                "POST",
                &px.kpu,
                "/api/v1/activities/999/withdrawal",
                reason.clone(),
            )
            .await;
        assert_eq!(s, 404);
        assert_eq!(
            px.count("SELECT COUNT(*) FROM collab_activities WHERE withdrawn_at IS NOT NULL")
                .await,
            0
        );
        assert_eq!(px.audits("participation.activity_withdrawn").await, 0);
        // The organiser's officer withdraws it.
        let (s, v) = px
            .send("POST", &px.kpu_officer, &path, reason.clone())
            .await;
        assert_eq!((s, v["id"].as_i64()), (201, Some(id)), "{v}");
        // Once: a second withdrawal, an edit, minutes, a follow-up are refused (409).
        let minutes = format!("/api/v1/activities/{id}/minutes");
        let followup = format!("/api/v1/activities/{id}/follow-ups");
        let edit = format!("/api/v1/activities/{id}");
        let mut edited = Px::activity_body(Some(ag), "2024-10-02", "32.79.01");
        edited["title"] = json!("Sosialisasi di SMA Negeri 2 Banjar");
        for (method, p, b) in [
            ("POST", path.as_str(), reason.clone()),
            ("PUT", edit.as_str(), edited),
            ("PUT", minutes.as_str(), json!({"text": "Notulen."})),
            (
                "POST",
                followup.as_str(),
                json!({"action": "Jadwal ulang", "owner": "KPU", "due_on": "2024-11-01"}),
            ),
        ] {
            let (s, v) = px.send(method, &px.kpu, p, b).await;
            assert_eq!(
                (s, v["code"].as_str().unwrap_or("")),
                (409, "activity_withdrawn"),
                "{method} {p}: {v}"
            );
        }
        assert_eq!(px.audits("participation.activity_withdrawn").await, 1);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_followups").await, 0);
        // Kept, not deleted: listed with its withdrawal; no longer outreach.
        let (_, v) = px.get("/api/v1/activities?region=32.79").await;
        let listed: Vec<&serde_json::Value> = v["activities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["id"] == id)
            .collect();
        assert_eq!(listed.len(), 1, "{v}");
        let w = &listed[0]["withdrawal"];
        assert_eq!(w["reason"], "Sekolah meliburkan siswa karena banjir.");
        assert_eq!(w["agency"], "KPU Kota Banjar");
        assert!(
            time::OffsetDateTime::parse(
                w["withdrawn_at"].as_str().unwrap(),
                &time::format_description::well_known::Rfc3339
            )
            .is_ok(),
            "{w}"
        );
        assert_eq!(outreach(&px, e).await, (Some(1), Some(120)));
        // The public pages say it is cancelled and why, in both languages.
        let (s, page) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("Kegiatan ini dibatalkan.")
                && page.contains("oleh KPU Kota Banjar")
                && page.contains("Alasan: Sekolah meliburkan siswa karena banjir.")
                && page.contains("Alasan pembatalan"),
            "{page}"
        );
        let (_, en) = px.text(&format!("/kolaborasi/kegiatan/{id}?lang=en")).await;
        assert!(
            en.contains("This activity was cancelled.") && en.contains("Reason for cancelling"),
            "{en}"
        );
        let (_, region) = px.text("/kolaborasi/wilayah/32.79?bulan=2024-10").await;
        assert!(
            region.contains("Sosialisasi di SMA Negeri 2 Banjar")
                && region.contains("Dibatalkan")
                && region.contains("Batal: Sosialisasi di …"),
            "{region}"
        );
        // The history JSON has the reason; the CSV keeps the row with it.
        let (_, h) = px.get(&format!("/api/v1/activities/{id}/history")).await;
        assert_eq!(
            h["changes"][0]["fields"][0]["after"],
            "Sekolah meliburkan siswa karena banjir."
        );
        let (_, csv) = px.text("/kolaborasi/wilayah/32.79/kegiatan.csv").await;
        assert_eq!(csv.lines().count(), 4, "{csv}");
        assert!(
            csv.lines()
                .next()
                .unwrap()
                .ends_with("region_name,withdrawn_reason"),
            "{csv}"
        );
        assert!(
            csv.contains(",Banjar,Sekolah meliburkan siswa karena banjir."),
            "{csv}"
        );
        // An upcoming activity withdrawn through the officials' form: cancelled in the feed.
        let c = signed_in(&px.app, "p.kpu").await;
        let staff = format!("/kolaborasi/petugas/kegiatan/{upcoming}");
        let csrf = px.app.csrf(&c, &staff).await;
        let res = c
            .post(px.app.url(&format!("{staff}/batalkan")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("reason", "Narasumber berhalangan."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let page = c
            .get(px.app.url(&staff))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Narasumber berhalangan.") && !page.contains("/batalkan\""),
            "no second withdrawal offered: {page}"
        );
        let (_, ics) = px.text("/kolaborasi/wilayah/32.79/kegiatan.ics").await;
        assert!(
            ics.contains("SUMMARY:Rapat evaluasi tahunan\r\n")
                && ics.contains("STATUS:CANCELLED\r\nEND:VEVENT"),
            "{ics}"
        );
        assert_eq!(px.audits("participation.activity_withdrawn").await, 2);
    }
);

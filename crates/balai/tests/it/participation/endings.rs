//! Ending an agreement early (pengakhiran): only a party's officials, with a reason and a date
//! between its signing and the end of its validity, once; refused with a clear 422 and nothing
//! stored otherwise; audited, in its public history and on its pages; from then on it is no
//! longer in force, carries no later activity, is not renewed or edited, and its expiry
//! reminder is not sent.

use serde_json::{json, Value};

use crate::support::http::signed_in;
use crate::support::worlds::participation::*;

fn days_from_today(n: i64) -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(n)).to_string()
}

/// An agreement of KPU and Kesbangpol Kota Banjar in force today (until 90 days from now).
async fn in_force(px: &Px) -> i64 {
    let mut body = px.agreement_body();
    body["valid_until"] = json!(days_from_today(90));
    let (s, v) = px
        .send("POST", &px.kesbang, "/api/v1/agreements", body)
        .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_i64().unwrap()
}

async fn listed(px: &Px) -> Value {
    let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
    v["agreements"][0].clone()
}

fn end(ended_on: &str, reason: &str) -> Value {
    json!({"ended_on": ended_on, "reason": reason})
}

both_backends!(
    an_agreement_ended_early_is_no_longer_in_force,
    |backend| async move {
        let px = Px::new(backend).await;
        crate::support::exec(
            &px.app.db,
            "UPDATE users SET email = username || '@contoh.go.id' WHERE username = 'p.kesbang'",
        )
        .await;
        let ag = in_force(&px).await;
        px.activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.01"))
            .await;
        let path = format!("/api/v1/agreements/{ag}/termination");
        let today = days_from_today(0);
        assert_eq!(listed(&px).await["standing"], "in_force");
        // Not a party (another city's Kesbangpol, Bawaslu), a viewer: 403; no agreement: 404.
        for token in [&px.kesbang_plg, &px.bawaslu, &px.kpu_viewer] {
            let (s, v) = px.send("POST", token, &path, end(&today, "Alasan")).await;
            assert_eq!(s, 403, "{v}");
        }
        let (s, _) = px
            .send(
                "POST",
                &px.kesbang,
                "/api/v1/agreements/999/termination",
                end(&today, "Alasan"),
            )
            .await;
        assert_eq!(s, 404);
        // Bad dates and reasons, and an activity already held after the end: clear 422s.
        let after_validity = days_from_today(91);
        for (body, code) in [
            (end("2024-02-19", "Alasan"), "end_before_signing"),
            (end(&after_validity, "Alasan"), "end_after_validity"),
            (end(&today, ""), "bad_text"),
            (end(&today, "   "), "bad_text"),
            (end("2024-13-01", "Alasan"), "bad_date"),
            (end("2024-06-01", "Alasan"), "activities_after_end"),
        ] {
            let (s, v) = px.send("POST", &px.kesbang, &path, body).await;
            assert_eq!((s, v["code"].as_str().unwrap_or("")), (422, code), "{v}");
            assert!(!v["message"].as_str().unwrap_or("").is_empty(), "{v}");
        }
        assert_eq!(listed(&px).await["standing"], "in_force");
        assert_eq!(listed(&px).await["termination"], Value::Null);
        assert_eq!(px.audits("participation.agreement_ended").await, 0);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_changes").await, 0);
        assert_eq!(
            px.count("SELECT COUNT(*) FROM collab_agreements WHERE ended_on IS NOT NULL")
                .await,
            0
        );
        // The KPU officer (a party) ends it from today.
        let (s, v) = px
            .send(
                "POST",
                &px.kpu_officer,
                &path,
                end(&today, "Hibah kegiatan dihentikan oleh pemerintah daerah."),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let a = listed(&px).await;
        assert_eq!(a["standing"], "ended", "{a}");
        assert_eq!(a["termination"]["ended_on"], today);
        assert_eq!(
            a["termination"]["reason"],
            "Hibah kegiatan dihentikan oleh pemerintah daerah."
        );
        assert_eq!(a["termination"]["recorded_by"], "KPU Kota Banjar");
        assert_eq!(
            a["valid_until"],
            days_from_today(90),
            "validity kept as signed"
        );
        // Audited once, with the date and the reason.
        assert_eq!(px.audits("participation.agreement_ended").await, 1);
        let sql = "SELECT summary FROM audit_events WHERE action = 'participation.agreement_ended'";
        let summary: String =
            balai_core::with_db!(&px.app.db, |c| sqlx::query_scalar(sql).fetch_one(c).await)
                .unwrap();
        let s: Value = serde_json::from_str(&summary).unwrap();
        assert_eq!(s["ended_on"], today);
        assert!(s["reason"].as_str().unwrap().starts_with("Hibah"), "{s}");
        // Once only; no renewal, edit or later activity after it; an earlier one still fits.
        let (s, v) = px
            .send("POST", &px.kesbang, &path, end(&today, "Lagi"))
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "already_ended")
        );
        let renewal =
            json!({"number": "002/PKS", "signed_on": today, "valid_until": days_from_today(400)});
        let (s, v) = px
            .send(
                "POST",
                &px.kesbang,
                &format!("/api/v1/agreements/{ag}/renewals"),
                renewal,
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "already_ended")
        );
        let mut edit = px.agreement_body();
        edit["valid_until"] = json!(days_from_today(90));
        edit["title"] = json!("Judul baru");
        let (s, v) = px
            .send(
                "PUT",
                &px.kesbang,
                &format!("/api/v1/agreements/{ag}"),
                edit,
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "already_ended")
        );
        let (s, v) = px
            .send(
                "POST",
                &px.kpu,
                "/api/v1/activities",
                Px::activity_body(Some(ag), &today, "32.79.01"),
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "activity_outside_agreement_period")
        );
        px.activity(Px::activity_body(Some(ag), "2024-06-20", "32.79.01"))
            .await;
        assert_eq!(px.audits("participation.agreement_ended").await, 1);
        // The expiry reminder queued when it was recorded sends nothing now.
        let payload = json!({"agreement_id": ag, "valid_until": days_from_today(90)});
        assert_eq!(
            balai_participation::jobs::remind(&px.app.db, &payload)
                .await
                .unwrap(),
            0
        );
        assert_eq!(px.count("SELECT COUNT(*) FROM notifications").await, 0);
        assert_eq!(
            px.audits("participation.agreement_expiry_reminded").await,
            0
        );
        // Public: its page in both languages, and the region no longer counts it in force.
        let (_, page) = px.text(&format!("/kolaborasi/perjanjian/{ag}")).await;
        assert!(
            page.contains("Diakhiri sebelum waktunya")
                && page.contains("Hibah kegiatan dihentikan")
                && page.contains("Alasan pengakhiran"),
            "{page}"
        );
        // The change history reads its dates as dates.
        let day = balai_core::format::parse_iso_date(&today).unwrap();
        let shown = balai_core::format::date(day, balai_core::i18n::Lang::Id);
        assert!(
            page.contains(&format!("<ins>{shown}</ins>"))
                && !page.contains(&format!("<ins>{today}</ins>")),
            "{page}"
        );
        let (_, page) = px
            .text(&format!("/kolaborasi/perjanjian/{ag}?lang=en"))
            .await;
        assert!(
            page.contains("Ended early") && page.contains("Reason for ending it"),
            "{page}"
        );
        let (_, region) = px.text("/kolaborasi/wilayah/32.79").await;
        assert!(
            region.contains("Perjanjian berlaku: <strong>0</strong>"),
            "{region}"
        );
        // And its public history holds the end.
        let (s, h) = px.get(&format!("/api/v1/agreements/{ag}/history")).await;
        assert_eq!(s, 200);
        let fields: Vec<&str> = h["changes"][0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["end_reason", "ended_on"], "{h}");
        assert_eq!(h["changes"][0]["agency"], "KPU Kota Banjar");
    }
);

both_backends!(
    an_end_in_the_future_keeps_it_in_force_until_then,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = in_force(&px).await;
        let later = days_from_today(30);
        let (s, v) = px
            .send(
                "POST",
                &px.kesbang,
                &format!("/api/v1/agreements/{ag}/termination"),
                end(&later, "Para pihak sepakat mengakhiri bulan depan."),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let a = listed(&px).await;
        assert_eq!(a["standing"], "in_force", "{a}");
        assert_eq!(a["termination"]["ended_on"], later);
        // No activity carries it out from its end date on.
        let (s, v) = px
            .send(
                "POST",
                &px.kpu,
                "/api/v1/activities",
                Px::activity_body(Some(ag), &later, "32.79.01"),
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "activity_outside_agreement_period")
        );
    }
);

both_backends!(
    officials_end_an_agreement_through_the_form,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = in_force(&px).await;
        let c = signed_in(&px.app, "p.kesbang.officer").await;
        let staff = format!("/kolaborasi/petugas/perjanjian/{ag}");
        let page = c
            .get(px.app.url(&staff))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Akhiri perjanjian sebelum waktunya"),
            "{page}"
        );
        let csrf = crate::support::extract_csrf(&page).unwrap();
        let today = days_from_today(0);
        // A blank reason: the page again, 422, with the message and the date as typed.
        let res = c
            .post(px.app.url(&format!("{staff}/akhiri")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("ended_on", today.as_str()),
                ("reason", "  "),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("Alasan wajib diisi") && body.contains(&format!("value=\"{today}\"")),
            "{body}"
        );
        assert_eq!(px.audits("participation.agreement_ended").await, 0);
        let res = c
            .post(px.app.url(&format!("{staff}/akhiri")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("ended_on", today.as_str()),
                ("reason", "Mitra dibubarkan."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let next = res.headers()["location"].to_str().unwrap().to_string();
        assert!(next.ends_with("?akhir=1"), "{next}");
        let page = c
            .get(px.app.url(&next))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Pengakhiran perjanjian tercatat.") && page.contains("Mitra dibubarkan."),
            "{page}"
        );
        assert!(
            !page.contains("Ubah perjanjian"),
            "no edit form once ended: {page}"
        );
        assert_eq!(listed(&px).await["standing"], "ended");
        // Palembang's Kesbangpol: 403, nothing more stored.
        let plg = signed_in(&px.app, "p.kesbang.plg").await;
        let csrf = px.app.csrf(&plg, &staff).await;
        let res = plg
            .post(px.app.url(&format!("{staff}/akhiri")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("ended_on", today.as_str()),
                ("reason", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(px.audits("participation.agreement_ended").await, 1);
    }
);

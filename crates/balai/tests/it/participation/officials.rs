//! The officials' pages of an activity, end to end through the forms: recording it with its
//! attendance per institution (counts, a Balai agency, the signed list), writing the draft
//! minutes, the approvals of the organiser and the attending agency (an officer may not
//! approve), a follow-up with its owning agency and that agency's progress update; the public
//! page shows the attendance, the minutes once approved and the progress.

use serde_json::json;

use crate::support::http::signed_in;
use crate::support::worlds::participation::*;

async fn text_of(c: &reqwest::Client, url: String) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

/// POST a form; the status and the `Location` (or the body when there is none).
async fn post(c: &reqwest::Client, url: String, form: &[(&str, String)]) -> (u16, String) {
    let res = c.post(url).form(form).send().await.unwrap();
    let s = res.status().as_u16();
    match res.headers().get("location") {
        Some(l) => (s, l.to_str().unwrap().to_string()),
        None => (s, res.text().await.unwrap()),
    }
}

both_backends!(
    officials_keep_an_activity_through_the_forms,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        let kpu = signed_in(&px.app, "p.kpu.officer").await;
        let csrf = px.app.csrf(&kpu, "/kolaborasi/petugas").await;
        let page = text_of(&kpu, px.app.url("/kolaborasi/petugas")).await;
        assert!(
            page.contains("Kehadiran per lembaga") && page.contains("name=\"att_count_3\""),
            "the form offers attendance rows: {page}"
        );
        let form = |count: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("region", "32.79".to_string()),
                ("title", "Rapat koordinasi relawan demokrasi".into()),
                ("agreement_id", ag.to_string()),
                ("clause", "1".into()),
                ("region_code", "32.79.01".into()),
                ("date", "2024-06-10".into()),
                ("target_group", "pemilih_pemula".into()),
                ("participants", "42".into()),
                ("organisations_lines", "SMA Negeri 1 Banjar".into()),
                ("agenda", "Pembentukan relawan di sekolah".into()),
                ("att_institution_0", "OSIS SMA Negeri 1".into()),
                ("att_count_0", count.to_string()),
                ("att_agency_1", px.kesbang_id.to_string()),
                ("att_count_1", "2".into()),
                ("att_signed_1", "1".into()),
            ]
        };
        // A count that is no number: the page again with the message and what was typed.
        let (s, body) = post(
            &kpu,
            px.app.url("/kolaborasi/petugas/kegiatan"),
            &form("empat puluh"),
        )
        .await;
        assert_eq!(s, 422, "{body}");
        assert!(
            body.contains("Jumlah yang hadir harus angka antara 0 dan 100000")
                && body.contains("value=\"OSIS SMA Negeri 1\"")
                && body.contains("value=\"empat puluh\""),
            "{body}"
        );
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_activities").await, 0);
        let (s, to) = post(
            &kpu,
            px.app.url("/kolaborasi/petugas/kegiatan"),
            &form("40"),
        )
        .await;
        assert_eq!(s, 303, "{to}");
        let id: i64 = to
            .strip_prefix("/kolaborasi/petugas/kegiatan/")
            .unwrap()
            .parse()
            .unwrap();
        let (_, v) = px.get("/api/v1/activities?region=32.79").await;
        let a = &v["activities"][0];
        assert_eq!(a["id"], id);
        assert_eq!(a["clause"], 1);
        assert_eq!(
            a["attendance"],
            json!([
                {"institution": "SMA Negeri 1 Banjar", "agency_id": null, "attendees": null, "signed_list": false},
                {"institution": "OSIS SMA Negeri 1", "agency_id": null, "attendees": 40, "signed_list": false},
                {"institution": "Kesbangpol Kota Banjar", "agency_id": px.kesbang_id, "attendees": 2, "signed_list": true},
            ])
        );
        // The draft minutes, by the organiser's officer.
        let staff = format!("/kolaborasi/petugas/kegiatan/{id}");
        let text = "Disepakati relawan demokrasi di tiga sekolah (draf rahasia).";
        let (s, _) = post(
            &kpu,
            px.app.url(&format!("{staff}/notulen")),
            &[("csrf", csrf.clone()), ("text", text.into())],
        )
        .await;
        assert_eq!(s, 303);
        let (_, public) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
        assert!(!public.contains("draf rahasia"), "the draft is not public");
        // An officer may not approve for the agency: refused, nothing recorded.
        let (s, _) = post(
            &kpu,
            px.app.url(&format!("{staff}/setujui")),
            &[("csrf", csrf.clone())],
        )
        .await;
        assert_eq!(s, 403);
        assert_eq!(
            px.count("SELECT COUNT(*) FROM collab_minutes_approvals")
                .await,
            0
        );
        // The organiser's supervisor, then the attending Kesbangpol's admin, approve.
        for (user, published) in [("p.kpu", false), ("p.kesbang", true)] {
            let c = signed_in(&px.app, user).await;
            let csrf = px.app.csrf(&c, &staff).await;
            let page = text_of(&c, px.app.url(&staff)).await;
            assert!(page.contains("draf rahasia"), "{user} reads the draft");
            let (s, _) = post(
                &c,
                px.app.url(&format!("{staff}/setujui")),
                &[("csrf", csrf)],
            )
            .await;
            assert_eq!(s, 303, "{user}");
            let (_, public) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
            assert_eq!(public.contains("draf rahasia"), published, "after {user}");
        }
        // A follow-up owned by Kesbangpol, whose officer updates its progress.
        let (s, _) = post(
            &kpu,
            px.app.url(&format!("{staff}/tindak-lanjut")),
            &[
                ("csrf", csrf.clone()),
                ("action", "Bimtek relawan demokrasi".into()),
                ("owner", "Bidang Politik Kesbangpol".into()),
                ("owner_agency_id", px.kesbang_id.to_string()),
                ("due_on", "2024-08-01".into()),
                ("progress", "10".into()),
            ],
        )
        .await;
        assert_eq!(s, 303);
        let fid = px.count("SELECT MAX(id) FROM collab_followups").await;
        let update = |csrf: String| {
            vec![
                ("csrf", csrf),
                ("followup_id", fid.to_string()),
                ("progress", "60".to_string()),
                ("note", "Dua sekolah selesai.".to_string()),
            ]
        };
        let plg = signed_in(&px.app, "p.kesbang.plg").await;
        let plg_csrf = px.app.csrf(&plg, &staff).await;
        let (s, _) = post(
            &plg,
            px.app.url(&format!("{staff}/tindak-lanjut")),
            &update(plg_csrf),
        )
        .await;
        assert_eq!(s, 403, "another city's Kesbangpol");
        let kb = signed_in(&px.app, "p.kesbang.officer").await;
        let kb_csrf = px.app.csrf(&kb, &staff).await;
        let (s, _) = post(
            &kb,
            px.app.url(&format!("{staff}/tindak-lanjut")),
            &update(kb_csrf),
        )
        .await;
        assert_eq!(s, 303);
        // The public page in both languages.
        let (_, public) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
        for want in [
            "OSIS SMA Negeri 1 (40 orang)",
            "Kesbangpol Kota Banjar (2 orang, daftar hadir bertanda tangan)",
            "Disepakati relawan demokrasi",
            "60%",
            "1 Agustus 2024",
        ] {
            assert!(public.contains(want), "{want}: {public}");
        }
        let (_, en) = px.text(&format!("/kolaborasi/kegiatan/{id}?lang=en")).await;
        assert!(
            en.contains("OSIS SMA Negeri 1 (40 people)") && en.contains("1 August 2024"),
            "{en}"
        );
        let (_, region) = px.text("/kolaborasi/wilayah/32.79").await;
        assert!(
            region.contains("Bimtek relawan demokrasi") && region.contains("Dua sekolah selesai."),
            "{region}"
        );
        for (action, n) in [
            ("activity_recorded", 1),
            ("minutes_drafted", 1),
            ("minutes_approved", 2),
            ("minutes_published", 1),
            ("followup_added", 1),
            ("followup_updated", 1),
        ] {
            assert_eq!(
                px.audits(&format!("participation.{action}")).await,
                n,
                "{action}"
            );
        }
    }
);

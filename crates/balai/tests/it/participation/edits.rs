//! Editing recorded agreements and activities: only the parties' (organiser's) officials, with
//! the checks of recording them (validity, an activity inside its agreement's period and
//! region), every change audited with its before and after and shown in the public history;
//! a refused edit changes nothing.

use serde_json::json;

use crate::support::http::signed_in;
use crate::support::worlds::participation::*;

/// The agreement's stored fields, parties and clauses, as one text (compared before and after).
async fn agreement_state(px: &Px) -> String {
    let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
    let mut a = v["agreements"][0].clone();
    a["standing"] = json!(null);
    a.to_string()
}

both_backends!(
    agreement_edits_by_a_party_are_audited_and_public,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        px.activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.01"))
            .await;
        let path = format!("/api/v1/agreements/{ag}");
        let before = agreement_state(&px).await;
        // Another city's Kesbangpol, a viewer, a non-party: 403; a missing agreement: 404.
        for token in [&px.kesbang_plg, &px.kpu_viewer, &px.bawaslu] {
            let (s, v) = px.send("PUT", token, &path, px.agreement_body()).await;
            assert_eq!(s, 403, "{v}");
        }
        assert_eq!(
            px.send(
                "PUT",
                &px.kesbang,
                "/api/v1/agreements/999",
                px.agreement_body()
            )
            .await
            .0,
            404
        );
        // The checks of recording: validity, and the activity already held under it.
        let cases = [
            (
                json!({"valid_until": "2024-02-28"}),
                "validity_ends_before_start",
            ),
            (
                json!({"valid_until": "2024-05-31"}),
                "activity_outside_agreement_period",
            ),
            (
                json!({"valid_from": "2024-07-01", "signed_on": "2024-07-01"}),
                "activity_outside_agreement_period",
            ),
            (
                json!({"agency_ids": [px.kesbang_id, px.kpu_plg_id]}),
                "no_common_region",
            ),
            (json!({}), "no_change"),
        ];
        for (change, code) in cases {
            let mut body = px.agreement_body();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (s, v) = px.send("PUT", &px.kesbang, &path, body).await;
            assert_eq!((s, v["code"].as_str().unwrap_or("")), (422, code), "{v}");
        }
        // A party may not drop itself from the parties.
        let mut body = px.agreement_body();
        body["agency_ids"] = json!([px.kpu_id]);
        assert_eq!(px.send("PUT", &px.kesbang, &path, body).await.0, 403);
        assert_eq!(
            agreement_state(&px).await,
            before,
            "refused edits change nothing"
        );
        assert_eq!(px.audits("participation.agreement_edited").await, 0);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_changes").await, 0);
        // The KPU officer (a party) extends it and rewords a clause.
        let mut body = px.agreement_body();
        body["valid_until"] = json!("2025-06-30");
        body["clauses"] = json!([
            "Sosialisasi bersama di sekolah dan kampus.",
            "Dialog dengan tokoh agama."
        ]);
        let (s, v) = px.send("PUT", &px.kpu_officer, &path, body).await;
        assert_eq!(s, 200, "{v}");
        let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
        let a = &v["agreements"][0];
        assert_eq!(a["valid_until"], "2025-06-30");
        assert_eq!(
            a["clauses"][0]["text"],
            "Sosialisasi bersama di sekolah dan kampus."
        );
        assert_eq!(a["parties"].as_array().unwrap().len(), 4);
        // Audited with the changed fields only, before and after.
        let summary: String = {
            let sql =
                "SELECT summary FROM audit_events WHERE action = 'participation.agreement_edited'";
            let rows: Vec<String> =
                balai_core::with_db!(&px.app.db, |c| sqlx::query_scalar(sql).fetch_all(c).await)
                    .unwrap();
            assert_eq!(rows.len(), 1);
            rows[0].clone()
        };
        let s: serde_json::Value = serde_json::from_str(&summary).unwrap();
        assert_eq!(s["before"]["valid_until"], "2024-12-31");
        assert_eq!(s["after"]["valid_until"], "2025-06-30");
        assert!(s["before"].get("title").is_none(), "{s}");
        // The public history, in both languages.
        let (_, page) = px.text(&format!("/kolaborasi/perjanjian/{ag}")).await;
        assert!(
            page.contains("Riwayat perubahan") && page.contains("KPU Kota Banjar"),
            "{page}"
        );
        assert!(
            page.contains("Berlaku sampai")
                && page.contains("<del>31 Desember 2024</del> → <ins>30 Juni 2025</ins>"),
            "{page}"
        );
        let (_, page) = px
            .text(&format!("/kolaborasi/perjanjian/{ag}?lang=en"))
            .await;
        assert!(
            page.contains("Change history")
                && page.contains("Valid until")
                && page.contains("<ins>30 June 2025</ins>"),
            "{page}"
        );
    }
);

both_backends!(activity_edits_by_the_organiser_only, |backend| async move {
    let px = Px::new(backend).await;
    let ag = px.agreement().await;
    let id = px
        .activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.01"))
        .await;
    let path = format!("/api/v1/activities/{id}");
    // Kesbangpol is a party to the agreement but not the organiser; Palembang is neither.
    for token in [&px.kesbang, &px.kesbang_plg, &px.kpu_viewer] {
        let body = Px::activity_body(Some(ag), "2024-07-10", "32.79.01");
        assert_eq!(px.send("PUT", token, &path, body).await.0, 403);
    }
    for (date, region, code) in [
        (
            "2025-01-10",
            "32.79.01",
            "activity_outside_agreement_period",
        ),
        ("2024-06-10", "16.71", "activity_outside_agreement_region"),
        ("2024-06-10", "32.79.01", "no_change"),
    ] {
        let (s, v) = px
            .send(
                "PUT",
                &px.kpu,
                &path,
                Px::activity_body(Some(ag), date, region),
            )
            .await;
        assert_eq!((s, v["code"].as_str().unwrap_or("")), (422, code), "{v}");
    }
    assert_eq!(px.audits("participation.activity_edited").await, 0);
    let (_, v) = px.get("/api/v1/activities?region=32.79").await;
    assert_eq!(v["activities"][0]["date"], "2024-06-10");
    let mut body = Px::activity_body(Some(ag), "2024-07-10", "32.79.01");
    body["participants"] = json!(150);
    let (s, v) = px.send("PUT", &px.kpu_officer, &path, body).await;
    assert_eq!(s, 200, "{v}");
    let (_, v) = px.get("/api/v1/activities?region=32.79").await;
    assert_eq!(
        (
            v["activities"][0]["date"].as_str(),
            v["activities"][0]["participants"].as_i64()
        ),
        (Some("2024-07-10"), Some(150))
    );
    assert_eq!(px.audits("participation.activity_edited").await, 1);
    let (_, page) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
    assert!(
        page.contains("Jumlah peserta") && page.contains("150"),
        "{page}"
    );
    // The form: a refusal shown with what was typed, then a change saved (303).
    let c = signed_in(&px.app, "p.kpu").await;
    let staff = format!("/kolaborasi/petugas/kegiatan/{id}");
    let csrf = px.app.csrf(&c, &staff).await;
    let form = |date: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "Sosialisasi ulang".to_string()),
            ("region_code", "32.79.01".into()),
            ("date", date.to_string()),
            ("target_group", "pemilih_pemula".into()),
            ("participants", "150".into()),
            ("clause", String::new()),
            ("agenda", String::new()),
        ]
    };
    let res = c
        .post(px.app.url(&format!("{staff}/ubah")))
        .form(&form("2025-03-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("di luar masa berlaku") && body.contains("Sosialisasi ulang"),
        "{body}"
    );
    let res = c
        .post(px.app.url(&format!("{staff}/ubah")))
        .form(&form("2024-07-10"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(px.audits("participation.activity_edited").await, 2);
    let (_, v) = px.get("/api/v1/activities?region=32.79").await;
    assert_eq!(v["activities"][0]["title"], "Sosialisasi ulang");
    assert_eq!(
        v["activities"][0]["attendance"][0]["institution"], "SMA Negeri 1 Banjar",
        "the form keeps the attendance"
    );
});

both_backends!(agreement_edit_form_for_a_party, |backend| async move {
    let px = Px::new(backend).await;
    let ag = px.agreement().await;
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
        page.contains("Ubah perjanjian") && page.contains("value=\"001/PKS/2024\""),
        "{page}"
    );
    let csrf = crate::support::extract_csrf(&page).unwrap();
    let mut form = vec![
        ("csrf", csrf.clone()),
        (
            "title",
            "Peningkatan partisipasi pemilih pemula".to_string(),
        ),
        ("number", "001/PKS/2024-Rev".into()),
        (
            "other_parties_lines",
            "PC NU Kota Banjar\nFKUB Kota Banjar".into(),
        ),
        ("signed_on", "2024-02-20".into()),
        ("valid_from", "2024-03-01".into()),
        ("valid_until", "2024-12-31".into()),
        (
            "clauses_lines",
            "Sosialisasi bersama di sekolah.\nDialog dengan tokoh agama.".into(),
        ),
        ("legal_basis", "PKPU 9/2022".into()),
        ("agency_id", px.kesbang_id.to_string()),
        ("agency_id", px.kpu_id.to_string()),
    ];
    let res = c
        .post(px.app.url(&format!("{staff}/ubah")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
    assert_eq!(v["agreements"][0]["number"], "001/PKS/2024-Rev");
    assert_eq!(
        v["agreements"][0]["parties"].as_array().unwrap().len(),
        4,
        "agency parties kept"
    );
    // Palembang's Kesbangpol gets no form and no edit through.
    let plg = signed_in(&px.app, "p.kesbang.plg").await;
    let csrf = px.app.csrf(&plg, &staff).await;
    form[0].1 = csrf;
    form[2].1 = "999/X".into();
    let res = plg
        .post(px.app.url(&format!("{staff}/ubah")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
    assert_eq!(v["agreements"][0]["number"], "001/PKS/2024-Rev");
    assert_eq!(px.count("SELECT COUNT(*) FROM collab_changes").await, 1);
});

/// The parties' names of the (only) agreement of Kota Banjar, in order.
async fn party_names(px: &Px) -> Vec<String> {
    let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
    v["agreements"][0]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

both_backends!(
    agreement_form_changes_the_agency_parties,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        let bawaslu_id = px
            .count("SELECT id FROM agencies WHERE name = 'Bawaslu Kota Banjar'")
            .await;
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
        // The official's own agency is fixed; the other party is ticked; the province's other
        // agencies are offered; another province's are not.
        let (kesbang, kpu) = (px.kesbang_id, px.kpu_id);
        assert!(
            page.contains(&format!(
                "<input type=\"hidden\" name=\"agency_id\" value=\"{kesbang}\">"
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!("name=\"agency_id\" value=\"{kpu}\" checked>")),
            "{page}"
        );
        assert!(
            page.contains(&format!("name=\"agency_id\" value=\"{bawaslu_id}\">")),
            "{page}"
        );
        assert!(!page.contains("KPU Kota Palembang"), "{page}");
        let csrf = crate::support::extract_csrf(&page).unwrap();
        let form = |agencies: &[i64]| {
            let mut f = vec![
                ("csrf", csrf.clone()),
                (
                    "title",
                    "Peningkatan partisipasi pemilih pemula".to_string(),
                ),
                ("number", "001/PKS/2024".into()),
            ];
            f.extend(agencies.iter().map(|id| ("agency_id", id.to_string())));
            f.extend([
                (
                    "other_parties_lines",
                    "PC NU Kota Banjar\nFKUB Kota Banjar".to_string(),
                ),
                ("signed_on", "2024-02-20".into()),
                ("valid_from", "2024-03-01".into()),
                ("valid_until", "2024-12-31".into()),
                (
                    "clauses_lines",
                    "Sosialisasi bersama di sekolah.\nDialog dengan tokoh agama.".into(),
                ),
                ("legal_basis", "PKPU 9/2022".into()),
            ]);
            f
        };
        let post = |f: Vec<(&'static str, String)>| {
            let c = c.clone();
            let url = px.app.url(&format!("{staff}/ubah"));
            async move { c.post(url).form(&f).send().await.unwrap() }
        };
        let before = party_names(&px).await;
        // An agency of another province: the page again (422) with the message, as ticked.
        let res = post(form(&[kesbang, px.kpu_plg_id])).await;
        assert_eq!(res.status().as_u16(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("tidak berada dalam satu provinsi"), "{body}");
        assert!(
            !body.contains(&format!("name=\"agency_id\" value=\"{kpu}\" checked>")),
            "the ticks as sent: {body}"
        );
        // Dropping one's own agency (the fixed field left out): refused, 403.
        let res = post(form(&[kpu, bawaslu_id])).await;
        assert_eq!(res.status().as_u16(), 403);
        // A malformed agency id: 400.
        let mut bad = form(&[kesbang]);
        bad.push(("agency_id", "KPU".into()));
        assert_eq!(post(bad).await.status().as_u16(), 400);
        assert_eq!(party_names(&px).await, before, "refusals change nothing");
        assert_eq!(px.audits("participation.agreement_edited").await, 0);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_changes").await, 0);
        // KPU out, Bawaslu in: stored, audited and in the history.
        let res = post(form(&[kesbang, bawaslu_id])).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(
            party_names(&px).await,
            [
                "Kesbangpol Kota Banjar",
                "Bawaslu Kota Banjar",
                "PC NU Kota Banjar",
                "FKUB Kota Banjar"
            ]
        );
        assert_eq!(px.audits("participation.agreement_edited").await, 1);
        let (_, h) = px.get(&format!("/api/v1/agreements/{ag}/history")).await;
        let f = &h["changes"][0]["fields"][0];
        assert_eq!(f["field"], "parties", "{h}");
        assert!(
            f["before"].as_str().unwrap().contains("KPU Kota Banjar"),
            "{h}"
        );
        assert!(
            f["after"].as_str().unwrap().contains("Bawaslu Kota Banjar"),
            "{h}"
        );
        // KPU is no longer a party: its officials may not edit it any more.
        let (s, _) = px
            .send(
                "PUT",
                &px.kpu,
                &format!("/api/v1/agreements/{ag}"),
                px.agreement_body(),
            )
            .await;
        assert_eq!(s, 403);
        // Palembang's Kesbangpol gets no edit through the form.
        let plg = signed_in(&px.app, "p.kesbang.plg").await;
        let csrf = px.app.csrf(&plg, &staff).await;
        let mut f = form(&[kesbang]);
        f[0].1 = csrf;
        let res = plg
            .post(px.app.url(&format!("{staff}/ubah")))
            .form(&f)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(px.audits("participation.agreement_edited").await, 1);
    }
);

//! Schedule history, past totals and turnout comparison, and the public pages (drill-down to a
//! TPS, the history side by side, the iCalendar feed), on both backends.

use crate::support::worlds::elections::*;
use crate::support::Backend;
use serde_json::json;

async fn html(fx: &Fx, path: &str) -> (u16, String) {
    let res = fx.http.get(fx.app.url(path)).send().await.unwrap();
    let s = res.status().as_u16();
    (s, res.text().await.unwrap())
}

both_backends!(
    schedule_history_is_kept_and_published,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let v1 = json!({"reason": "Jadwal awal", "legal_basis": "PKPU 15/2019", "stages": [
        {"name": "Kampanye", "start": "2020-07-01", "end": "2020-09-19"},
        {"name": "Pemungutan suara", "start": "2020-09-23", "end": "2020-09-23"}]});
        let (s, v) = fx.send("PUT", &fx.sup, &fx.path("/schedule"), v1).await;
        assert_eq!((s, v["version"].as_i64()), (201, Some(1)), "{v}");
        let v2 = json!({"reason": "Pandemi COVID-19", "legal_basis": "Perppu 2/2020", "stages": [
        {"name": "Kampanye", "start": "2020-09-26", "end": "2020-12-05"},
        {"name": "Pemungutan suara", "start": "2020-12-09", "end": "2020-12-09"}]});
        let (s, v) = fx.send("PUT", &fx.sup, &fx.path("/schedule"), v2).await;
        assert_eq!((s, v["version"].as_i64()), (201, Some(2)), "{v}");
        // No legal basis, a reversed stage, or someone else's scope: rejected, nothing stored.
        let bad = json!({"reason": "x", "legal_basis": " ", "stages": [{"name": "A", "start": "2020-12-09", "end": "2020-12-01"}]});
        let (s, v) = fx.send("PUT", &fx.sup, &fx.path("/schedule"), bad).await;
        assert_eq!((s, v["code"].as_str()), (422, Some("bad_schedule")));
        assert_eq!(v["details"]["problems"].as_array().unwrap().len(), 2, "{v}");
        let ok = json!({"reason": "x", "legal_basis": "y", "stages": [{"name": "A", "start": "2020-12-01", "end": "2020-12-09"}]});
        let (s, _) = fx
            .send("PUT", &fx.palembang, &fx.path("/schedule"), ok)
            .await;
        assert_eq!(s, 403);
        let (s, e) = fx.get(&fx.path("")).await;
        assert_eq!(s, 200);
        assert_eq!(e["schedule"]["version"], 2);
        assert_eq!(e["schedule"]["stages"][1]["start"], "2020-12-09");
        let h = e["schedule_history"].as_array().unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[1]["stages"][1]["start"], "2020-09-23");
        assert_eq!(h[0]["legal_basis"], "Perppu 2/2020");
        assert_eq!(h[0]["author"], "banjar.sup");
        // The page shows the current schedule and the whole history side by side.
        let (s, page) = html(&fx, &format!("/elections/{}", fx.election)).await;
        assert_eq!(s, 200);
        assert!(page.contains("Jadwal berlaku") && page.contains("Riwayat perubahan jadwal"));
        assert!(page.contains("Perppu 2/2020") && page.contains("PKPU 15/2019"));
        assert!(page.contains("23 September 2020") && page.contains("9 Desember 2020"));
        assert!(page.contains("Pandemi COVID-19"));
        assert!(page.contains("class=\"changed\""));
        // The iCalendar feed carries the current stages.
        let res = fx
            .http
            .get(
                fx.app
                    .url(&format!("/elections/{}/stages.ics", fx.election)),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
        let ics = res.text().await.unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        assert!(ics.contains("DTSTART;VALUE=DATE:20201209\r\nDTEND;VALUE=DATE:20201210"));
        assert!(!ics.contains("20200923"));
    }
);

both_backends!(
    past_totals_give_turnout_comparison,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let (s, v) = fx
        .post(&fx.sup, "/api/v1/elections", json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar 2018", "voting_date": "2018-06-27"}))
        .await;
        assert_eq!(s, 201);
        let past = v["id"].as_i64().unwrap();
        let csv = "region_code,dpt,pengguna\n32.79.01,1000,700\n32.79.02,3,2\n";
        let (s, v) = fx
            .send_csv(
                &fx.sup,
                "PUT",
                &format!("/api/v1/elections/{past}/totals"),
                csv,
            )
            .await;
        assert_eq!((s, v["rows"].as_i64()), (200, Some(2)), "{v}");
        // Bad CSVs change nothing: a negative count, a region outside the election, a duplicate.
        for bad in [
            "region_code,dpt,pengguna\n32.79.01,-5,1\n",
            "region_code,dpt,pengguna\n16.71,5,1\n",
            "region_code,dpt,pengguna\n32.79.01,5,1\n32.79.01,5,1\n",
            "region_code,dpt,pengguna\n32.79.01,lima,1\n",
        ] {
            let (s, _) = fx
                .send_csv(
                    &fx.sup,
                    "PUT",
                    &format!("/api/v1/elections/{past}/totals"),
                    bad,
                )
                .await;
            assert_eq!(s, 422, "{bad}");
        }
        let (s, _) = fx
            .send_csv(
                &fx.palembang,
                "PUT",
                &format!("/api/v1/elections/{past}/totals"),
                csv,
            )
            .await;
        assert_eq!(s, 403);
        let r = fx
            .get(&format!("/api/v1/elections/{past}/results?region=32.79"))
            .await
            .1;
        assert_eq!(r["source"], "totals");
        assert_eq!(
            (r["dpt"].as_i64(), r["pengguna"].as_i64()),
            (Some(1003), Some(702))
        );
        // 702/1003 = 69.990…% → 69.99
        assert_eq!(r["turnout_exact"], "702/1003");
        assert_eq!(r["turnout_percent"].as_f64(), Some(69.99));
        let r = fx
            .get(&format!("/api/v1/elections/{past}/results?region=32.79.02"))
            .await
            .1;
        assert_eq!(r["turnout_percent"].as_f64(), Some(66.67));
        // The current election compares itself with it, in percentage points.
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        let r = fx.results("32.79").await;
        // 175/200 = 87.50% now; 69.99% then (exactly +17.51 from the fractions).
        assert_eq!(r["turnout_percent"].as_f64(), Some(87.5));
        assert_eq!(r["past"][0]["election_id"], past);
        assert_eq!(r["past"][0]["change_points"], "+17.51");
        let (_, page) = html(
            &fx,
            &format!("/elections/{}/results?region=32.79", fx.election),
        )
        .await;
        assert!(page.contains("87,50%"), "turnout shown with two decimals");
        assert!(page.contains("+17.51"));
    }
);

both_backends!(pages_drill_down_to_a_tps, |b: Backend| async move {
    let fx = Fx::new(b).await;
    fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    let mut fixed = good_form();
    fixed.votes.insert(1, 101);
    fixed.votes.insert(2, 69);
    fx.submit(
        &fx.op1,
        fx.tps[0],
        form_json(&fixed),
        json!({"reason": "angka paslon 1 terbaca salah"}),
    )
    .await;
    let (s, list) = html(&fx, "/elections").await;
    assert_eq!(s, 200);
    assert!(list.contains("Pilwalkot Banjar 2024"));
    // City → district → village → TPS, following the links on each page.
    let mut path = format!("/elections/{}/results", fx.election);
    for next in ["32.79.01", VILLAGES[0]] {
        let (s, page) = html(&fx, &path).await;
        assert_eq!(s, 200, "{path}");
        assert!(page.contains("<svg class=\"chart\""), "{path}");
        assert!(page.contains("Calon Satu"));
        let link = format!("/elections/{}/results?region={next}", fx.election);
        assert!(
            page.contains(&format!("href=\"{link}\"")),
            "{path} links to {next}"
        );
        path = link;
    }
    let (_, village) = html(&fx, &path).await;
    let tps_link = format!("/elections/{}/tps/{}", fx.election, fx.tps[0]);
    assert!(village.contains(&tps_link));
    assert!(
        village.contains(">101<"),
        "the table shows the current numbers"
    );
    let (s, tps) = html(&fx, &tps_link).await;
    assert_eq!(s, 200);
    assert!(tps.contains("Riwayat versi"));
    assert!(tps.contains("angka paslon 1 terbaca salah"));
    assert!(tps.contains("banjar.op1"));
    assert!(
        tps.contains("1: 100") && tps.contains("1: 101"),
        "both versions are listed"
    );
    assert!(tps.contains("87,50%"));
    // English.
    let (_, en) = html(&fx, &format!("{tps_link}?lang=en")).await;
    assert!(en.contains("Version history"));
    // Unknown things are 404s.
    assert_eq!(html(&fx, "/elections/999999").await.0, 404);
    assert_eq!(
        html(&fx, &format!("/elections/{}/tps/999999", fx.election))
            .await
            .0,
        404
    );
});

both_backends!(
    supervisor_page_shows_entries_side_by_side,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let mut other = good_form();
        other.votes.insert(1, 152);
        other.votes.insert(2, 18);
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        fx.submit(&fx.op2, fx.tps[0], form_json(&other), json!({}))
            .await;
        let pw = fx
            .app
            .add_user(
                "banjar.sup2",
                None,
                balai_core::accounts::Role::Supervisor,
                true,
            )
            .await;
        let client = fx.app.client();
        let res = fx.app.login(&client, "banjar.sup2", &pw).await;
        assert!(res.status().is_redirection());
        let page = client
            .get(fx.app.url(&format!("/elections/{}/disputes", fx.election)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("banjar.op1") && page.contains("banjar.op2"),
            "{page}"
        );
        assert!(page.contains("Suara paslon nomor 1; Suara paslon nomor 2"));
        // Anonymous visitors are sent to sign in.
        let res = fx
            .http
            .get(fx.app.url(&format!("/elections/{}/disputes", fx.election)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
    }
);

both_backends!(html_entry_form_checks_and_saves, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let client = fx.app.client();
    let res = fx
        .app
        .login(&client, "banjar.op1", "pw-banjar.op1-0123456789")
        .await;
    assert!(res.status().is_redirection());
    let path = format!("/elections/{}/tps/{}/entry", fx.election, fx.tps[0]);
    let csrf = fx.app.csrf(&client, &path).await;
    let mut fields: Vec<(String, String)> = good_form()
        .flat()
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    fields.push(("csrf".into(), csrf.clone()));
    // Inconsistent ballots (rule 4): the form comes back with the rule and the numbers kept.
    let mut bad = fields.clone();
    for (k, v) in bad.iter_mut() {
        if k == "surat_dikembalikan" {
            *v = "3".into();
        }
    }
    let res = client
        .post(fx.app.url(&path))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Aturan 4"), "{page}");
    assert!(page.contains("name=\"surat_dikembalikan\" value=\"3\""));
    assert_eq!(fx.results("32.79").await["tps_entered"], 0);
    // A consistent form is saved and shown on the TPS page.
    let res = client
        .post(fx.app.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/elections/{}/tps/{}", fx.election, fx.tps[0]).as_str()
    );
    let r = fx.results("32.79").await;
    assert_eq!(r["tps_entered"], 1);
    assert_eq!(r["votes"]["1"], 100);
    // Without the CSRF token nothing happens.
    let no_csrf: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "csrf")
        .cloned()
        .collect();
    let res = client
        .post(fx.app.url(&path))
        .form(&no_csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Another region's KPU cannot open the form.
    let other = fx.app.client();
    fx.app
        .login(&other, "palembang.op", "pw-palembang.op-0123456789")
        .await;
    let res = other.get(fx.app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 403);
});

both_backends!(csv_export_per_level, |b: Backend| async move {
    let fx = Fx::new(b).await;
    fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/results.csv?region=32.79.01")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "code,name,tps_total,tps_entered,tps_verified,tps_flagged,dpt,pengguna,turnout_percent,suara_sah,suara_tidak_sah,votes_1,votes_2");
    assert_eq!(
        lines[1],
        "32.79.01,Banjar,2,1,0,0,200,175,87.50,170,5,100,70"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("32.79.01.1001,Banjar,2,1,")),
        "{text}"
    );
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/results.csv?region=16.71")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
});

async fn upload(fx: &Fx, token: &str, tps: i64, ct: &str, data: &[u8]) -> (u16, serde_json::Value) {
    let res = fx
        .http
        .post(fx.app.url(&fx.path(&format!("/tps/{tps}/photos"))))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(data.to_vec())
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(serde_json::Value::Null))
}

both_backends!(
    photos_are_hashed_and_reuse_is_flagged,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        fx.submit(&fx.op1, fx.tps[1], form_json(&good_form()), json!({}))
            .await;
        let jpeg = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], b"tps satu"].concat();
        let (s, v) = upload(&fx, &fx.op1, fx.tps[0], "image/jpeg", &jpeg).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["reused_from_tps"], json!([]));
        assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(fx.results("32.79").await["tps_flagged"], 0);
        // Not an image, a lying Content-Type, someone else's region, the same photo twice.
        assert_eq!(
            upload(&fx, &fx.op1, fx.tps[0], "image/jpeg", b"<svg/>")
                .await
                .0,
            422
        );
        assert_eq!(
            upload(&fx, &fx.op1, fx.tps[0], "image/png", &jpeg).await.0,
            422
        );
        assert_eq!(
            upload(
                &fx,
                &fx.palembang,
                fx.tps[0],
                "image/jpeg",
                b"\xFF\xD8\xFFx"
            )
            .await
            .0,
            403
        );
        assert_eq!(
            upload(&fx, &fx.op1, fx.tps[0], "image/jpeg", &jpeg).await.0,
            409
        );
        // The same photo for another TPS: stored, and both TPS are flagged.
        let (s, v) = upload(&fx, &fx.op2, fx.tps[1], "image/jpeg", &jpeg).await;
        assert_eq!(s, 201);
        assert_eq!(v["reused_from_tps"], json!([fx.tps[0]]));
        assert_eq!(fx.results("32.79").await["tps_flagged"], 2);
        let (_, t) = fx.get(&fx.path(&format!("/tps/{}", fx.tps[0]))).await;
        assert_eq!(t["photos"][0]["reused"], true);
        assert_eq!(t["flagged"], true);
        let id = t["photos"][0]["id"].as_i64().unwrap();
        let res = fx
            .http
            .get(fx.app.url(&fx.path(&format!("/photos/{id}"))))
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert_eq!(res.bytes().await.unwrap().to_vec(), jpeg);
        let (_, page) = html(
            &fx,
            &format!("/elections/{}/tps/{}", fx.election, fx.tps[0]),
        )
        .await;
        assert!(page.contains(&format!("/photos/{id}")) && page.contains("TPS lain"));
    }
);

both_backends!(
    recapitulation_makes_results_official,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(fx.results("32.79.01").await["status"], "provisional");
        // An operator does not record a recapitulation; the supervisor does.
        let recap = json!({"region_code": "32.79.01", "document_ref": "BA PPK Banjar 1/2024"});
        let (s, _) = fx.post(&fx.op1, &fx.path("/recaps"), recap.clone()).await;
        assert_eq!(s, 403);
        let (s, _) = fx.post(&fx.sup, &fx.path("/recaps"), recap).await;
        assert_eq!(s, 201);
        let r = fx.results("32.79.01").await;
        assert_eq!(r["status"], "official");
        assert_eq!(r["recap"]["document_ref"], "BA PPK Banjar 1/2024");
        assert_eq!(fx.results("32.79").await["status"], "provisional");
        let (s, v) = fx
            .post(
                &fx.sup,
                &fx.path("/recaps"),
                json!({"region_code": "32.79.01", "document_ref": "BA PPK Banjar 2/2024"}),
            )
            .await;
        assert_eq!((s, v["code"].as_str()), (409, Some("recap_exists")));
        let (s, _) = fx
            .post(
                &fx.palembang_sup,
                &fx.path("/recaps"),
                json!({"region_code": "32.79.02", "document_ref": "BA PPK Banjar 3/2024"}),
            )
            .await;
        assert_eq!(s, 403);
        // After the plenary nothing changes a TPS inside the district, a re-vote neither.
        let mut f = good_form();
        f.votes.insert(1, 90);
        f.votes.insert(2, 80);
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&f), json!({"reason": "x"}))
            .await;
        assert_eq!((s, v["code"].as_str()), (409, Some("recapitulated")));
        let (s, _) = fx
            .submit(&fx.op1, fx.tps[2], form_json(&f), json!({}))
            .await;
        assert_eq!(s, 201, "a TPS in another district is still open");
        let psu = json!({"psu_ref": "Putusan MK No. 1/PHPU.D-XXIII/2025"});
        let before = fx.snapshot().await;
        // An operator may not enter a PSU; a made-up reference is refused; and the recorded
        // recapitulation holds even against a real one.
        let (s, _) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&f), psu.clone())
            .await;
        assert_eq!(s, 403);
        let (s, v) = fx
            .submit(&fx.sup, fx.tps[0], form_json(&f), json!({"psu_ref": "x"}))
            .await;
        assert_eq!((s, v["code"].as_str()), (422, Some("bad_psu_ref")));
        let (s, v) = fx
            .submit(&fx.sup, fx.tps[0], form_json(&f), psu.clone())
            .await;
        assert_eq!((s, v["code"].as_str()), (409, Some("recapitulated")));
        assert_eq!(fx.snapshot().await, before);
        // Only an admin reopens the recapitulation, and with a reason.
        let reopen = fx.path("/recaps/reopen");
        let why = json!({"region_code": "32.79.01", "reason": "Putusan MK No. 1/PHPU.D-XXIII/2025 memerintahkan PSU di TPS 001"});
        let (s, _) = fx.post(&fx.sup, &reopen, why.clone()).await;
        assert_eq!(s, 403);
        let (s, v) = fx
            .post(
                &fx.admin,
                &reopen,
                json!({"region_code": "32.79.01", "reason": " "}),
            )
            .await;
        assert_eq!((s, v["code"].as_str()), (422, Some("bad_reason")));
        assert_eq!(fx.snapshot().await, before);
        let (s, v) = fx.post(&fx.admin, &reopen, why.clone()).await;
        assert_eq!(s, 204, "{v}");
        let (s, v) = fx.post(&fx.admin, &reopen, why).await;
        assert_eq!((s, v["code"].as_str()), (409, Some("no_recap")));
        assert_eq!(fx.results("32.79.01").await["status"], "provisional");
        let kept: (String, String) = balai_core::with_db!(&fx.app.db, |c| sqlx::query_as(
            "SELECT document_ref, reopened_label FROM election_recap_reopenings"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(kept, ("BA PPK Banjar 1/2024".into(), "banjar.admin".into()));
        let (s, v) = fx.submit(&fx.sup, fx.tps[0], form_json(&f), psu).await;
        assert_eq!((s, v["kind"].as_str()), (201, Some("psu")), "{v}");
        assert_eq!(fx.results("32.79.01").await["votes"]["1"], 90);
    }
);

both_backends!(nist_common_data_format_export, |b: Backend| async move {
    let fx = Fx::new(b).await;
    fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    let (s, d) = fx.get(&fx.path("/results.cdf.json?region=32.79")).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["@type"], "ElectionReport");
    assert_eq!(d["Status"], "unofficial-partial");
    assert_eq!(d["GpUnit"][0]["@id"], "ru-32.79");
    assert_eq!(d["GpUnit"][0]["Type"], "city");
    assert_eq!(d["GpUnit"][0]["SubUnitsReported"], 1);
    let sel = &d["Election"][0]["Contest"][0]["ContestSelection"];
    assert_eq!(sel.as_array().unwrap().len(), 2);
    let top = sel[0]["VoteCounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["GpUnitId"] == "ru-32.79")
        .unwrap();
    assert_eq!(top["Count"], 100);
    assert_eq!(d["Election"][0]["BallotCounts"][0]["BallotsCast"], 175);
    let (_, d) = fx
        .get(&fx.path(&format!("/results.cdf.json?region={}", VILLAGES[0])))
        .await;
    assert_eq!(d["GpUnit"][1]["Type"], "polling-place");
});

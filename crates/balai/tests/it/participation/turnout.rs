//! Turnout targets against turnout: the KPU of the region sets targets from CSV; the
//! participation answer compares them with the turnout from the election's loaded totals, exact
//! and shown with two decimals, beside the outreach held before voting day.

use serde_json::json;

use crate::support::worlds::participation::*;

both_backends!(
    targets_against_exact_turnout_with_outreach,
    |backend| async move {
        let px = Px::new(backend).await;
        let e = px.election_with_totals().await;
        let (s, v) = px
            .put_csv(
                &px.kpu,
                &format!("/api/v1/elections/{e}/targets"),
                "region_code,target_percent\n32.79,77.5\n32.79.01,70\n",
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["targets"][0]["target_percent"], 77.5);
        // Outreach: two before voting day in 32.79.01, one in 32.79.02, one after voting day.
        for (date, region, group, people) in [
            ("2024-10-01", "32.79.01", "pemilih_pemula", 120),
            ("2024-11-26", "32.79.01.1001", "perempuan", 30),
            ("2024-09-09", "32.79.02", "disabilitas", 10),
            ("2024-11-27", "32.79.01", "pemilih_pemula", 500),
        ] {
            let mut b = Px::activity_body(None, date, region);
            b["target_group"] = json!(group);
            b["participants"] = json!(people);
            px.activity(b).await;
        }
        let res = px
            .http
            .get(
                px.app
                    .url(&format!("/api/v1/elections/{e}/participation?region=32.79")),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let raw = res.text().await.unwrap();
        // 1245/1600 = 77.8125% → 77.81; the gap 0.3125 pp → 0.31 (exact, two decimals).
        assert!(raw.contains("\"target_percent\":77.50"), "{raw}");
        assert!(raw.contains("\"turnout_percent\":77.81"), "{raw}");
        assert!(raw.contains("\"gap_pp\":0.31"), "{raw}");
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(v["activities"], 3);
        assert_eq!(v["participants"], 160);
        assert_eq!(
            v["by_target_group"]["pemilih_pemula"],
            json!({"activities": 1, "participants": 120})
        );
        assert_eq!(v["by_target_group"]["disabilitas"]["participants"], 10);
        assert_eq!(v["by_target_group"]["tokoh_adat"]["activities"], 0);
        assert_eq!(v["outreach_to"], "2024-11-26");
        let d01 = v["districts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["region_code"] == "32.79.01")
            .unwrap()
            .clone();
        // 2/3 = 66.666…% → 66.67; against 70.00 the gap is −3.333… → −3.33 (not −3.34).
        assert_eq!(d01["turnout_percent"].to_string(), "66.67");
        assert_eq!(d01["gap_pp"].to_string(), "-3.33");
        assert_eq!(d01["activities"], 2);
        // The district alone.
        let (_, v) = px
            .get(&format!(
                "/api/v1/elections/{e}/participation?region=32.79.01"
            ))
            .await;
        assert_eq!(v["target_percent"], 70.0);
        assert_eq!(v["participants"], 150);
        // A second upload replaces the KPU's targets.
        let (s, _) = px
            .put_csv(
                &px.kpu,
                &format!("/api/v1/elections/{e}/targets"),
                "32.79,80\n",
            )
            .await;
        assert_eq!(s, 200);
        let (_, v) = px
            .get(&format!(
                "/api/v1/elections/{e}/participation?region=32.79.01"
            ))
            .await;
        assert_eq!(v["target_percent"], serde_json::Value::Null);
        assert_eq!(px.count("SELECT COUNT(*) FROM turnout_targets").await, 1);
        assert_eq!(px.audits("participation.targets_set").await, 2);
    }
);

both_backends!(
    bad_targets_and_the_wrong_agency_are_refused,
    |backend| async move {
        let px = Px::new(backend).await;
        let e = px.election_with_totals().await;
        let path = format!("/api/v1/elections/{e}/targets");
        let (s, v) = px
            .put_csv(
                &px.kpu,
                &path,
                "region_code,target_percent\n32.79,100.5\n32.79.01,70\n",
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap()),
            (422, "target_above_100"),
            "{v}"
        );
        let (s, v) = px.put_csv(&px.kpu, &path, "32.79,abc\n").await;
        assert_eq!((s, v["code"].as_str().unwrap()), (422, "bad_csv"));
        let (s, v) = px.put_csv(&px.kpu, &path, "16.71,70\n").await;
        assert_eq!(
            (s, v["code"].as_str().unwrap()),
            (422, "region_outside_election")
        );
        // Not the KPU of the region, or not allowed by role.
        for token in [&px.kesbang, &px.kpu_plg, &px.kpu_officer, &px.kpu_viewer] {
            assert_eq!(px.put_csv(token, &path, "32.79,70\n").await.0, 403);
        }
        assert_eq!(
            px.put_csv(&px.kpu, "/api/v1/elections/9999/targets", "32.79,70\n")
                .await
                .0,
            404
        );
        assert_eq!(px.count("SELECT COUNT(*) FROM turnout_targets").await, 0);
        assert_eq!(px.audits("participation.targets_set").await, 0);
        let (s, v) = px
            .get(&format!("/api/v1/elections/{e}/participation?region=16.71"))
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap()),
            (422, "region_outside_election")
        );
        assert_eq!(px.get("/api/v1/elections/9999/participation").await.0, 404);
        // No target set: the gap is null, the turnout still exact.
        let (s, v) = px
            .get(&format!("/api/v1/elections/{e}/participation"))
            .await;
        assert_eq!(s, 200);
        assert_eq!(v["gap_pp"], serde_json::Value::Null);
        assert_eq!(v["turnout_percent"].to_string(), "77.81");
    }
);

both_backends!(the_outreach_window_is_a_setting, |backend| async move {
    // Balai's default is a year; a region that counts 60 days sets it so.
    let px = Px::with_config(backend, |cfg| {
        cfg.participation
            .insert("outreach_window_days".into(), 60.into());
    })
    .await;
    let e = px.election_with_totals().await;
    for (date, people) in [("2024-10-01", 120), ("2024-11-26", 30), ("2024-09-09", 10)] {
        let mut b = Px::activity_body(None, date, "32.79.01");
        b["participants"] = json!(people);
        px.activity(b).await;
    }
    let (s, v) = px
        .get(&format!("/api/v1/elections/{e}/participation?region=32.79"))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["outreach_from"], "2024-09-28");
    assert_eq!(
        (v["activities"].as_i64(), v["participants"].as_i64()),
        (Some(2), Some(150))
    );
    // The default server counts the whole year.
    let px = Px::new(backend).await;
    let e = px.election_with_totals().await;
    let (_, v) = px
        .get(&format!("/api/v1/elections/{e}/participation?region=32.79"))
        .await;
    assert_eq!(v["outreach_from"], "2023-11-28");
});

both_backends!(
    turnout_from_entered_forms_against_past_elections,
    |backend| async move {
        use crate::support::worlds::elections::{form_json, good_form, Fx};
        // An election with C.Hasil forms entered (no totals loaded): one form in 32.79.01.
        let fx = Fx::new(backend).await;
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        let results = fx.results("32.79").await;
        assert!(results["pengguna"].as_i64().unwrap() > 0, "{results}");
        // An earlier election of the city with loaded totals, a later one, another city's.
        for (token, region, name, day, totals) in [
            (
                &fx.sup,
                "32.79",
                "Pilwalkot Banjar 2018",
                "2018-06-27",
                Some("32.79,1000,700\n32.79.01,400,300\n"),
            ),
            (
                &fx.sup,
                "32.79",
                "Pilwalkot Banjar 2029",
                "2029-11-28",
                None,
            ),
            (
                &fx.palembang_sup,
                "16.71",
                "Pilwalkot Palembang 2018",
                "2018-06-27",
                None,
            ),
        ] {
            let (s, v) = fx
                .post(
                    token,
                    "/api/v1/elections",
                    json!({"kind": "walikota", "region_code": region, "name": name, "voting_date": day}),
                )
                .await;
            assert_eq!(s, 201, "{v}");
            if let Some(csv) = totals {
                let id = v["id"].as_i64().unwrap();
                let path = format!("/api/v1/elections/{id}/totals");
                let csv = format!("region_code,dpt,pengguna\n{csv}");
                let (s, v) = fx.send_csv(token, "PUT", &path, &csv).await;
                assert_eq!(s, 200, "{v}");
            }
        }
        let (s, v) = fx
            .send_csv(
                &fx.sup,
                "PUT",
                &format!("/api/v1/elections/{}/targets", fx.election),
                "32.79,80\n",
            )
            .await;
        assert_eq!(s, 200, "{v}");
        let raw = fx
            .http
            .get(fx.app.url(&format!(
                "/api/v1/elections/{}/participation?region=32.79",
                fx.election
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let p: serde_json::Value = serde_json::from_str(&raw).unwrap();
        // The turnout is the results' own: the same voters over the same DPT.
        assert_eq!(p["dpt"], results["dpt"]);
        assert_eq!(p["pengguna"], results["pengguna"]);
        assert_eq!(p["turnout_percent"], results["turnout_percent"]);
        let (dpt, used) = (p["dpt"].as_i64().unwrap(), p["pengguna"].as_i64().unwrap());
        // Exact, half-up to hundredths of a percent, two decimals in the JSON number.
        let hundredths = (used * 20_000 + dpt) / (2 * dpt);
        let want = format!(
            "\"turnout_percent\":{}.{:02},",
            hundredths / 100,
            hundredths % 100
        );
        assert!(raw.contains(&want), "{want}: {raw}");
        let gap = hundredths - 8000;
        let want = format!("\"gap_pp\":{}.{:02},", gap / 100, gap % 100);
        assert!(gap > 0 && raw.contains(&want), "{want}: {raw}");
        // A district without a form has no turnout (not zero).
        let d02 = p["districts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["region_code"] == "32.79.02")
            .unwrap()
            .clone();
        assert!(d02["turnout_percent"].is_null(), "{d02}");
        // Only the earlier election of the same region is the past one.
        let past = p["past"].as_array().unwrap();
        assert_eq!(past.len(), 1, "{p}");
        assert_eq!(past[0]["name"], "Pilwalkot Banjar 2018");
        assert!(
            raw.contains("\"voting_date\":\"2018-06-27\",\"turnout_percent\":70.00}"),
            "{raw}"
        );
        // The page: target, turnout and the comparison with 2018 in points.
        let change = hundredths - 7000;
        let (s, page) = fx
            .get(&format!("/partisipasi/{}?region=32.79", fx.election))
            .await;
        assert_eq!(s, 200);
        let page = page.as_str().unwrap().to_string();
        let shown = format!("+{},{:02} poin", change / 100, change % 100);
        assert!(
            page.contains("Pilwalkot Banjar 2018 (27 Juni 2018)")
                && page.contains("70,00%")
                && page.contains(&shown),
            "{shown}: {page}"
        );
        assert!(
            !page.contains("Pilwalkot Palembang") && !page.contains("Pilwalkot Banjar 2029"),
            "{page}"
        );
    }
);

//! Hard limits on what election input may claim: a recapitulation names a real document and
//! covers entered results; no TPS above the legal maximum of voters, no number on a form above
//! ten times it, no absurd past totals; and the public CSV never hands a spreadsheet a formula.

use serde_json::json;

use crate::support::worlds::elections::{error_codes, form_json, good_form, Fx};
use crate::support::Backend;
use balai_elections::domain::form::Row;

both_backends!(
    a_recapitulation_needs_a_document_and_entered_results,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let recap = |doc: &str| json!({"region_code": "32.79.01", "document_ref": doc});
        for doc in [
            "\u{200B}",
            "/",
            "x",
            "\u{E000}\u{E001}\u{E002}",
            "BA PPK tanpa nomor",
        ] {
            let (s, v) = fx.post(&fx.sup, &fx.path("/recaps"), recap(doc)).await;
            assert_eq!(s, 422, "{doc:?}: {v}");
        }
        // A well-formed reference, but no TPS of the district has a result yet.
        let (s, v) = fx
            .post(&fx.sup, &fx.path("/recaps"), recap("BA PPK Banjar 1/2024"))
            .await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("recap_without_results")),
            "{v}"
        );
        assert_eq!(fx.results("32.79.01").await["status"], "provisional");
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        let (s, v) = fx
            .post(&fx.sup, &fx.path("/recaps"), recap("BA PPK Banjar 1/2024"))
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(fx.results("32.79.01").await["status"], "official");
    }
);

both_backends!(
    tps_and_forms_above_the_legal_maximum_are_refused,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        // TPS: one over 600 voters, by CSV and by JSON, and the 8.6-billion DPT of the fuzzer.
        let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.01.1001,7,Jl. Tujuh,301,300\n";
        let (s, v) = fx
            .send_csv(&fx.sup, "POST", &fx.path("/tps/import"), csv)
            .await;
        assert_eq!((s, v["code"].as_str()), (422, Some("bad_tps")), "{v}");
        for (l, p) in [(301_u64, 300_u64), (4_294_967_295, 4_294_967_295)] {
            let (s, v) = fx
                .post(
                    &fx.sup,
                    &fx.path("/tps"),
                    json!({"village_code": "32.79.01.1001", "number": 8, "address": "Jl. Delapan", "dpt_l": l, "dpt_p": p}),
                )
                .await;
            assert_eq!(s, 422, "{v}");
        }
        let before = fx.snapshot().await;
        // A form consistent in itself with a DPT of 701: refused, not just flagged.
        let mut f = good_form();
        f.pemilih_dpt = Row::new(350, 351);
        f.pemilih_total = Row::new(353, 353);
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&f), json!({}))
            .await;
        assert_eq!(s, 422, "{v}");
        assert!(
            error_codes(&v).contains(&"dpt_above_legal_maximum".to_string()),
            "{v}"
        );
        // Four billion votes at one TPS, 7,000 walk-in voters: refused.
        let mut billions = good_form();
        billions.votes.insert(1, 4_000_000_000);
        let mut crowd = good_form();
        crowd.pemilih_dptb = Row::new(3500, 3500);
        for f in [billions, crowd] {
            // Not even when the operator says the paper form says so.
            let (s, v) = fx
                .submit(
                    &fx.op1,
                    fx.tps[1],
                    form_json(&f),
                    json!({"confirm_paper": true}),
                )
                .await;
            assert_eq!(s, 422, "{v}");
            assert!(
                error_codes(&v).contains(&"count_above_ceiling".to_string()),
                "{v}"
            );
        }
        assert_eq!(fx.snapshot().await, before, "refused forms change nothing");
    }
);

both_backends!(absurd_past_totals_are_refused, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let (s, v) = fx
            .post(&fx.sup, "/api/v1/elections", json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar 2018", "voting_date": "2018-06-27"}))
            .await;
    assert_eq!(s, 201, "{v}");
    let past = v["id"].as_i64().unwrap();
    let path = format!("/api/v1/elections/{past}/totals");
    for bad in [
            "region_code,dpt,pengguna\n32.79.01,9223372036854775807,1\n32.79.02,9223372036854775807,1\n",
            "region_code,dpt,pengguna\n32.79.01,18446744073709551615,1\n",
            "region_code,dpt,pengguna\n32.79.01,300000001,1\n",
        ] {
            let (s, v) = fx.send_csv(&fx.sup, "PUT", &path, bad).await;
            assert_eq!(s, 422, "{bad}: {v}");
        }
    let (s, v) = fx
        .get(&format!("/api/v1/elections/{past}/results?region=32.79"))
        .await;
    assert_eq!(s, 200, "{v}");
});

both_backends!(the_results_csv_defuses_formulas, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.01.1002,1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"klik\"\")\",100,100\n32.79.01.1002,2,@SUM(1+1),100,100\n";
    fx.import_tps(fx.election, csv).await;
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/results.csv?region=32.79.01.1002")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let names: Vec<String> = rows
        .records()
        .map(|r| r.unwrap().get(1).unwrap().to_string())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("'=HYPERLINK")), "{text}");
    assert!(names.iter().any(|n| n == "'@SUM(1+1)"), "{text}");
    assert!(
        names.iter().all(|n| !n.starts_with(['=', '+', '-', '@'])),
        "{text}"
    );
});

//! Bulk input on both backends: a TPS list by CSV, a batch of forms in one request, and
//! results imported by CSV (one form at a time: `elections::entry`).

use crate::support::worlds::elections::*;
use crate::support::Backend;
use balai_elections::domain::publog::{self, LogEntry};
use serde_json::json;

both_backends!(
    tps_import_warns_and_is_all_or_nothing,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        // The warning threshold lowered below the legal maximum (above it a TPS is refused).
        crate::support::exec(
            &fx.app.db,
            "INSERT INTO settings (key, value) VALUES ('elections.max_dpt_per_tps', '500')",
        )
        .await;
        let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.02.1002,1,Jl. Besar,300,290\n32.79.02.1002,2,Jl. Kecil,100,100\n";
        let (s, v) = fx
            .send_csv(&fx.sup, "POST", &fx.path("/tps/import"), csv)
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["created"], 2);
        assert_eq!(v["warnings"].as_array().unwrap().len(), 1);
        assert!(v["warnings"][0].as_str().unwrap().contains("590"));
        // One bad line (outside the region) and one duplicate: nothing is stored.
        let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.03.1001,1,Jl,1,1\n16.71.01.1001,1,Jl,1,1\n";
        let (s, v) = fx
            .send_csv(&fx.sup, "POST", &fx.path("/tps/import"), csv)
            .await;
        assert_eq!(s, 422, "{v}");
        let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.03.1001,1,Jl,1,1\n32.79.02.1002,1,Jl,1,1\n";
        let (s, v) = fx
            .send_csv(&fx.sup, "POST", &fx.path("/tps/import"), csv)
            .await;
        assert_eq!((s, v["code"].as_str()), (409, Some("tps_exists")));
        let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.03.1001,1,Jl,-1,1\n";
        let (s, _) = fx
            .send_csv(&fx.sup, "POST", &fx.path("/tps/import"), csv)
            .await;
        assert_eq!(s, 422);
        assert_eq!(fx.results("32.79").await["tps_total"], 5);
    }
);

both_backends!(
    batch_submission_answers_each_item,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let good = form_json(&good_form());
        let mut bad = good_form();
        bad.surat_dikembalikan = 3;
        let items = json!({"items": [
            {"tps_id": fx.tps[0], "form": good},
            {"tps_id": fx.tps[1], "form": form_json(&bad)},
            {"tps_id": 999_999, "form": good},
            {"tps_id": fx.tps[2], "form": good},
            {"tps_id": fx.tps[0], "form": good},
        ]});
        let (s, v) = fx.post(&fx.op1, &fx.path("/results/batch"), items).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            (v["accepted"].as_i64(), v["rejected"].as_i64()),
            (Some(2), Some(3))
        );
        let st: Vec<i64> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_i64().unwrap())
            .collect();
        assert_eq!(st, vec![201, 422, 422, 201, 409]);
        assert_eq!(v["items"][1]["details"]["errors"][0]["rule"], 4);
        assert_eq!(v["items"][4]["code"], "duplicate_entry");
        assert_eq!(fx.results("32.79").await["tps_entered"], 2);
        let (_, log) = fx.get(&fx.path("/log")).await;
        let entries: Vec<LogEntry> = serde_json::from_value(log["entries"].clone()).unwrap();
        assert_eq!(publog::verify(&entries), Ok(2));
        // Someone else's region: every item refused, nothing stored.
        let (s, v) = fx
            .post(
                &fx.palembang,
                &fx.path("/results/batch"),
                json!({"items": [{"tps_id": fx.tps[1], "form": form_json(&good_form())}]}),
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(v["items"][0]["status"], 403);
        let (s, _) = fx
            .post(&fx.op1, &fx.path("/results/batch"), json!({"items": []}))
            .await;
        assert_eq!(s, 422);
        assert_eq!(fx.results("32.79").await["tps_entered"], 2);
    }
);

both_backends!(csv_import_of_results, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let flat = good_form().flat();
    let mut csv = String::from("village_code,tps_number,");
    csv.push_str(
        &flat
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(","),
    );
    csv.push('\n');
    let row = |village: &str, n: u32, patch: Option<(&str, &str)>| {
        let vals: Vec<String> = flat
            .iter()
            .map(|(k, v)| match patch {
                Some((pk, pv)) if pk == k => pv.to_string(),
                _ => v.to_string(),
            })
            .collect();
        format!("{village},{n},{}\n", vals.join(","))
    };
    csv.push_str(&row(VILLAGES[0], 1, None));
    csv.push_str(&row(VILLAGES[0], 2, Some(("votes.1", "-5"))));
    csv.push_str(&row(VILLAGES[2], 1, None));
    let (s, v) = fx
        .send_csv(&fx.op1, "POST", &fx.path("/results/import"), &csv)
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["accepted"].as_i64(), v["rejected"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(v["items"][1]["details"]["fields"][0]["field"], "votes.1");
    assert_eq!(v["items"][1]["details"]["fields"][0]["code"], "negative");
    let r = fx.results("32.79").await;
    assert_eq!(r["tps_entered"], 2);
    assert_eq!(r["votes"]["1"], 200);
    let (s, _) = fx
        .send_csv(
            &fx.op1,
            "POST",
            &fx.path("/results/import"),
            "village_code,tps_number,suara_sah\n32.79.01.1001,satu,1\n",
        )
        .await;
    assert_eq!(s, 422);
    let (s, _) = fx
        .send_csv(
            &fx.op1,
            "POST",
            &fx.path("/results/import"),
            "suara_sah\n1\n",
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fx.results("32.79").await["tps_entered"], 2);
});

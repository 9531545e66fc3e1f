//! Each C.Hasil-KWK check through the API: a passing and a failing form, on both backends.

use crate::support;

use crate::support::worlds::elections::*;
use crate::support::Backend;
use balai_elections::domain::form::{Form, Row};
use serde_json::json;

/// A failing variant for each hard rule (1–7, and rule 8's "more voters than ballots").
fn broken(rule: u8) -> Form {
    let mut f = good_form();
    match rule {
        1 => f.disabilitas_pemilih.total = 4,
        2 => f.pemilih_total = Row::new(104, 102),
        3 => f.disabilitas_pengguna = Row::new(3, 1),
        4 => f.surat_dikembalikan = 3,
        5 => {
            f.surat_digunakan = 176;
            f.surat_tidak_digunakan = 27;
        }
        6 => f.suara_tidak_sah = 6,
        7 => {
            f.votes.insert(2, 71);
        }
        8 => {
            f.surat_diterima = 170;
        }
        _ => unreachable!(),
    }
    f
}

both_backends!(
    hard_rules_reject_with_rule_and_field,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let before = fx.snapshot().await;
        for rule in 1..=8u8 {
            let (s, v) = fx
                .submit(&fx.op1, fx.tps[0], form_json(&broken(rule)), json!({}))
                .await;
            assert_eq!(s, 422, "rule {rule}: {v}");
            assert_eq!(v["code"], "form_inconsistent");
            assert!(
                error_rules(&v).contains(&u64::from(rule)),
                "rule {rule}: {v}"
            );
            let first = &v["details"]["errors"][0];
            assert!(!first["fields"].as_array().unwrap().is_empty());
            assert!(first["message_id"].as_str().unwrap().starts_with("Aturan"));
            assert!(v["message"].as_str().unwrap().contains("confirm_paper"));
        }
        // Nothing was stored by any of them.
        assert_eq!(fx.snapshot().await, before);
        // The consistent form passes every rule with no warnings.
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["warnings"], json!([]));
        assert_eq!(v["flagged"], false);
        assert_eq!(v["kind"], "entry");
    }
);

both_backends!(every_broken_rule_is_listed, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let mut f = good_form();
    f.disabilitas_pemilih.total = 4; // rule 1
    f.votes.insert(2, 71); // rule 7
    f.suara_tidak_sah = 6; // rule 6
    let (s, v) = fx
        .submit(&fx.op1, fx.tps[0], form_json(&f), json!({}))
        .await;
    assert_eq!(s, 422);
    let rules = error_rules(&v);
    assert!(
        rules.contains(&1) && rules.contains(&6) && rules.contains(&7),
        "{v}"
    );
    // English on request.
    let res = fx
        .http
        .post(fx.app.url(&fx.path("/results?lang=en")))
        .bearer_auth(&fx.op1)
        .json(&json!({"tps_id": fx.tps[0], "form": form_json(&f)}))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(v["message"].as_str().unwrap().contains("Rule 1"), "{v}");
});

both_backends!(confirmed_paper_is_stored_flagged, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let (s, v) = fx
        .submit(
            &fx.op1,
            fx.tps[0],
            form_json(&broken(4)),
            json!({"confirm_paper": true}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["flagged"], true);
    assert_eq!(v["confirmed_errors"][0]["rule"], 4);
    let r = fx.results("32.79").await;
    assert_eq!(r["tps_entered"], 1);
    assert_eq!(r["tps_flagged"], 1);
    assert_eq!(r["tps_errors"], 1);
    // Flags roll up to the district and village too.
    assert_eq!(fx.results("32.79.01").await["tps_flagged"], 1);
    assert_eq!(fx.results(VILLAGES[0]).await["tps_flagged"], 1);
    assert_eq!(fx.results("32.79.02").await["tps_flagged"], 0);
});

both_backends!(warnings_are_stored_and_shown, |b: Backend| async move {
    let fx = Fx::new(b).await;
    // 8: ballots received differ from DPT + 2.5%.
    let mut f8 = good_form();
    f8.surat_diterima = 210;
    f8.surat_tidak_digunakan = 33;
    // 9: DPT on the form differs from the master DPT (100/100).
    let mut f9 = good_form();
    f9.pemilih_dpt = Row::new(101, 99);
    f9.pemilih_total = Row::new(104, 101);
    // 10: one paslon takes every vote.
    let mut f10 = good_form();
    f10.votes.insert(1, 170);
    f10.votes.insert(2, 0);
    for (tps, form, rule, code) in [
        (fx.tps[0], f8, 8, "ballots_vs_reserve"),
        (fx.tps[1], f9, 9, "dpt_differs_from_master"),
        (fx.tps[2], f10, 10, "single_paslon_takes_all"),
    ] {
        let (s, v) = fx.submit(&fx.op1, tps, form_json(&form), json!({})).await;
        assert_eq!(s, 201, "rule {rule}: {v}");
        assert!(
            warning_codes(&v).contains(&code.to_string()),
            "rule {rule}: {v}"
        );
        assert_eq!(v["warnings"][0]["rule"], rule);
        assert_eq!(v["flagged"], true);
        let (_, t) = fx.get(&fx.path(&format!("/tps/{tps}"))).await;
        assert_eq!(t["current"]["findings"][0]["code"], code, "{t}");
    }
    let r = fx.results("32.79").await;
    assert_eq!(r["tps_flagged"], 3);
    assert_eq!(r["tps_errors"], 0);
});

both_backends!(
    digit_misread_between_entries_is_warned,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let mut a = good_form();
        a.votes.insert(1, 99);
        a.votes.insert(2, 71);
        let (s, _) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&a), json!({}))
            .await;
        assert_eq!(s, 201);
        // The second operator reads 99 as 44 (and fixes the totals to match, as a clerk would).
        let mut b2 = a.clone();
        b2.votes.insert(1, 44);
        b2.votes.insert(2, 126);
        let (s, v) = fx
            .submit(&fx.op2, fx.tps[0], form_json(&b2), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        let w = v["warnings"].as_array().unwrap();
        assert!(
            w.iter()
                .any(|x| x["code"] == "digit_misread" && x["fields"][0] == "votes.1"),
            "{v}"
        );
        assert_eq!(v["disputed"], true);
    }
);

both_backends!(
    the_check_settings_are_read_with_the_submission,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let dpt = good_form().pemilih_dpt.total;
        // The default maximum (600 voters per TPS) is above this form's DPT: no warning 9.
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["warnings"], json!([]));
        // Lowered below it in the settings: the next submission warns with the new maximum.
        let max = dpt - 1;
        support::exec(
            &fx.app.db,
            &format!(
                "INSERT INTO settings (key, value) VALUES ('elections.max_dpt_per_tps', '{max}')"
            ),
        )
        .await;
        let (s, v) = fx
            .submit(&fx.op2, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        let w = v["warnings"].as_array().unwrap();
        assert!(
            w.iter().any(|f| f["code"] == "dpt_above_maximum"
                && f["message_en"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("maximum of {max}"))),
            "{v}"
        );
        assert_eq!(v["flagged"], true);
    }
);

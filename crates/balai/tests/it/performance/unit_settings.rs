//! The unit's admin sets its element weights and a month's service users from the unit's page
//! (`/kinerja/unit/{id}/bobot`, `/pengguna`): the index and the sample size use them; a bad
//! value shows the form again with the message by its field and changes nothing; officers,
//! other units' admins and a form without its CSRF token are refused.

use serde_json::json;

use crate::support::worlds::performance::*;
use crate::support::TestApp;

/// Stored settings rows and their audit events.
async fn stored(app: &TestApp) -> (i64, i64, i64) {
    (
        count(app, "SELECT COUNT(*) FROM perf_unit_settings").await,
        count(app, "SELECT COUNT(*) FROM perf_service_users").await,
        count(
            app,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.settings_update'",
        )
        .await,
    )
}

/// The nine weight fields and the CSRF token.
fn weights_form<'a>(csrf: &'a str, w: &[&'a str; 9]) -> Vec<(&'static str, &'a str)> {
    const NAMES: [&str; 9] = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"];
    let mut f = vec![("csrf", csrf)];
    f.extend(NAMES.iter().copied().zip(w.iter().copied()));
    f
}

both_backends!(
    the_admin_sets_weights_and_service_users_on_the_unit_page,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let officer = app.token_for("dk.officer").await;
        // One answer: 4 on U1, 1 elsewhere. Weights 1/9 each: 12/9 × 25 = 33.33.
        let c = codes(&app, &officer, u.dukcapil, 1).await;
        assert_eq!(
            answer(&app, &c[0], &[4, 1, 1, 1, 1, 1, 1, 1, 1]).await.0,
            201
        );
        assert_eq!(ikm(&app, u.dukcapil, "").await["ikm"], json!(33.33));

        let month = today().to_string()[..7].to_string();
        let page = format!("/kinerja/unit/{}", u.dukcapil);
        let (bobot, pengguna) = (format!("{page}/bobot"), format!("{page}/pengguna"));
        let (admin, html, csrf) = signed_in(&app, "dk.admin", &page).await;
        // Nine labelled fields by name, prefilled with 1/9; the month prefilled, no number yet.
        assert!(html.contains("id=\"ubah-bobot\"") && html.contains("id=\"ubah-pengguna\""));
        assert!(html.contains(">U1 Persyaratan</label>"), "{html}");
        assert!(html.contains(">U9 Sarana dan prasarana</label>"), "{html}");
        assert_eq!(html.matches("value=\"1/9\"").count(), 9, "{html}");
        assert!(html.contains(&format!("name=\"month\" value=\"{month}\"")));
        assert!(html.contains("name=\"users\" value=\"\""));

        // 1/3, 0,2, 0.2 and 2/45 six times: exactly 1. U1 4 × 1/3 + 1 × 2/3 = 2; × 25 = 50.
        let good = [
            "1/3", "0,2", "0.2", "2/45", "2/45", "2/45", "2/45", "2/45", "2/45",
        ];
        assert_eq!(
            post_form(&app, &admin, &bobot, &weights_form(&csrf, &good)).await,
            (303, format!("{page}?disimpan=bobot#pengaturan"))
        );
        assert_eq!(stored(&app).await, (1, 0, 1));
        assert_eq!(ikm(&app, u.dukcapil, "").await["ikm"], json!(50.0));
        let html = text(&app, &admin, &format!("{page}?disimpan=bobot")).await;
        assert!(
            html.contains("id=\"disimpan\">Bobot unsur disimpan."),
            "{html}"
        );
        assert!(
            html.contains("name=\"w1\" value=\"1/3\"")
                && html.contains("name=\"w2\" value=\"1/5\"")
        );
        assert!(html.contains("1/3 · 1/5 · 1/5 · 2/45"), "{html}");

        // 100 users this month: Krejcie-Morgan needs 80.
        let users = [("csrf", csrf.as_str()), ("month", &month), ("users", "100")];
        assert_eq!(
            post_form(&app, &admin, &pengguna, &users).await,
            (303, format!("{page}?disimpan=pengguna#pengaturan"))
        );
        assert_eq!(stored(&app).await, (1, 1, 2));
        let v = ikm(&app, u.dukcapil, "").await;
        assert_eq!(
            (&v["sample_needed"], &v["sample_enough"]),
            (&json!(80), &json!(false))
        );
        let html = text(&app, &admin, &format!("{page}?disimpan=pengguna")).await;
        assert!(html.contains("Jumlah pengguna layanan disimpan."), "{html}");
        assert!(
            html.contains("pengguna layanan: 100 (diisi unit)"),
            "{html}"
        );
        assert!(html.contains("name=\"users\" value=\"100\""));
    }
);

both_backends!(
    bad_settings_show_the_form_again_and_change_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let page = format!("/kinerja/unit/{}", u.dukcapil);
        let (bobot, pengguna) = (format!("{page}/bobot"), format!("{page}/pengguna"));
        let (admin, _, csrf) = signed_in(&app, "dk.admin", &page).await;

        // Nine times 0,1: the sum is refused above the fields, which keep what was typed.
        let tenth = ["0,1"; 9];
        let (s, html) = post_form(&app, &admin, &bobot, &weights_form(&csrf, &tenth)).await;
        assert_eq!(s, 422);
        assert!(
            html.contains(
                "id=\"bobot-err\">Bobot tidak sah: jumlah bobot harus tepat 1 (sekarang 9/10)."
            ),
            "{html}"
        );
        assert_eq!(html.matches("value=\"0,1\"").count(), 9, "{html}");
        assert!(html.contains("id=\"ubah-bobot\" open"));
        // A negative third weight: the message under the third field; in English too.
        let mut neg = ["1/9"; 9];
        neg[2] = "-0,2";
        let (s, html) = post_form(&app, &admin, &bobot, &weights_form(&csrf, &neg)).await;
        assert_eq!(s, 422);
        assert!(
            html.contains("id=\"w3-err\">Bobot tidak sah: bobot ke-3 tidak boleh negatif."),
            "{html}"
        );
        assert!(html.contains("name=\"w3\" value=\"-0,2\""));
        let en = format!("{bobot}?lang=en");
        let (s, html) = post_form(&app, &admin, &en, &weights_form(&csrf, &neg)).await;
        assert_eq!(s, 422);
        assert!(
            html.contains("id=\"w3-err\">Invalid weights: weight 3 must not be negative."),
            "{html}"
        );
        assert!(html.contains(">U3 Completion time</label>"), "{html}");
        assert!(html.contains("name=\"w3\" value=\"-0,2\""));
        // Back to Indonesian (the language the link chose stays with the browser).
        let id = format!("{bobot}?lang=id");
        let (s, html) = post_form(&app, &admin, &id, &weights_form(&csrf, &neg)).await;
        assert_eq!(s, 422);
        assert!(html.contains(">U3 Waktu penyelesaian</label>"), "{html}");

        // A month that does not exist, then a number that is not one: each by its field.
        let bad_month = [
            ("csrf", csrf.as_str()),
            ("month", "2026-13"),
            ("users", "50"),
        ];
        let (s, html) = post_form(&app, &admin, &pengguna, &bad_month).await;
        assert_eq!(s, 422);
        assert!(
            html.contains("id=\"bulan-err\">Bulan harus berbentuk TTTT-BB, mis. 2026-11."),
            "{html}"
        );
        assert!(html.contains("name=\"month\" value=\"2026-13\"") && html.contains("value=\"50\""));
        assert!(html.contains("id=\"ubah-pengguna\" open"));
        for n in ["-5", "banyak", "10000001"] {
            let fields = [("csrf", csrf.as_str()), ("month", "2026-11"), ("users", n)];
            let (s, html) = post_form(&app, &admin, &pengguna, &fields).await;
            assert_eq!(s, 422, "{n}");
            assert!(
                html.contains("id=\"jumlah-err\">Jumlah pengguna layanan harus"),
                "{html}"
            );
            assert!(html.contains(&format!("name=\"users\" value=\"{n}\"")));
        }
        assert_eq!(stored(&app).await, (0, 0, 0));
        assert_eq!(ikm(&app, u.dukcapil, "").await["sample_needed"], json!(0));
    }
);

both_backends!(
    only_the_units_admin_sets_them_with_the_forms_token,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let page = format!("/kinerja/unit/{}", u.dukcapil);
        let (bobot, pengguna) = (format!("{page}/bobot"), format!("{page}/pengguna"));
        let ninths = ["1/9"; 9];
        let month = today().to_string()[..7].to_string();

        // The unit's officer sees no form and is refused; so is another unit's admin.
        for who in ["dk.officer", "dk.spv", "pemda.admin"] {
            let (client, html, csrf) = signed_in(&app, who, &page).await;
            assert!(!html.contains("id=\"ubah-bobot\""), "{who}");
            assert!(!html.contains("id=\"ubah-pengguna\""), "{who}");
            let w = weights_form(&csrf, &ninths);
            assert_eq!(post_form(&app, &client, &bobot, &w).await.0, 403, "{who}");
            let n = [("csrf", csrf.as_str()), ("month", &month), ("users", "9")];
            assert_eq!(
                post_form(&app, &client, &pengguna, &n).await.0,
                403,
                "{who}"
            );
        }
        // The admin without the form's token: refused.
        let (admin, _, _) = signed_in(&app, "dk.admin", &page).await;
        let w = weights_form("", &ninths);
        assert_eq!(post_form(&app, &admin, &bobot, &w[1..]).await.0, 403);
        let n = [("month", month.as_str()), ("users", "9")];
        assert_eq!(post_form(&app, &admin, &pengguna, &n).await.0, 403);
        let n = [("csrf", "nope"), ("month", month.as_str()), ("users", "9")];
        assert_eq!(post_form(&app, &admin, &pengguna, &n).await.0, 403);
        assert_eq!(stored(&app).await, (0, 0, 0));
    }
);

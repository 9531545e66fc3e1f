//! What a citizen meets (#22): the receipt after a redirect (a reload never files again), the
//! open application shown instead of a second one (web and API), the village finder's search
//! step inside the form, the birth registration's child and parents, and the services as a
//! list a phone can use.

use serde_json::json;

use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;

both_backends!(
    filing_redirects_to_a_receipt_that_reloads_and_never_files_twice,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let csrf = app.csrf(&c, "/dukcapil/apply/ktp_baru").await;
        let mut m = Multipart::new().text("csrf", &csrf);
        for (k, v) in ktp_fields() {
            m = m.text(k, &v);
        }
        let (ct, body) = m
            .file("doc_kk", "kk.pdf", "application/pdf", &pdf())
            .finish();
        let res = c
            .post(app.url("/dukcapil/apply/ktp_baru"))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        // A redirect, the code and secret in a cookie of the receipt page only, not in the URL.
        assert_eq!(res.status(), 303);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/dukcapil/tanda-terima");
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(
            cookie.contains("Path=/dukcapil/tanda-terima")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let first = c.get(app.url(&to)).send().await.unwrap();
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["cache-control"], "no-store");
        let (code, secret, html) = receipt_codes(&first.text().await.unwrap());
        assert!(html.contains(&grouped(&code)), "the code in groups of five");
        // Reloading shows the same receipt and files nothing.
        let again = c
            .get(app.url(&to))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(receipt_codes(&again).0, code);
        assert!(again.contains(&secret));
        assert_eq!(count(&app, "cr_applications").await, 1);
        // Without the cookie the page is the tracking form.
        let res = app.client().get(app.url(&to)).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/dukcapil/track");

        // The same NIK and service again: the open one is named, nothing is filed.
        let res = post_ktp(&app, &c, &ktp_fields()).await;
        assert_eq!(res.status(), 409);
        let html = res.text().await.unwrap();
        assert!(html.contains("id=\"form-error\""), "{html}");
        assert!(html.contains(&grouped(&code)), "{html}");
        assert!(html.contains("href=\"/dukcapil/track\""));
        assert!(
            html.contains("value=\"Budi Santoso\""),
            "the form keeps what was typed"
        );
        assert_eq!(count(&app, "cr_applications").await, 1);
        // The API answers the same: 409 with the open application's id and code.
        let (s, _, v) = post_application(&app, &ktp_json(), None).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (409, Some("application_open")),
            "{v}"
        );
        assert_eq!(v["details"]["application_id"], app_id(&app, &code).await);
        assert_eq!(v["details"]["tracking_code"], code.as_str());
        assert_eq!(v["details"]["status"], "submitted");
        assert_eq!(count(&app, "cr_applications").await, 1);
        // Once it is closed, a new one may be filed.
        crate::support::exec(&app.db, "UPDATE cr_applications SET status = 'completed'").await;
        let (s, _, v) = post_application(&app, &ktp_json(), None).await;
        assert_eq!(s, 201, "{v}");
    }
);

both_backends!(
    tracking_redirects_to_a_status_page_and_a_wrong_secret_gives_the_form,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let (code, secret, _) = apply_ktp(&app, &c).await;
        let t = app.client();
        let csrf = app.csrf(&t, "/dukcapil/track").await;
        let res = t
            .post(app.url("/dukcapil/track"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", grouped(&code).to_lowercase().as_str()),
                ("secret", secret.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/dukcapil/track/status");
        let status = t
            .get(app.url("/dukcapil/track/status"))
            .send()
            .await
            .unwrap();
        assert_eq!(status.status(), 200);
        let html = status.text().await.unwrap();
        assert!(html.contains(&grouped(&code)) && html.contains("id=\"status\""));
        assert!(html.contains("id=\"reprint\""), "{html}");
        // The reprint is a page of its own, without the secret.
        let receipt = t
            .get(app.url("/dukcapil/track/receipt"))
            .send()
            .await
            .unwrap();
        let receipt = receipt.text().await.unwrap();
        assert!(receipt.contains(&grouped(&code)) && !receipt.contains(&secret));
        // A wrong secret: the form again, with the message and the code typed.
        let csrf = app.csrf(&t, "/dukcapil/track").await;
        let res = t
            .post(app.url("/dukcapil/track"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", code.as_str()),
                ("secret", "ZZZZZZZZ"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("Kode lacak atau kode rahasia salah"),
            "{html}"
        );
        assert!(html.contains("<form") && html.contains(&format!("value=\"{code}\"")));
        assert!(!html.contains("Terjadi masalah"));
    }
);

both_backends!(
    the_village_finder_is_a_search_step_inside_the_form,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        // The form asks for no code any more.
        let form = c
            .get(app.url("/dukcapil/apply/ktp_baru"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!form.contains("32.79.01.1001"), "no code to type");
        assert!(form.contains("name=\"desa\"") && form.contains("name=\"find\""));
        // Search: everything typed comes back, with the villages to choose from.
        let mut fields: Vec<(&str, String)> = ktp_fields()
            .into_iter()
            .filter(|(k, _)| *k != "kelurahan")
            .collect();
        fields.push(("desa", "Mekarsari  BANJAR".into()));
        fields.push(("find", "1".into()));
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &fields,
            &[],
        )
        .await;
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("value=\"Budi Santoso\"") && html.contains(NIK_MALE));
        let first = html.find("name=\"kelurahan\" value=\"").unwrap();
        assert!(
            html[first..].starts_with("name=\"kelurahan\" value=\"32.79.01.1002\""),
            "Mekarsari of Kota Banjar first"
        );
        assert!(html.contains("Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat"));
        assert_eq!(count(&app, "cr_applications").await, 0);
        // Narrowed to a regency: its villages only.
        let mut narrow: Vec<(&str, String)> = fields.clone();
        narrow.retain(|(k, _)| *k != "find" && *k != "desa");
        narrow.push(("desa", "mekarsari".into()));
        narrow.push(("kab_pick", "32.79".into()));
        let html = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &narrow,
            &[],
        )
        .await
        .text()
        .await
        .unwrap();
        assert_eq!(
            html.matches("type=\"radio\" name=\"kelurahan\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("name=\"kab\" value=\"32.79\""));
        // The chosen village is shown by its names.
        let html = c
            .get(app.url(&format!("/dukcapil/apply/ktp_baru?kelurahan={KELURAHAN}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Banjar — Kec. Banjar, Kota Banjar, Jawa Barat"),
            "{html}"
        );
        assert!(html.contains(&format!(
            "type=\"hidden\" name=\"kelurahan\" value=\"{KELURAHAN}\""
        )));
    }
);

both_backends!(
    a_birth_registration_names_the_child_and_parents,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let form = c
            .get(app.url("/dukcapil/apply/akta_kelahiran"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for field in [
            "child_name",
            "birth_place",
            "birth_time",
            "mother_name",
            "father_nik",
        ] {
            assert!(form.contains(&format!("name=\"{field}\"")), "{field}");
        }
        let today = balai_core::db::now().date();
        let mut body = ktp_json();
        body["service"] = json!("akta_kelahiran");
        body["event_date"] = json!((today - time::Duration::days(3)).to_string());
        body["documents"] = json!([
            { "key": "surat_kelahiran", "filename": "lahir.pdf", "content_type": "application/pdf", "data_base64": b64(&pdf()) },
            { "key": "kk", "filename": "kk.pdf", "content_type": "application/pdf", "data_base64": b64(&pdf()) },
        ]);
        // Without the child: refused, nothing stored.
        let (s, _, v) = post_application(&app, &body, None).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("missing_detail")),
            "{v}"
        );
        assert_eq!(count(&app, "cr_applications").await, 0);
        body["birth"] = json!({
            "child_name": "Siti Nur Aisyah", "birth_place": "RSUD Kota Banjar", "birth_time": "07:45",
            "mother_name": "Rina Marlina", "mother_nik": NIK_FEMALE, "father_name": "Budi Santoso",
        });
        let (s, _, v) = post_application(&app, &body, None).await;
        assert_eq!(s, 201, "{v}");
        let code = v["tracking_code"].as_str().unwrap().to_string();
        // Twins are two children: a second child of the same day is filed.
        body["birth"]["child_name"] = json!("Siti Nur Aini");
        body["phone"] = json!("081234567891");
        assert_eq!(post_application(&app, &body, None).await.0, 201);
        // The same child again: the open one is shown.
        let (s, _, v) = post_application(&app, &body, None).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (409, Some("application_open")),
            "{v}"
        );
        // The officer sees the child and the parents.
        let kel = app.client();
        app.login(&kel, "kel1", "pw-kel1-0123456789").await;
        let id = app_id(&app, &code).await;
        let html = kel
            .get(app.url(&format!("/dukcapil/staff/applications/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("id=\"birth\""), "{html}");
        assert!(html.contains("Siti Nur Aisyah") && html.contains("RSUD Kota Banjar"));
        assert!(html.contains("07:45") && html.contains("Rina Marlina"));
        assert!(html.contains(NIK_FEMALE) && html.contains("Budi Santoso"));
        // The stored details are encrypted, not plain text.
        let raw: Vec<u8> = balai_core::with_db!(&app.db, |c| sqlx::query_scalar(
            "SELECT details_enc FROM cr_applications WHERE id = $1"
        )
        .bind(id)
        .fetch_one(c)
        .await)
        .unwrap();
        assert!(!String::from_utf8_lossy(&raw).contains("Siti"));
    }
);

both_backends!(
    services_are_a_list_with_apply_links_and_names,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let html = c
            .get(app.url("/dukcapil?lang=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("<table"), "no wide table on a phone");
        assert!(html.contains("class=\"services\""));
        assert!(html.contains("href=\"/dukcapil/apply/ktp_baru\""));
        assert!(html.contains("Population documents") && html.contains("Apply"));
        // A village chosen by the finder narrows the list and keeps the choice in the links.
        let html = c
            .get(app.url(&format!("/dukcapil?kelurahan={KELURAHAN}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!(
            "href=\"/dukcapil/apply/ktp_baru?kelurahan={KELURAHAN}"
        )));
        assert!(html.contains("Banjar — Kec. Banjar, Kota Banjar, Jawa Barat"));
    }
);

//! The services catalogue is configuration: a super-admin edits checklists, standards and fees,
//! and new applications follow the new values. Overdue applications show in the overdue queue.

use crate::support;

use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;

both_backends!(
    catalogue_edits_apply_to_new_applications,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        app.add_user("root", None, balai_core::accounts::Role::Admin, true)
            .await;
        let admin = app.client();
        app.login(&admin, "root", "pw-root-0123456789").await;
        let page = admin
            .get(app.url("/dukcapil/admin/services"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("kk | Kartu Keluarga | Family card | unggah | wajib"),
            "{page}"
        );
        let csrf = support::extract_csrf(&page).unwrap();
        let post = |reqs: &'static str, days: &'static str| {
            let csrf = csrf.clone();
            let admin = admin.clone();
            let url = app.url("/dukcapil/admin/services/ktp_baru");
            async move {
                admin
                    .post(url)
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("standard_days", days),
                        ("fee_rupiah", "15000"),
                        ("requirements", reqs),
                        ("active", "1"),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        // A malformed checklist is refused with the line number.
        let res = post("kk | Kartu Keluarga | Family card | kirim | wajib", "5").await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Baris 1"));
        let res = post("kk | Kartu Keluarga | Family card | unggah | wajib\nfoto | Pas foto | Photo | unggah | wajib", "5").await;
        assert!(res.status().is_redirection(), "{}", res.status());
        // Only a super-admin may edit the shared catalogue.
        let kel = app.client();
        app.login(&kel, "kelsup", "pw-kelsup-0123456789").await;
        let csrf2 = app.csrf(&kel, "/dukcapil").await;
        let res = kel
            .post(app.url("/dukcapil/admin/services/ktp_baru"))
            .form(&[
                ("csrf", csrf2.as_str()),
                ("standard_days", "1"),
                ("fee_rupiah", "0"),
                ("requirements", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);

        let list: serde_json::Value = app
            .client()
            .get(app.url("/api/v1/civil-registry/services"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ktp = list
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == "ktp_baru")
            .unwrap();
        assert_eq!(ktp["standard_working_days"], 5);
        assert_eq!(ktp["fee_rupiah"], 15000);
        let home = app
            .client()
            .get(app.url("/dukcapil"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Rp 15.000"));

        // The new photo requirement is enforced; the deadline uses 5 working days.
        let c = app.client();
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &ktp_fields(),
            &[("doc_kk", "kk.pdf", "application/pdf", pdf())],
        )
        .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Pas foto"));
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &ktp_fields(),
            &[
                ("doc_kk", "kk.pdf", "application/pdf", pdf()),
                ("doc_foto", "f.png", "image/png", png()),
            ],
        )
        .await;
        assert_eq!(res.status(), 200);
        let (code, _, _) = receipt_codes(&res.text().await.unwrap());
        let clock =
            balai_core::calendar::get_clock(&app.db, "cr_application", &code, "service_standard")
                .await
                .unwrap()
                .unwrap();
        assert_eq!(clock.working_days, 5);

        // Past its due day, the application is in the overdue queue.
        balai_core::with_db!(&app.db, |c| sqlx::query(
            "UPDATE cr_applications SET due_day = $1"
        )
        .bind(time::macros::date!(2020 - 01 - 02))
        .execute(c)
        .await
        .map(|_| ()))
        .unwrap();
        let q = kel
            .get(app.url("/dukcapil/staff"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let overdue = between(&q, "id=\"queue-overdue\"", "</section>").unwrap();
        assert!(overdue.contains(&code), "{overdue}");
        let ready = between(&q, "id=\"queue-ready\"", "</section>").unwrap();
        assert!(!ready.contains(&code));
    }
);

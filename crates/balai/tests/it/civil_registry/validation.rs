//! Bad input gets a clear message in Bahasa Indonesia and stores nothing partial; NIK/KK
//! validation end to end; the late-registration rule.

use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;

async fn nothing_stored(app: &TestApp) {
    for t in [
        "cr_applications",
        "cr_documents",
        "cr_history",
        "notifications",
        "clocks",
    ] {
        assert_eq!(count(app, t).await, 0, "{t} must stay empty");
    }
}

/// Form fields, files, expected error code, expected Indonesian message.
type Case = (
    Vec<(&'static str, String)>,
    Vec<(&'static str, &'static str, &'static str, Vec<u8>)>,
    &'static str,
    &'static str,
);

fn with(field: &'static str, value: &str) -> Vec<(&'static str, String)> {
    let mut f = ktp_fields();
    f.retain(|(k, _)| *k != field);
    f.push((field, value.to_string()));
    f
}

both_backends!(
    bad_input_is_refused_clearly_and_stores_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let good_doc = || vec![("doc_kk", "kk.pdf", "application/pdf", pdf())];
        let cases: Vec<Case> = vec![
            (
                with("nik", "327901150890001"),
                good_doc(),
                "id_number_length",
                "NIK harus terdiri dari tepat 16 angka",
            ),
            (
                with("nik", "32790115089000012"),
                good_doc(),
                "id_number_length",
                "tepat 16 angka",
            ),
            (
                with("nik", "3279013202900001"),
                good_doc(),
                "nik_birth_date",
                "bukan tanggal yang sah",
            ),
            (
                with("nik", "3279011508900000"),
                good_doc(),
                "nik_serial",
                "nomor urut",
            ),
            (
                with("birth_date", "1990-08-16"),
                good_doc(),
                "nik_birth_date_mismatch",
                "tidak cocok dengan tanggal lahir",
            ),
            (
                with("nik", NIK_FEMALE),
                good_doc(),
                "nik_sex_mismatch",
                "menurut NIK perempuan",
            ),
            (
                with("kk", "3279002301150004"),
                good_doc(),
                "id_number_region",
                "Nomor KK: kode kecamatan 00 tidak sah",
            ),
            (
                with("kelurahan", "32.79.01"),
                good_doc(),
                "bad_kelurahan",
                "kode wilayah lengkap",
            ),
            (
                with("kelurahan", "32.79.01.9999"),
                good_doc(),
                "bad_kelurahan",
                "kode wilayah lengkap",
            ),
            (
                ktp_fields(),
                vec![],
                "missing_document",
                "Dokumen wajib belum diunggah: Kartu Keluarga",
            ),
            (
                ktp_fields(),
                vec![(
                    "doc_kk",
                    "kk.pdf",
                    "application/pdf",
                    b"GIF89a not a pdf".to_vec(),
                )],
                "bad_file_type",
                "bukan PDF, JPEG atau PNG",
            ),
            (
                ktp_fields(),
                vec![("doc_kk", "kk.pdf", "application/pdf", {
                    let mut big = pdf();
                    big.resize(1_200_000, b' ');
                    big
                })],
                "upload_too_large",
                "terlalu besar",
            ),
            (
                ktp_fields(),
                vec![
                    ("doc_kk", "kk.pdf", "application/pdf", pdf()),
                    ("doc_akta", "x.pdf", "application/pdf", pdf()),
                ],
                "unknown_document",
                "tidak termasuk persyaratan",
            ),
            (
                with("email", "not-an-email"),
                good_doc(),
                "bad_email",
                "email tidak sah",
            ),
        ];
        for (fields, files, code, msg) in cases {
            let res = post_multipart(
                &app,
                &c,
                "/dukcapil/apply/ktp_baru",
                "/dukcapil/apply/ktp_baru",
                &fields,
                &files,
            )
            .await;
            assert_eq!(res.status(), 422, "{code}");
            let html = res.text().await.unwrap();
            assert!(html.contains(msg), "{code}: expected {msg:?} in {html}");
            nothing_stored(&app).await;
        }
        // The same over the English UI.
        let res = c.get(app.url("/dukcapil?lang=en")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &with("nik", "123"),
            &good_doc(),
        )
        .await;
        let html = res.text().await.unwrap();
        assert!(html.contains("NIK must be exactly 16 digits"), "{html}");
        c.get(app.url("/dukcapil?lang=id")).send().await.unwrap();
        // Unknown service, missing CSRF token.
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/no_such",
            &ktp_fields(),
            &good_doc(),
        )
        .await;
        assert_eq!(res.status(), 422);
        let (ct, body) = Multipart::new().text("csrf", "forged").finish();
        let res = c
            .post(app.url("/dukcapil/apply/ktp_baru"))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        nothing_stored(&app).await;
        // No Disdukcapil for the region: refused, nothing stored.
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &with("kelurahan", "16.74.01.1001"),
            &good_doc(),
        )
        .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Belum ada Disdukcapil"));
        nothing_stored(&app).await;
    }
);

both_backends!(
    valid_female_nik_and_late_registration,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        // Female NIK (day + 40) with matching declared data is accepted.
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/ktp_baru",
            "/dukcapil/apply/ktp_baru",
            &[
                ("name", "Siti Aminah".into()),
                ("nik", NIK_FEMALE.into()),
                ("kk", KK.into()),
                ("birth_date", "1990-08-15".into()),
                ("sex", "P".into()),
                ("kelurahan", KELURAHAN.into()),
            ],
            &[("doc_kk", "kk.png", "image/png", png())],
        )
        .await;
        assert_eq!(res.status(), 200);
        let (code, _, _) = receipt_codes(&res.text().await.unwrap());
        let row = balai_civil_registry::store::by_tracking_code(&app.db, &code)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.sex, "P");
        assert_eq!(row.birth_date, time::macros::date!(1990 - 08 - 15));
        assert_eq!(
            count(&app, "notifications").await,
            0,
            "no contact given, no notification"
        );

        // Births are due within 60 days: a birth 100 days ago is late, 10 days ago is not.
        let today = balai_core::db::now().date();
        let birth = |days: i64| {
            let d = today - time::Duration::days(days);
            vec![
                ("name", "Budi Santoso".into()),
                ("nik", NIK_MALE.into()),
                ("kk", KK.into()),
                ("birth_date", "1990-08-15".into()),
                ("sex", "L".into()),
                ("kelurahan", KELURAHAN.into()),
                ("event_date", d.to_string()),
                ("child_name", format!("Anak {days}")),
                ("birth_place", "Banjar".into()),
                ("birth_time", "07:45".into()),
                ("mother_name", "Siti Aminah".into()),
            ]
        };
        let docs = || {
            vec![
                ("doc_surat_kelahiran", "lahir.pdf", "application/pdf", pdf()),
                ("doc_kk", "kk.pdf", "application/pdf", pdf()),
            ]
        };
        for (days, late) in [(100, true), (10, false)] {
            let docs_before = count(&app, "cr_documents").await;
            let res = post_multipart(
                &app,
                &c,
                "/dukcapil/apply/akta_kelahiran",
                "/dukcapil/apply/akta_kelahiran",
                &birth(days),
                &docs(),
            )
            .await;
            assert_eq!(res.status(), 200);
            let html = res.text().await.unwrap();
            assert_eq!(html.contains("tercatat terlambat"), late, "{days} days");
            let (code, _, _) = receipt_codes(&html);
            let row = balai_civil_registry::store::by_tracking_code(&app.db, &code)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(row.late, late);
            assert_eq!(count(&app, "cr_documents").await, docs_before + 2);
        }
        // The event date is required for a birth and cannot be in the future.
        let mut f = birth(0);
        f.retain(|(k, _)| *k != "event_date");
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/akta_kelahiran",
            "/dukcapil/apply/akta_kelahiran",
            &f,
            &docs(),
        )
        .await;
        assert_eq!(res.status(), 422);
        let mut f = birth(0);
        f.retain(|(k, _)| *k != "event_date");
        f.push(("event_date", (today + time::Duration::days(3)).to_string()));
        let res = post_multipart(
            &app,
            &c,
            "/dukcapil/apply/akta_kelahiran",
            "/dukcapil/apply/akta_kelahiran",
            &f,
            &docs(),
        )
        .await;
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("tidak boleh di masa depan"));
    }
);

both_backends!(
    guessing_a_tracking_secret_is_throttled,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let (code, secret, _) = apply_ktp(&app, &c).await;
        let csrf = app.csrf(&c, "/dukcapil/track").await;
        let try_secret = |s: String| {
            let c = c.clone();
            let url = app.url("/dukcapil/track");
            let form = [
                ("csrf", csrf.clone()),
                ("code", code.clone()),
                ("secret", s),
            ];
            async move { c.post(url).form(&form).send().await.unwrap() }
        };
        for _ in 0..5 {
            // A wrong secret: the form again with the message (422), not an error page.
            let res = try_secret("ABCDEFGHJK".into()).await;
            assert_eq!(res.status(), 422);
            let html = res.text().await.unwrap();
            assert!(html.contains("id=\"form-error\"") && html.contains("name=\"secret\""));
        }
        // Even the right secret waits now.
        let res = try_secret(secret.clone()).await;
        assert_eq!(res.status(), 429);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Terlalu banyak percobaan"));
    }
);

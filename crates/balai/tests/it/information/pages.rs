//! The pages without JavaScript: the request form (both languages), POST-redirect-GET to the
//! receipt shown once, tracking with code + secret and the objection, the public page without
//! the requester, refused input shown again with nothing stored, and the PPID's queue.

use serde_json::json;

use crate::support::http::signed_in;
use crate::support::worlds::information::*;
use crate::support::TestApp;

fn fields(agency: i64) -> Vec<(&'static str, String)> {
    vec![
        ("agency_id", agency.to_string()),
        ("name", NAME.into()),
        ("email", EMAIL.into()),
        (
            "information",
            "Notulen rapat pleno penetapan DPT Kota Banjar".into(),
        ),
        ("purpose", PURPOSE.into()),
    ]
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> &'a str {
    let i = s.find(from).unwrap() + from.len();
    let j = s[i..].find(to).unwrap() + i;
    &s[i..j]
}

both_backends!(
    file_on_the_web_see_the_receipt_once_track_and_object,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let citizen = app.client();
        let form = citizen
            .get(app.url(&format!("/informasi/permohonan?agency={}", p.banjar)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(form.contains("Permohonan informasi publik"));
        assert!(form.contains(&format!(
            "<option value=\"{}\" selected>PPID Kota Banjar",
            p.banjar
        )));
        assert!(!form.contains("Disdukcapil"), "only PPIDs are offered");
        // English (another browser: the choice is remembered in a cookie).
        let en = app
            .client()
            .get(app.url("/informasi/permohonan?lang=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(en.contains("Request public information") && !en.contains("Kirim permohonan"));

        // Refused input: the form again with the message and the values, nothing stored.
        let csrf = app.csrf(&citizen, "/informasi/permohonan").await;
        let mut bad = fields(p.banjar);
        bad[1].1 = " ".into();
        bad.push(("csrf", csrf.clone()));
        let res = citizen
            .post(app.url("/informasi/permohonan"))
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("Nama pemohon wajib diisi"), "{body}");
        assert!(body.contains("Notulen rapat pleno"));
        assert_eq!(count(&app, "info_requests").await, 0);

        // Filed: redirected to the receipt, which shows the secret once.
        let mut good = fields(p.banjar);
        good.push(("csrf", csrf));
        let res = citizen
            .post(app.url("/informasi/permohonan"))
            .form(&good)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"], "/informasi/terkirim");
        let receipt = citizen
            .get(app.url("/informasi/terkirim"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let code = between(&receipt, "<strong id=\"kode-lacak\">", "<").to_string();
        let secret = between(&receipt, "<strong id=\"kode-rahasia\">", "<").to_string();
        assert_eq!(code.len(), 10);
        assert_eq!(secret.len(), 19, "grouped ABCD-EFGH-JKMN-PQRS");
        assert!(
            receipt.contains(NAME),
            "the requester sees their own details"
        );
        let again = citizen
            .get(app.url("/informasi/terkirim"))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 303, "the receipt shows once");
        assert_eq!(count(&app, "info_requests").await, 1);

        // The public page: the request, never the requester.
        let id: i64 = balai_core::with_db!(&app.db, |c| sqlx::query_scalar(
            "SELECT id FROM info_requests"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        let page = app
            .client()
            .get(app.url(&format!("/informasi/permohonan/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Notulen rapat pleno"));
        for private in [NAME, EMAIL, PURPOSE, &code, &secret] {
            assert!(!page.contains(private), "{private}");
        }

        // Tracking: a wrong secret is 404; the right one opens the requester's view.
        let csrf = app.csrf(&citizen, "/informasi/lacak").await;
        let res = citizen
            .post(app.url("/informasi/lacak"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("kode", code.as_str()),
                ("rahasia", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        let res = citizen
            .post(app.url("/informasi/lacak"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("kode", code.as_str()),
                ("rahasia", secret.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"], "/informasi/permohonan-anda");
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        for part in [
            "Path=/informasi/permohonan-anda",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=",
        ] {
            assert!(cookie.contains(part), "{cookie}");
        }
        assert!(!res.headers()["location"].to_str().unwrap().contains(&code));
        let res = citizen
            .get(app.url("/informasi/permohonan-anda"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["cache-control"], "no-store");
        let mine = res.text().await.unwrap();
        assert!(mine.contains(NAME) && !mine.contains("form-keberatan"));
        // Another browser, without the cookie: the tracking form.
        let res = app
            .client()
            .get(app.url("/informasi/permohonan-anda"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"], "/informasi/lacak");

        // Past the due day without an answer: the objection form, and the objection filed.
        set_due(&app, id, "answer", today() - time::Duration::days(1)).await;
        let view_page = || async {
            citizen
                .get(app.url("/informasi/permohonan-anda?selesai=object"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        };
        assert!(view_page().await.contains("form-keberatan"));
        let objection = [
            ("csrf", csrf.as_str()),
            ("kode", code.as_str()),
            ("rahasia", secret.as_str()),
            ("action", "object"),
            ("reason", "Tidak ada jawaban sampai batas waktu"),
        ];
        let res = citizen
            .post(app.url("/informasi/lacak/tindakan"))
            .form(&objection)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(
            res.headers()["location"],
            "/informasi/permohonan-anda?selesai=object"
        );
        // The page after the redirect, reloaded: shown again, nothing filed twice.
        let events = || async {
            balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM info_request_events WHERE action = 'object'"
            )
            .fetch_one(c)
            .await)
            .unwrap()
        };
        for _ in 0..3 {
            let page = view_page().await;
            assert!(page.contains("Keberatan kepada Atasan PPID"), "{page}");
            assert!(page.contains("Keberatan Anda tercatat"));
        }
        assert_eq!(events().await, 1);
        // The POST itself sent again (a browser's "resend"): refused, still one objection.
        let res = citizen
            .post(app.url("/informasi/lacak/tindakan"))
            .form(&objection)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        assert_eq!(events().await, 1);
        let (_, view) = public(&app, id).await;
        assert_eq!(view["status"], "objected");
        assert_eq!(view["objection"]["filed_on"], json!(today().to_string()));
    }
);

both_backends!(
    the_ppid_queue_shows_its_own_requests_with_due_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (_, a) = file(&app, request_json(p.banjar)).await;
        let (_, b) = file(&app, request_json(p.palembang)).await;
        let ppid1 = signed_in(&app, "ppid1").await;
        let page = ppid1
            .get(app.url("/informasi/ppid"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(a["registration_number"].as_str().unwrap()),
            "{page}"
        );
        assert!(!page.contains(b["registration_number"].as_str().unwrap()));
        let due = balai_core::format::date(day(&a["due_day"]), balai_core::i18n::Lang::Id);
        assert!(page.contains(&due), "{due}");
        assert!(!page.contains(NAME));
        let plg = signed_in(&app, "plg").await;
        let page = plg
            .get(app.url("/informasi/ppid"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(b["registration_number"].as_str().unwrap()));
        assert!(!page.contains(a["registration_number"].as_str().unwrap()));
        let res = app
            .client()
            .get(app.url("/informasi/ppid"))
            .send()
            .await
            .unwrap();
        assert_ne!(res.status().as_u16(), 200);
    }
);

both_backends!(
    the_ppid_acts_from_its_page_by_post_redirect_get,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (_, a) = file(&app, request_json(p.banjar)).await;
        let id = a["id"].as_i64().unwrap();
        let path = format!("/informasi/ppid/{id}/tindakan");
        let ppid1 = signed_in(&app, "ppid1").await;
        let queue = html(&app, &ppid1, "/informasi/ppid").await;
        assert!(queue.contains(&path), "the queue links to the page");
        // The PPID sees the requester (it answers them) and the steps open now, by name.
        let page = html(&app, &ppid1, &path).await;
        for shown in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE, "Surat elektronik"] {
            assert!(page.contains(shown), "{shown}: {page}");
        }
        for step in [
            "extend",
            "answer",
            "answer_partly",
            "refuse",
            "transfer",
            "clarify",
        ] {
            assert!(page.contains(&format!("id=\"tindakan-{step}\"")), "{step}");
        }
        assert!(
            !page.contains("tindakan-answer_objection"),
            "the Atasan PPID's"
        );
        assert!(page.contains("Pasal 17 huruf h: rahasia pribadi"));
        assert!(
            page.contains("PPID Kota Palembang"),
            "transfer to another PPID by name"
        );
        let due = balai_core::format::date(day(&a["due_day"]), balai_core::i18n::Lang::Id);
        assert!(page.contains(&due), "{due}");

        // Refused: the page again with the message and what was typed, nothing stored.
        let csrf = app.csrf(&ppid1, &path).await;
        let typed = "Rekap per golongan terlampir tanpa tanda apa pun";
        let res = ppid1
            .post(app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", "answer_partly"),
                ("answer", typed),
                ("exemption", "h"),
                (
                    "consequence_test",
                    "Membuka nama pegawai mengungkap rahasia pribadi.",
                ),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("wajib menandai bagian yang dikecualikan"),
            "{body}"
        );
        assert!(body.contains(typed));
        assert_eq!(public(&app, id).await.1["status"], "received");

        // Another city's PPID: not found, page and post, nothing changed.
        let plg = signed_in(&app, "plg").await;
        assert_eq!(
            plg.get(app.url(&path))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            404
        );
        let plg_csrf = app.csrf(&plg, "/informasi/ppid/dip").await;
        let res = plg
            .post(app.url(&path))
            .form(&[
                ("csrf", plg_csrf.as_str()),
                ("action", "answer"),
                ("answer", "Terlampir dokumennya."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert_eq!(public(&app, id).await.1["status"], "received");

        // Extended by the form: 303 back, the page says so, a reload files nothing.
        let res = ppid1
            .post(app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", "extend"),
                ("reason", "Dokumen DPA masih dihimpun dari tiga bidang"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, format!("{path}?selesai=extend"));
        for _ in 0..2 {
            let page = html(&app, &ppid1, &to).await;
            assert!(page.contains("Tercatat: Perpanjangan waktu"), "{page}");
            assert!(!page.contains("id=\"tindakan-extend\""), "once only");
        }
        let (_, view) = public(&app, id).await;
        assert_eq!(view["status"], "extended");
        assert_eq!(
            day(&view["due_day"]),
            calendar(&app).await.add_working_days(today(), 17)
        );
        let extends = crate::support::http::count(
            &app.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'information.extend'",
        )
        .await;
        assert_eq!(extends, 1);
        // The public page still never shows the requester.
        let public_page = html(&app, &app.client(), &format!("/informasi/permohonan/{id}")).await;
        for private in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE] {
            assert!(!public_page.contains(private), "{private}");
        }
    }
);

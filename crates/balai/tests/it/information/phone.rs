//! Keterbukaan informasi on a 360x740 phone without JavaScript, in both languages: axe-core
//! finds no WCAG 2.2 A/AA violation and no page is wider than the screen — the public pages
//! (filing, tracking, the requester's view, the public record, the archive, the statistics,
//! the annual report, the DIP) and the PPID's (the queue, a request's steps, the intake, the
//! privacy form, the DIP form).

use serde_json::json;

use crate::support::browser::Browser;
use crate::support::http::{api, pw, status_json};
use crate::support::worlds::information::*;
use crate::support::{Backend, TestApp};

both_backends!(
    information_pages_have_no_wcag_violation_on_a_phone,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let (s, filed) = file(&app, request_json(p.banjar)).await;
        assert_eq!(s, 201, "{filed}");
        let id = filed["id"].as_i64().unwrap();
        let code = filed["tracking_code"].as_str().unwrap().to_string();
        let secret = filed["secret"].as_str().unwrap().to_string();
        let token = app.token_for("ppid1").await;
        let dip = json!({
            "category": "berkala", "title": "Laporan keuangan 2025",
            "legal_basis": "UU 14/2008 Pasal 9 ayat (2) huruf c",
            "documents": [{ "title": "LKPD 2025", "reference": "ARS/2026/017" }],
        });
        let path = format!("/api/v1/information-lists/{}/entries", p.banjar);
        let (s, entry) = status_json(api(&app, "POST", &token, &path, Some(dip)).await).await;
        assert_eq!(s, 201, "{entry}");
        let entry = entry["id"].as_i64().unwrap();
        let year = today().year();
        let public = [
            "/informasi/permohonan".to_string(),
            "/informasi/lacak".to_string(),
            format!("/informasi/permohonan/{id}"),
            "/informasi/arsip".to_string(),
            "/informasi/statistik".to_string(),
            format!("/informasi/laporan/{}?tahun={year}", p.banjar),
            "/informasi/dip".to_string(),
            format!("/informasi/dip/{}", p.banjar),
        ];
        let staff = [
            "/informasi/ppid".to_string(),
            format!("/informasi/ppid/{id}/rahasiakan"),
            format!("/informasi/ppid/{id}/tindakan"),
            "/informasi/ppid/loket".to_string(),
            "/informasi/ppid/dip".to_string(),
            format!("/informasi/ppid/dip/{entry}"),
        ];
        let br = Browser::phone_without_js().await.unwrap();
        let mut failures = Vec::new();
        let visit = |path: &str, lang: &str| {
            let sep = if path.contains('?') { '&' } else { '?' };
            app.url(&format!("{path}{sep}lang={lang}"))
        };
        for lang in ["id", "en"] {
            for path in &public {
                br.goto(&visit(path, lang)).await.unwrap();
                br.check_page(&format!("{path} ({lang})"), &mut failures)
                    .await;
            }
            // The requester's view, opened through the tracking form.
            br.goto(&visit("/informasi/lacak", lang)).await.unwrap();
            br.fill("#kode", &code).await.unwrap();
            br.fill("#rahasia", &secret).await.unwrap();
            br.click_and_wait("#lacak").await.unwrap();
            br.check_page(&format!("requester's view ({lang})"), &mut failures)
                .await;
        }
        br.sign_in(&app.base, "ppid1", &pw("ppid1")).await.unwrap();
        for lang in ["id", "en"] {
            for path in &staff {
                br.goto(&visit(path, lang)).await.unwrap();
                br.check_page(&format!("{path} ({lang})"), &mut failures)
                    .await;
            }
        }
        br.close().await.unwrap();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);

//! Kinerja on a 360x740 phone without JavaScript, in both languages: axe-core finds no WCAG 2.2
//! A/AA violation and no page is wider than the screen — the survey (entering a code, the form
//! with a unit's extra question, the thanks), the public index pages, the printable report,
//! the officials' page and the unit's page with its admin's forms.

use serde_json::json;

use crate::support::browser::Browser;
use crate::support::http::{api, pw, status_json};
use crate::support::worlds::performance::*;
use crate::support::TestApp;

both_backends!(
    survey_pages_have_no_wcag_violation_on_a_phone,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let admin = app.token_for("dk.admin").await;
        let path = format!("/api/v1/surveys/units/{}/questions", u.dukcapil);
        let body = json!({ "text": "Apakah ruang tunggu nyaman?", "text_en": "Is the waiting room comfortable?" });
        let (s, v) = status_json(api(&app, "POST", &admin, &path, Some(body)).await).await;
        assert_eq!(s, 201, "{v}");
        let c = codes(&app, &app.token_for("dk.officer").await, u.dukcapil, 2).await;
        let answers = json!({ "code": c[1], "answers": [4, 3, 2, 4, 3, 4, 4, 1, 3] });
        let (s, v) = answer_with(&app, answers).await;
        assert_eq!(s, 201, "{v}");
        let public = [
            "/survei".to_string(),
            format!("/survei/{}", c[0]),
            format!("/survei/terima-kasih?unit={}", u.dukcapil),
            "/kinerja".to_string(),
            format!("/kinerja/unit/{}", u.dukcapil),
            format!("/kinerja/unit/{}/cetak", u.dukcapil),
            "/kinerja/peringkat".to_string(),
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
        }
        br.sign_in(&app.base, "dk.admin", &pw("dk.admin"))
            .await
            .unwrap();
        // The officials' page, and the unit's page with its admin's forms (targets, follow-ups).
        let unit = format!("/kinerja/unit/{}", u.dukcapil);
        for lang in ["id", "en"] {
            for path in ["/kinerja/petugas", unit.as_str()] {
                br.goto(&visit(path, lang)).await.unwrap();
                br.check_page(&format!("{path} as admin ({lang})"), &mut failures)
                    .await;
            }
        }
        br.close().await.unwrap();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);

//! The `[performance]` settings take effect: a unit asks at most `max_extra_questions` extra
//! questions at once, on the API and on the officials' page.

use serde_json::json;

use crate::support::http::{api, status_json};
use crate::support::worlds::performance::*;
use crate::support::TestApp;

both_backends!(
    a_configured_number_of_extra_questions_is_the_limit,
    |backend| async move {
        let app = TestApp::spawn_with(backend, |cfg| {
            cfg.performance
                .insert("max_extra_questions".into(), 2u32.into());
        })
        .await;
        let u = units(&app).await;
        let admin = app.token_for("dk.admin").await;
        let path = format!("/api/v1/surveys/units/{}/questions", u.dukcapil);
        for i in 0..2 {
            let body = json!({ "text": format!("Q{i}?") });
            let (s, v) = status_json(api(&app, "POST", &admin, &path, Some(body)).await).await;
            assert_eq!(s, 201, "{v}");
        }
        let body = json!({ "text": "Ketiga?" });
        let (s, v) = status_json(api(&app, "POST", &admin, &path, Some(body)).await).await;
        assert_eq!((s, v["code"].as_str()), (422, Some("too_many_questions")));
        let said = v.to_string();
        assert!(
            said.contains("banyak 2 pertanyaan") || said.contains("At most 2 extra"),
            "{v}"
        );

        // The officials' page says the unit has asked as many as it may, and offers no form.
        let browser = app.client();
        app.login(&browser, "dk.admin", &crate::support::http::pw("dk.admin"))
            .await;
        let staff = text(&app, &browser, "/kinerja/petugas").await;
        assert!(
            staff.contains("Sudah 2 pertanyaan; hentikan satu untuk menambah."),
            "{staff}"
        );
        assert!(!staff.contains("/kinerja/petugas/pertanyaan\""), "{staff}");
    }
);

//! The sample size rests on the unit's own service records where Balai keeps them: a PPID's
//! information requests of the period count as its service users, ahead of the survey codes
//! it issued; what the unit enters still comes first.

use balai_core::accounts::Role;
use serde_json::json;

use crate::support::worlds::information::{file, request_json};
use crate::support::worlds::performance::*;
use crate::support::TestApp;

both_backends!(
    service_users_come_from_the_units_own_records,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let ppid = app.add_agency("ppid", "PPID Kota Banjar", "32.79").await;
        app.add_user("ppid.officer", Some(ppid), Role::Officer, false)
            .await;
        app.add_user("ppid.admin", Some(ppid), Role::Admin, false)
            .await;
        let officer = app.token_for("ppid.officer").await;

        // Seven survey codes and nothing else: the codes stand in (Krejcie-Morgan: all 7).
        let c = codes(&app, &officer, ppid, 7).await;
        assert_eq!(c.len(), 7);
        let v = ikm(&app, ppid, "").await;
        assert_eq!(v["sample_needed"], 7, "{v}");

        // Three requests filed to the PPID today: its service users are 3, not the 7 codes.
        for _ in 0..3 {
            let (s, body) = file(&app, request_json(ppid)).await;
            assert_eq!(s, 201, "{body}");
        }
        // Another PPID's request does not count here.
        let other = app.add_agency("ppid", "PPID Kota Palembang", "16.71").await;
        assert_eq!(file(&app, request_json(other)).await.0, 201);
        let v = ikm(&app, ppid, "").await;
        assert_eq!(v["sample_needed"], 3, "{v}");
        // Three answers are enough for three users.
        for code in &c[..3] {
            assert_eq!(answer(&app, code, &[3; 9]).await.0, 201);
        }
        let v = ikm(&app, ppid, "").await;
        assert_eq!(
            (&v["responses"], &v["sample_enough"]),
            (&json!(3), &json!(true))
        );

        // The page says where the number comes from.
        let today = today();
        let page = app
            .client()
            .get(app.url(&format!("/kinerja/unit/{ppid}?from={today}&to={today}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("dihitung dari catatan layanan di Balai"),
            "{page}"
        );

        // Entered by the unit's admin for the month: that comes first (100 users: 80 needed).
        let admin = app.token_for("ppid.admin").await;
        let month = &today.to_string()[..7];
        let res = app
            .client()
            .put(app.url(&format!(
                "/api/v1/surveys/units/{ppid}/service-users/{month}"
            )))
            .bearer_auth(admin)
            .json(&json!({ "users": 100 }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let v = ikm(&app, ppid, "").await;
        assert_eq!(
            (&v["sample_needed"], &v["sample_enough"]),
            (&json!(80), &json!(false))
        );
    }
);

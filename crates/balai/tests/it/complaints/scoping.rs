//! Scoping between regions and agencies over the API and the HTML pages, moderation, and the
//! assisted counter.

use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::Backend;
use serde_json::json;

both_backends!(
    officers_only_see_their_own_region,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (st, v) = w
        .file(json!({"category": "infrastruktur", "description": "Drainase tersumbat di ujung gang.", "village_code": w.plg_village, "contact_phone": "081311112222"}))
        .await;
        assert_eq!(st, 201, "{v}");
        let plg_id = v["id"].as_i64().unwrap();
        let (banjar_id, _) = w.file_banjar(json!({})).await;
        // API: Banjar's officer cannot read or act on Palembang's complaint, and the reverse.
        let (st, _) = w
            .get_as(
                &w.officer_banjar,
                &format!("/api/v1/work/complaints/{plg_id}"),
            )
            .await;
        assert_eq!(st, 404);
        let (st, _) = w
            .act(&w.officer_banjar, plg_id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(st, 404);
        let (st, _) = w
            .get_as(
                &w.officer_plg,
                &format!("/api/v1/work/complaints/{banjar_id}"),
            )
            .await;
        assert_eq!(st, 404);
        let (st, v) = w
            .get_as(&w.officer_plg, &format!("/api/v1/work/complaints/{plg_id}"))
            .await;
        assert_eq!(st, 200);
        assert_eq!(v["contact_phone"], "+6281311112222");
        let (_, q) = w
            .get_as(&w.officer_banjar, "/api/v1/work/complaints?queue=all")
            .await;
        let ids: Vec<i64> = q
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![banjar_id]);
        let (st, _) = w
            .get_as(
                &w.officer_banjar,
                &format!(
                    "/api/v1/work/complaints?queue=all&agency_id={}",
                    w.pemda_plg
                ),
            )
            .await;
        assert_eq!(st, 403);
        // Moderation: a hidden report leaves the public pages; its reporter still follows it.
        let (_, hcode, hsecret) = w.file_banjar_with_secret(json!({})).await;
        let hid = w
            .count(&format!(
                "SELECT id FROM complaints WHERE tracking_code = '{hcode}'"
            ))
            .await;
        assert_eq!(
            w.http()
                .get(w.app.url(&format!("/aduan/lihat/{hid}")))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );
        let (st, _) = w
            .act(
                &w.supervisor_banjar,
                hid,
                json!({"action": "hide", "body": "Memuat data pribadi pihak lain"}),
            )
            .await;
        assert_eq!(st, 200);
        assert_eq!(
            w.http()
                .get(w.app.url(&format!("/aduan/lihat/{hid}")))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            404
        );
        // The code alone no longer opens it; the reporter (code + secret) still does.
        let r = w
            .http()
            .get(w.app.url(&format!("/api/v1/complaints/{hcode}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404);
        let held = w.reporter(&hcode, &hsecret).await;
        assert_eq!(held["hidden"], true);
        assert!(!held["description"].as_str().unwrap().is_empty());
        let list = w
            .http()
            .get(w.app.url("/open311/v2/requests.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The hidden one is absent while others are listed.
        assert!(list.contains("\"service_request_id\""));
        assert!(!list.contains(&format!("\"service_request_id\":\"{hid}\"")));
        // A counter operator files for a citizen; the channel is recorded.
        w.app
            .add_user(
                "loket.banjar",
                Some(w.pemda_banjar),
                balai_core::accounts::Role::CounterOperator,
                false,
            )
            .await;
        let loket = w.app.token_for("loket.banjar").await;
        let r = w
        .http()
        .post(w.app.url("/api/v1/complaints"))
        .bearer_auth(&loket)
        .json(&json!({"category": "pelayanan", "description": "Warga lansia kesulitan mengurus surat.", "village_code": BANJAR_VILLAGE, "channel": "counter"}))
        .send()
        .await
        .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        assert_eq!(
            w.count("SELECT COUNT(*) FROM complaints WHERE channel = 'counter'")
                .await,
            1
        );
        // Without signing in, "counter" is refused.
        let (st, _) = w
        .file(json!({"category": "pelayanan", "description": "Warga lansia kesulitan mengurus surat.", "village_code": BANJAR_VILLAGE, "channel": "counter"}))
        .await;
        assert_eq!(st, 422);
        // Reading personal data is logged.
        let n = w.count("SELECT COUNT(*) FROM audit_events WHERE action = 'personal_data.read' AND target_kind = 'complaint'").await;
        assert_eq!(n, 1);
        // HTML: the same over the session-based pages.
        let browser = w.http();
        let pw = "pw-petugas.banjar-0123456789";
        let r = w.app.login(&browser, "petugas.banjar", pw).await;
        assert_eq!(r.status().as_u16(), 303);
        let r = browser
            .get(w.app.url(&format!("/petugas/aduan/{plg_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404);
        let r = browser
            .get(w.app.url(&format!("/petugas/aduan/{banjar_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let html = browser
            .get(w.app.url("/petugas/aduan?antrian=all"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!("/petugas/aduan/{banjar_id}")));
        assert!(!html.contains(&format!("/petugas/aduan/{plg_id}\"")));
        // Acting through the HTML form.
        let csrf = w
            .app
            .csrf(&browser, &format!("/petugas/aduan/{banjar_id}"))
            .await;
        let r = browser
            .post(w.app.url(&format!("/petugas/aduan/{banjar_id}/tindakan")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", "dispatch"),
                ("body", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        let st = w
            .count(&format!(
                "SELECT COUNT(*) FROM complaints WHERE id = {banjar_id} AND status = 'dispatched'"
            ))
            .await;
        assert_eq!(st, 1);
    }
);

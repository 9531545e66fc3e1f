//! The SMS gateway endpoint: format, unstructured messages, status queries, block list, flood
//! control and authentication.

use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::Backend;
use balai_complaints::domain::settings::ComplaintSettings;
use serde_json::{json, Value};

async fn sms(w: &World, token: Option<&str>, from: &str, text: &str) -> (u16, Value) {
    let mut r = w
        .http()
        .post(w.app.url("/api/v1/sms/inbound"))
        .form(&[("from", from), ("text", text)]);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

both_backends!(
    structured_sms_is_filed_and_routed,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (st, _) = sms(
            &w,
            None,
            "081234567890",
            "LAPOR infrastruktur 32.79.01.1001#lampu jalan mati",
        )
        .await;
        assert_eq!(st, 401, "a token is required");
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 0);

        let text = format!(
            "  lapor   INFRASTRUKTUR  {BANJAR_VILLAGE} #  Lampu jalan mati sejak seminggu  "
        );
        let (st, v) = sms(&w, Some(&w.sms_gateway), "0812-3456-7890", &text).await;
        assert_eq!(st, 201, "{v}");
        let code = v["tracking_code"].as_str().unwrap().to_string();
        assert!(v["reply"]
            .as_str()
            .unwrap()
            .starts_with("Laporan Anda diterima"));
        let p = w.public(&code).await;
        assert_eq!(p["agency"], "Pemerintah Kota Banjar");
        assert_eq!(p["village_code"], BANJAR_VILLAGE);
        assert_eq!(p["description"], "Lampu jalan mati sejak seminggu");
        let ch = w.count("SELECT COUNT(*) FROM complaints WHERE channel = 'sms' AND sms_from = '+6281234567890'").await;
        assert_eq!(ch, 1);
        // A status query by SMS.
        let (st, v) = sms(
            &w,
            Some(&w.sms_gateway),
            "081234567890",
            &format!("cek {}", code.to_lowercase()),
        )
        .await;
        assert_eq!(st, 200);
        assert!(v["reply"].as_str().unwrap().contains("Diterima"), "{v}");
        let (_, v) = sms(&w, Some(&w.sms_gateway), "081234567890", "CEK 2222222222").await;
        assert_eq!(v["accepted"], false);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
    }
);

both_backends!(
    anything_else_waits_for_an_operator,
    |b: Backend| async move {
        let w = World::new(b).await;
        for text in [
            "jalan rusak di desa kami tolong",
            "LAPOR kategori_aneh 32.79.01.1001#isi laporan panjang",
            "LAPOR infrastruktur 99.99.99.9999#isi",
        ] {
            let (st, v) = sms(&w, Some(&w.sms_gateway), "081299990000", text).await;
            assert_eq!(st, 201, "{text}: {v}");
            assert!(
                v["reply"].as_str().unwrap().contains("diklasifikasikan"),
                "{v}"
            );
        }
        let n = w.count("SELECT COUNT(*) FROM complaints WHERE needs_classification = TRUE AND agency_id IS NULL AND village_code IS NULL").await;
        assert_eq!(n, 3);
        // Super-admins see them in the unrouted queue.
        let (st, q) = w
            .get_as(&w.superadmin, "/api/v1/work/complaints?queue=new")
            .await;
        assert_eq!(st, 200);
        assert_eq!(q.as_array().unwrap().len(), 3);
        // An operator classifies one: it is routed like any other report.
        let id = q[0]["id"].as_i64().unwrap();
        let (st, r) = w
        .act(&w.officer_banjar, id, json!({"action": "classify", "category": "infrastruktur", "village_code": BANJAR_VILLAGE}))
        .await;
        assert_eq!(st, 404, "an agency cannot see unrouted reports: {r}");
        let classify = json!({"action": "classify", "category": "infrastruktur", "village_code": BANJAR_VILLAGE});
        let (st, r) = w.act(&w.superadmin, id, classify.clone()).await;
        assert_eq!(st, 200, "{r}");
        let (st, r) = w.act(&w.superadmin, id, classify).await;
        assert_eq!((st, r["code"].as_str()), (409, Some("already_classified")));
        let (st, v) = w
            .get_as(&w.officer_banjar, &format!("/api/v1/work/complaints/{id}"))
            .await;
        assert_eq!(st, 200);
        assert_eq!(v["category"], "infrastruktur");
        assert_eq!(v["needs_classification"], false);
        let (_, q) = w
            .get_as(&w.officer_banjar, "/api/v1/work/complaints?queue=new")
            .await;
        assert_eq!(q.as_array().unwrap().len(), 1);
        // An empty message files nothing.
        let (st, v) = sms(&w, Some(&w.sms_gateway), "081299990000", "   ").await;
        assert_eq!((st, v["accepted"].as_bool()), (200, Some(false)));
        // A malformed sender is refused.
        let (st, _) = sms(&w, Some(&w.sms_gateway), "not-a-number", "LAPOR x y#z").await;
        assert_eq!(st, 422);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 3);
    }
);

both_backends!(
    blocked_and_flooding_numbers_are_stopped,
    |b: Backend| async move {
        let w = World::new(b).await;
        // Only admins may block.
        let r = w
            .http()
            .post(w.app.url("/api/v1/sms/blocklist"))
            .bearer_auth(&w.officer_banjar)
            .json(&json!({"phone": "081200000001", "reason": "kasar"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let r = w
            .http()
            .post(w.app.url("/api/v1/sms/blocklist"))
            .bearer_auth(&w.superadmin)
            .json(&json!({"phone": "081200000001", "reason": "Pesan kasar berulang"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 204);
        let (st, v) = sms(
            &w,
            Some(&w.sms_gateway),
            "+6281200000001",
            "LAPOR infrastruktur 32.79.01.1001#jalan rusak parah",
        )
        .await;
        assert_eq!((st, v["accepted"].as_bool()), (403, Some(false)));
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 0);
        let audit = w.count("SELECT COUNT(*) FROM audit_events WHERE action = 'sms.block' AND target_id = '***0001'").await;
        assert_eq!(audit, 1);

        // Per-number flood control: 5 an hour, the 6th is refused with a reply to send back.
        for i in 0..5 {
            let (st, _) = sms(
                &w,
                Some(&w.sms_gateway),
                "081277770000",
                &format!("LAPOR pelayanan 32.79.01.1001#antrean lama nomor {i}"),
            )
            .await;
            assert_eq!(st, 201);
        }
        let (st, v) = sms(
            &w,
            Some(&w.sms_gateway),
            "081277770000",
            "LAPOR pelayanan 32.79.01.1001#antrean lama lagi",
        )
        .await;
        assert_eq!(st, 429);
        assert!(v["reply"].as_str().unwrap().contains("Terlalu banyak"));
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 5);
        // Another number is not affected.
        let (st, _) = sms(
            &w,
            Some(&w.sms_gateway),
            "081277770001",
            "LAPOR pelayanan 32.79.01.1001#antrean lama sekali",
        )
        .await;
        assert_eq!(st, 201);
    }
);

both_backends!(flood_limits_are_settings, |b: Backend| async move {
    // A region that sees abuse tightens both limits in `[complaints]`.
    let w = World::with_config(b, |c| {
        ComplaintSettings {
            max_reports_per_number_per_hour: 2,
            max_reports_per_ip_per_hour: 3,
            ..ComplaintSettings::default()
        }
        .write_to(c);
    })
    .await;
    for i in 0..2 {
        let (st, _) = sms(
            &w,
            Some(&w.sms_gateway),
            "081277770009",
            &format!("LAPOR pelayanan {BANJAR_VILLAGE}#antrean lama nomor {i}"),
        )
        .await;
        assert_eq!(st, 201);
    }
    let (st, v) = sms(
        &w,
        Some(&w.sms_gateway),
        "081277770009",
        &format!("LAPOR pelayanan {BANJAR_VILLAGE}#antrean lama lagi"),
    )
    .await;
    assert_eq!(st, 429, "{v}");
    let body = json!({"category": "aspirasi", "description": "Mohon ditambah lampu di taman kota.", "village_code": BANJAR_VILLAGE});
    for _ in 0..3 {
        assert_eq!(w.file(body.clone()).await.0, 201);
    }
    let (st, v) = w.file(body).await;
    assert_eq!((st, v["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 5);
});

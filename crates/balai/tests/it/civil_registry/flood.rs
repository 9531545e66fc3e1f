//! Flood control of applications (per IP address, per NIK, per contact; web and API), the
//! client address taken from the right of `X-Forwarded-For`, and the NIK shown to staff only as
//! its region and last two digits, without the birth date beside it.

use serde_json::json;

use crate::support::worlds::civil_registry::*;
use crate::support::{self, TestApp};

/// The male applicant's NIK with another serial number (same birth date and district).
fn nik(serial: u32) -> String {
    format!("3279011508900{serial:03}")
}

both_backends!(rapid_applications_get_429, |backend| async move {
    let app = TestApp::spawn(backend).await;
    banjar(&app).await;
    // The same NIK, again and again: the sixth of a day is refused, with Retry-After (each
    // one closed first: an open one would be shown instead of a new one being filed).
    for i in 0..5 {
        let mut body = ktp_json();
        body["phone"] = json!(format!("08123456780{i}"));
        let (s, _, v) = post_application(&app, &body, None).await;
        assert_eq!(s, 201, "{i}: {v}");
        support::exec(&app.db, "UPDATE cr_applications SET status = 'rejected'").await;
    }
    let mut body = ktp_json();
    body["phone"] = json!("081234567899");
    let (s, retry, v) = post_application(&app, &body, None).await;
    assert_eq!((s, v["code"].as_str()), (429, Some("rate_limited")), "{v}");
    assert!(retry.is_some_and(|r| r.parse::<u64>().unwrap() > 0));
    assert_eq!(count(&app, "cr_applications").await, 5);
    // The web form counts against the same limits.
    let c = app.client();
    let res = post_ktp(&app, &c, &ktp_fields()).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(count(&app, "cr_applications").await, 5);
});

both_backends!(forwarded_for_is_read_from_the_right, |backend| async move {
    let app = TestApp::spawn_with(backend, |c| c.trust_proxy = true).await;
    banjar(&app).await;
    support::exec(
            &app.db,
            "INSERT INTO settings (key, value) VALUES ('civil_registry.max_applications_per_ip_per_hour', '2')",
        )
        .await;
    // Each request claims another client on the left; the proxy's entry on the right is
    // the one address, so the third is over the per-IP limit.
    for i in 1..=3 {
        let mut body = ktp_json();
        body["nik"] = json!(nik(i));
        body["phone"] = json!(format!("08123456781{i}"));
        let xff = format!("198.51.100.{i}, 203.0.113.7");
        let (s, _, v) = post_application(&app, &body, Some(&xff)).await;
        assert_eq!(s, if i < 3 { 201 } else { 429 }, "{i}: {v}");
    }
    let ips: Vec<String> = balai_core::with_db!(&app.db, |c| sqlx::query_scalar(
        "SELECT ip FROM audit_events WHERE action = 'civil_registry.submit'"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    assert_eq!(ips, vec!["203.0.113.7".to_string(); 2]);
});

both_backends!(
    staff_see_only_region_and_last_two_digits,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let (s, _, v) = post_application(&app, &ktp_json(), None).await;
        assert_eq!(s, 201, "{v}");
        let c = app.client();
        let pw = format!("pw-{}-0123456789", "kel1");
        let res = app.login(&c, "kel1", &pw).await;
        assert_eq!(res.status(), 303);
        let html = c
            .get(app.url("/dukcapil/staff"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("3279**********01"), "{html}");
        assert!(!html.contains("0001<"), "{html}");
        assert!(!html.contains("1990-08-15") && !html.contains("15-08-1990"));
        let audit: Vec<String> = balai_core::with_db!(&app.db, |c| sqlx::query_scalar(
            "SELECT summary FROM audit_events WHERE action = 'civil_registry.submit'"
        )
        .fetch_all(c)
        .await)
        .unwrap();
        assert!(audit[0].contains("3279**********01"), "{audit:?}");
    }
);

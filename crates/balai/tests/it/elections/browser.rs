//! A headless browser (JavaScript off) drills down from the election's results to a TPS and
//! its version history, following the links on each page.

use crate::support::browser;

use crate::support::browser::Browser;
use crate::support::worlds::elections::*;
use crate::support::Backend;
use serde_json::json;

both_backends!(browser_drills_down_to_a_tps, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let mut fixed = good_form();
    fixed.votes.insert(1, 99);
    fixed.votes.insert(2, 71);
    fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    let (s, _) = fx
        .submit(
            &fx.op1,
            fx.tps[0],
            form_json(&fixed),
            json!({"reason": "salah baca"}),
        )
        .await;
    assert_eq!(s, 201);
    let browser = Browser::start_without_js().await.unwrap();
    let e = fx.election;
    browser
        .goto(&fx.app.url(&format!("/elections/{e}")))
        .await
        .unwrap();
    browser
        .click_and_wait(&format!("a[href=\"/elections/{e}/results\"]"))
        .await
        .unwrap();
    let body = browser.body_text().await.unwrap();
    assert!(body.contains("Kota Banjar"), "{body}");
    assert!(body.contains("1 / 3"), "TPS entered of total: {body}");
    for next in ["32.79.01", VILLAGES[0]] {
        browser
            .click_and_wait(&format!("a[href=\"/elections/{e}/results?region={next}\"]"))
            .await
            .unwrap();
    }
    assert!(browser
        .wait_for_css("svg.chart rect.bar-fill", browser::DEFAULT_WAIT)
        .await
        .is_ok());
    browser
        .click_and_wait(&format!("a[href=\"/elections/{e}/tps/{}\"]", fx.tps[0]))
        .await
        .unwrap();
    let body = browser.body_text().await.unwrap();
    assert!(body.contains("Riwayat versi"), "{body}");
    assert!(body.contains("salah baca"));
    assert!(body.contains("1: 99") && body.contains("1: 100"), "{body}");
    browser.close().await.unwrap();
});

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
    // On a 360x740 phone, every page of the drill-down checked with axe-core (#22).
    let browser = Browser::phone_without_js().await.unwrap();
    let mut failures = Vec::new();
    let e = fx.election;
    browser
        .goto(&fx.app.url(&format!("/elections/{e}")))
        .await
        .unwrap();
    browser.check_page("election page", &mut failures).await;
    browser
        .click_and_wait(&format!("a[href=\"/elections/{e}/results\"]"))
        .await
        .unwrap();
    browser
        .check_page("results of the city", &mut failures)
        .await;
    let body = browser.body_text().await.unwrap();
    assert!(body.contains("Kota Banjar"), "{body}");
    assert!(body.contains("1 / 3"), "TPS entered of total: {body}");
    for next in ["32.79.01", VILLAGES[0]] {
        browser
            .click_and_wait(&format!("a[href=\"/elections/{e}/results?region={next}\"]"))
            .await
            .unwrap();
        browser
            .check_page(&format!("results of {next}"), &mut failures)
            .await;
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
    browser.check_page("TPS page", &mut failures).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    browser.close().await.unwrap();
});

/// Chart text size on screen, overlaps and page width, measured in the page.
const MEASURE: &str = r#"
const svg = document.querySelector('svg.chart');
const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
const boxes = [...svg.querySelectorAll('text, rect')].map(el => {
  const r = el.getBoundingClientRect();
  const fs = el.tagName === 'text' ? parseFloat(getComputedStyle(el).fontSize) * scale : 99;
  return {tag: el.tagName, text: el.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom, fs};
});
return {boxes, scroll: document.documentElement.scrollWidth, svgRight: svg.getBoundingClientRect().right};
"#;

fn overlap(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    f(a, "l") < f(b, "r") - 0.5
        && f(b, "l") < f(a, "r") - 0.5
        && f(a, "t") < f(b, "b") - 0.5
        && f(b, "t") < f(a, "b") - 0.5
}

// At 360 × 740 CSS px (a phone), in both languages: every chart label at least 12 px on
// screen, names above their bars and nothing overlapping, the page no wider than the screen.
both_backends!(results_chart_is_legible_at_360px, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let (s, v) = fx
        .post(
            &fx.sup,
            &fx.path("/candidates"),
            json!({"ballot_number": 3, "head_name": "Hj. Sri Wahyuni Kusumaningrum, S.E., M.Si.", "deputy_name": "Dedi Kurniawan Saputra, S.H., M.H.", "independent": true}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let mut f = good_form();
    f.votes = [(1, 100), (2, 50), (3, 20)].into_iter().collect();
    let (s, v) = fx
        .submit(&fx.op1, fx.tps[0], form_json(&f), json!({}))
        .await;
    assert_eq!(s, 201, "{v}");
    let browser = Browser::start_with(browser::BrowserConfig {
        window_size: (360, 740),
        ..browser::BrowserConfig::without_js()
    })
    .await
    .unwrap();
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await
        .unwrap();
    for q in ["", "?lang=en"] {
        browser
            .goto(
                &fx.app
                    .url(&format!("/elections/{}/results{q}", fx.election)),
            )
            .await
            .unwrap();
        let m = browser.execute(MEASURE, vec![]).await.unwrap();
        assert!(
            m["scroll"].as_f64().unwrap() <= 360.0,
            "page wider than the phone: {m}"
        );
        assert!(m["svgRight"].as_f64().unwrap() <= 360.0, "{m}");
        let boxes = m["boxes"].as_array().unwrap();
        let texts: Vec<&serde_json::Value> = boxes.iter().filter(|b| b["tag"] == "text").collect();
        assert!(texts.len() >= 3 + 3, "names and values: {m}");
        for t in &texts {
            assert!(t["fs"].as_f64().unwrap() >= 12.0, "label under 12 px: {t}");
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlap(a, b), "{a} overlaps {b}");
            }
        }
        let joined: String = texts
            .iter()
            .map(|t| t["text"].as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            joined.contains("Kusumaningrum, S.E., M.Si."),
            "whole names: {joined}"
        );
        assert!(
            joined.contains("Saputra, S.H., M.H."),
            "whole names: {joined}"
        );
        // Each pair's name lines are above its bar.
        let first_rect = boxes.iter().position(|b| b["tag"] == "rect").unwrap();
        assert!(boxes[..first_rect]
            .iter()
            .all(|b| b["b"].as_f64() <= boxes[first_rect]["t"].as_f64()));
    }
    browser.close().await.unwrap();
});

// The entry form on a phone: no wider than the screen, each box wide enough for four digits,
// every scrollable region of the election pages focusable.
both_backends!(entry_form_fits_a_phone, |b: Backend| async move {
    let fx = Fx::new(b).await;
    fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    let browser = Browser::phone_without_js().await.unwrap();
    let mut failures = Vec::new();
    sign_in(&browser, &fx, "banjar.op1").await;
    let e = fx.election;
    browser
        .goto(
            &fx.app
                .url(&format!("/elections/{e}/tps/{}/entry", fx.tps[1])),
        )
        .await
        .unwrap();
    let m = browser
        .execute(
            r#"const ins = [...document.querySelectorAll('form.entry input[type=number]')];
            const pen = document.createElement('canvas').getContext('2d');
            pen.font = getComputedStyle(ins[0]).font;
            const four = pen.measureText('8888').width;
            return {scroll: document.documentElement.scrollWidth, n: ins.length, four,
              narrowest: Math.min(...ins.map(i => i.clientWidth - parseFloat(getComputedStyle(i).paddingLeft) - parseFloat(getComputedStyle(i).paddingRight)))};"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(m["scroll"].as_f64().unwrap() <= 360.0, "{m}");
    assert!(m["n"].as_u64().unwrap() >= 30, "{m}");
    assert!(
        m["narrowest"].as_f64().unwrap() >= m["four"].as_f64().unwrap(),
        "a box narrower than four digits: {m}"
    );
    for path in [
        format!("/elections/{e}"),
        format!("/elections/{e}/results"),
        format!("/elections/{e}/results?region={}", VILLAGES[0]),
        format!("/elections/{e}/tps/{}", fx.tps[0]),
        format!("/elections/{e}/tps/{}/entry", fx.tps[0]),
    ] {
        browser.goto(&fx.app.url(&path)).await.unwrap();
        let m = browser
            .execute(
                r#"const bad = [...document.querySelectorAll('*')].filter(el => {
                  const s = getComputedStyle(el);
                  return (s.overflowX === 'auto' || s.overflowX === 'scroll')
                    && !(el.tabIndex >= 0 && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')));
                }).map(el => el.outerHTML.slice(0, 80));
                return {bad, scroll: document.documentElement.scrollWidth};"#,
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(m["bad"], json!([]), "{path}: unfocusable scroll regions");
        assert!(
            m["scroll"].as_f64().unwrap() <= 360.0,
            "{path} is wider than the phone: {m}"
        );
        browser.check_page(&path, &mut failures).await;
    }
    // The KPU's setup pages, as a supervisor: a new election, managing one (pairs, TPS, the
    // schedule), API tokens; in both languages.
    browser
        .click_and_wait("form[action='/logout'] button")
        .await
        .unwrap();
    sign_in(&browser, &fx, "banjar.sup").await;
    for lang in ["id", "en"] {
        for path in [
            "/elections/baru".to_string(),
            format!("/elections/{e}/kelola"),
            "/account/tokens".to_string(),
        ] {
            let url = fx.app.url(&format!("{path}?lang={lang}"));
            browser.goto(&url).await.unwrap();
            browser
                .check_page(&format!("{path} ({lang})"), &mut failures)
                .await;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    browser.close().await.unwrap();
});

/// Sign in through the login form.
async fn sign_in(browser: &Browser, fx: &Fx, user: &str) {
    browser
        .sign_in(&fx.app.url(""), user, &format!("pw-{user}-0123456789"))
        .await
        .unwrap();
    assert!(
        !browser
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/login"),
        "{user} signed in"
    );
}

//! Smoke tests of the headless-browser harness (`support::browser`).

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::support::browser::Browser;
use anyhow::Result;
use axum::response::Html;
use axum::routing::get;
use axum::{Form, Router};

const JS_PAGE: &str = r#"<!doctype html>
<html><head><title>js check</title></head><body>
<p id="js-status">JS is off</p>
<noscript><p id="noscript">noscript content shown</p></noscript>
<script>document.getElementById('js-status').textContent = 'JS is on';</script>
</body></html>"#;

const FORM_PAGE: &str = r#"<!doctype html>
<html><head><title>form</title></head><body>
<form method="post" action="/greet">
  <label>Name <input id="name" name="name" type="text"></label>
  <button id="go" type="submit">Greet</button>
</form>
</body></html>"#;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn greet(Form(form): Form<HashMap<String, String>>) -> Html<String> {
    let name = form.get("name").map(String::as_str).unwrap_or("nobody");
    Html(format!(
        "<!doctype html><html><head><title>greeted</title></head>\
         <body><h1 id=\"greeting\">Hello, {}!</h1></body></html>",
        escape(name)
    ))
}

/// Serves the test pages on 127.0.0.1:0 and returns the base URL.
async fn serve() -> Result<String> {
    let app = Router::new()
        .route("/", get(|| async { Html(FORM_PAGE) }))
        .route("/greet", axum::routing::post(greet))
        .route("/js", get(|| async { Html(JS_PAGE) }));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{addr}"))
}

#[tokio::test]
async fn form_submission_round_trip() -> Result<()> {
    let base = serve().await?;
    let browser = Browser::start().await?;

    browser.goto(&format!("{base}/")).await?;
    assert_eq!(browser.title().await?, "form");
    browser.fill("#name", "Ada <Lovelace>").await?;
    browser.click_and_wait("#go").await?;

    assert_eq!(browser.current_url().await?.path(), "/greet");
    assert_eq!(browser.title().await?, "greeted");
    assert_eq!(browser.text("#greeting").await?, "Hello, Ada <Lovelace>!");

    browser.close().await
}

#[tokio::test]
async fn form_submission_works_without_js() -> Result<()> {
    let base = serve().await?;
    let browser = Browser::start_without_js().await?;

    browser.goto(&format!("{base}/")).await?;
    browser.fill("#name", "no-js user").await?;
    browser.click_and_wait("#go").await?;
    assert_eq!(browser.text("#greeting").await?, "Hello, no-js user!");

    browser.close().await
}

#[tokio::test]
async fn javascript_runs_by_default() -> Result<()> {
    let base = serve().await?;
    let browser = Browser::start().await?;

    browser.goto(&format!("{base}/js")).await?;
    assert_eq!(browser.text("#js-status").await?, "JS is on");
    // <noscript> content is not rendered (not even parsed as elements) with JS on.
    let body = browser.body_text().await?;
    assert!(!body.contains("noscript content shown"), "body: {body}");

    browser.close().await
}

#[tokio::test]
async fn javascript_disabled_at_launch() -> Result<()> {
    let base = serve().await?;
    let browser = Browser::start_without_js().await?;

    browser.goto(&format!("{base}/js")).await?;
    assert_eq!(browser.text("#js-status").await?, "JS is off");
    assert_eq!(browser.text("#noscript").await?, "noscript content shown");

    browser.close().await
}

#[tokio::test]
async fn javascript_toggled_at_runtime() -> Result<()> {
    let base = serve().await?;
    let browser = Browser::start().await?;
    let url = format!("{base}/js");

    browser.set_javascript_enabled(false).await?;
    browser.goto(&url).await?;
    assert_eq!(browser.text("#js-status").await?, "JS is off");
    assert_eq!(browser.text("#noscript").await?, "noscript content shown");

    browser.set_javascript_enabled(true).await?;
    browser.goto(&url).await?;
    assert_eq!(browser.text("#js-status").await?, "JS is on");

    browser.close().await
}

/// Dropping the harness without `close()` (e.g. on panic) must not leak
/// chromedriver or Chromium.
#[tokio::test]
async fn drop_without_close_cleans_up() -> Result<()> {
    let base = serve().await?;
    let browser = Browser::start().await?;
    browser.goto(&format!("{base}/js")).await?;
    let pid = browser
        .client()
        .capabilities()
        .and_then(|c| c.get("goog:processID"))
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0);
    assert!(pid > 0, "chromedriver did not report goog:processID");
    drop(browser);

    let proc_dir = std::path::PathBuf::from(format!("/proc/{pid}"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        // Gone, or a zombie waiting to be reaped by its new parent.
        let state = std::fs::read_to_string(proc_dir.join("stat")).unwrap_or_default();
        let alive = !state.is_empty() && !state.contains(") Z ");
        if !alive {
            return Ok(());
        }
        assert!(
            std::time::Instant::now() < deadline,
            "chromium (pid {pid}) still running after drop: {state}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

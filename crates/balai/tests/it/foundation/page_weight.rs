//! The page-weight budget (issue 22): the home page with its CSS at most 30 KB, every other
//! public page at most 15 KB, as the server really sends them (compressed for a browser that
//! accepts brotli and gzip), counting the HTML and every stylesheet, script and icon it
//! references, but not photos.

use super::accessibility::PUBLIC_PAGES;
use crate::support::{Backend, TestApp};

pub const HOME_BUDGET: usize = 30 * 1024;
pub const PAGE_BUDGET: usize = 15 * 1024;

/// Bytes on the wire of a body (as sent, compressed or not).
async fn wire_bytes(client: &reqwest::Client, url: &str) -> (usize, Option<String>, String) {
    let resp = client
        .get(url)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    let encoding = resp
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.bytes().await.unwrap();
    (
        body.len(),
        encoding,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// The stylesheets, icons and scripts a page references (`<link href>`, `<script src>`).
fn referenced_assets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (tag, attr) in [("<link ", "href=\""), ("<script ", "src=\"")] {
        let mut rest = html;
        while let Some(i) = rest.find(tag) {
            let el = &rest[i..];
            let end = el.find('>').unwrap_or(el.len());
            let el = &el[..end];
            if let Some(j) = el.find(attr) {
                let v = &el[j + attr.len()..];
                let v = &v[..v.find('"').unwrap_or(v.len())];
                if v.starts_with('/') && !el.contains("alternate") {
                    out.push(v.replace("&amp;", "&"));
                }
            }
            rest = &rest[i + tag.len()..];
        }
    }
    out
}

/// The page's weight: its HTML as sent plus each referenced asset as sent.
pub async fn page_weight(app: &TestApp, path: &str) -> (usize, Vec<String>) {
    let client = app.client();
    // The plain HTML (uncompressed) to find the references in.
    let html = client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (mut total, enc, _) = wire_bytes(&client, &app.url(path)).await;
    let mut parts = vec![format!(
        "{path}: {total} B ({})",
        enc.as_deref().unwrap_or("identity")
    )];
    for asset in referenced_assets(&html) {
        let (n, enc, _) = wire_bytes(&client, &app.url(&asset)).await;
        parts.push(format!(
            "{asset}: {n} B ({})",
            enc.as_deref().unwrap_or("identity")
        ));
        total += n;
    }
    (total, parts)
}

both_backends!(
    public_pages_keep_the_weight_budget,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        // The server compresses what a browser accepts: the HTML and the stylesheet go out compressed.
        let (_, enc, _) = wire_bytes(&app.client(), &app.url("/")).await;
        assert_eq!(enc.as_deref(), Some("br"));
        let mut over = Vec::new();
        for path in PUBLIC_PAGES {
            let (total, parts) = page_weight(&app, path).await;
            let budget = if *path == "/" {
                HOME_BUDGET
            } else {
                PAGE_BUDGET
            };
            assert!(
                parts.len() >= 2,
                "{path} references its stylesheet: {parts:?}"
            );
            if total > budget {
                over.push(format!("{path}: {total} B > {budget} B ({parts:?})"));
            }
        }
        assert!(over.is_empty(), "over the budget:\n{}", over.join("\n"));
    }
);

#[test]
fn references_are_found() {
    let html = r#"<link rel="stylesheet" href="/static/app.css?v=1"><link rel="alternate" href="/x">
        <script src="/aduan/outbox.js" defer></script><a href="/y">"#;
    assert_eq!(
        referenced_assets(html),
        vec!["/static/app.css?v=1", "/aduan/outbox.js"]
    );
}

//! axe-core on the public pages that exist today, on a 360x740 phone with JavaScript off, in both
//! languages: no WCAG 2.2 A/AA violation, and no page wider than the screen. The officials'
//! journeys check their own pages (`complaints::officer_journey`, `civil_registry::officer_journey`).

use crate::support::browser::Browser;
use crate::support::{Backend, TestApp};

/// The public pages (no sign-in, no data needed): the home page, the complaint form and its
/// village search, tracking, Dokumen kependudukan, elections, region pages, the API page, sign-in
/// and an error page.
pub const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/aduan/baru",
    "/aduan/baru?desa=situbatu",
    "/aduan/lacak",
    "/dukcapil",
    "/elections",
    "/regions",
    "/regions?q=banjar",
    "/regions/32.79",
    "/regions/32.79.01",
    "/login",
    "/tidak-ada",
];

both_backends!(
    public_pages_have_no_wcag_violation_on_a_phone,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let br = Browser::phone_without_js().await.unwrap();
        let mut failures = Vec::new();
        for lang in ["id", "en"] {
            for path in PUBLIC_PAGES {
                let sep = if path.contains('?') { '&' } else { '?' };
                br.goto(&app.url(&format!("{path}{sep}lang={lang}")))
                    .await
                    .unwrap();
                if let Err(e) = br.assert_accessible(path).await {
                    failures.push(format!("{e:#}"));
                }
                if let Err(e) = br.assert_fits_width(path).await {
                    failures.push(format!("{e:#}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        br.close().await.unwrap();
    }
);

/// The checker itself finds a violation: a page with an image without text and an unlabelled
/// input (so an empty list above means something); and the page's own script stays off, before
/// and after a check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_reports_violations_with_javascript_off() {
    use axum::response::Html;
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|| async {
            Html(
                "<!doctype html><html lang=\"id\"><head><title>x</title></head><body><main>\
                 <img src=\"data:,\"><input name=\"q\"><p id=\"js\">off</p>\
                 <script>document.getElementById('js').textContent = 'on';</script>\
                 </main></body></html>",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let br = Browser::phone_without_js().await.unwrap();
    br.goto(&format!("http://{addr}/")).await.unwrap();
    let ids: Vec<String> = br
        .axe_check(crate::support::browser::WCAG_22_AA)
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.id)
        .collect();
    assert!(ids.contains(&"image-alt".to_string()), "{ids:?}");
    assert!(ids.contains(&"label".to_string()), "{ids:?}");
    assert!(br.assert_accessible("bad page").await.is_err());
    assert_eq!(br.text("#js").await.unwrap(), "off");
    br.goto(&format!("http://{addr}/")).await.unwrap();
    assert_eq!(
        br.text("#js").await.unwrap(),
        "off",
        "JavaScript is off again after the check"
    );
    br.close().await.unwrap();
}

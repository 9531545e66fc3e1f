//! Headless Chromium against the real server: the home page and signing in, with JavaScript
//! off (every public page must work without it) and with Secure cookies as in production.

use crate::support::browser;

use crate::support::{fresh_db, test_config, Backend, TestApp};
use balai_core::accounts::Role;
use fantoccini::Locator;

async fn app_with_secure_cookies() -> TestApp {
    let (db, url, dir) = fresh_db(Backend::Sqlite).await;
    let mut cfg = test_config(dir.path(), &url);
    cfg.secure_cookies = true;
    TestApp::serve(db, url, dir, cfg).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_and_login_with_javascript_off() {
    let app = app_with_secure_cookies().await;
    let agency = app.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
    let password = app
        .add_user("banjar.kpu", Some(agency), Role::Officer, false)
        .await;

    let b = browser::Browser::start_without_js().await.unwrap();
    b.goto(&app.url("/")).await.unwrap();
    let lang = b
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("id"));
    let body = b.body_text().await.unwrap();
    for service in ["Aduan", "Pilkada", "Dokumen kependudukan", "Netralitas ASN"] {
        assert!(body.contains(service), "home page lists {service}: {body}");
    }
    // The English switch is a plain link and sticks for the next page.
    b.click_and_wait("a[hreflang=en]").await.unwrap();
    let lang = b
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("en"));
    b.goto(&app.url("/login")).await.unwrap();
    assert!(b.text("h1").await.unwrap().contains("Officials' sign-in"));
    b.goto(&app.url("/login?lang=id")).await.unwrap();
    assert!(b.text("h1").await.unwrap().contains("Masuk petugas"));

    // A wrong password shows the message in Bahasa Indonesia and no session.
    b.fill("input[name=username]", "banjar.kpu").await.unwrap();
    b.fill("input[name=password]", "salah-sekali-123")
        .await
        .unwrap();
    b.click_and_wait("form.stack button[type=submit]")
        .await
        .unwrap();
    assert!(b
        .body_text()
        .await
        .unwrap()
        .contains("Nama pengguna atau kata sandi salah."));

    // The right one lands on the dashboard, over a Secure, HttpOnly session cookie.
    b.fill("input[name=username]", "banjar.kpu").await.unwrap();
    b.fill("input[name=password]", &password).await.unwrap();
    b.click_and_wait("form.stack button[type=submit]")
        .await
        .unwrap();
    let url = b.current_url().await.unwrap();
    assert_eq!(url.path(), "/dashboard");
    let body = b.body_text().await.unwrap();
    assert!(body.contains("Dasbor petugas"), "{body}");
    assert!(body.contains("KPU Kota Banjar"), "{body}");
    let cookie = b.get_named_cookie("balai_session").await.unwrap();
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(cookie.secure(), Some(true));

    // Signing out (a CSRF-protected form) ends the session.
    b.click_and_wait("form[action='/logout'] button")
        .await
        .unwrap();
    b.goto(&app.url("/dashboard")).await.unwrap();
    assert_eq!(b.current_url().await.unwrap().path(), "/login");
    b.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_pages_drill_down_with_javascript_off() {
    let app = app_with_secure_cookies().await;
    let b = browser::Browser::start_without_js().await.unwrap();
    b.goto(&app.url("/regions?q=prabumulih")).await.unwrap();
    b.click_and_wait("a[href='/regions/16.74']").await.unwrap();
    assert_eq!(b.text("h1").await.unwrap(), "Kota Prabumulih");
    let body = b.body_text().await.unwrap();
    assert!(body.contains("WIB"), "{body}");
    // Down one level to a district, whose breadcrumb leads back up.
    b.click_and_wait("ul.cols li a").await.unwrap();
    let crumbs = b.text("nav.crumbs").await.unwrap();
    assert!(
        crumbs.contains("Sumatera Selatan") && crumbs.contains("Kota Prabumulih"),
        "{crumbs}"
    );
    b.close().await.unwrap();
}

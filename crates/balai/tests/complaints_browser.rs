//! A real browser with JavaScript off files a report and follows it by tracking code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/browser.rs"]
mod browser;
mod common;
mod complaints_support;

use browser::Browser;
use common::Backend;
use complaints_support::{World, BANJAR_VILLAGE};

both_backends!(
    file_and_track_with_javascript_off,
    |b: Backend| async move {
        let w = World::new(b).await;
        let br = Browser::start_without_js().await.unwrap();
        br.goto(&w.app.url(&format!(
            "/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur"
        )))
        .await
        .unwrap();
        br.fill(
            "#description",
            "Jembatan kecil di dekat sekolah retak dan miring.",
        )
        .await
        .unwrap();
        br.fill("#contact_email", "warga@contoh.id").await.unwrap();
        br.click_and_wait("#kirim").await.unwrap();
        assert!(br
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/aduan/lacak/"));
        let code = br.text("#kode-baru").await.unwrap();
        assert_eq!(code.len(), 11, "ABCDE-FGHJK: {code}");
        assert!(br
            .body_text()
            .await
            .unwrap()
            .contains("Jembatan kecil di dekat sekolah retak"));

        // Later, from the lookup form, typing the code in lower case with the hyphen.
        br.goto(&w.app.url("/aduan/lacak")).await.unwrap();
        br.fill("#kode", &code.to_lowercase()).await.unwrap();
        br.click_and_wait("#lacak").await.unwrap();
        let status = br.text("[data-status]").await.unwrap();
        assert_eq!(status, "Diterima");
        assert_eq!(
            w.count("SELECT COUNT(*) FROM complaints WHERE channel = 'web'")
                .await,
            1
        );
        br.close().await.unwrap();
    }
);

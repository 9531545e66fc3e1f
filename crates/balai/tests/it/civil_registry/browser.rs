//! In a real (headless) browser: apply online, verify as kelurahan, return for correction, fix
//! it through the tracking page, process at Disdukcapil, complete.

use crate::support::browser::Browser;
use crate::support::worlds::civil_registry::*;
use crate::support::TestApp;
use fantoccini::Locator;

async fn login(b: &Browser, app: &TestApp, user: &str) {
    b.goto(&app.url("/login")).await.unwrap();
    b.fill("input[name=username]", user).await.unwrap();
    b.fill("input[name=password]", &format!("pw-{user}-0123456789"))
        .await
        .unwrap();
    b.click_and_wait("form[action='/login'] button")
        .await
        .unwrap();
}

async fn logout(b: &Browser) {
    b.click_and_wait("form[action='/logout'] button")
        .await
        .unwrap();
}

/// Open the application from the officer's queue and press an action button.
async fn do_action(b: &Browser, app: &TestApp, code: &str, action: &str, reason: Option<&str>) {
    b.goto(&app.url("/dukcapil/staff")).await.unwrap();
    b.click_and_wait("a[href^='/dukcapil/staff/applications/']")
        .await
        .unwrap();
    assert!(b.body_text().await.unwrap().contains(code));
    if let Some(r) = reason {
        b.fill(&format!("form:has(button[value={action}]) textarea"), r)
            .await
            .unwrap();
    }
    b.click_and_wait(&format!("button[value={action}]"))
        .await
        .unwrap();
}

/// Track an application with its code and secret through the form.
async fn track_in(b: &Browser, app: &TestApp, code: &str, secret: &str) {
    b.goto(&app.url("/dukcapil/track")).await.unwrap();
    b.fill("input[name=code]", code).await.unwrap();
    b.fill("input[name=secret]", secret).await.unwrap();
    b.click_and_wait("form[action='/dukcapil/track'] button")
        .await
        .unwrap();
}

/// The village finder without a script: search by name, then choose the test's kelurahan.
async fn choose_village(b: &Browser, words: &str) {
    b.fill("input[name=desa]", words).await.unwrap();
    b.click_and_wait("button[name=find]").await.unwrap();
    b.click(&format!("input[name=kelurahan][value='{KELURAHAN}']"))
        .await
        .unwrap();
}

async fn attach(b: &Browser, css: &str, path: &std::path::Path) {
    b.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
}

both_backends!(
    apply_verify_correct_process_complete,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let files = tempfile::tempdir().unwrap();
        let scan = files.path().join("kk.pdf");
        std::fs::write(&scan, pdf()).unwrap();
        let rescan = files.path().join("kk-jelas.png");
        std::fs::write(&rescan, png()).unwrap();
        let b = Browser::start().await.expect("browser");

        // The citizen applies online.
        b.goto(&app.url("/dukcapil")).await.unwrap();
        b.click_and_wait("a[href='/dukcapil/apply/ktp_baru']")
            .await
            .unwrap();
        b.fill("input[name=name]", "Budi Santoso").await.unwrap();
        b.fill("input[name=nik]", NIK_MALE).await.unwrap();
        b.fill("input[name=kk]", KK).await.unwrap();
        // The village by its name (a search step that keeps what was typed), then chosen.
        let village = balai_core::regions::finder::get(KELURAHAN).unwrap();
        choose_village(&b, &format!("{} banjar", village.name)).await;
        assert_eq!(
            b.find(Locator::Css("input[name=name]"))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .as_deref(),
            Some("Budi Santoso"),
            "the search step keeps what was typed"
        );
        // Date inputs take locale-specific keystrokes; set the value directly.
        b.execute(
            "document.querySelector('input[name=birth_date]').value = '1990-08-15';",
            vec![],
        )
        .await
        .unwrap();
        attach(&b, "input[name=doc_kk]", &scan).await;
        b.click_and_wait("form[enctype='multipart/form-data'] button[type=submit]:not([name]):not(.default-submit)")
            .await
            .unwrap();
        let code = b.text("#tracking-code").await.unwrap().replace('-', "");
        let secret = b.text("#tracking-secret").await.unwrap();
        assert_eq!(code.len(), 10, "{}", b.body_text().await.unwrap());
        assert!(
            b.find(Locator::Css(".qr svg")).await.is_ok(),
            "QR code shown"
        );

        // The kelurahan officer takes it and returns it for correction.
        login(&b, &app, "kel1").await;
        do_action(&b, &app, &code, "take", None).await;
        assert!(b.text("#assignee").await.unwrap().contains("kel1"));
        do_action(&b, &app, &code, "request_correction", Some("Scan KK buram")).await;
        assert!(b.text("#status").await.unwrap().contains("Perlu perbaikan"));
        logout(&b).await;

        // The citizen fixes it through the tracking page.
        track_in(&b, &app, &code, &secret).await;
        assert!(b.text("#status").await.unwrap().contains("Perlu perbaikan"));
        assert!(b.body_text().await.unwrap().contains("Scan KK buram"));
        attach(
            &b,
            "form[action='/dukcapil/track/correct'] input[name=doc_kk]",
            &rescan,
        )
        .await;
        b.click_and_wait("form[action='/dukcapil/track/correct'] button[type=submit]")
            .await
            .unwrap();
        assert!(b.body_text().await.unwrap().contains("Perbaikan terkirim"));

        // Verified at the kelurahan, processed and completed at Disdukcapil.
        login(&b, &app, "kel1").await;
        do_action(&b, &app, &code, "take", None).await;
        do_action(&b, &app, &code, "approve", None).await;
        logout(&b).await;
        login(&b, &app, "dinas1").await;
        do_action(&b, &app, &code, "take", None).await;
        do_action(&b, &app, &code, "mark_ready", None).await;
        assert!(b.text("#status").await.unwrap().contains("siap"));
        b.click_and_wait("button[value=complete]").await.unwrap();
        assert_eq!(b.text("#status").await.unwrap(), "Selesai");
        assert_eq!(status_of(&app, &code).await, "completed");
        assert_eq!(count(&app, "cr_documents").await, 2);
        b.close().await.unwrap();
    }
);

// Dokumen kependudukan on a 360-px phone with JavaScript off (#22): the apply links on
// screen, nothing wider than the screen, the village found by name, and the reprint button
// and document links readable (not white on white).
both_backends!(
    dukcapil_on_a_phone_without_javascript,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        banjar(&app).await;
        let c = app.client();
        let (code, secret, _) = apply_ktp(&app, &c).await;
        let b = Browser::phone_without_js().await.expect("browser");
        let mut failures = Vec::new();
        let fits = |b: &Browser, css: &'static str| {
            let js = format!(
            "const e = document.querySelector(\"{css}\"); const r = e.getBoundingClientRect(); \
             return [r.left >= 0 && r.right <= window.innerWidth, \
                     document.documentElement.scrollWidth <= window.innerWidth];"
        );
            let client = b.client().clone();
            async move { client.execute(&js, vec![]).await.unwrap() }
        };
        b.goto(&app.url("/dukcapil")).await.unwrap();
        b.check_page("Dokumen kependudukan", &mut failures).await;
        assert_eq!(
            fits(&b, "a[href='/dukcapil/apply/ktp_baru']").await,
            serde_json::json!([true, true]),
            "the apply link is on screen and the page no wider than it"
        );
        // The village by name, without a script: a search step, then a choice.
        choose_village(&b, "banjar banjar").await;
        b.click_and_wait("form[action='/dukcapil'] button[type=submit]:not([name])")
            .await
            .unwrap();
        let page = b.body_text().await.unwrap();
        assert!(page.contains("Banjar — Kec. Banjar, Kota Banjar, Jawa Barat"));
        b.check_page("services of a village", &mut failures).await;
        // The application form, in both languages, and the tracking form.
        for lang in ["id", "en"] {
            b.goto(&app.url(&format!("/dukcapil/apply/ktp_baru?lang={lang}")))
                .await
                .unwrap();
            b.check_page(&format!("application form ({lang})"), &mut failures)
                .await;
        }
        b.goto(&app.url("/dukcapil/track")).await.unwrap();
        b.check_page("tracking form", &mut failures).await;
        // The tracking page: the reprint button and the document link are readable.
        track_in(&b, &app, &code, &secret).await;
        b.check_page("tracking page", &mut failures).await;
        let colours = b
            .client()
            .execute(
                "const s = e => getComputedStyle(document.querySelector(e)); \
             return [s('#reprint').color, s('#reprint').backgroundColor, \
                     s('.docs button').color, s('main').backgroundColor];",
                vec![],
            )
            .await
            .unwrap();
        let c: Vec<&str> = colours
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_ne!(
            c[0], "rgb(255, 255, 255)",
            "reprint text is not white: {c:?}"
        );
        assert_ne!(
            c[2], "rgb(255, 255, 255)",
            "document link is not white: {c:?}"
        );
        assert_eq!(
            fits(&b, "#reprint").await,
            serde_json::json!([true, true]),
            "reprint on screen"
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        b.close().await.unwrap();
    }
);

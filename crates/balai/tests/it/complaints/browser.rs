//! A real browser with JavaScript off files a report and follows it by tracking code.

use crate::support::browser;

use crate::support::browser::Browser;
use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::Backend;

/// Fill the report form at `url` as a user would, send it, and return the tracking code the
/// receipt page then shows (with the secret, shown once, and no code in the URL).
async fn file_on_the_form(br: &Browser, url: &str, description: &str) -> String {
    br.goto(url).await.unwrap();
    br.fill("#description", description).await.unwrap();
    br.fill("#contact_email", "warga@contoh.id").await.unwrap();
    br.click_and_wait("#kirim").await.unwrap();
    assert_eq!(br.current_url().await.unwrap().path(), "/aduan/terkirim");
    let code = br.text("#kode-baru").await.unwrap();
    assert_eq!(code.len(), 11, "ABCDE-FGHJK: {code}");
    let secret = br.text("#rahasia-baru").await.unwrap();
    assert_eq!(secret.len(), 19, "ABCD-EFGH-JKMN-PQRS: {secret}");
    code
}

both_backends!(
    file_and_track_with_javascript_off,
    |b: Backend| async move {
        let w = World::new(b).await;
        // The citizen's journey on a 360x740 phone, every page checked with axe-core (#22).
        let br = Browser::phone_without_js().await.unwrap();
        let mut failures = Vec::new();
        br.goto(&w.app.url("/aduan/baru?desa=banjar"))
            .await
            .unwrap();
        br.check_page("complaint form, village search", &mut failures)
            .await;
        let code = file_on_the_form(
            &br,
            &w.app.url(&format!(
                "/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur"
            )),
            "Jembatan kecil di dekat sekolah retak dan miring.",
        )
        .await;
        br.check_page("complaint receipt", &mut failures).await;
        let secret = br.text("#rahasia-baru").await.unwrap();
        assert!(br
            .body_text()
            .await
            .unwrap()
            .contains("Jembatan kecil di dekat sekolah retak"));

        // Later, from the lookup form, typing the code in lower case with the hyphen.
        br.goto(&w.app.url("/aduan/lacak")).await.unwrap();
        br.check_page("tracking form", &mut failures).await;
        br.fill("#kode", &code.to_lowercase()).await.unwrap();
        br.click_and_wait("#lacak").await.unwrap();
        let status = br.text("[data-status]").await.unwrap();
        assert_eq!(status, "Diterima");
        br.check_page("public report page", &mut failures).await;

        // With the secret: the reporter's view, a reply, and the page after it (in English).
        br.goto(&w.app.url("/aduan/lacak?lang=en")).await.unwrap();
        br.fill("#kode", &code).await.unwrap();
        br.fill("#rahasia", &secret).await.unwrap();
        br.click_and_wait("#lacak").await.unwrap();
        assert_eq!(
            br.current_url().await.unwrap().path(),
            "/aduan/laporan-anda"
        );
        br.check_page("reporter's view", &mut failures).await;
        br.fill("#balasan", "Retaknya makin lebar setelah hujan.")
            .await
            .unwrap();
        br.click_and_wait("#balas").await.unwrap();
        assert!(br
            .body_text()
            .await
            .unwrap()
            .contains("Your reply was sent."));
        br.check_page("reporter's view after a reply", &mut failures)
            .await;
        assert_eq!(
            w.count("SELECT COUNT(*) FROM complaints WHERE channel = 'web'")
                .await,
            1
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        br.close().await.unwrap();
    }
);

/// Everything the page's outbox holds, read from IndexedDB through the page's own script.
async fn outbox_items(br: &Browser) -> Vec<serde_json::Value> {
    let v = br
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.BalaiOutbox.all().then(done, e => done({ error: String(e) }));",
            vec![],
        )
        .await
        .unwrap();
    v.as_array()
        .unwrap_or_else(|| panic!("outbox not readable: {v}"))
        .clone()
}

both_backends!(
    offline_report_waits_on_the_phone_and_is_sent_once,
    |b: Backend| async move {
        let mut w = World::new(b).await;
        let br = Browser::start().await.unwrap();
        let form = w.app.url(&format!(
            "/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur"
        ));
        br.goto(&form).await.unwrap();
        // The page tells a JavaScript user what happens without signal; its service worker
        // is registered for /aduan/.
        br.wait_for_css("#offline-note:not([hidden])", browser::DEFAULT_WAIT)
            .await
            .unwrap();
        let scope = br
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 navigator.serviceWorker.ready.then(r => done(r.scope), e => done(String(e)));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(scope, serde_json::json!(w.app.url("/aduan/")));
        // The page keeps a copy of itself for the service worker.
        let deadline = std::time::Instant::now() + browser::DEFAULT_WAIT;
        loop {
            let kept = br
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     caches.match(location.href).then(r => done(!!r), () => done(false));",
                    vec![],
                )
                .await
                .unwrap();
            if kept == serde_json::json!(true) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "form not kept");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }

        // Signal gone: the server is down, connections are refused. The form still opens
        // (from the service worker) and takes the report.
        w.app.stop().await;
        br.goto(&form).await.unwrap();
        br.wait_for_css("#offline-note:not([hidden])", browser::DEFAULT_WAIT)
            .await
            .unwrap();
        let description = "Lampu jalan di gang masjid padam sejak seminggu.";
        br.fill("#description", description).await.unwrap();
        br.fill("#contact_email", "warga@contoh.id").await.unwrap();
        br.click("#kirim").await.unwrap();
        br.wait_for_css("#outbox [data-state=queued]", browser::DEFAULT_WAIT)
            .await
            .unwrap();
        assert!(br
            .text("#outbox")
            .await
            .unwrap()
            .contains("tersimpan di ponsel ini"));
        let items = outbox_items(&br).await;
        assert_eq!(items.len(), 1, "{items:?}");
        let key = items[0]["key"].as_str().unwrap().to_string();
        let body = items[0]["body"].as_str().unwrap().to_string();
        let path = items[0]["url"].as_str().unwrap().to_string();
        assert!(key.len() >= 16 && body.contains(description), "{items:?}");
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 0);

        // Signal back on the same address: opening the page sends what waited.
        w.app.restart().await;
        br.goto(&form).await.unwrap();
        let shown = br
            .wait_for_css(
                "#outbox [data-state=sent] .outbox-code",
                browser::DEFAULT_WAIT,
            )
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
        // Shown in groups of five, as on every page; stored without the dash.
        assert!(
            shown.len() == 11 && shown.as_bytes()[5] == b'-',
            "{shown:?}"
        );
        let shown = shown.replace('-', "");
        let stored = w
            .count(&format!(
                "SELECT COUNT(*) FROM complaints WHERE channel = 'web' AND tracking_code = '{shown}'"
            ))
            .await;
        assert_eq!(stored, 1, "the page shows {shown:?}");
        let public = w.public(&shown).await;
        assert_eq!(public["description"], description);
        // Sent: the report's text no longer sits on the phone.
        let items = outbox_items(&br).await;
        assert_eq!(items[0]["state"], "sent");
        assert_eq!(items[0]["body"], "");

        // A late retry of the same report (same key, same body) gets the same code.
        let r = w
            .http()
            .post(w.app.url(&path))
            .header("content-type", "application/json")
            .header("idempotency-key", &key)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        assert_eq!(r.headers()["idempotency-replayed"], "true");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["tracking_code"], shown.as_str());
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);

        // With signal, a JavaScript user lands on the tracking page like everyone else.
        file_on_the_form(
            &br,
            &format!("{form}&lang=en"),
            "Saluran air tersumbat di depan balai desa.",
        )
        .await;
        assert!(br.body_text().await.unwrap().contains("Report sent"));
        assert_eq!(
            w.count("SELECT COUNT(*) FROM complaints WHERE channel = 'web'")
                .await,
            2
        );
        br.close().await.unwrap();
    }
);

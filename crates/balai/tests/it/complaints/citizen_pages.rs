//! A citizen's complaint pages speak their language (#22): the village found by its names in
//! step 1, the chosen village and category by name, the reporter's page with names, dates as
//! people write them and, in English, the history and Balai's own messages in English.

use serde_json::json;

use crate::support::worlds::complaints::*;

both_backends!(the_form_finds_the_village_by_its_names, |b| async move {
    let w = World::new(b).await;
    let get = |path: String| {
        let url = w.app.url(&path);
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };
    let html = get("/aduan/baru?desa=mekarsari+banjar&find=1&category=infrastruktur".into()).await;
    let first = html
        .find("type=\"radio\" name=\"village_code\" value=\"")
        .unwrap();
    assert!(
        html[first..].contains(
            "value=\"32.79.01.1002\" required> Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat"
        ),
        "{html}"
    );
    // The category chosen before the search is kept.
    assert!(html.contains("value=\"infrastruktur\" selected"));
    // Step 2 names the village and the category (English page: the English category name).
    let html = get(format!(
        "/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur&lang=en"
    ))
    .await;
    assert!(
        html.contains("Banjar — Kec. Banjar, Kota Banjar, Jawa Barat"),
        "{html}"
    );
    assert!(html.contains("Infrastructure (roads, drains, street lights)"));
    assert!(!html.contains(&format!("<code>{BANJAR_VILLAGE}</code>")));
    // Similar open reports carry their status by name.
    w.file_banjar(json!({})).await;
    let html = get(format!(
        "/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur"
    ))
    .await;
    assert!(
        html.contains("<span class=\"badge\">Diterima</span>"),
        "{html}"
    );
    assert!(!html.contains(">submitted<"));
});

both_backends!(the_reporters_page_names_and_translates, |b| async move {
    let w = World::new(b).await;
    let (_, code, secret) = w.file_banjar_with_secret(json!({})).await;
    let (st, html) = w
        .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
        .await;
    assert_eq!(st, 200, "{html}");
    assert!(
        html.contains("Infrastruktur (jalan, drainase, lampu jalan)"),
        "{html}"
    );
    assert!(html.contains("Banjar — Kec. Banjar, Kota Banjar, Jawa Barat"));
    assert!(
        !html.contains(BANJAR_VILLAGE),
        "no village code where a name exists"
    );
    assert!(
        html.contains(" WIB</strong> · pelapor · Diterima"),
        "{html}"
    );
    let year = balai_core::db::now().year().to_string();
    assert!(!html.contains(&format!("{year}-")), "no ISO dates: {html}");
    // The English page: category, history actor and state, and Balai's message in English.
    let (st, html) = w
        .reporter_form(
            "/aduan/lacak?lang=en",
            &[("kode", &code), ("rahasia", &secret)],
        )
        .await;
    assert_eq!(st, 200);
    assert!(
        html.contains("Infrastructure (roads, drains, street lights)"),
        "{html}"
    );
    assert!(html.contains("reporter · Submitted"), "{html}");
    assert!(html.contains("Your report was received and will be verified."));
    assert!(!html.contains("Laporan Anda diterima"));
});

// The reporter's forms answer with a redirect to a page that can be reloaded (#22): reloading
// the page after a reply shows it again and sends nothing; the code alone leads to the public
// page; asking for a secret again sends nothing either; the language goes along.
both_backends!(
    reporter_forms_redirect_to_reloadable_pages,
    |b| async move {
        let w = World::new(b).await;
        let (id, code, secret) = w.file_banjar_with_secret(json!({})).await;
        let replies = format!(
        "SELECT COUNT(*) FROM audit_events WHERE target_kind = 'complaint' AND target_id = '{id}'
           AND action = 'complaint.reporter_reply'"
    );
        let client = w.app.client();
        let csrf = w.app.csrf(&client, "/aduan/lacak").await;
        let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
            let (client, csrf) = (client.clone(), csrf.clone());
            let url = w.app.url(path);
            async move {
                let mut form = vec![("csrf", csrf)];
                form.extend(fields);
                client.post(url).form(&form).send().await.unwrap()
            }
        };
        let r = post(
            "/aduan/lacak/balas?lang=en",
            vec![
                ("kode", code.clone()),
                ("rahasia", secret.clone()),
                ("body", "Airnya masih menggenang di depan sekolah.".into()),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/aduan/laporan-anda?selesai=balas&lang=en");
        assert!(
            !to.contains(&secret) && !to.contains(&code),
            "no credential in the address"
        );
        for _ in 0..2 {
            let r = client.get(w.app.url(&to)).send().await.unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["cache-control"], "no-store");
            let html = r.text().await.unwrap();
            assert!(html.contains("Your reply was sent."), "{html}");
            assert!(html.contains("Airnya masih menggenang"), "{html}");
        }
        assert_eq!(w.count(&replies).await, 1, "a reload sends nothing");

        // Another browser without the cookie is sent to the tracking form.
        let r = w.app.client().get(w.app.url(&to)).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/aduan/lacak");

        // The tracking form: code and secret lead to the same page, code alone to the public one.
        let r = post(
            "/aduan/lacak",
            vec![("kode", code.clone()), ("rahasia", secret.clone())],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/aduan/laporan-anda");
        let r = post("/aduan/lacak", vec![("kode", code.clone())]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            r.headers()["location"],
            format!("/aduan/lihat/{id}").as_str()
        );
        // A wrong secret: the form again, not found, nothing set.
        let r = post(
            "/aduan/lacak",
            vec![("kode", code.clone()), ("rahasia", "SALAH-SALAH".into())],
        )
        .await;
        assert_eq!(r.status(), 404);

        // Asking for a secret: the same reloadable answer whatever the code.
        for kode in [code.clone(), "ZZZZ-ZZZZ-ZZZZ".to_string()] {
            let r = post("/aduan/lacak/kunci", vec![("kode", kode)]).await;
            assert_eq!(r.status(), 303);
            assert_eq!(r.headers()["location"], "/aduan/lacak?kunci=diminta");
        }
    }
);

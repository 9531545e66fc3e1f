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

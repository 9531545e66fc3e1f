//! The village finder behind every form and `GET /api/v1/regions?q=` (#22): every word against
//! the region and its ancestors, accents and case ignored, ranked, narrowed; the regions page;
//! the language switch that keeps a page's query.

use serde_json::Value;

use crate::support::TestApp;

async fn search(app: &TestApp, query: &str) -> (u16, Value) {
    let res = reqwest::get(app.url(&format!("/api/v1/regions?{query}")))
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

both_backends!(
    words_match_the_village_and_its_ancestors,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (s, v) = search(&app, "q=mekarsari%20banjar&level=village").await;
        assert_eq!(s, 200, "{v}");
        let first = &v[0];
        // The fields that were there stay; the label and the ancestors are added.
        assert_eq!(first["code"], "32.79.01.1002");
        assert_eq!(first["name"], "Mekarsari");
        assert_eq!(first["level"], "village");
        assert_eq!(first["parent"], "32.79.01");
        assert_eq!(
            first["label"],
            "Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat"
        );
        assert_eq!(first["ancestors"][1]["name"], "Kota Banjar");
        // Accents, case and extra spaces do not matter.
        let (_, v) = search(&app, "q=M%C3%89KARSARI%20%20banjar&level=village&limit=1").await;
        assert_eq!(v[0]["code"], "32.79.01.1002");
        // One word: larger regions first (the two regencies named Banjar lead).
        let (_, v) = search(&app, "q=banjar&limit=3").await;
        let levels: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["level"].as_str().unwrap())
            .collect();
        assert_eq!(&levels[..2], &["regency", "regency"], "{v}");
        // Narrowed to a regency.
        let (_, v) = search(&app, "q=mekarsari&level=village&within=32.79").await;
        assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
        let (_, v) = search(&app, "q=mekarsari&level=village&limit=100").await;
        assert!(
            v.as_array().unwrap().len() > 30,
            "Mekarsari is a common name"
        );
        // Bad input is a 400 with a code.
        let (s, v) = search(&app, "q=banjar&level=kota").await;
        assert_eq!((s, v["code"].as_str()), (400, Some("bad_level")));
        let (s, v) = search(&app, "q=banjar&within=32-79").await;
        assert_eq!((s, v["code"].as_str()), (400, Some("bad_region_code")));
        let (s, _) = search(&app, "q=a").await;
        assert_eq!(s, 400);
        // The regions page shows where each region lies, not its code.
        let html = reqwest::get(app.url("/regions?q=mekarsari+banjar"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("href=\"/regions/32.79.01.1002\">Mekarsari</a>"),
            "{html}"
        );
        assert!(html.contains("Kec. Banjar, Kota Banjar, Jawa Barat"));
    }
);

both_backends!(the_language_switch_keeps_the_query, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let get = |path: &str| {
        let url = app.url(path);
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };
    let html = get("/aduan/baru?village_code=32.79.01.1002&category=infrastruktur").await;
    assert!(
        html.contains("href=\"/aduan/baru?village_code=32.79.01.1002&#38;category=infrastruktur&#38;lang=en\""),
        "{html}"
    );
    let html = get("/regions?q=banjar&lang=en").await;
    assert!(
        html.contains("href=\"/regions?q=banjar&#38;lang=id\""),
        "{html}"
    );
    let html = get("/dukcapil?kelurahan=32.79.01.1002").await;
    assert!(
        html.contains("href=\"/dukcapil?kelurahan=32.79.01.1002&#38;lang=en\""),
        "{html}"
    );
});

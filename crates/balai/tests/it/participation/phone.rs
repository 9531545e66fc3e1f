//! On a 360x740 phone without JavaScript, in both languages: the Kolaborasi page's calendar and
//! the participation page's tables need no sideways scrolling (the calendar lists the days
//! with activities, the tables become one card per row), and axe-core finds no WCAG 2.2 A/AA
//! violation; the agreement and activity pages with their documents and history too.

use serde_json::json;

use crate::support::browser::Browser;
use crate::support::worlds::participation::*;

/// Is each element (CSS selector) inside the screen and not wider inside than it shows?
const FITS: &str = "return arguments[0].map(css => { const e = document.querySelector(css); \
    if (!e) return css + ' missing'; const r = e.getBoundingClientRect(); \
    const p = e.parentElement; \
    return (r.right <= window.innerWidth + 0.5 && e.scrollWidth <= e.clientWidth + 1 \
        && p.scrollWidth <= p.clientWidth + 1) ? 'fits' : css + ' is ' + r.width + ' px wide'; });";

/// Is the element shown (not `display: none`)?
const SHOWN: &str =
    "return getComputedStyle(document.querySelector(arguments[0])).display !== 'none';";

/// Save a screenshot of the current page into `$KOLAB_SHOTS` (when set), for a person to look at.
async fn shot(b: &Browser, name: &str, css: &str) {
    if let Some(dir) = std::env::var_os("KOLAB_SHOTS") {
        let js = "document.querySelector(arguments[0]).scrollIntoView()";
        b.client().execute(js, vec![json!(css)]).await.unwrap();
        let png = b.client().screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

both_backends!(calendar_and_tables_fit_a_phone, |backend| async move {
    let px = Px::new(backend).await;
    let ag = px.agreement().await;
    let mut long = Px::activity_body(Some(ag), "2024-06-10", "32.79.01");
    long["title"] = json!("Sosialisasi pemilih pemula di SMA Negeri 1 Banjar dan MAN Banjar");
    let act = px.activity(long).await;
    px.activity(Px::activity_body(Some(ag), "2024-06-12", "32.79.02"))
        .await;
    let e = px.election_with_totals().await;
    px.put_csv(
        &px.kpu,
        &format!("/api/v1/elections/{e}/targets"),
        "32.79,80\n32.79.01,70\n",
    )
    .await;
    let b = Browser::phone_without_js().await.unwrap();
    let mut failures = Vec::new();
    for lang in ["id", "en"] {
        b.goto(&px.app.url(&format!(
            "/kolaborasi/wilayah/32.79?bulan=2024-06&lang={lang}"
        )))
        .await
        .unwrap();
        b.check_page(&format!("Kolaborasi ({lang})"), &mut failures)
            .await;
        shot(&b, &format!("kolaborasi-{lang}"), "#calendar").await;
        let fits = b
            .client()
            .execute(FITS, vec![json!(["#calendar"])])
            .await
            .unwrap();
        assert_eq!(fits, json!(["fits"]), "{lang}");
        // The days with activities are shown, an empty one is not.
        let day = format!("#calendar a[href='/kolaborasi/kegiatan/{act}']");
        assert_eq!(
            b.client().execute(SHOWN, vec![json!(day)]).await.unwrap(),
            json!(true)
        );
        let empty = "#calendar td.none";
        assert_eq!(
            b.client().execute(SHOWN, vec![json!(empty)]).await.unwrap(),
            json!(false)
        );
        b.goto(
            &px.app
                .url(&format!("/partisipasi/{e}?region=32.79&lang={lang}")),
        )
        .await
        .unwrap();
        b.check_page(&format!("participation ({lang})"), &mut failures)
            .await;
        shot(&b, &format!("partisipasi-{lang}"), "#groups").await;
        shot(&b, &format!("partisipasi-districts-{lang}"), "#districts").await;
        let fits = b
            .client()
            .execute(FITS, vec![json!(["#groups", "#districts", "#figures"])])
            .await
            .unwrap();
        assert_eq!(fits, json!(["fits", "fits", "fits"]), "{lang}");
        for page in [
            format!("/kolaborasi/perjanjian/{ag}"),
            format!("/kolaborasi/kegiatan/{act}"),
        ] {
            b.goto(&px.app.url(&format!("{page}?lang={lang}")))
                .await
                .unwrap();
            b.check_page(&format!("{page} ({lang})"), &mut failures)
                .await;
        }
    }
    // A month without activities says so on a phone.
    b.goto(&px.app.url("/kolaborasi/wilayah/32.79?bulan=2024-02"))
        .await
        .unwrap();
    let text = b.text("#isi").await.unwrap_or_default();
    let shown = b
        .client()
        .execute(SHOWN, vec![json!(".cal-empty")])
        .await
        .unwrap();
    shot(&b, "kolaborasi-empty-month", ".cal-empty").await;
    assert_eq!(shown, json!(true), "{text}");
    b.close().await.unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

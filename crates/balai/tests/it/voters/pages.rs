//! The page `/pemilih/cek` without JavaScript, in both languages, and the printable card.

use crate::support::extract_csrf;
use crate::support::worlds::voters::*;

async fn ask(
    vx: &Vx,
    client: &reqwest::Client,
    lang: &str,
    nik: &str,
    name: &str,
    card: bool,
) -> (u16, String) {
    let html = client
        .get(vx.app.url(&format!("/pemilih/cek?lang={lang}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&html).unwrap();
    let mut form = vec![("csrf", csrf), ("nik", nik.into()), ("name", name.into())];
    if card {
        form.push(("card", "1".into()));
    }
    let res = client
        .post(vx.app.url(&format!("/pemilih/cek?lang={lang}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

both_backends!(the_check_page_and_card_in_both_languages, |b| async move {
    let vx = Vx::new(b).await;
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    let client = vx.app.client();
    let (s, html) = ask(&vx, &client, "id", AHMAD, "ahmad fauzi", false).await;
    assert_eq!(s, 200, "{html}");
    assert!(
        html.contains("Terdaftar") && html.contains("TPS 003") && html.contains("Mekarsari"),
        "{html}"
    );
    assert!(html.contains("Kartu untuk dicetak"));
    assert!(!html.contains("<script"), "the page needs no script");
    let (s, html) = ask(&vx, &client, "en", SITI, "Siti Rahayu", false).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Not found") && !html.contains("TPS 001"),
        "{html}"
    );
    let (s, html) = ask(&vx, &client, "en", "2222222222222222", "Siti", false).await;
    assert_eq!(s, 422);
    assert!(html.contains("not a valid date"), "{html}");
    let (s, html) = ask(&vx, &client, "id", SITI, "SITI WAHYUNI", true).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Di mana saya memilih")
            && html.contains("TPS 001")
            && html.contains("Jl. Mawar 1"),
        "{html}"
    );
    assert!(html.contains("S*** W******"));
});

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

both_backends!(the_daily_counts_page_in_both_languages, |b| async move {
    let vx = Vx::new(b).await;
    let client = vx.app.client();
    let get = |lang: &'static str| {
        let client = client.clone();
        let url = vx.app.url(&format!("/pemilih/statistik?lang={lang}"));
        async move {
            let res = client.get(url).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (s, html) = get("id").await;
    assert_eq!(s, 200);
    assert!(html.contains("Belum ada pencarian."), "{html}");

    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    // 2 found, 1 not found, 1 refused: found is 2 of the 3 answered, 66,67 %.
    assert_eq!(vx.lookup(AHMAD, "Ahmad Fauzi").await.0, 200);
    assert_eq!(vx.lookup(SITI, "Siti Wahyuni").await.0, 200);
    assert_eq!(vx.lookup(NOBODY, "Siti Wahyuni").await.0, 200);
    assert_eq!(vx.lookup("2222222222222222", "Siti").await.0, 422);
    let (s, html) = get("id").await;
    assert_eq!(s, 200);
    let row = html
        .split("<tbody>")
        .nth(1)
        .and_then(|t| t.split("</tr>").next())
        .expect("one day's row");
    let cells: Vec<&str> = row
        .split("<td")
        .skip(1)
        .map(|c| {
            c.split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(cells[1..], ["4", "2 (66,67%)", "1", "1", "0"], "{row}");
    // The day is written as a date, not as YYYY-MM-DD.
    assert!(!cells[0].contains('-') && cells[0].contains(", "), "{row}");
    assert!(!html.contains(AHMAD) && !html.contains("Ahmad"), "{html}");
    let (s, html) = get("en").await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Look-ups per day") && html.contains("2 (66.67%)"),
        "{html}"
    );
});

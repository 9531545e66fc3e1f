//! The officials' pages of the list: each renders for a KPU official of the election's region
//! (as the API's table says) and is refused to a viewer, to another city's KPU and to a
//! visitor who is not signed in; a TPS's page shows its counts only.

use reqwest::Client;

use crate::support::http::signed_in;
use crate::support::worlds::voters::*;

/// GET `path`: status, `Location` and body.
pub async fn page(vx: &Vx, c: &Client, path: &str) -> (u16, String, String) {
    answer_of(c.get(vx.app.url(path)).send().await.unwrap()).await
}

/// A response's status, `Location` and body.
pub async fn answer_of(res: reqwest::Response) -> (u16, String, String) {
    let s = res.status().as_u16();
    let loc = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, loc, res.text().await.unwrap())
}

both_backends!(each_page_for_the_right_official_only, |b| async move {
    let vx = Vx::new(b).await;
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    let code = vx.file_response().await;
    let e = vx.election;
    let tps = vx.tps_one().await;
    let pages = [
        "/pemilih/petugas".to_string(),
        format!("/pemilih/petugas/{e}"),
        format!("/pemilih/petugas/{e}/desa/32.79.01.1001"),
        format!("/pemilih/petugas/{e}/tps/{tps}"),
        format!("/pemilih/petugas/{e}/data"),
        format!("/pemilih/petugas/{e}/tanggapan"),
        format!("/pemilih/petugas/tanggapan/{code}"),
    ];
    for user in ["v.kpu", "v.kpu.officer"] {
        let c = signed_in(&vx.app, user).await;
        for p in &pages {
            let (s, _, html) = page(&vx, &c, p).await;
            assert_eq!(s, 200, "{user} {p}: {html}");
            assert!(!html.contains("<script"), "{p} needs no script");
            for nik in [SITI, AHMAD] {
                assert!(!html.contains(nik), "{p} shows a NIK");
            }
        }
    }
    // A viewer of the same KPU and Palembang's KPU: refused (the home page too, for the
    // viewer; Palembang's official sees an empty list of elections).
    for user in ["v.kpu.viewer", "v.plg"] {
        let c = signed_in(&vx.app, user).await;
        for p in pages.iter().skip(1) {
            let (s, _, _) = page(&vx, &c, p).await;
            assert_eq!(s, 403, "{user} {p}");
        }
    }
    let plg = signed_in(&vx.app, "v.plg").await;
    let (s, _, html) = page(&vx, &plg, "/pemilih/petugas").await;
    assert_eq!(s, 200);
    assert!(!html.contains("Wali Kota Banjar"), "{html}");
    let viewer = signed_in(&vx.app, "v.kpu.viewer").await;
    assert_eq!(page(&vx, &viewer, "/pemilih/petugas").await.0, 403);
    // Not signed in: to the sign-in page.
    let anon = vx.app.client();
    for p in &pages {
        let (s, loc, _) = page(&vx, &anon, p).await;
        assert!(
            (300..400).contains(&s) && loc.starts_with("/login"),
            "{p}: {s} {loc}"
        );
    }
    // Another election's TPS id, an unknown election: not found.
    let kpu = signed_in(&vx.app, "v.kpu").await;
    assert_eq!(
        page(&vx, &kpu, &format!("/pemilih/petugas/{}", e + 99))
            .await
            .0,
        404
    );
    assert_eq!(
        page(
            &vx,
            &kpu,
            &format!("/pemilih/petugas/{e}/tps/{}", tps + 999)
        )
        .await
        .0,
        404
    );
    // The officer sees no upload form; the supervisor does.
    let officer = signed_in(&vx.app, "v.kpu.officer").await;
    let (_, _, html) = page(&vx, &officer, &format!("/pemilih/petugas/{e}")).await;
    assert!(!html.contains("/impor\""), "{html}");
    let (_, _, html) = page(&vx, &kpu, &format!("/pemilih/petugas/{e}")).await;
    assert!(
        html.contains(&format!("/pemilih/petugas/{e}/impor\"")),
        "{html}"
    );
});

both_backends!(versions_counts_and_masked_entries, |b| async move {
    let vx = Vx::new(b).await;
    let (s, _) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200);
    let e = vx.election;
    let c = signed_in(&vx.app, "v.kpu.officer").await;
    let (_, _, html) = page(&vx, &c, &format!("/pemilih/petugas/{e}")).await;
    assert!(html.contains("DPS") && html.contains("Banjar") && html.contains("Mekarsari"));
    assert!(html.contains("/desa/32.79.01.1001\""), "{html}");
    let (_, _, html) = page(&vx, &c, &format!("/pemilih/petugas/{e}/desa/32.79.01.1001")).await;
    assert!(
        html.contains("TPS 001") && html.contains("Jl. Mawar 1"),
        "{html}"
    );
    let (_, _, en) = page(
        &vx,
        &c,
        &format!("/pemilih/petugas/{e}/desa/32.79.01.1001?lang=en"),
    )
    .await;
    assert!(en.contains("Men") && !en.contains("Laki-laki"), "{en}");
    let (_, _, html) = page(
        &vx,
        &c,
        &format!("/pemilih/petugas/{e}/tps/{}", vx.tps_one().await),
    )
    .await;
    // Three voters, two women: the counts only, no name (not even masked) and no NIK.
    let counts = &html[html.find("id=\"jumlah\"").unwrap()..];
    let counts = &counts[..counts.find("</dl>").unwrap()];
    assert!(
        counts.contains("<dd>1</dd>")
            && counts.contains("<dd>2</dd>")
            && counts.contains("<dd>3</dd>"),
        "{counts}"
    );
    assert!(html.contains("id=\"tanpa-daftar\""), "{html}");
    for name in ["Siti Wahyuni", "Budi Santoso", "S*** W******", "327901"] {
        assert!(!html.contains(name), "{name} on the TPS page");
    }
});

both_backends!(a_pps_sees_its_own_village_only, |b| async move {
    let vx = Vx::new(b).await;
    let (s, _) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200);
    // The PPS of Mekarsari: a KPU body of one village inside the election's city.
    let pps = vx
        .app
        .add_agency("kpu", "PPS Mekarsari", "32.79.01.1002")
        .await;
    vx.app
        .add_user(
            "v.pps",
            Some(pps),
            balai_core::accounts::Role::Officer,
            false,
        )
        .await;
    let code = vx.file_response().await; // TPS 1 of Banjar
    let e = vx.election;
    let c = signed_in(&vx.app, "v.pps").await;
    let (s, _, html) = page(&vx, &c, &format!("/pemilih/petugas/{e}")).await;
    assert_eq!(s, 200, "{html}");
    assert!(
        html.contains("Mekarsari") && !html.contains("/desa/32.79.01.1001"),
        "{html}"
    );
    assert!(!html.contains("/impor\""), "a PPS does not import");
    let (s, _, html) = page(&vx, &c, &format!("/pemilih/petugas/{e}/tanggapan")).await;
    assert_eq!(s, 200);
    assert!(
        !html.contains(&code),
        "Banjar's case in Mekarsari's queue: {html}"
    );
    for p in [
        format!("/pemilih/petugas/{e}/desa/32.79.01.1001"),
        format!("/pemilih/petugas/{e}/tps/{}", vx.tps_one().await),
        format!("/pemilih/petugas/tanggapan/{code}"),
    ] {
        assert_eq!(page(&vx, &c, &p).await.0, 403, "{p}");
    }
    assert_eq!(
        page(&vx, &c, &format!("/pemilih/petugas/{e}/desa/32.79.01.1002"))
            .await
            .0,
        200
    );
});

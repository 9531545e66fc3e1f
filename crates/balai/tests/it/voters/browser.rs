//! On a 360x740 phone with JavaScript off, in both languages: the officials' pages of the list
//! checked with axe-core (WCAG 2.2 A/AA) and for the screen's width, the single-record view
//! and the public answer done through their forms, the public page of the responses, and a
//! response filed through the public form to its receipt.

use crate::support::browser::Browser;
use crate::support::worlds::voters::*;
use crate::support::Backend;

both_backends!(the_officials_pages_fit_a_phone, |b: Backend| async move {
    let vx = Vx::new(b).await;
    let bad = format!(
        "{}{SITI},3279012301150004,Siti Lain,Banjar,1990-08-15,P,32.79.01.1001,2,Jl. Mawar 9\n",
        good_list()
    );
    let (s, _) = vx.put_list(&vx.kpu, "dps", &bad).await;
    assert_eq!(s, 422);
    let (s, _) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200);
    let code = vx.file_response().await;
    let (e, tps) = (vx.election, vx.tps_one().await);
    let browser = Browser::phone_without_js().await.unwrap();
    browser
        .sign_in(&vx.app.url(""), "v.kpu", "pw-v.kpu-0123456789")
        .await
        .unwrap();
    let mut failures = Vec::new();
    for lang in ["id", "en"] {
        for p in [
            "/pemilih/petugas".to_string(),
            format!("/pemilih/petugas/{e}"),
            format!("/pemilih/petugas/{e}/desa/32.79.01.1001"),
            format!("/pemilih/petugas/{e}/tps/{tps}"),
            format!("/pemilih/petugas/{e}/tanggapan"),
            format!("/pemilih/petugas/tanggapan/{code}"),
            format!("/pemilih/tanggapan?pemilihan={e}"),
            "/pemilih/tanggapan/baru".to_string(),
            format!("/pemilih/tanggapan/baru?pemilihan={e}&village_code=32.79.01.1001&tps=1"),
            format!("/pemilih/tanggapan/kasus/{code}?baru=1"),
            "/dashboard".to_string(),
        ] {
            let sep = if p.contains('?') { '&' } else { '?' };
            browser
                .goto(&vx.app.url(&format!("{p}{sep}lang={lang}")))
                .await
                .unwrap();
            browser
                .check_page(&format!("{p} ({lang})"), &mut failures)
                .await;
        }
    }
    // The dashboard links the list's work.
    browser
        .goto(&vx.app.url("/dashboard?lang=id"))
        .await
        .unwrap();
    let body = browser.body_text().await.unwrap();
    assert!(body.contains("Tanggapan daftar pemilih"), "{body}");
    // One record, through the form.
    browser
        .goto(&vx.app.url(&format!("/pemilih/petugas/{e}/data")))
        .await
        .unwrap();
    browser.fill("input[name=nik]", SITI).await.unwrap();
    browser
        .fill("input[name=purpose]", "Memeriksa tanggapan TPS 001")
        .await
        .unwrap();
    browser
        .click_and_wait("form.stack button[type=submit]")
        .await
        .unwrap();
    let body = browser.body_text().await.unwrap();
    assert!(
        body.contains("Siti Wahyuni") && body.contains("Pembukaan ini telah dicatat"),
        "{body}"
    );
    browser.check_page("the record", &mut failures).await;
    // The public answer, through the form.
    browser
        .goto(&vx.app.url(&format!("/pemilih/petugas/tanggapan/{code}")))
        .await
        .unwrap();
    browser
        .click("input[name=status][value=accepted]")
        .await
        .unwrap();
    browser
        .fill(
            "textarea[name=answer]",
            "Diperiksa PPS: dicoret pada DPSHP.",
        )
        .await
        .unwrap();
    browser
        .click_and_wait("form.stack button[type=submit]")
        .await
        .unwrap();
    let body = browser.body_text().await.unwrap();
    assert!(body.contains("Jawaban disimpan"), "{body}");
    browser.check_page("the answered case", &mut failures).await;
    browser
        .goto(&vx.app.url(&format!(
            "/pemilih/tanggapan?pemilihan={e}&desa=32.79.01.1001&tps=1"
        )))
        .await
        .unwrap();
    browser.check_page("the public answer", &mut failures).await;
    // A response filed through the public form, JavaScript off.
    browser
        .goto(&vx.app.url(&format!(
            "/pemilih/tanggapan/baru?pemilihan={e}&village_code=32.79.01.1001&tps=1"
        )))
        .await
        .unwrap();
    browser
        .click("input[name=jenis][value=moved]")
        .await
        .unwrap();
    browser
        .fill(
            "textarea[name=details]",
            "Ibu Dewi Lestari pindah ke Kota Bandung sejak Januari 2024.",
        )
        .await
        .unwrap();
    browser
        .fill("input[name=evidence]", "Surat pindah 3279-SP-2024-0007")
        .await
        .unwrap();
    browser
        .click_and_wait("#tanggapan-baru button[type=submit]")
        .await
        .unwrap();
    let body = browser.body_text().await.unwrap();
    assert!(
        body.contains("Tanggapan Anda diterima") && !body.contains("Dewi"),
        "{body}"
    );
    browser.check_page("the receipt", &mut failures).await;
    browser.close().await.unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

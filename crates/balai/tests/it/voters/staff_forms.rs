//! The officials' forms: the upload (all or nothing, the refused rows shown with line and
//! reason, 303 on success), the single-record view (one NIK, one record, one audit row) and
//! the public answer to a response (303; the public page without personal data).

use reqwest::Client;

use super::staff::{answer_of, page};
use crate::support::http::signed_in;
use crate::support::worlds::voters::*;
use crate::support::{extract_csrf, Multipart};

async fn upload(vx: &Vx, c: &Client, stage: &str, csv: &str) -> (u16, String, String) {
    let e = vx.election;
    let (_, _, html) = page(vx, c, &format!("/pemilih/petugas/{e}")).await;
    let csrf = extract_csrf(&html).unwrap();
    let (ct, body) = Multipart::new()
        .text("csrf", &csrf)
        .text("stage", stage)
        .file("csv", "dps.csv", "text/csv", csv.as_bytes())
        .finish();
    let res = c
        .post(vx.app.url(&format!("/pemilih/petugas/{e}/impor")))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    answer_of(res).await
}

async fn versions(vx: &Vx) -> usize {
    let (_, v) = vx
        .send(
            "GET",
            "",
            &format!("/api/v1/elections/{}/dpt", vx.election),
            serde_json::Value::Null,
        )
        .await;
    v["versions"].as_array().unwrap().len()
}

both_backends!(the_upload_imports_or_shows_refused_rows, |b| async move {
    let vx = Vx::new(b).await;
    let e = vx.election;
    let kpu = signed_in(&vx.app, "v.kpu").await;
    // SITI twice (line 6) and a village of Palembang (line 7): nothing imported.
    let bad = format!(
        "{}{SITI},3279012301150004,Siti Lain,Banjar,1990-08-15,P,32.79.01.1001,2,Jl. Mawar 9\n\
         3279010303700005,3279012301150007,Joko,Banjar,1970-03-03,L,16.71.01.1001,1,Jl. Lain\n",
        good_list()
    );
    let (s, _, html) = upload(&vx, &kpu, "dps", &bad).await;
    assert_eq!(s, 422, "{html}");
    let table = &html[html.find("id=\"ditolak\"").expect(&html)..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains(">6<") && table.contains(">7<"), "{table}");
    assert!(!html.contains(SITI), "the refused rows name no NIK");
    assert_eq!(versions(&vx).await, 0);
    // In English, the reasons are English.
    let (_, _, en) = page(&vx, &kpu, &format!("/pemilih/petugas/{e}?lang=en")).await;
    assert!(en.contains("Upload the next version"), "{en}");
    // An officer may not import: 403, nothing stored.
    let officer = signed_in(&vx.app, "v.kpu.officer").await;
    let (s, _, _) = upload(&vx, &officer, "dps", &good_list()).await;
    assert_eq!(s, 403);
    assert_eq!(versions(&vx).await, 0);
    // A good list: 303 to the page, which shows version 1.
    let (s, loc, _) = upload(&vx, &kpu, "dps", &good_list()).await;
    assert_eq!(s, 303);
    assert_eq!(loc, format!("/pemilih/petugas/{e}?impor=1#versi"));
    assert_eq!(versions(&vx).await, 1);
    let (_, _, html) = page(&vx, &kpu, &format!("/pemilih/petugas/{e}?impor=1")).await;
    assert!(html.contains("id=\"imported\""), "{html}");
    assert!(html.contains("<strong>DPS</strong>"), "{html}");
    assert_eq!(vx.audit("voters.list_imported").await.len(), 1);
    // Fixed as DPT: the list is final, no upload form any more.
    let (s, _, _) = upload(&vx, &kpu, "dpt", &good_list()).await;
    assert_eq!(s, 303);
    let (_, _, html) = page(&vx, &kpu, &format!("/pemilih/petugas/{e}?lang=id")).await;
    assert!(
        html.contains("daftar ini final") && !html.contains("enctype"),
        "{html}"
    );
});

async fn open_record(vx: &Vx, c: &Client, nik: &str, purpose: &str) -> (u16, String) {
    let e = vx.election;
    let (_, _, html) = page(vx, c, &format!("/pemilih/petugas/{e}/data")).await;
    let csrf = extract_csrf(&html).unwrap();
    let res = c
        .post(vx.app.url(&format!("/pemilih/petugas/{e}/data")))
        .form(&[("csrf", csrf.as_str()), ("nik", nik), ("purpose", purpose)])
        .send()
        .await
        .unwrap();
    let s = res.status().as_u16();
    assert_eq!(
        res.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    (s, res.text().await.unwrap())
}

both_backends!(one_nik_one_record_one_audit_row, |b| async move {
    let vx = Vx::new(b).await;
    let (s, _) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200);
    let officer = signed_in(&vx.app, "v.kpu.officer").await;
    let (s, html) = open_record(&vx, &officer, SITI, "Memeriksa tanggapan TPS 001").await;
    assert_eq!(s, 200, "{html}");
    assert!(
        html.contains("Siti Wahyuni") && html.contains("3279012301150004"),
        "{html}"
    );
    assert!(
        html.contains("15 Agustus 1990") && html.contains("Perempuan"),
        "{html}"
    );
    assert!(html.contains("Banjar") && html.contains("TPS 001"));
    for other in [AHMAD, "3279014101850003", "3279010202700004"] {
        assert!(!html.contains(other), "another NIK on the page");
    }
    assert!(!html.contains("Dewi") && !html.contains("Budi"));
    // The opening is recorded, and the page shows it (NIK masked).
    let events = vx.audit("personal_data.read").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "v.kpu.officer");
    assert!(!events[0].2.contains(SITI) && events[0].2.contains("Memeriksa"));
    let log = &html[html.find("id=\"log\"").expect(&html)..];
    assert!(log.contains("Memeriksa tanggapan TPS 001"), "{log}");
    // Unknown NIK: 404 on the form, nothing recorded; no purpose: 422.
    let (s, html) = open_record(&vx, &officer, NOBODY, "Memeriksa tanggapan").await;
    assert_eq!(s, 404, "{html}");
    assert!(html.contains("tidak ada dalam daftar"), "{html}");
    let (s, _) = open_record(&vx, &officer, SITI, "  ").await;
    assert_eq!(s, 422);
    assert_eq!(vx.audit("personal_data.read").await.len(), 1);
    // A viewer and Palembang's KPU: refused, nothing recorded.
    for user in ["v.kpu.viewer", "v.plg"] {
        let c = signed_in(&vx.app, user).await;
        let (_, _, html) = page(&vx, &c, "/pemilih/cek").await;
        let csrf = extract_csrf(&html).unwrap();
        let res = c
            .post(
                vx.app
                    .url(&format!("/pemilih/petugas/{}/data", vx.election)),
            )
            .form(&[
                ("csrf", csrf.as_str()),
                ("nik", SITI),
                ("purpose", "Ingin tahu"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403, "{user}");
    }
    assert_eq!(vx.audit("personal_data.read").await.len(), 1);
});

async fn answer(vx: &Vx, c: &Client, code: &str, status: &str, text: &str) -> (u16, String) {
    let path = format!("/pemilih/petugas/tanggapan/{code}");
    let (_, _, html) = page(vx, c, "/pemilih/cek").await;
    let csrf = extract_csrf(&html).unwrap();
    let res = c
        .post(vx.app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", status),
            ("answer", text),
        ])
        .send()
        .await
        .unwrap();
    let (s, loc, body) = answer_of(res).await;
    (s, if loc.is_empty() { body } else { loc })
}

both_backends!(
    the_public_answer_redirects_and_publishes_no_personal_data,
    |b| async move {
        let vx = Vx::new(b).await;
        let (s, _) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200);
        let code = vx.file_response().await;
        let e = vx.election;
        let officer = signed_in(&vx.app, "v.kpu.officer").await;
        // The queue: the case with its clock in working days.
        let (_, _, html) = page(&vx, &officer, &format!("/pemilih/petugas/{e}/tanggapan")).await;
        assert!(
            html.contains("Sudah meninggal") && html.contains("Banjar"),
            "{html}"
        );
        assert!(
            html.contains("hari kerja") || html.contains("Jatuh tempo"),
            "{html}"
        );
        // The case page shows the officials the details and the contact.
        let (_, _, html) = page(&vx, &officer, &format!("/pemilih/petugas/tanggapan/{code}")).await;
        assert!(
            html.contains("Budi Santoso") && html.contains("0812 0000 1111"),
            "{html}"
        );
        // Another city's KPU may not answer.
        let plg = signed_in(&vx.app, "v.plg").await;
        let (s, _) = answer(
            &vx,
            &plg,
            &code,
            "accepted",
            "Diperiksa PPS, dicoret pada DPSHP.",
        )
        .await;
        assert_eq!(s, 403);
        // A NIK in a published answer: refused, shown again.
        let with_nik = format!("Pemilih dengan NIK {SITI} dicoret.");
        let (s, html) = answer(&vx, &officer, &code, "accepted", &with_nik).await;
        assert_eq!(s, 422, "{html}");
        assert!(html.contains("id=\"error\""), "{html}");
        // The answer: 303 back to the case.
        let (s, loc) = answer(
            &vx,
            &officer,
            &code,
            "accepted",
            "Diperiksa PPS: dicoret pada DPSHP.",
        )
        .await;
        assert_eq!(s, 303, "{loc}");
        assert_eq!(loc, format!("/pemilih/petugas/tanggapan/{code}?dijawab=1"));
        let (_, _, html) = page(&vx, &officer, &loc).await;
        assert!(
            html.contains("id=\"answered\"") && html.contains("id=\"jawaban\""),
            "{html}"
        );
        assert_eq!(vx.audit("voters.report_answered").await.len(), 1);
        // Twice: 409.
        let (s, _) = answer(
            &vx,
            &officer,
            &code,
            "rejected",
            "Sudah dijawab sebelumnya oleh PPS.",
        )
        .await;
        assert_eq!(s, 409);
        // The public page of the TPS: the answer, no personal data.
        let anon = vx.app.client();
        for q in [
            format!("?pemilihan={e}"),
            format!("?pemilihan={e}&desa=32.79.01.1001&tps=1"),
        ] {
            let (s, _, html) = page(&vx, &anon, &format!("/pemilih/tanggapan{q}")).await;
            assert_eq!(s, 200, "{html}");
            assert!(
                html.contains("dicoret pada DPSHP") && html.contains("TPS 001"),
                "{html}"
            );
            for private in ["Budi", "0812", "3279-KM", SITI] {
                assert!(!html.contains(private), "{private} published");
            }
        }
        let (_, _, html) = page(
            &vx,
            &anon,
            &format!("/pemilih/tanggapan?pemilihan={e}&desa=32.79.01.1002"),
        )
        .await;
        assert!(
            !html.contains("dicoret"),
            "another village's answer: {html}"
        );
    }
);

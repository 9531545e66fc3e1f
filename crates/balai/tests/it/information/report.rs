//! The laporan layanan informasi of a PPID: the figures of a seeded year computed again here,
//! independently, from the seeded days and the holiday calendar, and compared with the page,
//! the printable page and the CSV; a half-year; another PPID's requests and another year's are
//! not counted.

use serde_json::json;
use time::macros::date;
use time::Date;

use crate::support::worlds::information::*;
use crate::support::{Backend, TestApp};

const TEST: &str = "Membuka data ini mengungkap rahasia pribadi yang dilindungi undang-undang";

async fn sql(app: &TestApp, q: &str, day: Date, id: i64) {
    balai_core::with_db!(&app.db, |c| sqlx::query(q)
        .bind(day)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))
    .unwrap();
}

/// Put a request's receipt and first decision on the given days.
async fn seed_days(app: &TestApp, id: i64, received: Date, decided: Option<Date>) {
    sql(
        app,
        "UPDATE info_requests SET received_on = $1 WHERE id = $2",
        received,
        id,
    )
    .await;
    if let Some(d) = decided {
        sql(
            app,
            "UPDATE info_request_events SET day = $1 WHERE request_id = $2
             AND action IN ('answer', 'answer_partly', 'refuse')",
            d,
            id,
        )
        .await;
    }
}

/// Working days after `from` up to and including `to`, counted here on the stored calendar.
fn working_days(cal: &balai_core::calendar::Calendar, from: Date, to: Date) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.next_day().unwrap();
        if cal.is_working_day(d) {
            n += 1;
        }
    }
    n
}

fn tenth_working_day(cal: &balai_core::calendar::Calendar, from: Date) -> Date {
    let mut d = from;
    let mut left = 10;
    while left > 0 {
        d = d.next_day().unwrap();
        if cal.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

both_backends!(
    the_yearly_and_half_yearly_reports_count_what_the_records_say,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let atasan = app.token_for("atasan").await;
        let mut ids = Vec::new();
        for _ in 0..7 {
            let (s, v) = file(&app, request_json(p.banjar)).await;
            assert_eq!(s, 201);
            ids.push((v["id"].as_i64().unwrap(), v));
        }
        let decide = |action: &str, exemption: &str| {
            json!({"action": action,
                   "answer": "Jawaban tertulis; [DIHITAMKAN: nama pegawai, Pasal 17 huruf h]",
                   "exemption": exemption, "consequence_test": TEST})
        };
        let steps = [
            ("answer", ""),
            ("answer_partly", "h"),
            ("refuse", "h"),
            ("refuse", "a"),
            ("", ""),
            ("answer", ""),
            ("answer", ""),
        ];
        for ((id, _), (action, ex)) in ids.iter().zip(steps) {
            if !action.is_empty() {
                let (s, v) = act(&app, &ppid1, *id, decide(action, ex)).await;
                assert_eq!(s, 200, "{action}: {v}");
            }
        }
        // The sixth: objection, its answer, the dispute and its outcome.
        let (six, filed) = &ids[5];
        let (code, secret) = (
            filed["tracking_code"].as_str().unwrap(),
            filed["secret"].as_str().unwrap(),
        );
        let objection = json!({"action": "object", "reason": "Jawaban tidak sesuai permintaan"});
        assert_eq!(requester(&app, code, secret, objection).await.0, 200);
        let step =
            json!({"action": "answer_objection", "answer": "Tanggapan atasan PPID tertulis"});
        assert_eq!(act(&app, &atasan, *six, step).await.0, 200);
        assert_eq!(
            requester(&app, code, secret, json!({"action": "dispute"}))
                .await
                .0,
            200
        );
        let step = json!({"action": "record_dispute_outcome", "reason": "Putusan Komisi Informasi: dikabulkan"});
        assert_eq!(act(&app, &atasan, *six, step).await.0, 200);
        // Another PPID's request, in the same year: not Banjar's report.
        let (_, other) = file(&app, request_json(p.palembang)).await;
        let other = other["id"].as_i64().unwrap();

        let days: [(Date, Option<Date>); 7] = [
            (date!(2025 - 03 - 03), Some(date!(2025 - 03 - 07))),
            (date!(2025 - 03 - 24), Some(date!(2025 - 04 - 14))), // across Idul Fitri
            (date!(2025 - 07 - 01), Some(date!(2025 - 07 - 15))),
            (date!(2025 - 08 - 01), Some(date!(2025 - 08 - 29))),
            (date!(2025 - 09 - 01), None),
            (date!(2025 - 10 - 01), Some(date!(2025 - 10 - 06))),
            (date!(2024 - 12 - 31), Some(date!(2025 - 01 - 06))), // last year's
        ];
        for ((id, _), (received, decided)) in ids.iter().zip(days) {
            seed_days(&app, *id, received, decided).await;
        }
        seed_days(&app, other, date!(2025 - 05 - 05), None).await;

        // Independently: the six requests of 2025, their working days and the due days.
        let cal = calendar(&app).await;
        let decided: Vec<(Date, Date)> = days[..6]
            .iter()
            .filter_map(|(r, d)| d.map(|d| (*r, d)))
            .collect();
        let mut wd: Vec<i64> = decided
            .iter()
            .map(|(r, d)| working_days(&cal, *r, *d))
            .collect();
        wd.sort();
        let mean = wd.iter().sum::<i64>() as f64 / wd.len() as f64;
        let median = wd[wd.len() / 2] as f64; // five decided: the middle one
        let on_time = decided
            .iter()
            .filter(|(r, d)| *d <= tenth_working_day(&cal, *r))
            .count();
        assert_eq!(wd.len(), 5);

        let csv = reqwest::get(app.url(&format!("/informasi/laporan/{}/csv?tahun=2025", p.banjar)))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let value = |key: &str| -> String {
            csv.lines()
                .find_map(|l| l.strip_prefix(&format!("{key},")))
                .unwrap_or_else(|| panic!("{key} in {csv}"))
                .to_string()
        };
        assert_eq!(value("permohonan"), "6");
        assert_eq!(value("dikabulkan_seluruhnya"), "2");
        assert_eq!(value("dikabulkan_sebagian"), "1");
        assert_eq!(value("ditolak"), "2");
        assert_eq!(value("belum_diputus"), "1");
        assert_eq!(value("ditolak_pasal_17_a"), "1");
        assert_eq!(value("ditolak_pasal_17_h"), "1");
        assert_eq!(value("tepat_waktu"), on_time.to_string());
        assert_eq!(value("terlambat"), (5 - on_time).to_string());
        assert_eq!(value("rata_rata_hari_kerja"), format!("{mean:.1}"));
        assert_eq!(value("median_hari_kerja"), format!("{median:.1}"));
        assert_eq!(value("keberatan"), "1");
        assert_eq!(value("keberatan_ditanggapi"), "1");
        assert_eq!(value("sengketa"), "1");
        assert_eq!(value("sengketa_diputus"), "1");

        // The page says the same, in Indonesian numbers and dates; the printable page too.
        let page = html(
            &app,
            &app.client(),
            &format!("/informasi/laporan/{}?tahun=2025", p.banjar),
        )
        .await;
        assert!(page.contains("<td id=\"n-permohonan\">6</td>"), "{page}");
        let mean_id = format!("{mean:.1}").replace('.', ",");
        assert!(
            page.contains(&format!("<td id=\"rata-rata\">{mean_id}</td>")),
            "{mean_id}"
        );
        assert!(page.contains("1 Januari 2025") && page.contains("31 Desember 2025"));
        assert!(page.contains("Pasal 17 huruf h"), "the ground by name");
        let median_id = format!("{median:.1}").replace('.', ",");
        assert!(
            page.contains(&format!("<td id=\"median\">{median_id}</td>")),
            "{median_id}"
        );
        // The Monev evidence, filled from the same records.
        let monev = &page[page.find("id=\"monev\"").expect("the Monev table")..];
        for row in [
            "6 permohonan".to_string(),
            format!("{on_time} dari 5 diputus tepat waktu"),
            "2 penolakan, semuanya dengan uji konsekuensi".to_string(),
            "1 keberatan; 1 ditanggapi".to_string(),
            "1 sengketa; 1 telah diputus".to_string(),
        ] {
            assert!(monev.contains(&row), "{row} in {monev}");
        }
        // No requester in any form of the report.
        let en = html(
            &app,
            &app.client(),
            &format!("/informasi/laporan/{}?tahun=2025&lang=en", p.banjar),
        )
        .await;
        assert!(
            en.contains("Median working days to a decision") && en.contains("31 December 2025")
        );
        assert!(
            !en.contains("Permohonan diterima"),
            "no Indonesian on the English page"
        );
        let print = html(
            &app,
            &app.client(),
            &format!("/informasi/laporan/{}/cetak?tahun=2025", p.banjar),
        )
        .await;
        assert!(
            print.contains("<td id=\"n-permohonan\">6</td>")
                && print.contains("class=\"signature\"")
        );
        assert!(!print.contains("pilih-periode"));
        for body in [&page, &print, &csv, &en] {
            for private in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE] {
                assert!(!body.contains(private), "{private} in the report");
            }
        }

        // The first half: the two March requests only.
        let h1 = reqwest::get(app.url(&format!(
            "/informasi/laporan/{}/csv?tahun=2025&semester=1",
            p.banjar
        )))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
        assert!(h1.contains("permohonan,2\n"), "{h1}");
        let bad = reqwest::get(app.url(&format!(
            "/informasi/laporan/{}?tahun=2025&semester=3",
            p.banjar
        )))
        .await
        .unwrap();
        assert_eq!(bad.status().as_u16(), 422);
        let not_ppid = reqwest::get(app.url(&format!("/informasi/laporan/{}", p.dinas)))
            .await
            .unwrap();
        assert_eq!(not_ppid.status().as_u16(), 404);
    }
);

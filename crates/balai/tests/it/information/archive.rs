//! The public archive: full-text search over requests and answers (SQLite FTS5, PostgreSQL
//! `tsvector`) kept in step with every change, never the requester's data nor a request the PPID
//! marked private; the archive page and the similar requests on the request form (no
//! JavaScript, both languages); the per-agency statistics (on time, late, extended, refused by
//! ground) in the API and on a page.

use serde_json::{json, Value};

use crate::support::http::{get, status_json};
use crate::support::worlds::information::*;
use crate::support::TestApp;

const DPA: &str = "Salinan Dokumen Pelaksanaan Anggaran Dinas Pendidikan Kota Banjar 2025";
const DPT: &str = "Notulen rapat pleno penetapan daftar pemilih tetap Kota Palembang";
const BUS: &str = "Jadwal dan rute bus sekolah gratis Kota Banjar semester genap";
const ANSWER: &str = "Rute bus sekolah terlampir: terminal Banjar, Pataruman, Langensari.";

async fn search(app: &TestApp, query: &str) -> (u16, Value) {
    let res = reqwest::get(app.url(&format!("/api/v1/information-requests/search?{query}")))
        .await
        .unwrap();
    status_json(res).await
}

fn numbers(page: &Value) -> Vec<String> {
    page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["registration_number"].as_str().unwrap().to_string())
        .collect()
}

async fn file_text(app: &TestApp, agency: i64, text: &str) -> (i64, String) {
    let mut body = request_json(agency);
    body["information"] = json!(text);
    let (s, filed) = file(app, body).await;
    assert_eq!(s, 201, "{filed}");
    (
        filed["id"].as_i64().unwrap(),
        filed["registration_number"].as_str().unwrap().to_string(),
    )
}

async fn mark_private(app: &TestApp, id: i64) {
    balai_core::with_db!(&app.db, |c| sqlx::query(
        "UPDATE info_requests SET private_reason = $1 WHERE id = $2"
    )
    .bind("Menyangkut data pribadi anak")
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
}

/// A page as a browser without an account gets it: the status and the body.
async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = get(app, &app.client(), path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

fn assert_no_requester(body: &str) {
    for secret in [NAME, EMAIL, PHONE, ADDRESS, PURPOSE] {
        assert!(!body.contains(secret), "{secret} leaked: {body}");
    }
}

both_backends!(
    search_finds_by_words_never_the_requester_nor_private,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let (_, dpa) = file_text(&app, p.banjar, DPA).await;
        let (_, dpt) = file_text(&app, p.palembang, DPT).await;
        let (bus_id, bus) = file_text(&app, p.banjar, BUS).await;

        // Every word must match, in any case and order.
        let (s, page) = search(&app, "q=ANGGARAN+pendidikan").await;
        assert_eq!(s, 200, "{page}");
        assert_eq!(numbers(&page), vec![dpa.clone()]);
        assert_eq!(page["hits"][0]["agency_name"], "PPID Kota Banjar");
        let (_, page) = search(&app, "q=anggaran+pemilih").await;
        assert!(numbers(&page).is_empty());
        let (_, page) = search(&app, "q=kota").await;
        assert_eq!(numbers(&page).len(), 3);
        // Only one agency's.
        let (_, page) = search(&app, &format!("q=kota&agency={}", p.palembang)).await;
        assert_eq!(numbers(&page), vec![dpt.clone()]);
        // Query syntax is only words: no FTS5 or tsquery error.
        let (s, page) = search(&app, "q=%22pleno%22+OR+NEAR(*)+%26+!").await;
        assert_eq!(s, 200, "{page}");

        // The answer is searchable as soon as it is given (same transaction).
        let (_, page) = search(&app, "q=pataruman").await;
        assert!(numbers(&page).is_empty());
        let (s, done) = act(
            &app,
            &ppid1,
            bus_id,
            json!({"action": "answer", "answer": ANSWER}),
        )
        .await;
        assert_eq!(s, 200, "{done}");
        let (_, page) = search(&app, "q=pataruman+langensari").await;
        assert_eq!(numbers(&page), vec![bus.clone()]);
        assert_eq!(page["hits"][0]["answer"], ANSWER);
        assert_eq!(page["hits"][0]["answered_on"], json!(today().to_string()));

        // Nothing of the requester, in any search, nor even by searching their name.
        let res = reqwest::get(app.url("/api/v1/information-requests/search?q=kota"))
            .await
            .unwrap();
        assert_no_requester(&res.text().await.unwrap());
        let (_, page) = search(&app, "q=Siti+Rahmawati").await;
        assert!(numbers(&page).is_empty(), "the name is not indexed: {page}");
        let (_, page) = search(&app, "q=skripsi").await;
        assert!(
            numbers(&page).is_empty(),
            "the purpose is not indexed: {page}"
        );

        // A request the PPID marked private is never found, nor listed.
        mark_private(&app, bus_id).await;
        let (_, page) = search(&app, "q=pataruman").await;
        assert!(numbers(&page).is_empty(), "{page}");
        let (_, page) = search(&app, "q=").await;
        assert_eq!(numbers(&page), vec![dpt.clone(), dpa.clone()]);

        // Bad input: a clear 422 with a code.
        let long = "a".repeat(201);
        let (s, err) = search(&app, &format!("q={long}")).await;
        assert_eq!((s, err["code"].as_str()), (422, Some("bad_search_query")));
        let (s, err) = search(&app, "q=kota&page=0").await;
        assert_eq!((s, err["code"].as_str()), (422, Some("bad_page")));
        let (s, err) = search(&app, "q=kota&page=501").await;
        assert_eq!((s, err["code"].as_str()), (422, Some("bad_page")));
    }
);

both_backends!(archive_pages_twenty_a_page, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let p = ppids(&app).await;
    let mut filed = Vec::new();
    for i in 0..21 {
        let text = format!("Laporan realisasi anggaran kelurahan nomor {i} tahun 2025");
        filed.push(file_text(&app, p.banjar, &text).await.1);
    }
    let (_, first) = search(&app, "q=realisasi").await;
    assert_eq!(numbers(&first).len(), 20);
    assert_eq!(first["has_more"], true);
    let (_, second) = search(&app, "q=realisasi&page=2").await;
    assert_eq!(numbers(&second).len(), 1);
    assert_eq!(second["has_more"], false);
    let mut all = numbers(&first);
    all.extend(numbers(&second));
    all.sort();
    filed.sort();
    assert_eq!(all, filed, "every request once, over the two pages");
});

both_backends!(
    archive_page_and_similar_requests_without_js,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let p = ppids(&app).await;
        let (dpa_id, dpa) = file_text(&app, p.banjar, DPA).await;
        let (_, _dpt) = file_text(&app, p.palembang, DPT).await;
        let (s, id) = page(&app, "/informasi/arsip?q=anggaran+pendidikan&lang=id").await;
        assert_eq!(s, 200);
        assert!(id.contains("Arsip permohonan informasi"), "{id}");
        assert!(id.contains(&dpa) && id.contains(&format!("/informasi/permohonan/{dpa_id}")));
        assert!(
            !id.contains("daftar pemilih tetap"),
            "only the matching request"
        );
        let day = balai_core::format::date(today(), balai_core::i18n::Lang::Id);
        assert!(id.contains(&day), "Indonesian date {day}: {id}");
        assert_no_requester(&id);
        let (_, en) = page(&app, "/informasi/arsip?q=anggaran&lang=en").await;
        assert!(en.contains("Archive of information requests") && en.contains(&dpa));
        let (s, bad) = page(
            &app,
            &format!("/informasi/arsip?q={}&lang=id", "x".repeat(201)),
        )
        .await;
        assert_eq!(s, 422);
        assert!(bad.contains("paling banyak 200 karakter"), "{bad}");

        // The form searches the archive before a new request is written (GET, no JavaScript).
        let (_, form) = page(&app, "/informasi/permohonan?lang=id").await;
        assert!(form.contains("Cari permohonan serupa") && !form.contains("daftar-serupa"));
        let (s, form) = page(
            &app,
            "/informasi/permohonan?serupa=Saya+minta+dokumen+anggaran+sekolah&lang=id",
        )
        .await;
        assert_eq!(s, 200);
        assert!(
            form.contains("daftar-serupa") && form.contains(&dpa),
            "{form}"
        );
        assert!(!form.contains("daftar pemilih tetap"));
        assert!(form.contains(">Saya minta dokumen anggaran sekolah</textarea>"));
        assert_no_requester(&form);
        let (_, none) = page(&app, "/informasi/permohonan?serupa=irigasi+sawah&lang=en").await;
        assert!(none.contains("No similar requests yet"), "{none}");
    }
);

both_backends!(statistics_per_agency, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let p = ppids(&app).await;
    let ppid1 = app.token_for("ppid1").await;
    let (on_time, _) = file_text(&app, p.banjar, DPA).await;
    let (refused, _) = file_text(&app, p.banjar, BUS).await;
    let (extended, _) = file_text(
        &app,
        p.banjar,
        "Daftar aset tanah milik Pemerintah Kota Banjar",
    )
    .await;
    let (overdue, _) = file_text(
        &app,
        p.banjar,
        "Kontrak pengadaan seragam sekolah Kota Banjar",
    )
    .await;
    let (late, _) = file_text(
        &app,
        p.banjar,
        "Rekapitulasi tunjangan kinerja pegawai Kota Banjar",
    )
    .await;
    let (_, _) = file_text(&app, p.palembang, DPT).await;
    let answer = json!({"action": "answer", "answer": "Dokumen terlampir pada surat balasan."});
    assert_eq!(act(&app, &ppid1, on_time, answer.clone()).await.0, 200);
    let test = "Membuka data ini mengungkap rahasia pribadi; kepentingan publik tidak lebih besar.";
    let (s, v) = act(
        &app,
        &ppid1,
        refused,
        json!({"action": "refuse", "exemption": "h", "consequence_test": test}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = act(
        &app,
        &ppid1,
        extended,
        json!({"action": "extend", "reason": "Dokumen masih dihimpun dari tiga bidang"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // Two whose due day has passed: one still unanswered, one answered now (late).
    let past = today() - time::Duration::days(3);
    set_due(&app, overdue, "answer", past).await;
    set_due(&app, late, "answer", past).await;
    assert_eq!(act(&app, &ppid1, late, answer).await.0, 200);

    let res = reqwest::get(app.url("/api/v1/information-requests/stats"))
        .await
        .unwrap();
    let (s, stats) = status_json(res).await;
    assert_eq!(s, 200, "{stats}");
    let banjar = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agency_id"] == json!(p.banjar))
        .unwrap();
    assert_eq!(banjar["total"], 5);
    assert_eq!(banjar["answered_on_time"], 2, "the answer and the refusal");
    assert_eq!(banjar["answered_late"], 1);
    assert_eq!(banjar["overdue"], 1);
    assert_eq!(banjar["extended"], 1);
    assert_eq!(banjar["refused_by_ground"][0]["exemption"], "h");
    assert_eq!(banjar["refused_by_ground"][0]["refused"], 1);
    let plg = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agency_id"] == json!(p.palembang))
        .unwrap();
    assert_eq!(
        (plg["total"].as_i64(), plg["overdue"].as_i64()),
        (Some(1), Some(0))
    );

    let (_, html) = page(&app, "/informasi/statistik?lang=id").await;
    assert!(html.contains("Statistik layanan informasi") && html.contains("PPID Kota Banjar"));
    assert!(
        html.contains("Pasal 17 huruf h: rahasia pribadi: 1"),
        "{html}"
    );
});

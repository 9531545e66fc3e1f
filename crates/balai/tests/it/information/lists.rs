//! The Daftar Informasi Publik: an officer adds and changes entries of their own PPID's list
//! (API and staff pages, audited), the public page and JSON and CSV show them by class with the
//! late berkala ones flagged; another city's PPID, a viewer and bad input are refused with
//! nothing stored.

use serde_json::{json, Value};

use crate::support::http::{api, signed_in, status_json};
use crate::support::worlds::information::*;
use crate::support::{Backend, TestApp};

fn entry(category: &str, title: &str) -> Value {
    json!({
        "category": category, "title": title,
        "legal_basis": "UU 14/2008 Pasal 9 ayat (2) huruf c",
        "documents": [
            {"title": "LKPD 2025 (audited)", "reference": "https://ppid.banjarkota.go.id/lkpd-2025.pdf"},
            {"title": "Salinan cetak", "reference": "ARS/2026/017"}
        ],
    })
}

async fn post(app: &TestApp, token: &str, agency: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/information-lists/{agency}/entries");
    status_json(api(app, "POST", token, &path, Some(body)).await).await
}

async fn put(app: &TestApp, token: &str, agency: i64, id: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/information-lists/{agency}/entries/{id}");
    status_json(api(app, "PUT", token, &path, Some(body)).await).await
}

async fn list(app: &TestApp, agency: i64) -> Value {
    let res = reqwest::get(app.url(&format!("/api/v1/information-lists/{agency}")))
        .await
        .unwrap();
    status_json(res).await.1
}

both_backends!(
    an_officer_keeps_the_list_and_late_berkala_entries_are_flagged,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let seven_months =
            balai_information::domain::dip::add_months(today(), 0) - time::Duration::days(7 * 31);
        let mut late = entry("berkala", "Laporan keuangan tahunan");
        late["updated_on"] = json!(seven_months.to_string());
        let (s, v) = post(&app, &ppid1, p.banjar, late).await;
        assert_eq!(s, 201, "{v}");
        let late_id = v["id"].as_i64().unwrap();
        let mut fresh = entry("berkala", "Ringkasan program dan kegiatan");
        fresh["updated_on"] = json!((today() - time::Duration::days(30)).to_string());
        assert_eq!(post(&app, &ppid1, p.banjar, fresh).await.0, 201);
        let mut old_any_time = entry("setiap_saat", "Daftar aset daerah");
        old_any_time["updated_on"] = json!(seven_months.to_string());
        assert_eq!(post(&app, &ppid1, p.banjar, old_any_time).await.0, 201);
        let mut exempt = entry("dikecualikan", "Data pribadi penerima bantuan sosial");
        exempt["exemption"] = json!("h");
        assert_eq!(post(&app, &ppid1, p.banjar, exempt).await.0, 201);

        let v = list(&app, p.banjar).await;
        assert_eq!(v["agency"]["name"], "PPID Kota Banjar");
        assert_eq!(v["late"], 1, "only the old berkala entry: {v}");
        let entries = v["entries"].as_array().unwrap();
        let cats: Vec<&str> = entries
            .iter()
            .map(|e| e["category"].as_str().unwrap())
            .collect();
        assert_eq!(cats, ["berkala", "berkala", "setiap_saat", "dikecualikan"]);
        assert_eq!(entries[0]["late"], true);
        assert_eq!(entries[1]["late"], false);
        assert_eq!(entries[2]["late"], false, "only berkala has a period");
        assert_eq!(entries[3]["exemption"]["code"], "h");
        assert_eq!(entries[0]["documents"][1]["reference"], "ARS/2026/017");

        // Updated: no longer late; the public page and the CSV say the same.
        let mut again = entry("berkala", "Laporan keuangan tahunan 2025");
        again["updated_on"] = json!(today().to_string());
        let (s, v) = put(&app, &ppid1, p.banjar, late_id, again).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(list(&app, p.banjar).await["late"], 0);
        let page = html(&app, &app.client(), &format!("/informasi/dip/{}", p.banjar)).await;
        assert!(
            page.contains("Informasi berkala") && page.contains("Laporan keuangan tahunan 2025")
        );
        assert!(page.contains("Pasal 17 huruf h"), "the exemption by name");
        let when = balai_core::format::date(today(), balai_core::i18n::Lang::Id);
        assert!(page.contains(&when), "Indonesian dates: {when}");
        let en = html(
            &app,
            &app.client(),
            &format!("/informasi/dip/{}?lang=en", p.banjar),
        )
        .await;
        assert!(en.contains("Published periodically") && !en.contains("Informasi berkala"));
        assert!(en.contains("(art. 9 of Law 14/2008)") && !en.contains("Pasal 9 UU"));
        let res = reqwest::get(app.url(&format!("/informasi/dip/{}/csv", p.banjar)))
            .await
            .unwrap();
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 5, "{csv}");
        assert!(lines[0].starts_with("golongan,judul"));
        assert!(lines[1].contains("Laporan keuangan tahunan 2025") && lines[1].ends_with("tidak"));

        // Audited: two adds... four adds and one change.
        let audited = crate::support::http::count(
            &app.db,
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'information.list_%'",
        )
        .await;
        assert_eq!(audited, 5);
    }
);

both_backends!(
    another_citys_ppid_and_bad_input_change_nothing,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let (_, v) = post(&app, &ppid1, p.banjar, entry("berkala", "Laporan keuangan")).await;
        let id = v["id"].as_i64().unwrap();
        let rows = || async {
            crate::support::http::count(&app.db, "SELECT COUNT(*) FROM dip_entries").await
        };
        let plg = app.token_for("plg").await;
        let viewer = app.token_for("pemantau").await;
        assert_eq!(
            post(&app, &plg, p.banjar, entry("berkala", "Palsu"))
                .await
                .0,
            404
        );
        assert_eq!(
            put(&app, &plg, p.banjar, id, entry("berkala", "Palsu"))
                .await
                .0,
            404
        );
        // Its own list's address with Banjar's entry: not found either.
        assert_eq!(
            put(&app, &plg, p.palembang, id, entry("berkala", "Palsu"))
                .await
                .0,
            404
        );
        assert_eq!(
            post(&app, &viewer, p.banjar, entry("berkala", "Palsu"))
                .await
                .0,
            403
        );
        // Not a PPID's list.
        assert_eq!(
            post(&app, &ppid1, p.dinas, entry("berkala", "Palsu"))
                .await
                .0,
            404
        );
        for (body, code) in [
            (entry("kadang", "X"), "bad_category"),
            (entry("berkala", " "), "bad_title"),
            (entry("dikecualikan", "Tanpa dasar"), "exemption_required"),
            (
                json!({"category": "berkala", "title": "Tanpa dasar hukum", "legal_basis": ""}),
                "bad_legal_basis",
            ),
            (
                json!({"category": "berkala", "title": "X", "legal_basis": "UU",
                    "documents": [{"title": "", "reference": "x"}]}),
                "bad_document",
            ),
            (
                json!({"category": "berkala", "title": "X", "legal_basis": "UU",
                    "updated_on": "2999-01-01"}),
                "bad_updated_on",
            ),
        ] {
            let (s, e) = post(&app, &ppid1, p.banjar, body).await;
            assert_eq!((s, e["code"].as_str()), (422, Some(code)), "{e}");
        }
        let mut with_ground = entry("berkala", "X");
        with_ground["exemption"] = json!("a");
        let (s, e) = post(&app, &ppid1, p.banjar, with_ground).await;
        assert_eq!(
            (s, e["code"].as_str()),
            (422, Some("exemption_only_for_exempt"))
        );
        assert_eq!(rows().await, 1);
        assert_eq!(
            list(&app, p.banjar).await["entries"][0]["title"],
            "Laporan keuangan"
        );
        // The staff page: Palembang's officer edits only Palembang's list.
        let plg_web = signed_in(&app, "plg").await;
        let res = plg_web
            .get(app.url(&format!("/informasi/ppid/dip/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        let csrf = app.csrf(&plg_web, "/informasi/ppid/dip").await;
        let res = plg_web
            .post(app.url(&format!("/informasi/ppid/dip/{id}")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("golongan", "berkala"),
                ("judul", "Palsu"),
                ("dasar_hukum", "UU 14/2008"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert_eq!(
            list(&app, p.banjar).await["entries"][0]["title"],
            "Laporan keuangan"
        );
    }
);

both_backends!(
    the_staff_pages_add_and_change_entries_by_post_redirect_get,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let web = signed_in(&app, "ppid1").await;
        let csrf = app.csrf(&web, "/informasi/ppid/dip").await;
        let form = |title: &'static str, basis: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("golongan", "serta_merta".to_string()),
                ("judul", title.to_string()),
                ("dasar_hukum", basis.to_string()),
                (
                    "documents",
                    "Peta jalur evakuasi | https://bpbd.example.test/peta.pdf\nSalinan | ARS/9"
                        .to_string(),
                ),
                ("diperbarui", today().to_string()),
            ]
        };
        let res = web
            .post(app.url("/informasi/ppid/dip"))
            .form(&form("Peringatan dini banjir", ""))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("Dasar hukum wajib diisi"), "{body}");
        let res = web
            .post(app.url("/informasi/ppid/dip"))
            .form(&form("Peringatan dini banjir", "UU 14/2008 Pasal 10"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        for _ in 0..2 {
            let page = html(&app, &web, &to).await;
            assert!(page.contains("Tersimpan.") && page.contains("Peringatan dini banjir"));
        }
        let v = list(&app, p.banjar).await;
        assert_eq!(
            v["entries"].as_array().unwrap().len(),
            1,
            "a reload adds nothing"
        );
        assert_eq!(
            v["entries"][0]["documents"][0]["title"],
            "Peta jalur evakuasi"
        );
        let id = v["entries"][0]["id"].as_i64().unwrap();
        let res = web
            .post(app.url(&format!("/informasi/ppid/dip/{id}")))
            .form(&form(
                "Peringatan dini banjir dan longsor",
                "UU 14/2008 Pasal 10",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let v = list(&app, p.banjar).await;
        assert_eq!(v["entries"].as_array().unwrap().len(), 1);
        assert_eq!(
            v["entries"][0]["title"],
            "Peringatan dini banjir dan longsor"
        );
    }
);

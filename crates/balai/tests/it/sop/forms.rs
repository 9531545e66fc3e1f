//! The officials' pages, without JavaScript: an SOP written, versioned, adopted and reviewed
//! through the forms (a refused form is shown again with its message and what was typed), a
//! session scheduled and its attendance ticked off, the roster's CSV form, and the readiness
//! page and dashboard with their figures, in both languages.

use serde_json::json;

use super::readiness::{palembang_election, seed_roster, vote_session};
use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

/// POST a form as the signed-in `c` (with the CSRF token of `from`); (status, location, body).
async fn form(
    w: &SopWorld,
    c: &reqwest::Client,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let csrf = w.app.csrf(c, from).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let res = c.post(w.app.url(to)).form(&all).send().await.unwrap();
    let status = res.st();
    let location = header(&res, "location");
    (status, location, res.text().await.unwrap())
}

async fn page(w: &SopWorld, c: &reqwest::Client, path: &str) -> String {
    let res = get(&w.app, c, path).await;
    assert_eq!(res.st(), 200, "{path}");
    res.text().await.unwrap()
}

both_backends!(
    sops_are_written_and_adopted_through_the_forms,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let prov = signed_in(&w.app, "prov.admin").await;
        assert!(page(&w, &prov, "/sop").await.contains("href=\"/sop/baru\""));
        // No step: refused, what was typed is kept, nothing stored.
        let (s, _, body) = form(
            &w,
            &prov,
            "/sop/baru",
            "/sop/baru",
            &[
                ("title", "SOP Rekapitulasi Berjenjang"),
                ("region_code", "16"),
                ("steps", "  "),
            ],
        )
        .await;
        assert_eq!(s, 422);
        assert!(body.contains("Prosedur harus memiliki paling sedikit satu langkah."));
        assert!(body.contains("value=\"SOP Rekapitulasi Berjenjang\""));
        assert_eq!(w.count("SELECT COUNT(*) FROM sops").await, 0);
        let (s, location, _) = form(&w, &prov, "/sop/baru", "/sop/baru", &[
        ("title", "SOP Rekapitulasi Berjenjang"), ("region_code", "16"),
        ("purpose", "Rekapitulasi tepat waktu"),
        ("steps", "PPK | Rekap tingkat kecamatan | 2 hari | D.Hasil Kecamatan\nKPU Kabupaten/Kota | Rekap tingkat kota"),
    ]).await;
        assert_eq!(s, 303);
        let id: i64 = location.trim_start_matches("/sop/").parse().unwrap();
        let (_, v) = w.get_public(&format!("/api/v1/sops/{id}")).await;
        assert_eq!(
            actions(&v),
            ["Rekap tingkat kecamatan", "Rekap tingkat kota"]
        );
        assert_eq!(v["steps"][0]["output"], "D.Hasil Kecamatan");

        // A major version without a note is refused; with one it is published.
        let new = format!("/sop/{id}/versi");
        let shown = page(&w, &prov, &new).await;
        assert!(shown.contains("PPK | Rekap tingkat kecamatan | 2 hari | D.Hasil Kecamatan"));
        let steps = "PPK | Rekap tingkat kecamatan\nKPU Kabupaten/Kota | Rekap tingkat kota\nKPU Provinsi | Rekap tingkat provinsi";
        let (s, _, body) = form(&w, &prov, &new, &new, &[("steps", steps), ("major", "1")]).await;
        assert_eq!(s, 422);
        assert!(body.contains("wajib disertai catatan perubahan"));
        let (s, location, _) = form(
            &w,
            &prov,
            &new,
            &new,
            &[
                ("steps", steps),
                ("major", "1"),
                ("change_note", "Rekap provinsi"),
            ],
        )
        .await;
        assert_eq!(
            (s, location.as_str()),
            (303, format!("/sop/{id}?version=2").as_str())
        );

        // Palembang adopts it from the SOP's page, then reviews after a major version.
        let plg = signed_in(&w.app, "plg.admin").await;
        let shown = page(&w, &plg, &format!("/sop/{id}")).await;
        assert!(shown.contains(&format!("action=\"/sop/{id}/adopsi\"")));
        assert!(!shown.contains(&format!("href=\"/sop/{id}/versi\"")));
        let (s, location, _) = form(
            &w,
            &plg,
            &format!("/sop/{id}"),
            &format!("/sop/{id}/adopsi"),
            &[("region_code", "16.71")],
        )
        .await;
        assert_eq!(s, 303);
        let adoption: i64 = location.trim_start_matches("/sop/").parse().unwrap();
        let (s, _, _) = form(
            &w,
            &prov,
            &new,
            &new,
            &[
                ("steps", "KPU Provinsi | Rekap tingkat provinsi"),
                ("major", "1"),
                ("change_note", "Disederhanakan"),
            ],
        )
        .await;
        assert_eq!(s, 303);
        let shown = page(&w, &plg, &format!("/sop/{adoption}?lang=en")).await;
        assert!(shown.contains(&format!("action=\"/sop/{adoption}/tinjau\"")));
        assert!(shown.contains("Review note") && shown.contains("Review needed"));
        let (s, _, _) = form(
            &w,
            &plg,
            &format!("/sop/{adoption}"),
            &format!("/sop/{adoption}/tinjau"),
            &[("note", "Sudah dibaca"), ("keep_overrides", "1")],
        )
        .await;
        assert_eq!(s, 303);
        let (_, v) = w.get_public(&format!("/api/v1/sops/{adoption}")).await;
        assert_eq!(
            (
                v["review_needed"].as_bool(),
                v["parent"]["adopted_version"].as_i64()
            ),
            (Some(false), Some(3))
        );
        // Another city's KPU may not review Palembang's adoption: nothing changes.
        let pbm = signed_in(&w.app, "pbm.admin").await;
        let (s, _, _) = form(
            &w,
            &pbm,
            &format!("/sop/{id}"),
            &format!("/sop/{adoption}/tinjau"),
            &[("note", "Bukan milik kami")],
        )
        .await;
        assert_eq!(s, 403);
        assert_eq!(w.count("SELECT COUNT(*) FROM sop_versions").await, 3 + 2);
    }
);

both_backends!(training_pages_show_readiness, |b: Backend| async move {
    let w = sop_world(b).await;
    palembang_election(&w).await;
    let roster = seed_roster(&w).await;
    let session = vote_session(&w, "2030-06-01").await;
    let plg = signed_in(&w.app, "plg.officer").await;
    let shown = page(&w, &plg, &format!("/kesiapan/pelatihan/{session}")).await;
    assert!(shown.contains("Bimtek pemungutan suara") && shown.contains("name=\"o\""));
    // Tick two PPK of district A.
    let ids: Vec<i64> = balai_core::with_db!(&w.app.db, |c| sqlx::query_scalar(
        "SELECT id FROM officers WHERE body = 'ppk' AND region_code = $1 ORDER BY name LIMIT 2"
    )
    .bind(&roster.a)
    .fetch_all(c)
    .await)
    .unwrap();
    let (a, b2) = (ids[0].to_string(), ids[1].to_string());
    let (s, _, _) = form(
        &w,
        &plg,
        &format!("/kesiapan/pelatihan/{session}"),
        &format!("/kesiapan/pelatihan/{session}/hadir"),
        &[("o", &a), ("o", &b2)],
    )
    .await;
    assert_eq!(s, 303);
    assert_eq!(w.count("SELECT COUNT(*) FROM training_attendance").await, 2);

    let shown = page(&w, &plg, "/kesiapan?region=16.71&on=2030-06-05").await;
    assert!(shown.contains("Pemungutan suara") && shown.contains("10 Juni 2030"));
    assert!(shown.contains("14,29%"), "2 of 14");
    assert!(shown.contains("Di bawah ambang"));
    assert!(shown.contains("Belum ada bimbingan teknis yang dijadwalkan untuk tahapan ini."));
    let en = page(&w, &plg, "/kesiapan?region=16.71&on=2030-06-05&lang=en").await;
    assert!(
        en.contains("Below the threshold") && en.contains("10 June 2030") && en.contains("14.29%")
    );
    assert!(!en.contains("Di bawah ambang"));
    // The dashboard names the next stage that sessions prepare (today: far ahead, not red).
    let dash = page(&w, &plg, "/dashboard?lang=id").await;
    assert!(
        dash.contains("Pemungutan suara: mulai 10 Juni 2030 · 0,00% terlatih"),
        "{dash}"
    );
    assert!(!dash.contains("di bawah ambang"));

    // The roster's CSV form: a wrong level is refused with the CSV kept; a good one adds.
    let admin = signed_in(&w.app, "plg.admin").await;
    let bad = format!(
        "body,region_code,name\nppk,{}.1001,Salah Tingkat\n",
        roster.a
    );
    let (s, _, body) = form(
        &w,
        &admin,
        "/kesiapan/petugas",
        "/kesiapan/petugas",
        &[("region", "16.71"), ("csv", &bad)],
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        body.contains("bertugas di wilayah tingkat kecamatan") && body.contains("Salah Tingkat")
    );
    let good = format!("body,region_code,name\nppk,{},Baru\n", roster.a);
    let (s, location, _) = form(
        &w,
        &admin,
        "/kesiapan/petugas",
        "/kesiapan/petugas",
        &[("region", "16.71"), ("csv", &good)],
    )
    .await;
    assert_eq!(
        (s, location.as_str()),
        (303, "/kesiapan/petugas?region=16.71&added=1")
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM officers").await, 17);

    // A session scheduled through the form.
    let (s, location, _) = form(
        &w,
        &admin,
        "/kesiapan/pelatihan",
        "/kesiapan/pelatihan",
        &[
            ("region_code", "16.71"),
            ("topic", "Bimtek rekapitulasi"),
            ("stage_kind", "rekapitulasi"),
            ("body_ppk", "1"),
            ("application", "Sirekap"),
            ("trainers", "Divisi Teknis"),
            ("held_on", "2030-06-08"),
        ],
    )
    .await;
    assert_eq!(s, 303, "{location}");
    let (_, v) = status_json(
        api(
            &w.app,
            "GET",
            w.token("plg.admin"),
            "/api/v1/trainings?region_code=16.71",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(v[0]["bodies"], json!(["ppk"]));
    assert_eq!(v[0]["stage_kind"], "rekapitulasi");
});

//! The pages, without JavaScript, in both languages: the list, an adoption with its overrides
//! and review banner, the SOP at a date, the diff of two versions and the drift table.

use serde_json::json;
use time::macros::datetime;

use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

async fn html(w: &SopWorld, path: &str) -> String {
    let c = reqwest::Client::new();
    let res = get(&w.app, &c, path).await;
    assert_eq!(res.st(), 200, "{path}");
    res.text().await.unwrap()
}

both_backends!(pages_in_both_languages, |b: Backend| async move {
    let w = sop_world(b).await;
    let (prov, plg) = adopted_with(
        &w,
        json!({ "kind": "replace", "step": 2,
        "reason": "Akses sungai", "replacement": step("PPK", "Periksa logistik di dermaga") }),
    )
    .await;
    let steps = steps_with(1, step("PPK", "Periksa dan segel logistik"));
    w.act(
        "prov.admin",
        prov,
        "versions",
        json!({ "steps": steps, "major": true, "change_note": "Segel wajib" }),
        201,
    )
    .await;
    balai_core::with_db!(&w.app.db, |c| sqlx::query(
        "UPDATE sop_versions SET published_at = $1 WHERE sop_id = $2 AND version = 1"
    )
    .bind(datetime!(2026-01-10 03:00 UTC))
    .bind(prov)
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();

    let list = html(&w, "/sop").await;
    assert!(list.contains("SOP Distribusi Logistik Pemungutan Suara"));
    assert!(list.contains("Perlu ditinjau"));
    assert!(html(&w, "/sop?lang=en").await.contains("Review needed"));

    let page = html(&w, &format!("/sop/{plg}")).await;
    assert!(page.contains("Periksa logistik di dermaga"));
    assert!(page.contains("Mengganti langkah 2 SOP induk"));
    assert!(page.contains("Akses sungai"));
    assert!(page.contains("Perlu ditinjau"));
    assert!(page.contains(&format!("/sop/{prov}/diff?from=1&amp;to=2")));
    assert!(!page.contains("Review needed"));
    let en = html(&w, &format!("/sop/{plg}?lang=en")).await;
    assert!(en.contains("Replaces step 2 of the parent SOP"));
    assert!(en.contains("Review needed"));
    assert!(!en.contains("Perlu ditinjau"));

    let then = html(&w, &format!("/sop/{prov}?at=2026-02-01")).await;
    assert!(then.contains("Versi yang berlaku pada 1 Februari 2026"));
    assert!(then.contains("diterbitkan 10 Januari 2026"));
    assert!(then.contains("Periksa kelengkapan logistik"));
    assert!(!then.contains("Periksa dan segel logistik"));
    assert!(html(&w, &format!("/sop/{prov}?at=2026-02-01&lang=en"))
        .await
        .contains("The version in force on 1 February 2026"));

    let diff = html(&w, &format!("/sop/{prov}/diff?from=1&to=2")).await;
    assert!(diff.contains("Sama: 2 · Diubah: 1 · Dihapus: 0 · Ditambahkan: 0"));
    assert!(diff.contains("diff-row diff-changed"));
    assert!(
        diff.contains("Periksa kelengkapan logistik")
            && diff.contains("Periksa dan segel logistik")
    );
    assert!(html(&w, &format!("/sop/{prov}/diff?from=1&to=2&lang=en"))
        .await
        .contains("Same: 2 · Changed: 1 · Removed: 0 · Added: 0"));

    let drift = html(&w, &format!("/sop/{prov}/drift")).await;
    assert!(drift.contains("Kota Palembang"));
    assert!(drift.contains("Belum mengadopsi"));
    assert!(drift.contains("Mengadopsi: 1 / "));
    assert!(html(&w, &format!("/sop/{prov}/drift?lang=en"))
        .await
        .contains("Not adopted"));
    // An adoption's table is its own row of the province's, with a link to the whole table.
    let own = html(&w, &format!("/sop/{plg}/drift")).await;
    assert!(own.contains("Kota Palembang"));
    assert!(own.contains(&format!("href=\"/sop/{prov}/drift\"")));
    assert!(!own.contains("Belum mengadopsi"));
});

both_backends!(
    every_sop_has_a_drift_table_and_a_draft_s_is_its_owner_s,
    |b: Backend| async move {
        let w = sop_world(b).await;
        // A city's own SOP: nothing below adopts it, so its table is empty, not missing.
        let mut own = province_sop();
        own["region_code"] = json!("16.71");
        let own = w.post_ok("plg.admin", "/api/v1/sops", own, 201).await["id"]
            .as_i64()
            .unwrap();
        let (s, t) = w.get_public(&format!("/api/v1/sops/{own}/drift")).await;
        assert_eq!(
            (s, &t["scope"], &t["rows"], &t["current_version"]),
            (200, &json!("own"), &json!([]), &json!(1))
        );
        assert!(html(&w, &format!("/sop/{own}/drift"))
            .await
            .contains("tidak ada wilayah di bawahnya yang mengadopsinya"));
        // A draft's table, like the draft, is its owner's only.
        let mut draft = province_sop();
        draft["draft"] = json!(true);
        let d = w.post_ok("prov.admin", "/api/v1/sops", draft, 201).await["id"]
            .as_i64()
            .unwrap();
        let path = format!("/api/v1/sops/{d}/drift");
        assert_eq!(w.get_public(&path).await.0, 404);
        let (s, t) = status_json(api(&w.app, "GET", w.token("plg.admin"), &path, None).await).await;
        assert_eq!(s, 404, "another agency's official: {t}");
        let (s, t) =
            status_json(api(&w.app, "GET", w.token("prov.admin"), &path, None).await).await;
        assert_eq!(
            (s, &t["scope"], &t["current_version"]),
            (200, &json!("province"), &json!(0))
        );
    }
);

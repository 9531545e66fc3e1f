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
    // An adoption has no drift table of its own.
    let c = reqwest::Client::new();
    assert_eq!(
        get(&w.app, &c, &format!("/sop/{plg}/drift")).await.st(),
        404
    );
});

//! A province SOP through its life: two cities adopt it, one overrides steps (each with a
//! reason); a minor version flows into the adoptions, a major one marks them "review needed"
//! and emails the adopting KPU's admins; each city accepts the new version, keeping or
//! dropping its overrides; the drift table shows where each city stands.

use serde_json::{json, Value};

use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

async fn public(w: &SopWorld, id: i64) -> Value {
    let (s, v) = w.get_public(&format!("/api/v1/sops/{id}")).await;
    assert_eq!(s, 200, "{v}");
    v
}

fn overrides() -> Value {
    json!({
        "change_note": "Penyesuaian wilayah perairan",
        "overrides": [
            { "kind": "replace", "step": 2, "reason": "Sebagian PPK hanya terjangkau lewat sungai",
              "replacement": step("PPK", "Periksa logistik di dermaga") },
            { "kind": "add", "step": 3, "reason": "Cuaca di perairan Musi",
              "replacement": step("KPPS", "Simpan logistik di tempat kering") },
        ],
    })
}

both_backends!(
    adoptions_follow_minor_versions_and_review_major_ones,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let prov = create_province_sop(&w).await;
        let v = public(&w, prov).await;
        assert_eq!(v["version"], 1);
        assert_eq!(v["parent"], Value::Null);
        assert_eq!(v["review_needed"], false);
        assert_eq!(
            actions(&v),
            [
                "Kirim logistik ke PPK",
                "Periksa kelengkapan logistik",
                "Serahkan logistik ke KPPS"
            ]
        );

        let plg = adopt(&w, "plg.admin", prov, "16.71").await;
        let pbm = adopt(&w, "pbm.admin", prov, "16.74").await;
        let v = w.act("plg.admin", plg, "overrides", overrides(), 201).await;
        assert_eq!(v["version"], 2);
        let v = public(&w, plg).await;
        assert_eq!(v["version"], 2);
        assert_eq!(
            v["parent"],
            json!({ "id": prov, "title": "SOP Distribusi Logistik Pemungutan Suara",
                "region_name": "Sumatera Selatan", "adopted_version": 1, "shown_version": 1,
                "current_version": 1 })
        );
        assert_eq!(
            actions(&v),
            [
                "Kirim logistik ke PPK",
                "Periksa logistik di dermaga",
                "Serahkan logistik ke KPPS",
                "Simpan logistik di tempat kering"
            ]
        );
        assert_eq!(v["steps"][1]["source"]["from"], "replaced");
        assert_eq!(
            v["steps"][1]["source"]["reason"],
            "Sebagian PPK hanya terjangkau lewat sungai"
        );
        assert_eq!(
            v["steps"][3]["source"],
            json!({ "from": "added", "after": 3,
            "reason": "Cuaca di perairan Musi" })
        );

        // A minor version: the adoptions show it at once, nobody is asked to review.
        let mut steps = province_sop()["steps"].clone();
        steps[0] = step(
            "KPU Kabupaten/Kota",
            "Kirim logistik ke PPK dengan pengawalan",
        );
        let v = w
            .act(
                "prov.spv",
                prov,
                "versions",
                json!({ "steps": steps, "major": false }),
                201,
            )
            .await;
        assert_eq!(v["version"], 2);
        let v = public(&w, plg).await;
        assert_eq!(v["review_needed"], false);
        assert_eq!(v["parent"]["adopted_version"], 1);
        assert_eq!(v["parent"]["shown_version"], 2);
        assert_eq!(v["parent"]["current_version"], 2);
        assert_eq!(actions(&v)[0], "Kirim logistik ke PPK dengan pengawalan");
        assert_eq!(actions(&v)[1], "Periksa logistik di dermaga");
        assert_eq!(w.count("SELECT COUNT(*) FROM notifications").await, 0);

        // A major version: both adoptions need review, Palembang's admin gets an email
        // (Prabumulih's has no address), the adoptions keep showing version 2.
        let mut major = steps.clone();
        major
            .as_array_mut()
            .unwrap()
            .push(step("KPPS", "Tanda tangani berita acara penerimaan"));
        let v = w
            .act(
                "prov.admin",
                prov,
                "versions",
                json!({ "steps": major, "major": true,
                    "change_note": "Berita acara penerimaan oleh KPPS" }),
                201,
            )
            .await;
        assert_eq!(v["version"], 3);
        for id in [plg, pbm] {
            let v = public(&w, id).await;
            assert_eq!(v["review_needed"], true, "{id}");
            assert_eq!(v["parent"]["shown_version"], 2);
            assert_eq!(v["parent"]["current_version"], 3);
        }
        assert_eq!(
            w.count("SELECT COUNT(*) FROM notifications WHERE recipient = 'admin@kpu-palembang.example'
                 AND subject LIKE 'SOP perlu ditinjau%' AND body LIKE '%Berita acara penerimaan oleh KPPS%'").await,
            1
        );
        assert_eq!(w.count("SELECT COUNT(*) FROM notifications").await, 1);
        assert_eq!(
            w.count("SELECT COUNT(*) FROM audit_events WHERE action = 'sop.review_needed'")
                .await,
            2
        );

        // The drift table, as the province sees it (public).
        let (s, d) = w.get_public(&format!("/api/v1/sops/{prov}/drift")).await;
        assert_eq!(s, 200);
        assert_eq!(d["current_version"], 3);
        let regencies = w
            .count("SELECT COUNT(*) FROM regions WHERE parent_code = '16'")
            .await;
        let rows = d["rows"].as_array().unwrap();
        assert_eq!(rows.len() as i64, regencies);
        let row = |code: &str| {
            rows.iter()
                .find(|r| r["region_code"] == code)
                .unwrap()
                .clone()
        };
        let p = row("16.71");
        assert_eq!(
            (
                p["adoption_id"].as_i64(),
                p["adopted_version"].as_i64(),
                p["shown_version"].as_i64(),
                p["overrides"].as_i64(),
                p["review_needed"].as_bool()
            ),
            (Some(plg), Some(1), Some(2), Some(2), Some(true))
        );
        assert_eq!(row("16.74")["overrides"], 0);
        assert_eq!(
            rows.iter().filter(|r| r["adoption_id"].is_null()).count() as i64,
            regencies - 2
        );
        assert_eq!(d["scope"], "province");
        // Palembang's own table is its row of the province's, and names the province SOP.
        let (s, mine) = w.get_public(&format!("/api/v1/sops/{plg}/drift")).await;
        assert_eq!(s, 200);
        assert_eq!(
            (
                &mine["scope"],
                mine["parent_id"].as_i64(),
                &mine["current_version"]
            ),
            (&json!("adoption"), Some(prov), &json!(3))
        );
        assert_eq!(mine["rows"], json!([p]));

        // Palembang accepts version 3 and keeps its overrides; Prabumulih accepts it plainly.
        let v = w
            .act(
                "plg.admin",
                plg,
                "review",
                json!({ "note": "Diperiksa dalam rapat pleno", "keep_overrides": true }),
                201,
            )
            .await;
        assert_eq!(v["version"], 3);
        let v = public(&w, plg).await;
        assert_eq!(v["review_needed"], false);
        assert_eq!(v["parent"]["adopted_version"], 3);
        assert_eq!(v["parent"]["shown_version"], 3);
        assert_eq!(actions(&v).len(), 5);
        assert_eq!(actions(&v)[4], "Tanda tangani berita acara penerimaan");
        assert_eq!(v["change_note"], "Diperiksa dalam rapat pleno");
        w.act("pbm.admin", pbm, "review", json!({ "note": "Sesuai" }), 201)
            .await;
        assert_eq!(public(&w, pbm).await["review_needed"], false);

        // Version 4 drops to two steps: Palembang's added step no longer fits. Keeping the
        // overrides is refused with nothing stored; dropping them is accepted.
        let two = json!([
            step("KPU Kabupaten/Kota", "Kirim logistik ke PPS"),
            step("PPS", "Serahkan logistik ke KPPS")
        ]);
        w.act(
            "prov.admin",
            prov,
            "versions",
            json!({ "steps": two, "major": true, "change_note": "PPK tidak lagi memeriksa" }),
            201,
        )
        .await;
        assert_eq!(public(&w, plg).await["review_needed"], true);
        let before = w.count("SELECT COUNT(*) FROM sop_versions").await;
        let (s, e) = status_json(
            w.post(
                "plg.admin",
                &format!("/api/v1/sops/{plg}/review"),
                json!({ "note": "Coba pertahankan", "keep_overrides": true }),
            )
            .await,
        )
        .await;
        assert_eq!((s, code(&e)), (422, "override_no_longer_fits"), "{e}");
        assert_eq!(w.count("SELECT COUNT(*) FROM sop_versions").await, before);
        assert_eq!(public(&w, plg).await["review_needed"], true);
        w.act(
            "plg.admin",
            plg,
            "review",
            json!({ "note": "Penyesuaian dihapus", "keep_overrides": false }),
            201,
        )
        .await;
        let v = public(&w, plg).await;
        assert_eq!(
            actions(&v),
            ["Kirim logistik ke PPS", "Serahkan logistik ke KPPS"]
        );
        assert_eq!(v["overrides"], json!([]));
        assert_eq!(v["review_needed"], false);
        // Every version stays readable.
        let (s, old) = w.get_public(&format!("/api/v1/sops/{plg}?version=2")).await;
        assert_eq!(s, 200);
        assert_eq!(actions(&old)[1], "Periksa logistik di dermaga");
    }
);

both_backends!(
    a_draft_is_published_later_and_marks_adoptions_then,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let prov = create_province_sop(&w).await;
        let plg = adopt(&w, "plg.admin", prov, "16.71").await;
        let v = w
            .act(
                "prov.admin",
                prov,
                "versions",
                json!({ "steps": [step("PPS", "Serahkan logistik")], "major": true,
                    "change_note": "Disederhanakan", "draft": true }),
                201,
            )
            .await;
        assert_eq!(v["version"], 2);
        // The public still sees version 1; the adoption is not marked yet.
        assert_eq!(public(&w, prov).await["version"], 1);
        assert_eq!(public(&w, plg).await["review_needed"], false);
        // A second version waits for the draft.
        let (s, e) = status_json(
            w.post(
                "prov.admin",
                &format!("/api/v1/sops/{prov}/versions"),
                json!({ "steps": [step("PPS", "x")] }),
            )
            .await,
        )
        .await;
        assert_eq!((s, code(&e)), (409, "draft_pending"));
        let v = w.act("prov.admin", prov, "publish", json!({}), 200).await;
        assert_eq!(v["version"], 2);
        assert_eq!(public(&w, prov).await["version"], 2);
        assert_eq!(public(&w, plg).await["review_needed"], true);
        let (s, e) = status_json(
            w.post(
                "prov.admin",
                &format!("/api/v1/sops/{prov}/publish"),
                json!({}),
            )
            .await,
        )
        .await;
        assert_eq!((s, code(&e)), (409, "no_draft"));
    }
);

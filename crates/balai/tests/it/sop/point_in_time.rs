//! The procedure at a date: the version in force that day, and for an adoption the parent
//! version it showed then (minor versions flow in on the day they are published).

use balai_core::with_db;
use serde_json::json;
use time::macros::datetime;
use time::OffsetDateTime;

use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

/// Move the publication of version `v` of SOP `id` to `at`.
async fn published_at(w: &SopWorld, id: i64, v: i64, at: OffsetDateTime) {
    let n = with_db!(&w.app.db, |c| sqlx::query(
        "UPDATE sop_versions SET published_at = $1, created_at = $1 WHERE sop_id = $2 AND version = $3"
    )
    .bind(at)
    .bind(id)
    .bind(v)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
    assert_eq!(n, 1);
}

both_backends!(
    the_sop_and_its_adoption_at_any_date,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let (prov, plg) = adopted_with(
            &w,
            json!({ "kind": "add", "step": 0,
            "reason": "Rapat koordinasi",
            "replacement": step("KPU Kota", "Rapat koordinasi distribusi") }),
        )
        .await;
        let steps = steps_with(
            2,
            step("PPS", "Serahkan logistik ke KPPS sehari sebelum pemungutan"),
        );
        w.act(
            "prov.admin",
            prov,
            "versions",
            json!({ "steps": steps }),
            201,
        )
        .await;
        // 17.30 UTC on 9 January is 00.30 WIB on 10 January: the day is Palembang's.
        published_at(&w, prov, 1, datetime!(2026-01-09 17:30 UTC)).await;
        published_at(&w, plg, 1, datetime!(2026-01-15 03:00 UTC)).await;
        published_at(&w, plg, 2, datetime!(2026-02-01 03:00 UTC)).await;
        published_at(&w, prov, 2, datetime!(2026-03-01 03:00 UTC)).await;

        let at = |id: i64, day: &str| {
            let path = format!("/api/v1/sops/{id}?at={day}");
            let w = &w;
            async move { w.get_public(&path).await }
        };
        let (s, e) = at(prov, "2026-01-09").await;
        assert_eq!((s, code(&e)), (404, "not_yet_in_force"));
        let (_, v) = at(prov, "2026-01-10").await;
        assert_eq!(v["version"], 1);
        assert_eq!(v["versions"].as_array().unwrap().len(), 2);
        let (_, v) = at(prov, "2026-03-01").await;
        assert_eq!(v["version"], 2);

        let (s, _) = at(plg, "2026-01-14").await;
        assert_eq!(s, 404);
        let (_, v) = at(plg, "2026-01-20").await;
        assert_eq!(
            (v["version"].as_i64(), v["parent"]["shown_version"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(actions(&v).len(), 3);
        let (_, v) = at(plg, "2026-02-10").await;
        assert_eq!(
            (v["version"].as_i64(), v["parent"]["shown_version"].as_i64()),
            (Some(2), Some(1))
        );
        assert_eq!(actions(&v)[0], "Rapat koordinasi distribusi");
        assert_eq!(actions(&v)[3], "Serahkan logistik ke KPPS");
        let (_, v) = at(plg, "2026-03-02").await;
        assert_eq!(
            (v["version"].as_i64(), v["parent"]["shown_version"].as_i64()),
            (Some(2), Some(2))
        );
        assert_eq!(
            actions(&v)[3],
            "Serahkan logistik ke KPPS sehari sebelum pemungutan"
        );

        let (s, e) = at(prov, "2026-13-01").await;
        assert_eq!((s, code(&e)), (422, "bad_date"));
    }
);

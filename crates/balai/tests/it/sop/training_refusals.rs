//! Training and readiness refused: who may read and write where (a city writes only its own
//! roster and sessions, its province reads them, another city or another agency does not),
//! and bad input (422 with a code, nothing stored).

use serde_json::{json, Value};

use super::readiness::{palembang_election, seed_roster, vote_session};
use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

async fn call(
    w: &SopWorld,
    user: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    status_json(api(&w.app, method, w.token(user), path, body).await).await
}

both_backends!(
    training_is_scoped_to_the_kpu_and_its_province,
    |b: Backend| async move {
        let w = sop_world(b).await;
        palembang_election(&w).await;
        let roster = seed_roster(&w).await;
        let session = vote_session(&w, "2030-06-01").await;
        let readiness = "/api/v1/readiness?region_code=16.71";
        for (user, want) in [
            ("plg.officer", 200),
            ("prov.viewer", 200),
            ("root", 200),
            ("pbm.admin", 403),
            ("banjar.admin", 403),
            ("bawaslu.admin", 403),
        ] {
            let (s, v) = call(&w, user, "GET", readiness, None).await;
            assert_eq!(s, want, "{user}: {v}");
        }
        let (s, _) = w.get_public(readiness).await;
        assert_eq!(s, 401);

        // Another city's KPU does not learn the session exists; the province's sees it but does
        // not record its attendance; the city's officer records it, but schedules no session.
        let path = format!("/api/v1/trainings/{session}/attendance");
        let body = json!({ "officer_ids": [] });
        assert_eq!(
            call(&w, "pbm.admin", "PUT", &path, Some(body.clone()))
                .await
                .0,
            404
        );
        assert_eq!(
            call(
                &w,
                "pbm.admin",
                "GET",
                &format!("/api/v1/trainings/{session}"),
                None
            )
            .await
            .0,
            404
        );
        let (s, v) = call(&w, "prov.officer", "PUT", &path, Some(body.clone())).await;
        assert_eq!((s, code(&v)), (403, "forbidden"));
        assert_eq!(
            call(&w, "plg.officer", "PUT", &path, Some(body)).await.0,
            200
        );
        let new = json!({ "topic": "Bimtek", "region_code": "16.71", "stage_kind": "rekapitulasi",
        "application": "Sirekap", "trainers": "Divisi Teknis", "held_on": "2030-06-02" });
        assert_eq!(
            call(
                &w,
                "plg.officer",
                "POST",
                "/api/v1/trainings",
                Some(new.clone())
            )
            .await
            .0,
            403
        );
        // Sessions and rosters are for the official's own region.
        let (s, v) = call(
            &w,
            "prov.admin",
            "POST",
            "/api/v1/trainings",
            Some(new.clone()),
        )
        .await;
        assert_eq!((s, code(&v)), (403, "not_own_region"));
        assert_eq!(
            call(
                &w,
                "pbm.admin",
                "POST",
                "/api/v1/trainings",
                Some(new.clone())
            )
            .await
            .0,
            403
        );
        let officer = json!({ "region_code": "16.71",
        "officers": [{ "body": "ppk", "region_code": roster.a, "name": "Penyusup" }] });
        assert_eq!(
            call(
                &w,
                "pbm.admin",
                "POST",
                "/api/v1/readiness/officers",
                Some(officer)
            )
            .await
            .0,
            403
        );
        // The province lists the sessions under it.
        let (s, v) = call(
            &w,
            "prov.viewer",
            "GET",
            "/api/v1/trainings?region_code=16",
            None,
        )
        .await;
        assert_eq!((s, v.as_array().map(Vec::len)), (200, Some(1)));
        assert_eq!(w.count("SELECT COUNT(*) FROM trainings").await, 1);
        assert_eq!(w.count("SELECT COUNT(*) FROM officers").await, 16);
    }
);

both_backends!(
    bad_training_input_is_refused_and_nothing_changes,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let roster = seed_roster(&w).await;
        let session = vote_session(&w, "2030-06-01").await;
        let base = json!({ "topic": "Bimtek", "region_code": "16.71", "stage_kind": "rekapitulasi",
        "application": "Sirekap", "trainers": "Divisi Teknis", "held_on": "2030-06-02" });
        let with = |k: &str, v: Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        let mut none = base.clone();
        none["application"] = json!("");
        for (body, want) in [
            (none, "coverage_required"),
            (with("sop_id", json!(999_999)), "unknown_sop"),
            (with("held_on", json!("2030-02-30")), "bad_date"),
            (with("topic", json!("   ")), "bad_topic"),
            (with("trainers", json!("")), "bad_trainers"),
            (with("region_code", json!("16.71.01")), "not_regency"),
        ] {
            let (s, v) = call(&w, "plg.admin", "POST", "/api/v1/trainings", Some(body)).await;
            assert_eq!((s, code(&v)), (422, want), "{v}");
        }
        let (s, _) = call(
            &w,
            "plg.admin",
            "POST",
            "/api/v1/trainings",
            Some(with("stage_kind", json!("sosialisasi"))),
        )
        .await;
        assert_eq!(s, 422);
        // The province's published SOP may be named.
        let prov = create_province_sop(&w).await;
        let (s, v) = call(
            &w,
            "plg.admin",
            "POST",
            "/api/v1/trainings",
            Some(with("sop_id", json!(prov))),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(w.count("SELECT COUNT(*) FROM trainings").await, 2);

        let officers = |o: Value| json!({ "region_code": "16.71", "officers": [o] });
        for (body, want) in [
            (
                officers(json!({ "body": "ppk", "region_code": "16.74.01", "name": "A" })),
                "region_outside_roster",
            ),
            (
                officers(
                    json!({ "body": "ppk", "region_code": format!("{}.1001", roster.a), "name": "A" }),
                ),
                "wrong_level",
            ),
            (
                officers(json!({ "body": "kpps", "region_code": roster.a, "name": "A" })),
                "wrong_level",
            ),
            (
                officers(json!({ "body": "pps", "region_code": "16.71.99.9999", "name": "A" })),
                "bad_region_code",
            ),
            (
                officers(json!({ "body": "staff", "region_code": "16.71", "name": " " })),
                "bad_name",
            ),
            (
                json!({ "region_code": "16.71", "officers": [] }),
                "bad_batch_size",
            ),
            (
                json!({ "region_code": "16", "officers": [{ "body": "staff", "region_code": "16", "name": "A" }] }),
                "not_regency",
            ),
        ] {
            let (s, v) = call(
                &w,
                "plg.admin",
                "POST",
                "/api/v1/readiness/officers",
                Some(body),
            )
            .await;
            assert_eq!((s, code(&v)), (422, want), "{v}");
        }
        assert_eq!(w.count("SELECT COUNT(*) FROM officers").await, 16);

        // Prabumulih's officer is not on Palembang's roster.
        call(&w, "pbm.admin", "POST", "/api/v1/readiness/officers",
        Some(json!({ "region_code": "16.74", "officers": [{ "body": "staff", "region_code": "16.74", "name": "Orang Prabumulih" }] }))).await;
        let other: i64 = balai_core::with_db!(&w.app.db, |c| sqlx::query_scalar(
            "SELECT id FROM officers WHERE region_code = '16.74'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        let path = format!("/api/v1/trainings/{session}/attendance");
        let (s, v) = call(
            &w,
            "plg.admin",
            "PUT",
            &path,
            Some(json!({ "officer_ids": [other] })),
        )
        .await;
        assert_eq!((s, code(&v)), (422, "unknown_officer"));
        let import = |csv: &'static str| {
            reqwest::Client::new()
                .post(w.app.url(&format!("{path}/import")))
                .bearer_auth(w.token("plg.admin"))
                .header("content-type", "text/csv")
                .body(csv)
                .send()
        };
        let (s, v) = status_json(
            import("body,region_code,name\nstaff,16.71,STAFF 16.71 0\nstaff,16.71,Tidak Ada\n")
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((s, code(&v)), (422, "unknown_officer"), "{v}");
        let (s, v) = status_json(import("nama,wilayah\nA,16.71\n").await.unwrap()).await;
        assert_eq!((s, code(&v)), (422, "bad_csv"), "{v}");
        assert_eq!(w.count("SELECT COUNT(*) FROM training_attendance").await, 0);
        let (s, _) = call(
            &w,
            "plg.admin",
            "GET",
            "/api/v1/readiness?region_code=16.71&on=2030-13-01",
            None,
        )
        .await;
        assert_eq!(s, 422);
        let (s, v) = call(
            &w,
            "plg.admin",
            "GET",
            "/api/v1/readiness?region_code=16",
            None,
        )
        .await;
        assert_eq!((s, code(&v)), (422, "not_regency"));
    }
);

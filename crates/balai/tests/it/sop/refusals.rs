//! What is refused, with nothing stored: bad input (no steps, adopting a draft, adopting into
//! a region outside the province, a major version without a note, an override without a
//! reason), and scoping (a regency edits only its own adoption, the province does not edit a
//! regency's, roles without the right are refused) — the role table of `docs/ROLES.md`.

use balai_core::with_db;
use serde_json::{json, Value};

use crate::support::http::*;
use crate::support::worlds::sop::*;
use crate::support::Backend;

/// Everything the feature writes, and the audit trail and outbox.
async fn state(w: &SopWorld) -> Vec<String> {
    let mut out = Vec::new();
    for t in ["sops", "sop_versions", "audit_events", "notifications"] {
        out.push(format!(
            "{t}: {}",
            w.count(&format!("SELECT COUNT(*) FROM {t}")).await
        ));
    }
    let flags: Vec<String> = with_db!(&w.app.db, |c| sqlx::query_scalar(
        "SELECT CAST(id AS TEXT) || ':' || CASE WHEN review_needed THEN 'r' ELSE '-' END FROM sops ORDER BY id"
    )
    .fetch_all(c)
    .await)
    .unwrap();
    out.push(flags.join(","));
    out
}

/// One refused request: who sends what where, and the status and code it must get.
type Case<'a> = (&'a str, String, Value, u16, &'a str);

/// Each case must be answered as it says, with nothing changed.
async fn refused(w: &SopWorld, cases: Vec<Case<'_>>) {
    for (user, path, body, status, want) in cases {
        let before = state(w).await;
        let (s, e) = status_json(w.post(user, &path, body).await).await;
        assert_eq!((s, code(&e)), (status, want), "{user} {path}: {e}");
        assert_eq!(state(w).await, before, "{user} {path} changed the database");
    }
}

fn with(mut v: Value, field: &str, value: Value) -> Value {
    v[field] = value;
    v
}

fn one_step() -> Value {
    json!({ "steps": [step("PPS", "x")] })
}

both_backends!(
    bad_input_is_refused_with_nothing_stored,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let sops = "/api/v1/sops".to_string();
        refused(
            &w,
            vec![
                (
                    "prov.admin",
                    sops.clone(),
                    with(province_sop(), "steps", json!([])),
                    422,
                    "steps_empty",
                ),
                (
                    "prov.admin",
                    sops.clone(),
                    with(
                        province_sop(),
                        "steps",
                        json!([{ "actor": "PPS", "action": " " }]),
                    ),
                    422,
                    "bad_step",
                ),
                (
                    "prov.admin",
                    sops.clone(),
                    with(province_sop(), "title", json!("  ")),
                    422,
                    "bad_title",
                ),
                (
                    "prov.admin",
                    sops.clone(),
                    with(province_sop(), "region_code", json!("32")),
                    403,
                    "not_own_region",
                ),
            ],
        )
        .await;

        let prov = create_province_sop(&w).await;
        let versions = format!("/api/v1/sops/{prov}/versions");
        let adoptions = format!("/api/v1/sops/{prov}/adoptions");
        let region = |code: &str| json!({ "region_code": code });
        refused(
            &w,
            vec![
                (
                    "prov.admin",
                    versions.clone(),
                    json!({ "steps": [step("PPS", "x")], "major": true, "change_note": " " }),
                    422,
                    "change_note_required",
                ),
                (
                    "prov.admin",
                    versions.clone(),
                    json!({ "steps": [] }),
                    422,
                    "steps_empty",
                ),
                // Adopting into a region outside the province, or not a regency.
                (
                    "banjar.admin",
                    adoptions.clone(),
                    region("32.79"),
                    422,
                    "region_outside_province",
                ),
                (
                    "root",
                    adoptions.clone(),
                    region("16.71.01"),
                    422,
                    "not_regency",
                ),
                (
                    "root",
                    adoptions.clone(),
                    region("16.99"),
                    422,
                    "unknown_region",
                ),
            ],
        )
        .await;

        // Adopting a draft: its owner and the super-admin are told why; anyone else does not
        // learn that it exists.
        let draft = with(
            with(province_sop(), "title", json!("SOP Rekapitulasi (draf)")),
            "draft",
            json!(true),
        );
        let d = w.post_ok("prov.admin", "/api/v1/sops", draft, 201).await["id"]
            .as_i64()
            .unwrap();
        let draft_adoptions = format!("/api/v1/sops/{d}/adoptions");
        refused(
            &w,
            vec![
                (
                    "root",
                    draft_adoptions.clone(),
                    region("16.71"),
                    422,
                    "not_published",
                ),
                (
                    "plg.admin",
                    draft_adoptions,
                    region("16.71"),
                    404,
                    "not_found",
                ),
            ],
        )
        .await;
        let (s, _) = w.get_public(&format!("/api/v1/sops/{d}")).await;
        assert_eq!(s, 404);
        let res = api(
            &w.app,
            "GET",
            w.token("prov.viewer"),
            &format!("/api/v1/sops/{d}"),
            None,
        )
        .await;
        let (s, v) = status_json(res).await;
        assert_eq!((s, v["status"].as_str()), (200, Some("draft")));

        // Adopting twice; an override without a reason or past the parent's steps; an adoption
        // changes its steps through overrides only, and a province SOP has none.
        let plg = adopt(&w, "plg.admin", prov, "16.71").await;
        let ov = |step_no: u32, reason: &str| {
            json!({ "overrides": [{ "kind": "replace", "step": step_no,
        "reason": reason, "replacement": step("PPK", "Periksa") }] })
        };
        let overrides = format!("/api/v1/sops/{plg}/overrides");
        refused(
            &w,
            vec![
                (
                    "plg.admin",
                    adoptions.clone(),
                    region("16.71"),
                    409,
                    "already_adopted",
                ),
                (
                    "plg.admin",
                    overrides.clone(),
                    ov(2, ""),
                    422,
                    "reason_required",
                ),
                ("plg.admin", overrides, ov(4, "Sungai"), 422, "bad_override"),
                (
                    "plg.admin",
                    format!("/api/v1/sops/{plg}/versions"),
                    one_step(),
                    422,
                    "is_adoption",
                ),
                (
                    "prov.admin",
                    format!("/api/v1/sops/{prov}/overrides"),
                    ov(2, "x"),
                    422,
                    "not_adoption",
                ),
                (
                    "plg.admin",
                    format!("/api/v1/sops/{plg}/review"),
                    json!({ "note": "" }),
                    422,
                    "review_note_required",
                ),
            ],
        )
        .await;
    }
);

both_backends!(
    a_regency_edits_only_its_own_adoption,
    |b: Backend| async move {
        let w = sop_world(b).await;
        let prov = create_province_sop(&w).await;
        let plg = adopt(&w, "plg.admin", prov, "16.71").await;
        let overrides = json!({ "overrides": [{ "kind": "add", "step": 1, "reason": "Sungai",
        "replacement": step("PPK", "Sewa perahu") }] });
        let plg_overrides = format!("/api/v1/sops/{plg}/overrides");
        let plg_review = format!("/api/v1/sops/{plg}/review");
        let note = json!({ "note": "x" });
        let mut cases: Vec<Case> = Vec::new();
        // Another city, the province itself, another province's KPU, another agency kind.
        for user in [
            "pbm.admin",
            "prov.admin",
            "banjar.admin",
            "bawaslu.admin",
            "plg.officer",
        ] {
            cases.push((
                user,
                plg_overrides.clone(),
                overrides.clone(),
                403,
                "forbidden",
            ));
            cases.push((user, plg_review.clone(), note.clone(), 403, "forbidden"));
        }
        // A city does not version its province's SOP, nor adopt for another city.
        let adoptions = format!("/api/v1/sops/{prov}/adoptions");
        let versions = format!("/api/v1/sops/{prov}/versions");
        cases.push(("plg.admin", versions.clone(), one_step(), 403, "forbidden"));
        cases.push((
            "plg.admin",
            adoptions.clone(),
            json!({ "region_code": "16.74" }),
            403,
            "forbidden",
        ));
        cases.push((
            "bawaslu.admin",
            adoptions,
            json!({ "region_code": "16.74" }),
            403,
            "forbidden",
        ));
        // Roles whose cell says no (docs/ROLES.md), in the owning agency.
        for user in ["prov.officer", "prov.counter", "prov.viewer"] {
            cases.push((
                user,
                "/api/v1/sops".into(),
                province_sop(),
                403,
                "forbidden",
            ));
            cases.push((user, versions.clone(), one_step(), 403, "forbidden"));
        }
        refused(&w, cases).await;
        // Without a token: 401.
        let res = reqwest::Client::new()
            .post(w.app.url("/api/v1/sops"))
            .json(&province_sop())
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 401);
        // The yes cells: a supervisor versions, the city's admin edits its own adoption.
        w.act("prov.spv", prov, "versions", one_step(), 201).await;
        w.act("plg.admin", plg, "overrides", overrides, 201).await;
        assert_eq!(
            w.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'sop.%'")
                .await,
            4
        );
    }
);

//! The population-documents table (`balai_civil_registry::domain::permissions`): every workflow
//! no-cell (counter operators and viewers of the kelurahan and of Disdukcapil, and the admins of
//! another region's Disdukcapil and of another agency kind in the region) through the actions
//! API, each yes-cell once, and four eyes on counter filings. Switching services on and off is
//! an admin's (the offerings page, `civil_registry::catalogue`).

use balai_core::accounts::Role;
use serde_json::{json, Value};

use super::{db_state, refused as refused_cell, Req, Watched};
use crate::support::worlds::civil_registry::*;
use crate::support::{Backend, TestApp};

const TABLES: [&str; 4] = [
    "audit_events",
    "cr_applications",
    "cr_history",
    "notifications",
];
const QUERIES: [&str; 1] = [
    "SELECT status || ':' || COALESCE(CAST(assignee_user_id AS TEXT), '-') FROM cr_applications ORDER BY id",
];

/// File a KTP-el application through the API, online (no token) or at the counter (a token);
/// its id.
async fn file(app: &TestApp, token: Option<&str>) -> i64 {
    // Each for another person: one NIK has one open application per service.
    static SERIAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut body = ktp_json();
    body["nik"] = serde_json::json!(format!("3279011508900{serial:03}"));
    let mut req = reqwest::Client::new()
        .post(app.url("/api/v1/civil-registry/applications"))
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    app_id(app, v["tracking_code"].as_str().unwrap()).await
}

async fn user(app: &TestApp, name: &str, agency: i64, role: Role) -> String {
    app.add_user(name, Some(agency), role, false).await;
    app.token_for(name).await
}

/// Every refused identity tries `action` on application `id`: 403 (404 outside), no change;
/// the cells that were not refused are added to `wrong`.
async fn refused_all(
    app: &TestApp,
    refused: &[(&str, String, u16)],
    id: i64,
    action: &str,
    wrong: &mut Vec<String>,
) {
    let watched = Watched {
        tables: &TABLES,
        queries: &QUERIES,
    };
    let path = format!("/api/v1/civil-registry/applications/{id}/actions");
    let req = Req::json(
        "POST",
        path,
        json!({ "action": action, "reason": "alasan" }),
    );
    for (who, token, want) in refused {
        wrong.extend(refused_cell(app, &watched, (who, action), token, &req, *want).await);
    }
}

async fn done(app: &TestApp, token: &str, id: i64, action: &str, status: &str) {
    let (s, v) = act(app, token, id, action, Some("alasan")).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (200, Some(status)),
        "{action}: {v}"
    );
}

both_backends!(
    every_no_cell_of_the_documents_table_is_refused,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let w = banjar(&app).await;
        let kel1 = app.token_for("kel1").await;
        let kel2 = app.token_for("kel2").await;
        let dinas1 = app.token_for("dinas1").await;
        let plg = app
            .add_agency("disdukcapil", "Disdukcapil Kota Palembang", "16.71")
            .await;
        let pemda = app
            .add_agency("pemda", "Pemerintah Kota Banjar", "32.79")
            .await;
        let refused = [
            (
                "kelurahan counter operator",
                app.token_for("loket").await,
                403,
            ),
            (
                "kelurahan viewer",
                user(&app, "kelviewer", w.kelurahan, Role::Viewer).await,
                403,
            ),
            (
                "Disdukcapil counter operator",
                user(&app, "dinasloket", w.dinas, Role::CounterOperator).await,
                403,
            ),
            ("Disdukcapil viewer", app.token_for("viewer").await, 403),
            (
                "other region (Disdukcapil Palembang admin)",
                user(&app, "plgadmin", plg, Role::Admin).await,
                404,
            ),
            (
                "other agency (Pemda Banjar admin)",
                user(&app, "pemdaadmin", pemda, Role::Admin).await,
                404,
            ),
        ];
        // Verification at the kelurahan: take, release, correction, approval, rejection.
        let mut wrong = Vec::new();
        let a = file(&app, None).await;
        refused_all(&app, &refused, a, "take", &mut wrong).await;
        done(&app, &kel1, a, "take", "verification").await;
        for action in ["release", "request_correction", "approve", "reject"] {
            refused_all(&app, &refused, a, action, &mut wrong).await;
        }
        done(&app, &kel1, a, "release", "verification").await;
        done(&app, &kel1, a, "take", "verification").await;
        done(&app, &kel1, a, "approve", "processing").await;
        // Processing at Disdukcapil, handing over at the counter.
        done(&app, &dinas1, a, "take", "processing").await;
        refused_all(&app, &refused, a, "mark_ready", &mut wrong).await;
        done(&app, &dinas1, a, "mark_ready", "ready").await;
        refused_all(&app, &refused, a, "complete", &mut wrong).await;
        done(&app, &kel1, a, "complete", "completed").await;
        assert!(wrong.is_empty(), "cells not refused:\n{}", wrong.join("\n"));
        let c = file(&app, None).await;
        done(&app, &kel1, c, "take", "verification").await;
        done(&app, &kel1, c, "request_correction", "needs_correction").await;
        let r = file(&app, None).await;
        done(&app, &kel1, r, "take", "verification").await;
        done(&app, &kel1, r, "reject", "rejected").await;

        // Four eyes: an officer who filed at the counter does not approve the filing.
        let own = file(&app, Some(&kel1)).await;
        done(&app, &kel1, own, "take", "verification").await;
        let before = db_state(&app.db, &TABLES, &QUERIES).await;
        let (s, v) = act(&app, &kel1, own, "approve", None).await;
        assert_eq!((s, v["code"].as_str()), (403, Some("own_filing")), "{v}");
        assert_eq!(db_state(&app.db, &TABLES, &QUERIES).await, before);
        done(&app, &kel1, own, "release", "verification").await;
        done(&app, &kel2, own, "take", "verification").await;
        done(&app, &kel2, own, "approve", "processing").await;
        // A counter operator files; a viewer does not.
        let loket = app.token_for("loket").await;
        file(&app, Some(&loket)).await;
        let before = db_state(&app.db, &TABLES, &QUERIES).await;
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/civil-registry/applications"))
            .bearer_auth(&refused[1].1)
            .json(&ktp_json())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(db_state(&app.db, &TABLES, &QUERIES).await, before);
    }
);

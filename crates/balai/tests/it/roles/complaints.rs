//! The complaints table (`balai_complaints::domain::permissions`): every no-cell, each role of
//! Pemerintah Kota Banjar and the admins of another region's Pemda and of another agency kind
//! in the region, through the actions API. Re-routing goes only to an agency serving the
//! report's region.

use balai_complaints::domain::permissions::{may, StaffAction};
use base64::Engine;
use serde_json::{json, Value};

use super::{call, db_state, refused as refused_cell, Req, Watched};
use crate::support::worlds::complaints::{jpeg, World, BANJAR_VILLAGE};
use crate::support::Backend;
use balai_core::accounts::Role;

const TABLES: [&str; 5] = [
    "audit_events",
    "complaints",
    "complaint_events",
    "complaint_photos",
    "notifications",
];
const QUERIES: [&str; 2] = [
    "SELECT status || ':' || COALESCE(CAST(agency_id AS TEXT), '-') || ':'
       || COALESCE(CAST(assigned_user_id AS TEXT), '-') || ':' || CAST(hidden AS TEXT) || ':'
       || COALESCE(public_description, '-') FROM complaints ORDER BY id",
    "SELECT CAST(hidden AS TEXT) FROM complaint_photos ORDER BY id",
];

/// A token for a new user `name` of `agency` with `role`.
async fn user(w: &World, name: &str, agency: i64, role: Role) -> String {
    w.app.add_user(name, Some(agency), role, false).await;
    w.app.token_for(name).await
}

/// A fresh report for one action, brought to the state the action needs; the request that
/// does the action.
async fn prepared(w: &World, action: StaffAction) -> Req {
    let photo = base64::engine::general_purpose::STANDARD.encode(jpeg(64, 48));
    let extra = match action {
        StaffAction::HidePhoto => json!({ "photos": [photo] }),
        _ => json!({}),
    };
    let (id, _) = w.file_banjar(extra).await;
    if matches!(
        action,
        StaffAction::StartFollowUp | StaffAction::Answer | StaffAction::RequestMoreInfo
    ) {
        let (s, v) = w
            .act(&w.superadmin, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(s, 200, "{v}");
    }
    let body: Value = match action {
        StaffAction::FileAtCounter => {
            return Req::json(
                "POST",
                "/api/v1/complaints",
                json!({"category": "pelayanan", "description": "Warga lansia kesulitan mengurus surat pindah.", "village_code": BANJAR_VILLAGE, "channel": "counter"}),
            );
        }
        StaffAction::Dispatch => {
            json!({"action": "dispatch", "body": "Diteruskan ke bidang jalan."})
        }
        StaffAction::StartFollowUp => json!({"action": "start_follow_up"}),
        StaffAction::Answer => {
            json!({"action": "answer", "body": "Jalan sudah ditambal hari ini."})
        }
        StaffAction::RequestMoreInfo => {
            json!({"action": "request_more_info", "body": "Mohon kirim foto lokasi."})
        }
        StaffAction::Note => json!({"action": "note", "body": "Cek dengan dinas PU."}),
        StaffAction::Assign => json!({"action": "assign", "user_id": w.officer_banjar_id}),
        StaffAction::Classify => {
            json!({"action": "classify", "category": "infrastruktur", "village_code": BANJAR_VILLAGE})
        }
        StaffAction::MarkDuplicate => {
            let (original, _) = w.file_banjar(json!({})).await;
            json!({"action": "mark_duplicate", "original_id": original})
        }
        StaffAction::Reject => {
            json!({"action": "reject", "body": "Bukan kewenangan pemerintah kota."})
        }
        StaffAction::Reroute => {
            json!({"action": "reroute", "to_agency_id": w.dukcapil_banjar, "body": "Urusan KTP-el."})
        }
        StaffAction::Hide => json!({"action": "hide", "body": "Memuat data pribadi."}),
        StaffAction::Redact => {
            json!({"action": "redact", "body": "Jalan berlubang di depan pasar (nama disamarkan)."})
        }
        StaffAction::HidePhoto => {
            let sql = format!("SELECT id FROM complaint_photos WHERE complaint_id = {id}");
            let photo_id: i64 =
                balai_core::with_db!(&w.app.db, |c| sqlx::query_scalar(&sql).fetch_one(c).await)
                    .unwrap();
            json!({"action": "hide_photo", "photo_id": photo_id})
        }
    };
    Req::json(
        "POST",
        format!("/api/v1/work/complaints/{id}/actions"),
        body,
    )
}

both_backends!(
    every_no_cell_of_the_complaints_table_is_refused,
    |b: Backend| async move {
        let w = World::new(b).await;
        let pemda = w.pemda_banjar;
        let admin = user(&w, "admin.banjar", pemda, Role::Admin).await;
        let supervisor = user(&w, "spv.banjar", pemda, Role::Supervisor).await;
        let counter = user(&w, "loket.banjar", pemda, Role::CounterOperator).await;
        let viewer = user(&w, "pantau.banjar", pemda, Role::Viewer).await;
        let other_region = user(&w, "admin.plg", w.pemda_plg, Role::Admin).await;
        let bawaslu: i64 = balai_core::with_db!(&w.app.db, |c| sqlx::query_scalar(
            "SELECT id FROM agencies WHERE kind = 'bawaslu'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        let other_agency = user(&w, "admin.bawaslu", bawaslu, Role::Admin).await;
        let roles = [
            ("counter operator", counter, Some(Role::CounterOperator)),
            ("officer", w.officer_banjar.clone(), Some(Role::Officer)),
            ("supervisor", supervisor, Some(Role::Supervisor)),
            ("admin", admin, Some(Role::Admin)),
            ("viewer", viewer, Some(Role::Viewer)),
            ("other region (Pemda Palembang admin)", other_region, None),
            ("other agency (Bawaslu Banjar admin)", other_agency, None),
        ];
        let watched = Watched {
            tables: &TABLES,
            queries: &QUERIES,
        };
        let (mut refused, mut wrong) = (0, Vec::new());
        for action in StaffAction::ALL {
            let req = prepared(&w, action).await;
            for (who, token, role) in &roles {
                let allowed = role.is_some_and(|r| may(r, action));
                // Anyone's counter may file any citizen's report; a report of another agency
                // is not found for outsiders (its existence does not leak).
                if allowed || (role.is_none() && action == StaffAction::FileAtCounter) {
                    continue;
                }
                let want = if role.is_some() { 403 } else { 404 };
                let cell = (*who, action.as_str());
                wrong.extend(refused_cell(&w.app, &watched, cell, token, &req, want).await);
                refused += 1;
            }
            let (who, token, _) = roles
                .iter()
                .find(|(_, _, r)| r.is_some_and(|r| may(r, action)))
                .unwrap();
            let (s, body) = call(&w.app, token, &req).await;
            match action {
                // Classifying is for reports that came in unsorted, asking for more
                // information for election reports: the role passes, the report's state
                // refuses.
                StaffAction::Classify | StaffAction::RequestMoreInfo => {
                    assert_eq!(s, 409, "{who} {}: {body}", action.as_str());
                }
                _ => assert!(
                    (200..300).contains(&s),
                    "{who} {}: {s} {body}",
                    action.as_str()
                ),
            }
        }
        assert!(wrong.is_empty(), "cells not refused:\n{}", wrong.join("\n"));
        // Inside the agency: a viewer's 14, a counter operator's 13, an officer's 5; outside:
        // 13 actions × 2.
        assert_eq!(refused, 14 + 13 + 5 + 26);
    }
);

both_backends!(
    a_report_is_rerouted_only_to_an_agency_serving_its_region,
    |b: Backend| async move {
        let w = World::new(b).await;
        let supervisor = user(&w, "spv.banjar", w.pemda_banjar, Role::Supervisor).await;
        let (id, _) = w.file_banjar(json!({})).await;
        let before = db_state(&w.app.db, &TABLES, &QUERIES).await;
        // Pemerintah Kota Palembang does not serve Kota Banjar.
        let (s, v) = w
            .act(
                &supervisor,
                id,
                json!({"action": "reroute", "to_agency_id": w.pemda_plg, "body": "x"}),
            )
            .await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("agency_out_of_region")),
            "{v}"
        );
        assert_eq!(db_state(&w.app.db, &TABLES, &QUERIES).await, before);
        // BKN's regional office for the province does.
        let (s, v) = w
            .act(
                &supervisor,
                id,
                json!({"action": "reroute", "to_agency_id": w.bkn, "body": "Netralitas ASN."}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
    }
);

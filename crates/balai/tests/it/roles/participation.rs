//! The participation table (`balai_participation::domain::permissions` and `access`): every
//! no-cell — a viewer and a counter operator for every action, an officer for approving minutes
//! and setting targets, another city's Kesbangpol, an agency that is not a party (or not the
//! organiser, or not the forum's keeper, or not the KPU) — through the real API with the
//! database unchanged; then each yes-cell once by the least privileged role.

use balai_core::accounts::Role;
use serde_json::json;

use super::{refused, Body, Req, Watched};
use crate::support::worlds::participation::*;
use crate::support::Backend;

const TABLES: [&str; 15] = [
    "audit_events",
    "jobs",
    "collab_agreements",
    "collab_agreement_parties",
    "collab_agreement_clauses",
    "collab_agreement_renewals",
    "collab_activities",
    "collab_attendance",
    "collab_minutes_approvals",
    "collab_followups",
    "collab_forums",
    "collab_forum_members",
    "collab_documents",
    "collab_changes",
    "turnout_targets",
];
const QUERIES: [&str; 3] = [
    "SELECT number || ':' || title || ':' || CAST(valid_until AS TEXT) || ':' || COALESCE(CAST(ended_on AS TEXT), '-') FROM collab_agreements ORDER BY id",
    "SELECT title || ':' || CAST(day AS TEXT) || ':' || minutes_status || ':' || CAST(minutes_version AS TEXT) || ':' || COALESCE(withdrawn_reason, '-') FROM collab_activities ORDER BY id",
    "SELECT CAST(progress AS TEXT) FROM collab_followups ORDER BY id",
];

/// A cell of the walk: its name, the request, who else is refused, the least privileged yes
/// and its status.
type Cell<'a> = (&'a str, Req, Vec<(&'a str, String)>, String, u16);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

both_backends!(
    every_no_cell_of_the_participation_table_is_refused,
    |b: Backend| async move {
        let px = Px::new(b).await;
        px.app
            .add_user("p.kpu.loket", Some(px.kpu_id), Role::CounterOperator, false)
            .await;
        let counter = px.app.token_for("p.kpu.loket").await;
        let ag = px.agreement().await;
        let act = px
            .activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.01"))
            .await;
        // A second activity of the KPU, to be withdrawn (the first stays open for the cells
        // after that one).
        let to_withdraw = px
            .activity(Px::activity_body(Some(ag), "2024-06-12", "32.79.01"))
            .await;
        let e = px.election_with_totals().await;
        let watched = Watched {
            tables: &TABLES,
            queries: &QUERIES,
        };
        let always = [
            ("viewer", px.kpu_viewer.clone()),
            ("counter operator", counter.clone()),
            ("kesbangpol palembang", px.kesbang_plg.clone()),
        ];
        let not_party = ("bawaslu (not a party)", px.bawaslu.clone());
        let not_organiser = (
            "kesbangpol (a party, not the organiser)",
            px.kesbang.clone(),
        );
        let mut agreement_edit = px.agreement_body();
        agreement_edit["number"] = json!("001/PKS/2024-Rev");
        let mut activity_edit = Px::activity_body(Some(ag), "2024-06-11", "32.79.01");
        activity_edit["participants"] = json!(90);
        // (cell, request, who else is refused, the least privileged yes, its status)
        let cells: Vec<Cell> = vec![
            (
                "record_agreement",
                Req::json("POST", "/api/v1/agreements", px.agreement_body()),
                vec![not_party.clone()],
                px.kpu_officer.clone(),
                201,
            ),
            (
                "edit_agreement",
                Req::json("PUT", format!("/api/v1/agreements/{ag}"), agreement_edit),
                vec![not_party.clone()],
                px.kesbang_officer.clone(),
                200,
            ),
            (
                "renew_agreement",
                Req::json(
                    "POST",
                    format!("/api/v1/agreements/{ag}/renewals"),
                    json!({"number": "002/PKS", "signed_on": "2024-12-20", "valid_until": "2025-12-31"}),
                ),
                vec![not_party.clone()],
                px.kpu_officer.clone(),
                201,
            ),
            (
                "agreement_document",
                Req {
                    method: "PUT",
                    path: format!("/api/v1/agreements/{ag}/document"),
                    body: Body::Pdf(PDF.to_vec()),
                },
                vec![not_party.clone()],
                px.kesbang_officer.clone(),
                201,
            ),
            (
                "record_activity",
                Req::json(
                    "POST",
                    "/api/v1/activities",
                    Px::activity_body(None, "2024-08-01", "32.79.02"),
                ),
                vec![],
                px.kpu_officer.clone(),
                201,
            ),
            (
                "edit_activity",
                Req::json("PUT", format!("/api/v1/activities/{act}"), activity_edit),
                vec![not_organiser.clone()],
                px.kpu_officer.clone(),
                200,
            ),
            (
                "attendance_list",
                Req {
                    method: "PUT",
                    path: format!("/api/v1/activities/{act}/attendance-list"),
                    body: Body::Pdf(PDF.to_vec()),
                },
                vec![not_organiser.clone()],
                px.kpu_officer.clone(),
                201,
            ),
            (
                "draft_minutes",
                Req::json(
                    "PUT",
                    format!("/api/v1/activities/{act}/minutes"),
                    json!({"text": "Rapat membahas sosialisasi di sekolah."}),
                ),
                vec![not_organiser.clone()],
                px.kpu_officer.clone(),
                200,
            ),
            (
                "approve_minutes",
                Req::json(
                    "POST",
                    format!("/api/v1/activities/{act}/minutes/approvals"),
                    json!({}),
                ),
                vec![("officer", px.kpu_officer.clone()), not_organiser.clone()],
                px.kpu.clone(),
                200,
            ),
            (
                "add_followup",
                Req::json(
                    "POST",
                    format!("/api/v1/activities/{act}/follow-ups"),
                    json!({"action": "Laporan", "owner": "KPU Kota Banjar", "due_on": "2024-07-01", "progress": 0}),
                ),
                vec![not_organiser.clone()],
                px.kpu_officer.clone(),
                201,
            ),
            (
                "create_forum",
                Req::json(
                    "POST",
                    "/api/v1/forums",
                    json!({"name": "Forum Pemuda Banjar", "kind": "pemuda", "region_code": "32.79"}),
                ),
                vec![],
                px.kesbang_officer.clone(),
                201,
            ),
            (
                "set_targets",
                Req {
                    method: "PUT",
                    path: format!("/api/v1/elections/{e}/targets"),
                    body: Body::Csv("region_code,target_percent\n32.79,80\n".into()),
                },
                vec![
                    ("officer", px.kpu_officer.clone()),
                    ("kesbangpol (not the KPU)", px.kesbang.clone()),
                    ("kpu palembang", px.kpu_plg.clone()),
                ],
                px.kpu.clone(),
                200,
            ),
            (
                "withdraw_activity",
                Req::json(
                    "POST",
                    format!("/api/v1/activities/{to_withdraw}/withdrawal"),
                    json!({"reason": "Jadwal bentrok dengan kegiatan sekolah."}),
                ),
                vec![not_organiser.clone()],
                px.kpu_officer.clone(),
                201,
            ),
            (
                "end_agreement",
                Req::json(
                    "POST",
                    format!("/api/v1/agreements/{ag}/termination"),
                    json!({"ended_on": "2025-12-01", "reason": "Para pihak sepakat mengakhiri."}),
                ),
                vec![not_party.clone()],
                px.kesbang_officer.clone(),
                201,
            ),
        ];
        let mut wrong = Vec::new();
        for (cell, req, extra, yes, status) in cells {
            for (who, token) in always.iter().cloned().chain(extra) {
                wrong.extend(refused(&px.app, &watched, (who, cell), &token, &req, 403).await);
            }
            let (s, body) = crate::roles::call(&px.app, &yes, &req).await;
            assert_eq!(s, status, "{cell} by the least privileged yes: {body}");
        }
        // The cells that need a record made above: a follow-up's progress, a forum's members.
        let fid = px.count("SELECT MAX(id) FROM collab_followups").await;
        let req = Req::json(
            "PUT",
            format!("/api/v1/activities/{act}/follow-ups/{fid}/progress"),
            json!({"progress": 50}),
        );
        for (who, token) in always.iter().cloned() {
            wrong.extend(
                refused(
                    &px.app,
                    &watched,
                    (who, "update_followup"),
                    &token,
                    &req,
                    403,
                )
                .await,
            );
        }
        assert_eq!(
            crate::roles::call(&px.app, &px.kpu_officer, &req).await.0,
            200
        );
        let forum = px.count("SELECT MAX(id) FROM collab_forums").await;
        let req = Req::json(
            "POST",
            format!("/api/v1/forums/{forum}/members"),
            json!({"person": "Rina", "organisation": "KNPI", "position": "Ketua", "from": "2024-01-01"}),
        );
        for (who, token) in always
            .iter()
            .cloned()
            .chain([("kpu (not the forum's keeper)", px.kpu.clone())])
        {
            wrong.extend(refused(&px.app, &watched, (who, "keep_forum"), &token, &req, 403).await);
        }
        assert_eq!(
            crate::roles::call(&px.app, &px.kesbang_officer, &req)
                .await
                .0,
            201
        );
        assert!(wrong.is_empty(), "cells not refused:\n{}", wrong.join("\n"));
    }
);

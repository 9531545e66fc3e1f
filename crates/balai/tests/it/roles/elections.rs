//! The elections table (`balai_elections::domain::permissions`): every no-cell, each role of
//! KPU Kota Banjar and the admins of another region's KPU and of another agency kind in the
//! region, through the API.

use balai_core::accounts::{self, Role};
use balai_elections::domain::permissions::{may, Action};
use serde_json::json;

use super::{call, refused as refused_cell, Body, Req, Watched};
use crate::support::worlds::complaints::jpeg;
use crate::support::worlds::elections::*;
use crate::support::Backend;

const TABLES: [&str; 10] = [
    "audit_events",
    "elections",
    "candidates",
    "tps",
    "result_entries",
    "result_photos",
    "election_recaps",
    "election_recap_reopenings",
    "schedule_versions",
    "election_totals",
];
const QUERIES: [&str; 2] = [
    "SELECT status FROM elections ORDER BY id",
    "SELECT status FROM candidates ORDER BY id",
];

/// An admin of the agency of `colleague`, named `name`; their token.
async fn admin_beside(fx: &Fx, colleague: &str, name: &str) -> String {
    let u = accounts::user_by_name(&fx.app.db, colleague)
        .await
        .unwrap()
        .unwrap();
    fx.app.add_user(name, u.agency_id, Role::Admin, false).await;
    fx.app.token_for(name).await
}

/// Each action of the table with a request that does it, in an order where each succeeds
/// after the ones before: first the set-up of the election.
fn requests(fx: &Fx, closed: i64) -> Vec<(Action, Req)> {
    let post = |path: String, v| Req::json("POST", path, v);
    let mut out = vec![
        (
            Action::CreateElection,
            post(
                "/api/v1/elections".into(),
                json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar 2029", "voting_date": "2029-11-27"}),
            ),
        ),
        (
            Action::SetSchedule,
            Req::json(
                "PUT",
                fx.path("/schedule"),
                json!({"reason": "Jadwal awal", "legal_basis": "PKPU 2/2024", "stages": [{"name": "Kampanye", "start": "2024-09-25", "end": "2024-11-23"}]}),
            ),
        ),
        (
            Action::AddCandidate,
            post(
                fx.path("/candidates"),
                json!({"ballot_number": 3, "head_name": "Calon Tiga", "deputy_name": "Wakil", "independent": true}),
            ),
        ),
        (
            Action::SetCandidateStatus,
            Req::json(
                "PUT",
                fx.path("/candidates/3/status"),
                json!({"status": "designated"}),
            ),
        ),
        (
            Action::AddTps,
            post(
                fx.path("/tps"),
                json!({"village_code": VILLAGES[1], "number": 1, "address": "Jl. Empat", "dpt_l": 100, "dpt_p": 100}),
            ),
        ),
        (
            Action::ReplaceTotals,
            Req {
                method: "PUT",
                path: fx.path("/totals"),
                body: Body::Csv("region_code,dpt,pengguna\n32.79.01,1000,700\n".into()),
            },
        ),
    ];
    out.extend(result_requests(fx, closed));
    out
}

/// The result, recapitulation and status actions.
fn result_requests(fx: &Fx, closed: i64) -> Vec<(Action, Req)> {
    // Candidate pair 3 is registered by then: the form has its line.
    let mut with_third = good_form();
    with_third.votes.insert(3, 0);
    let form = form_json(&with_third);
    let post = |path: String, v| Req::json("POST", path, v);
    vec![
        (
            Action::EnterResult,
            post(
                fx.path("/results"),
                json!({"tps_id": fx.tps[0], "form": form}),
            ),
        ),
        (
            Action::EnterPsu,
            post(
                fx.path("/results"),
                json!({"tps_id": fx.tps[1], "form": form, "psu_ref": "Keputusan KPU Kota Banjar No. 12/2024"}),
            ),
        ),
        (
            Action::UploadPhoto,
            Req {
                method: "POST",
                path: fx.path(&format!("/tps/{}/photos", fx.tps[0])),
                body: Body::Jpeg(jpeg(64, 48)),
            },
        ),
        (
            Action::ViewDisputes,
            Req {
                method: "GET",
                path: fx.path("/disputes"),
                body: Body::None,
            },
        ),
        (
            Action::RecordRecap,
            post(
                fx.path("/recaps"),
                json!({"region_code": "32.79.01", "document_ref": "Berita Acara 12/PL.02.6-BA/3279/2024"}),
            ),
        ),
        (
            Action::ReopenRecap,
            post(
                fx.path("/recaps/reopen"),
                json!({"region_code": "32.79.02", "reason": "Putusan Bawaslu Kota Banjar No. 3/2024 memerintahkan PSU di TPS 001"}),
            ),
        ),
        (
            Action::Reopen,
            Req::json(
                "PUT",
                format!("/api/v1/elections/{closed}/status"),
                json!({"status": "open"}),
            ),
        ),
        (
            Action::Close,
            Req::json("PUT", fx.path("/status"), json!({"status": "closed"})),
        ),
    ]
}

both_backends!(
    every_no_cell_of_the_election_table_is_refused,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let other_region = admin_beside(&fx, "palembang.op", "palembang.admin").await;
        let other_agency = admin_beside(&fx, "bawaslu.banjar", "bawaslu.admin").await;
        // What the reopening actions need: a closed election, a recorded recapitulation.
        let (s, v) = fx.post(&fx.sup, "/api/v1/elections", json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot Banjar 2019", "voting_date": "2019-06-27"})).await;
        assert_eq!(s, 201, "{v}");
        let closed = v["id"].as_i64().unwrap();
        let close = json!({"status": "closed"});
        let path = format!("/api/v1/elections/{closed}/status");
        assert_eq!(fx.send("PUT", &fx.sup, &path, close).await.0, 204);
        let (s, v) = fx
            .submit(&fx.op1, fx.tps[2], form_json(&good_form()), json!({}))
            .await;
        assert_eq!(s, 201, "{v}");
        let recap = json!({"region_code": "32.79.02", "document_ref": "Berita Acara 7/PL.02.6-BA/3279/2024"});
        let (s, v) = fx.post(&fx.sup, &fx.path("/recaps"), recap).await;
        assert_eq!(s, 201, "{v}");

        let roles = [
            (
                "counter operator",
                fx.counter.clone(),
                Some(Role::CounterOperator),
            ),
            ("officer", fx.op1.clone(), Some(Role::Officer)),
            ("supervisor", fx.sup.clone(), Some(Role::Supervisor)),
            ("admin", fx.admin.clone(), Some(Role::Admin)),
            ("viewer", fx.viewer.clone(), Some(Role::Viewer)),
            ("other region (KPU Palembang admin)", other_region, None),
            ("other agency (Bawaslu Banjar admin)", other_agency, None),
        ];
        let reqs = requests(&fx, closed);
        assert_eq!(reqs.len(), Action::ALL.len(), "every action is walked");
        let watched = Watched {
            tables: &TABLES,
            queries: &QUERIES,
        };
        let (mut refused, mut wrong) = (0, Vec::new());
        for (action, req) in &reqs {
            for (who, token, role) in &roles {
                if role.is_some_and(|r| may(r, *action)) {
                    continue;
                }
                let cell = (*who, action.as_str());
                wrong.extend(refused_cell(&fx.app, &watched, cell, token, req, 403).await);
                refused += 1;
            }
            // The least privileged role the table allows does it.
            let (who, token, _) = roles
                .iter()
                .find(|(_, _, r)| r.is_some_and(|r| may(r, *action)))
                .unwrap();
            let (s, body) = call(&fx.app, token, req).await;
            assert!(
                (200..300).contains(&s),
                "{who} {}: {s} {body}",
                action.as_str()
            );
        }
        assert!(wrong.is_empty(), "cells not refused:\n{}", wrong.join("\n"));
        // 14 actions × 2 outsiders; inside the KPU a viewer's 14, a counter operator's and an
        // officer's 12 each, a supervisor's 2.
        assert_eq!(refused, 28 + 14 + 12 + 12 + 2);
    }
);

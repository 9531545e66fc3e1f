//! The voter-list table (`balai_voters::domain::permissions`): every no-cell — a counter
//! operator, a viewer and (for the import) an officer of the election's KPU, and another
//! city's KPU for everything — refused through the real API with the database unchanged; then
//! each yes-cell once by the least privileged role (a supervisor imports, an officer opens a
//! record and answers a response).

use balai_core::accounts::Role;
use serde_json::json;

use super::{call, refused, Body, Req, Watched};
use crate::support::worlds::voters::*;
use crate::support::Backend;

const TABLES: [&str; 4] = [
    "audit_events",
    "voter_lists",
    "voter_index",
    "voter_list_reports",
];
/// An action of the table, its request and who must be refused it (name, token).
type Cell<'a> = (&'a str, &'a Req, Vec<(&'a str, &'a String)>);

const QUERIES: [&str; 1] =
    ["SELECT status || ':' || COALESCE(answer, '') FROM voter_list_reports ORDER BY id"];

both_backends!(
    every_no_cell_of_the_voter_list_table_is_refused,
    |b: Backend| async move {
        let vx = Vx::new(b).await;
        let kpu: i64 = balai_core::with_db!(&vx.app.ctx.db, |c| sqlx::query_scalar(
            "SELECT id FROM agencies WHERE name = 'KPU Kota Banjar'"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        vx.app
            .add_user("v.kpu.loket", Some(kpu), Role::CounterOperator, false)
            .await;
        let loket = vx.app.token_for("v.kpu.loket").await;
        let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        let code = vx.file_response().await;
        let e = vx.election;
        let import = Req {
            method: "PUT",
            path: format!("/api/v1/elections/{e}/dpt?stage=dpshp"),
            body: Body::Csv(good_list()),
        };
        let record = Req::json(
            "POST",
            format!("/api/v1/elections/{e}/dpt/record"),
            json!({"nik": SITI, "purpose": "Memeriksa tanggapan"}),
        );
        let answer = Req::json(
            "POST",
            format!("/api/v1/dpt/reports/{code}/answer"),
            json!({"status": "accepted", "answer": "Diperiksa PPS: dicoret pada DPSHP."}),
        );
        let watched = Watched {
            tables: &TABLES,
            queries: &QUERIES,
        };
        let mut wrong = Vec::new();
        let cells: [Cell; 3] = [
            (
                "import",
                &import,
                vec![
                    ("officer", &vx.kpu_officer),
                    ("counter", &loket),
                    ("viewer", &vx.kpu_viewer),
                    ("palembang", &vx.palembang),
                ],
            ),
            (
                "record",
                &record,
                vec![
                    ("counter", &loket),
                    ("viewer", &vx.kpu_viewer),
                    ("palembang", &vx.palembang),
                ],
            ),
            (
                "answer",
                &answer,
                vec![
                    ("counter", &loket),
                    ("viewer", &vx.kpu_viewer),
                    ("palembang", &vx.palembang),
                ],
            ),
        ];
        for (what, req, whos) in cells {
            for (who, token) in whos {
                wrong.extend(refused(&vx.app, &watched, (who, what), token, req, 403).await);
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Each yes-cell once, by the least privileged role the table names.
        assert_eq!(call(&vx.app, &vx.kpu, &import).await.0, 200);
        let (s, body) = call(&vx.app, &vx.kpu_officer, &record).await;
        assert_eq!(s, 200, "{body}");
        let (s, body) = call(&vx.app, &vx.kpu_officer, &answer).await;
        assert_eq!(s, 204, "{body}");
    }
);

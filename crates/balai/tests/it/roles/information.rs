//! The public-information table (`balai_information::domain::permissions`): every no-cell
//! (counter operators and viewers for the PPID's steps, officers for the Atasan PPID's, viewers
//! for filing, and another city's PPID for everything) through the real API with the database
//! unchanged, then each yes-cell once by the least privileged role.

use serde_json::{json, Value};

use super::{refused, Req, Watched};
use crate::support::worlds::information::*;
use crate::support::{Backend, TestApp};

const TABLES: [&str; 4] = [
    "audit_events",
    "info_requests",
    "info_request_events",
    "notifications",
];
const QUERIES: [&str; 1] =
    ["SELECT status || ':' || CAST(agency_id AS TEXT) FROM info_requests ORDER BY id"];

const TEST: &str = "Membuka data ini mengungkap rahasia pribadi yang dilindungi undang-undang";

/// The body of each official step.
fn step(action: &str, to_agency: i64) -> Value {
    // A partial answer marks what it withholds.
    let answer = if action == "answer_partly" {
        "Jawaban tertulis; [DIHITAMKAN: nama pegawai, Pasal 17 huruf h]"
    } else {
        "Jawaban tertulis yang cukup panjang"
    };
    json!({
        "action": action, "reason": "Alasan tertulis yang cukup panjang",
        "answer": answer, "exemption": "h",
        "consequence_test": TEST, "to_agency_id": to_agency,
    })
}

both_backends!(
    every_no_cell_of_the_information_table_is_refused,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let mut tokens = std::collections::HashMap::new();
        for u in ["ppid1", "atasan", "loket", "pemantau", "plg", "plgsup"] {
            tokens.insert(u, app.token_for(u).await);
        }
        let watched = Watched {
            tables: &TABLES,
            queries: &QUERIES,
        };
        let mut wrong = Vec::new();
        // Filing: a viewer may not; another city's PPID may not file for Banjar.
        let mut body = request_json(p.banjar);
        body["received_on"] = json!(today().to_string());
        let req = Req::json("POST", "/api/v1/information-requests", body);
        for who in ["pemantau", "plg"] {
            wrong.extend(refused(&app, &watched, (who, "file"), &tokens[who], &req, 403).await);
        }
        // The PPID's steps on a fresh request.
        let officer_steps = [
            "extend",
            "answer",
            "answer_partly",
            "refuse",
            "transfer",
            "clarify",
        ];
        for action in officer_steps {
            let (_, filed) = file(&app, request_json(p.banjar)).await;
            let id = filed["id"].as_i64().unwrap();
            let path = format!("/api/v1/information-requests/{id}/actions");
            let req = Req::json("POST", path, step(action, p.palembang));
            for (who, want) in [
                ("loket", 403),
                ("pemantau", 403),
                ("plg", 404),
                ("plgsup", 404),
            ] {
                wrong
                    .extend(refused(&app, &watched, (who, action), &tokens[who], &req, want).await);
            }
            let (s, v) = act(&app, &tokens["ppid1"], id, step(action, p.palembang)).await;
            assert_eq!(s, 200, "officer {action}: {v}");
        }
        // The Atasan PPID's: an objection to answer, a dispute to decide.
        let (_, filed) = file(&app, request_json(p.banjar)).await;
        let id = filed["id"].as_i64().unwrap();
        let (code, secret) = (
            filed["tracking_code"].as_str().unwrap().to_string(),
            filed["secret"].as_str().unwrap().to_string(),
        );
        assert_eq!(
            act(&app, &tokens["ppid1"], id, step("answer", 0)).await.0,
            200
        );
        let objection = json!({"action": "object", "reason": "Jawaban tidak sesuai permintaan"});
        assert_eq!(requester(&app, &code, &secret, objection).await.0, 200);
        for action in ["answer_objection", "record_dispute_outcome"] {
            let path = format!("/api/v1/information-requests/{id}/actions");
            let req = Req::json("POST", path, step(action, 0));
            for (who, want) in [
                ("ppid1", 403),
                ("loket", 403),
                ("pemantau", 403),
                ("plg", 404),
                ("plgsup", 404),
            ] {
                wrong
                    .extend(refused(&app, &watched, (who, action), &tokens[who], &req, want).await);
            }
            let (s, v) = act(&app, &tokens["atasan"], id, step(action, 0)).await;
            assert_eq!(s, 200, "atasan {action}: {v}");
            if action == "answer_objection" {
                assert_eq!(
                    requester(&app, &code, &secret, json!({"action": "dispute"}))
                        .await
                        .0,
                    200
                );
            }
        }
        // A counter operator files at the counter.
        let mut body = request_json(p.banjar);
        body["channel"] = json!("counter");
        assert_eq!(file_as(&app, &tokens["loket"], body).await.0, 201);
        assert!(wrong.is_empty(), "cells not refused:\n{}", wrong.join("\n"));
    }
);

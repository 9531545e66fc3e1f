//! The PPID keeps a request, or only its answers, private with a reason: through the actions
//! endpoint and the staff form, audited, and gone at once from the public record, the lists, the
//! archive's search and its full-text index; another city's PPID and a viewer cannot.

use serde_json::{json, Value};

use crate::support::http::signed_in;
use crate::support::worlds::information::*;
use crate::support::{Backend, TestApp};

const BUS: &str = "Jadwal dan rute bus sekolah gratis Kota Banjar semester genap";
const GIZI: &str = "Daftar penerima program makan bergizi Kota Banjar kelurahan Hegarsari";
const ANSWER: &str = "Rute bus sekolah terlampir: terminal Banjar, Pataruman, Langensari.";
const WHY: &str = "Memuat nama dan alamat anak penerima bantuan";

async fn filed(app: &TestApp, agency: i64, text: &str) -> i64 {
    let mut body = request_json(agency);
    body["information"] = json!(text);
    let (s, v) = file(app, body).await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_i64().unwrap()
}

async fn hits(app: &TestApp, q: &str) -> Vec<i64> {
    let res = reqwest::get(app.url(&format!("/api/v1/information-requests/search?q={q}")))
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// The rows the full-text index itself finds for one word (not through the app's filter).
async fn indexed(app: &TestApp, word: &str) -> i64 {
    let sql = match app.db.backend() {
        balai_core::db::Backend::Sqlite => {
            "SELECT COUNT(*) FROM info_requests_fts WHERE info_requests_fts MATCH $1"
        }
        balai_core::db::Backend::Postgres => {
            "SELECT COUNT(*) FROM info_requests WHERE search @@ to_tsquery('simple', $1)"
        }
    };
    balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(sql)
        .bind(word)
        .fetch_one(c)
        .await)
    .unwrap()
}

async fn listed(app: &TestApp) -> Vec<i64> {
    let res = reqwest::get(app.url("/api/v1/information-requests"))
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn audited(app: &TestApp) -> Vec<String> {
    balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, String>(
        "SELECT summary FROM audit_events WHERE action = 'information.make_private' ORDER BY seq"
    )
    .fetch_all(c)
    .await)
    .unwrap()
}

fn private_body(part: &str) -> Value {
    json!({"action": "make_private", "private_part": part, "reason": WHY})
}

both_backends!(
    a_private_request_leaves_every_public_view_and_the_index_at_once,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let ppid1 = app.token_for("ppid1").await;
        let gizi = filed(&app, p.banjar, GIZI).await;
        let bus = filed(&app, p.banjar, BUS).await;
        let (s, v) = act(
            &app,
            &ppid1,
            bus,
            json!({"action": "answer", "answer": ANSWER}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(indexed(&app, "hegarsari").await, 1);
        assert_eq!(hits(&app, "hegarsari").await, vec![gizi]);

        // Refused clearly, nothing stored: another city's PPID, a viewer, bad input.
        let plg = app.token_for("plg").await;
        let viewer = app.token_for("pemantau").await;
        assert_eq!(act(&app, &plg, gizi, private_body("request")).await.0, 404);
        assert_eq!(
            act(&app, &viewer, gizi, private_body("request")).await.0,
            403
        );
        let (s, e) = act(&app, &ppid1, gizi, private_body("semua")).await;
        assert_eq!((s, e["code"].as_str()), (422, Some("bad_private_part")));
        let (s, e) = act(&app, &ppid1, gizi, json!({"action": "make_private"})).await;
        assert_eq!((s, e["code"].as_str()), (422, Some("text_required")));
        assert!(audited(&app).await.is_empty());
        assert_eq!(public(&app, gizi).await.0, 200);

        // The whole request: the status stays, every public view loses it at once.
        let (s, v) = act(&app, &ppid1, gizi, private_body("request")).await;
        assert_eq!((s, v["status"].as_str()), (200, Some("received")), "{v}");
        assert_eq!(public(&app, gizi).await.0, 404);
        let page = reqwest::get(app.url(&format!("/informasi/permohonan/{gizi}")))
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 404);
        assert!(hits(&app, "hegarsari").await.is_empty());
        assert_eq!(
            indexed(&app, "hegarsari").await,
            0,
            "gone from the index itself"
        );
        assert_eq!(listed(&app).await, vec![bus]);
        let archive = html(&app, &app.client(), "/informasi/arsip?q=hegarsari").await;
        assert!(!archive.contains("Hegarsari"));
        let (s, e) = act(&app, &ppid1, gizi, private_body("request")).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("already_private")));

        // The answers only: the request stays listed and findable by its words, the answer is
        // gone from the record, its history, the search hits and the index.
        assert_eq!(indexed(&app, "pataruman").await, 1);
        let (s, v) = act(&app, &ppid1, bus, private_body("answers")).await;
        assert_eq!(s, 200, "{v}");
        let (_, view) = public(&app, bus).await;
        assert_eq!(view["answer"], Value::Null);
        assert_eq!(view["answers_private"], WHY);
        assert!(!view.to_string().contains("Pataruman"), "{view}");
        assert!(hits(&app, "pataruman").await.is_empty());
        assert_eq!(indexed(&app, "pataruman").await, 0);
        assert_eq!(hits(&app, "bus+sekolah").await, vec![bus]);
        assert_eq!(listed(&app).await, vec![bus]);

        // Audited, once per marking, without the requester.
        let rows = audited(&app).await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows[0].contains("\"request\"") && rows[1].contains("\"answers\""));
        assert!(rows.iter().all(|r| !r.contains(NAME)));
    }
);

both_backends!(
    the_staff_form_keeps_a_request_private_by_post_redirect_get,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let p = ppids(&app).await;
        let bus = filed(&app, p.banjar, BUS).await;
        let path = format!("/informasi/ppid/{bus}/rahasiakan");
        let ppid1 = signed_in(&app, "ppid1").await;
        let queue = html(&app, &ppid1, "/informasi/ppid").await;
        assert!(queue.contains(&path), "the queue links to the form");
        let csrf = app.csrf(&ppid1, &path).await;
        // No reason: the form again (422), nothing stored.
        let res = ppid1
            .post(app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("bagian", "request"),
                ("reason", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        assert!(res.text().await.unwrap().contains("Alasan wajib diisi"));
        assert_eq!(public(&app, bus).await.0, 200);
        let res = ppid1
            .post(app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("bagian", "request"),
                ("reason", WHY),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        for _ in 0..2 {
            let page = html(&app, &ppid1, &to).await;
            assert!(page.contains("Tercatat") && page.contains(WHY), "{page}");
            assert!(!page.contains("form-rahasiakan"));
        }
        assert_eq!(audited(&app).await.len(), 1, "a reload files nothing");
        assert_eq!(public(&app, bus).await.0, 404);
        // Another city's PPID does not even see the form.
        let plg = signed_in(&app, "plg").await;
        let res = plg.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404);
    }
);

//! The reporter's credentials (security review H1, M2, L6): the tracking code and the secret
//! appear only in the reporter's own answer; staff, the audit log and e-mails to staff name a
//! report by its number; the code alone opens only what the public may see; the audit log is
//! read by agency kind; an anonymous reporter leaves no IP address or user agent; look-ups are
//! rate-limited.

use std::time::Duration;

use balai_complaints::domain::ClockConfig;
use balai_core::accounts::Role;
use balai_core::calendar;
use balai_core::config::SmtpSettings;
use serde_json::{json, Value};

use crate::support::smtp::{self, SmtpSink};
use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::{extract_csrf, Backend};

fn smtp_on(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        from: "balai@localhost".into(),
        username: None,
        password: None,
    }
}

/// The code in both spellings people see (`ABCDEFGHJK`, `ABCDE-FGHJK`).
fn spellings(code: &str) -> [String; 2] {
    let (a, b) = code.split_at(5);
    [code.to_string(), format!("{a}-{b}")]
}

fn assert_no_code(what: &str, text: &str, code: &str) {
    for s in spellings(code) {
        assert!(
            !text.contains(&s),
            "{what} holds the tracking code {s}: {text}"
        );
    }
}

/// Every audit row as one text (all columns).
async fn audit_text(w: &World) -> String {
    let rows: Vec<(String, String, String, String, String)> =
        balai_core::with_db!(&w.app.db, |c| sqlx::query_as(
            "SELECT target_id, summary, actor_label, ip, user_agent FROM audit_events ORDER BY seq"
        )
        .fetch_all(c)
        .await)
        .unwrap();
    format!("{rows:?}")
}

async fn run_jobs(w: &World) {
    let registry = balai::app::job_registry(&w.app.ctx.cfg).unwrap();
    while balai_core::jobs::run_one(&w.app.db, &registry, "test/0", &w.app.ctx.cfg.jobs)
        .await
        .unwrap()
    {}
}

both_backends!(
    tracking_codes_stay_with_the_reporter,
    |b: Backend| async move {
        let sink = tokio::task::spawn_blocking(SmtpSink::start)
            .await
            .unwrap()
            .unwrap();
        let port = sink.port();
        let w = World::with_config(b, move |cfg| cfg.smtp = smtp_on(port)).await;
        let (handled, code) = w.file_banjar(json!({"confidential": true})).await;
        let (waiting, waiting_code) = w.file_banjar(json!({})).await;
        for action in [
            json!({"action": "dispatch"}),
            json!({"action": "note", "body": "Dicek ke lokasi."}),
            json!({"action": "answer", "body": "Sudah diperbaiki."}),
        ] {
            let (st, v) = w.act(&w.officer_banjar, handled, action).await;
            assert_eq!(st, 200, "{v}");
        }
        // The waiting report is escalated by e-mail to the supervisor.
        let cal = calendar::load(&w.app.db).await.unwrap();
        let late = cal.add_working_days(balai_complaints::domain::settings::today(), 10);
        let r = balai_complaints::jobs::sweep::sweep(&w.app.db, late, &ClockConfig::default())
            .await
            .unwrap();
        assert!(r.escalated >= 1);
        run_jobs(&w).await;
        let mails = sink.wait_for(1, Duration::from_secs(10)).await.unwrap();
        let to_staff: Vec<&String> = mails
            .iter()
            .filter(|m| smtp::header(m, "X-Envelope-To") == Some("atasan@banjar.example"))
            .collect();
        assert_eq!(to_staff.len(), 1, "{mails:?}");
        assert!(smtp::body(to_staff[0]).contains(&format!("#{waiting}")));
        // The audit log, the work queue, the agency's view and the staff pages.
        let audit = audit_text(&w).await;
        let (_, queue) = w
            .get_as(&w.officer_banjar, "/api/v1/work/complaints?queue=all")
            .await;
        let (_, one) = w
            .get_as(
                &w.officer_banjar,
                &format!("/api/v1/work/complaints/{handled}"),
            )
            .await;
        let client = w.app.client();
        w.app
            .login(&client, "petugas.banjar", "pw-petugas.banjar-0123456789")
            .await;
        let mut html = String::new();
        for path in [
            "/petugas/aduan?antrian=all".to_string(),
            format!("/petugas/aduan/{handled}"),
            format!("/petugas/aduan/{waiting}"),
        ] {
            let r = client.get(w.app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            html.push_str(&r.text().await.unwrap());
        }
        assert!(html.contains(&format!("#{handled}")));
        for c in [&code, &waiting_code] {
            assert_no_code("the audit log", &audit, c);
            assert_no_code("the work queue", &queue.to_string(), c);
            assert_no_code("the agency's view", &one.to_string(), c);
            assert_no_code("the staff pages", &html, c);
            for m in &to_staff {
                assert_no_code("the escalation e-mail", m, c);
            }
        }
    }
);

both_backends!(
    an_admin_reads_only_their_agency_kinds_audit_events,
    |b: Backend| async move {
        let w = World::new(b).await;
        w.app
            .add_user("admin.pemda", Some(w.pemda_banjar), Role::Admin, false)
            .await;
        let pemda_admin = w.app.token_for("admin.pemda").await;
        let (pemda_report, _) = w.file_banjar(json!({})).await;
        let (st, v) = w
            .file(json!({
                "category": "pelanggaran_pemilihan",
                "description": "Pembagian uang kepada warga menjelang pencoblosan di balai desa.",
                "village_code": BANJAR_VILLAGE,
                "confidential": true,
            }))
            .await;
        assert_eq!(st, 201, "{v}");
        let bawaslu_report = v["id"].as_i64().unwrap();
        let (st, _) = w
            .act(
                &w.bawaslu_officer,
                bawaslu_report,
                json!({"action": "dispatch"}),
            )
            .await;
        assert_eq!(st, 200);
        let targets = |rows: &Value| -> Vec<String> {
            rows.as_array()
                .unwrap()
                .iter()
                .filter(|r| r["target_kind"] == "complaint")
                .map(|r| r["target_id"].as_str().unwrap().to_string())
                .collect()
        };
        let (st, rows) = w.get_as(&pemda_admin, "/api/v1/audit?limit=500").await;
        assert_eq!(st, 200, "{rows}");
        let seen = targets(&rows);
        assert!(seen.contains(&pemda_report.to_string()), "{rows}");
        assert!(!seen.contains(&bawaslu_report.to_string()), "{rows}");
        // The same on the admin page.
        let client = w.app.client();
        w.app
            .login(&client, "admin.pemda", "pw-admin.pemda-0123456789")
            .await;
        let page = client
            .get(w.app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Actions in words (issue 22, item 11): "complaint.submit", never "complaint.dispatch".
        assert!(page.contains("Aduan masuk"), "{page}");
        assert!(!page.contains("Aduan diteruskan"), "{page}");
        // The super-admin reads both.
        let (_, rows) = w.get_as(&w.superadmin, "/api/v1/audit?limit=500").await;
        let seen = targets(&rows);
        assert!(seen.contains(&bawaslu_report.to_string()));
        assert!(seen.contains(&pemda_report.to_string()));
    }
);

async fn track(w: &World, code: &str, secret: &str) -> (u16, Value) {
    let r = w
        .http()
        .post(w.app.url("/api/v1/complaints/track"))
        .json(&json!({"tracking_code": code, "secret": secret}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

both_backends!(
    a_confidential_report_needs_code_and_secret,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (st, v) = w
            .file(json!({
                "category": "infrastruktur",
                "description": "Pungutan liar di kantor kelurahan untuk surat pengantar.",
                "village_code": BANJAR_VILLAGE,
                "confidential": true,
            }))
            .await;
        assert_eq!(st, 201, "{v}");
        let (id, code) = (
            v["id"].as_i64().unwrap(),
            v["tracking_code"].as_str().unwrap(),
        );
        let secret = v["secret"].as_str().unwrap().to_string();
        assert_eq!(secret.len(), 19, "{v}");
        assert!(!v["tracking_url"].as_str().unwrap().contains(code));
        w.act(&w.officer_banjar, id, json!({"action": "dispatch"}))
            .await;
        w.act(
            &w.officer_banjar,
            id,
            json!({"action": "answer", "body": "Ditindak."}),
        )
        .await;
        // The code alone: like an unknown code, on every path.
        let by_code = w
            .http()
            .get(w.app.url(&format!("/api/v1/complaints/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(by_code.status(), 404);
        let (st, html) = w.reporter_form("/aduan/lacak", &[("kode", code)]).await;
        assert_eq!(st, 404);
        assert!(!html.contains("Pungutan liar"), "{html}");
        // A wrong secret is refused exactly like an unknown code.
        let mut other = secret.clone().into_bytes();
        other[0] = if other[0] == b'2' { b'3' } else { b'2' };
        let wrong = String::from_utf8(other).unwrap();
        let (st_wrong, v_wrong) = track(&w, code, &wrong).await;
        let (st_unknown, v_unknown) = track(&w, "ABCDE-FGHJK", &wrong).await;
        assert_eq!((st_wrong, st_unknown), (404, 404));
        assert_eq!(v_wrong["code"], v_unknown["code"]);
        assert_eq!(v_wrong["message"], v_unknown["message"]);
        let (st, _) = w
            .reporter_form("/aduan/lacak", &[("kode", code), ("rahasia", &wrong)])
            .await;
        assert_eq!(st, 404);
        // Acting without the secret, or with a wrong one, changes nothing.
        for s in ["", wrong.as_str()] {
            let (st, _) = w
                .reporter_form("/aduan/lacak/selesai", &[("kode", code), ("rahasia", s)])
                .await;
            assert_eq!(st, 404);
            let (st, _) = w
                .reporter_form(
                    "/aduan/lacak/balas",
                    &[("kode", code), ("rahasia", s), ("body", "Belum beres.")],
                )
                .await;
            assert_eq!(st, 404);
        }
        let (_, one) = w
            .get_as(&w.officer_banjar, &format!("/api/v1/work/complaints/{id}"))
            .await;
        assert_eq!(one["status"], "answered");
        // Code and secret: the reporter reads it and confirms.
        let (st, mine) = track(&w, &code.to_lowercase(), &secret.to_lowercase()).await;
        assert_eq!(st, 200, "{mine}");
        assert!(mine["description"]
            .as_str()
            .unwrap()
            .contains("Pungutan liar"));
        let (st, html) = w
            .reporter_form("/aduan/lacak", &[("kode", code), ("rahasia", &secret)])
            .await;
        assert_eq!(st, 200);
        assert!(html.contains("Pungutan liar"));
        let (st, html) = w
            .reporter_form(
                "/aduan/lacak/selesai",
                &[("kode", code), ("rahasia", &secret)],
            )
            .await;
        assert_eq!(st, 200, "{html}");
        let (_, one) = w
            .get_as(&w.officer_banjar, &format!("/api/v1/work/complaints/{id}"))
            .await;
        assert_eq!(one["status"], "closed");
    }
);

both_backends!(
    an_anonymous_reporter_leaves_no_ip_or_user_agent,
    |b: Backend| async move {
        let w = World::new(b).await;
        let r = w
            .http()
            .post(w.app.url("/api/v1/complaints"))
            .header("user-agent", "Peramban-Pelapor/1.0")
            .json(&json!({
                "category": "infrastruktur",
                "description": "Lampu jalan mati sepanjang gang tiga sejak seminggu.",
                "village_code": BANJAR_VILLAGE,
                "anonymous": true,
                "contact_phone": "081233334444",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        let (id, code, secret) = (
            v["id"].as_i64().unwrap(),
            v["tracking_code"].as_str().unwrap().to_string(),
            v["secret"].as_str().unwrap_or_default().to_string(),
        );
        let client = w.app.client();
        let csrf = w.app.csrf(&client, "/aduan/lacak").await;
        let r = client
            .post(w.app.url("/aduan/lacak/balas"))
            .header("user-agent", "Peramban-Pelapor/1.0")
            .form(&[
                ("csrf", csrf.as_str()),
                ("kode", code.as_str()),
                ("rahasia", secret.as_str()),
                ("body", "Tambahan: tiang lampu juga miring."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let kept = w
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE target_kind = 'complaint'
                   AND target_id = '{id}' AND (ip <> '' OR user_agent <> '')"
            ))
            .await;
        let rows = w
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE target_kind = 'complaint' AND target_id = '{id}'"
            ))
            .await;
        assert_eq!(rows, 2, "filed and replied");
        assert_eq!(kept, 0, "no IP address or user agent in the audit log");
        assert!(!audit_text(&w).await.contains("Peramban-Pelapor"));
        // The row keeps the IP for the flood window only: the sweep forgets it after.
        let mut tx = w.app.db.begin().await.unwrap();
        balai_core::with_tx!(&mut tx, |c| sqlx::query(
            "UPDATE complaints SET submitted_at = $1 WHERE id = $2"
        )
        .bind(balai_core::db::now() - time::Duration::hours(2))
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();
        tx.commit().await.unwrap();
        balai_complaints::jobs::sweep::sweep(
            &w.app.db,
            balai_complaints::domain::settings::today(),
            &ClockConfig::default(),
        )
        .await
        .unwrap();
        let ips = w
            .count(&format!(
                "SELECT COUNT(*) FROM complaints WHERE id = {id} AND submitted_ip IS NOT NULL"
            ))
            .await;
        assert_eq!(ips, 0);
    }
);

both_backends!(
    rapid_tracking_look_ups_get_429_with_retry_after,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (_, code) = w.file_banjar(json!({})).await;
        let mut statuses = Vec::new();
        let mut retry_after = None;
        for _ in 0..30 {
            let r = w
                .http()
                .get(w.app.url(&format!("/api/v1/complaints/{code}")))
                .send()
                .await
                .unwrap();
            statuses.push(r.status().as_u16());
            if r.status() == 429 {
                retry_after = r.headers().get("retry-after").cloned();
                let v: Value = r.json().await.unwrap();
                assert_eq!(v["code"], "rate_limited");
            }
        }
        assert_eq!(statuses[0], 200);
        assert_eq!(statuses[29], 429, "{statuses:?}");
        let secs: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
        assert!((1..=600).contains(&secs));
        // Every other look-up path shares the budget.
        let (st, _) = track(&w, &code, "ABCD-EFGH-JKMN-PQRS").await;
        assert_eq!(st, 429);
        let client = w.app.client();
        let page = client.get(w.app.url("/aduan/lacak")).send().await.unwrap();
        let csrf = extract_csrf(&page.text().await.unwrap()).unwrap();
        let r = client
            .post(w.app.url("/aduan/lacak"))
            .form(&[("csrf", csrf.as_str()), ("kode", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
        assert!(r.headers().get("retry-after").is_some());
        let r = w
            .http()
            .get(w.app.url(&format!("/open311/v2/tokens/{code}.json")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
        assert!(r.headers().get("retry-after").is_some());
    }
);

//! The life of a complaint on both backends: filing, dispatch and follow-up clocks (with
//! holidays), answer, confirmation, re-routing, duplicates, auto-close and escalation.

use crate::support::worlds::complaints as world;

use crate::support::worlds::complaints::World;
use crate::support::Backend;
use balai_complaints::domain::settings::today;
use balai_complaints::domain::ClockConfig;
use balai_core::calendar;
use serde_json::json;

async fn clock_due(w: &World, id: i64, purpose: &str) -> Option<(time::Date, bool)> {
    calendar::get_clock(&w.app.db, "complaint", &id.to_string(), purpose)
        .await
        .unwrap()
        .map(|c| (c.due_day, c.open))
}

both_backends!(
    full_lifecycle_with_clocks_audit_and_notifications,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (id, code, secret) = w.file_banjar_with_secret(json!({})).await;
        assert_eq!(code.len(), 10);
        let cal = calendar::load(&w.app.db).await.unwrap();
        let t = today();
        // Dispatch clock: 3 working days.
        assert_eq!(
            clock_due(&w, id, "dispatch").await,
            Some((cal.add_working_days(t, 3), true))
        );
        let v = w.public(&code).await;
        assert_eq!(v["status"], "submitted");
        assert_eq!(v["agency"], "Pemerintah Kota Banjar");
        assert!(
            v.get("contact_email").is_none(),
            "public view must not carry contact data"
        );

        // Dispatch → follow-up clock of 5 working days.
        let (st, r) = w
            .act(&w.officer_banjar, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!((st, r["status"].as_str()), (200, Some("dispatched")), "{r}");
        assert!(!clock_due(&w, id, "dispatch").await.unwrap().1);
        assert_eq!(
            clock_due(&w, id, "follow_up").await,
            Some((cal.add_working_days(t, 5), true))
        );
        // Answering before dispatching again is fine; dispatching twice is not.
        let (st, r) = w
            .act(&w.officer_banjar, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!((st, r["code"].as_str()), (409, Some("bad_transition")));
        let (st, _) = w
            .act(
                &w.officer_banjar,
                id,
                json!({"action": "answer", "body": ""}),
            )
            .await;
        assert_eq!(st, 422, "an empty answer is refused");
        let (st, r) = w
            .act(
                &w.officer_banjar,
                id,
                json!({"action": "answer", "body": "Sudah ditambal tanggal 3."}),
            )
            .await;
        assert_eq!((st, r["status"].as_str()), (200, Some("answered")));
        assert_eq!(
            clock_due(&w, id, "auto_close").await,
            Some((cal.add_working_days(t, 10), true))
        );

        // The reporter confirms through the HTML page (no JavaScript: a plain form), with the
        // code and the secret.
        let (st, html) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert_eq!(st, 200);
        assert!(html.contains("Sudah ditambal tanggal 3."));
        assert!(html.contains("data-status=\"answered\""));
        let (st, html) = w
            .reporter_form(
                "/aduan/lacak/selesai",
                &[("kode", &code), ("rahasia", &secret)],
            )
            .await;
        assert_eq!(st, 200);
        assert!(html.contains("id=\"tindakan-ok\""));
        let v = w.public(&code).await;
        assert_eq!(v["status"], "closed");
        assert!(!clock_due(&w, id, "auto_close").await.unwrap().1);
        let kinds: Vec<&str> = v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["submitted", "dispatched", "answered", "confirmed_resolved"]
        );

        // Every step is in the audit chain, and the chain verifies.
        let n = w.count("SELECT COUNT(*) FROM audit_events WHERE target_kind = 'complaint' AND action LIKE 'complaint.%'").await;
        assert_eq!(n, 4);
        assert!(balai_core::audit::verify(&w.app.db).await.unwrap().is_ok());
        // The reporter gave an email: one notification per change (submit, dispatch, answer, close).
        let mails = w
            .count("SELECT COUNT(*) FROM notifications WHERE recipient = 'warga@contoh.id'")
            .await;
        assert_eq!(mails, 4);
        // Reopening a closed report goes back to follow-up.
        let (st, _) = w
            .reporter_form(
                "/aduan/lacak/buka",
                &[
                    ("kode", &code),
                    ("rahasia", &secret),
                    ("body", "Lubangnya muncul lagi."),
                ],
            )
            .await;
        assert_eq!(st, 200);
        assert_eq!(w.public(&code).await["status"], "in_follow_up");
    }
);

both_backends!(holidays_move_running_deadlines, |b: Backend| async move {
    let w = World::new(b).await;
    let (id, code) = w.file_banjar(json!({})).await;
    let (due, _) = clock_due(&w, id, "dispatch").await.unwrap();
    // Declare the due day a regional holiday: the deadline moves to the next working day.
    let r = w
        .http()
        .post(w.app.url("/api/v1/calendar/holidays"))
        .bearer_auth(&w.superadmin)
        .json(&json!({"day": due.to_string(), "kind": "libur_daerah", "name_id": "Libur uji", "source": "uji"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let cal = calendar::load(&w.app.db).await.unwrap();
    let (moved, open) = clock_due(&w, id, "dispatch").await.unwrap();
    assert!(open);
    assert!(moved > due);
    assert_eq!(moved, cal.add_working_days(due, 1));
    assert_eq!(w.public(&code).await["due_day"], moved.to_string());
});

both_backends!(
    reroute_keeps_the_trail_and_moves_the_work,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (id, code) = w
            .file_banjar(json!({"description": "KTP-el saya belum jadi sejak tiga bulan lalu."}))
            .await;
        let (st, _) = w
            .act(&w.officer_banjar, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(st, 200);
        // Not ours: to Disdukcapil.
        let (st, r) = w
        .act(&w.supervisor_banjar, id, json!({"action": "reroute", "to_agency_id": w.dukcapil_banjar, "body": "Urusan KTP-el."}))
        .await;
        assert_eq!(
            (st, r["status"].as_str()),
            (200, Some("not_our_authority")),
            "{r}"
        );
        // The old agency can no longer see or act on it.
        let (st, _) = w
            .act(
                &w.officer_banjar,
                id,
                json!({"action": "note", "body": "x"}),
            )
            .await;
        assert_eq!(st, 404);
        let (st, _) = w
            .get_as(&w.officer_banjar, &format!("/api/v1/work/complaints/{id}"))
            .await;
        assert_eq!(st, 404);
        // The new one finds it in its "new" queue with a fresh dispatch clock.
        let (st, q) = w
            .get_as(&w.dukcapil_officer, "/api/v1/work/complaints?queue=new")
            .await;
        assert_eq!(st, 200);
        assert_eq!(q.as_array().unwrap().len(), 1);
        assert!(clock_due(&w, id, "dispatch").await.unwrap().1);
        assert!(!clock_due(&w, id, "follow_up").await.unwrap().1);
        let (st, r) = w
            .act(&w.dukcapil_officer, id, json!({"action": "dispatch"}))
            .await;
        assert_eq!((st, r["status"].as_str()), (200, Some("dispatched")));
        // Answer from a standard reply.
        let (st, _) = w
            .act(
                &w.dukcapil_officer,
                id,
                json!({"action": "answer", "template": "nope"}),
            )
            .await;
        assert_eq!(st, 422);
        let (st, _) = w
            .act(
                &w.dukcapil_officer,
                id,
                json!({"action": "answer", "template": "dijadwalkan"}),
            )
            .await;
        assert_eq!(st, 200);
        let v = w.public(&code).await;
        assert_eq!(v["status"], "answered");
        assert!(v["timeline"].as_array().unwrap().iter().any(|e| e["text"]
            .as_str()
            .unwrap()
            .starts_with("Perbaikan telah dijadwalkan")));
        assert_eq!(v["agency"], "Disdukcapil Kota Banjar");
        let tl = v["timeline"].as_array().unwrap();
        let rerouted = tl.iter().find(|e| e["kind"] == "rerouted").unwrap();
        assert!(rerouted["text"]
            .as_str()
            .unwrap()
            .contains("Disdukcapil Kota Banjar"));
        let trail = w
            .count(&format!(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND kind = 'rerouted'
               AND from_agency = {} AND to_agency = {}",
            w.pemda_banjar, w.dukcapil_banjar
        ))
            .await;
        assert_eq!(trail, 1);
    }
);

both_backends!(
    duplicates_merge_into_the_original,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (orig_id, orig_code) = w.file_banjar(json!({})).await;
        let (dup_id, dup_code, dup_secret) = w
            .file_banjar_with_secret(
                json!({"description": "Jalan di depan pasar berlubang, tolong diperbaiki."}),
            )
            .await;
        let (st, r) = w
            .act(
                &w.officer_banjar,
                dup_id,
                json!({"action": "mark_duplicate", "original_id": dup_id}),
            )
            .await;
        assert_eq!(
            (st, r["code"].as_str()),
            (422, Some("bad_original")),
            "not a duplicate of itself"
        );
        let (st, r) = w
            .act(
                &w.officer_banjar,
                dup_id,
                json!({"action": "mark_duplicate", "original_id": orig_id}),
            )
            .await;
        assert_eq!((st, r["status"].as_str()), (200, Some("duplicate")), "{r}");
        let v = w.public(&dup_code).await;
        assert_eq!(v["duplicate_of"], orig_id);
        // The duplicate's page points to the original; every clock stopped; nothing more to do.
        let (_, html) = w
            .reporter_form(
                "/aduan/lacak",
                &[("kode", &dup_code), ("rahasia", &dup_secret)],
            )
            .await;
        assert!(html.contains(&format!("/aduan/lihat/{orig_id}")));
        // The timeline names the original by its number, never its tracking code.
        assert!(html.contains(&format!("#{orig_id}")));
        let hyphen = format!("{}-{}", &orig_code[..5], &orig_code[5..]);
        assert!(
            !html.contains(&orig_code) && !html.contains(&hyphen),
            "{html}"
        );
        assert!(!clock_due(&w, dup_id, "dispatch").await.unwrap().1);
        let (st, _) = w
            .act(&w.officer_banjar, dup_id, json!({"action": "dispatch"}))
            .await;
        assert_eq!(st, 409);
        // A duplicate cannot itself be an original.
        let (_, third) = w.file_banjar(json!({})).await;
        let third_id = w.public(&third).await;
        let _ = third_id;
        let id3 = w
            .count(&format!(
                "SELECT id FROM complaints WHERE tracking_code = '{third}'"
            ))
            .await;
        let (st, _) = w
            .act(
                &w.officer_banjar,
                id3,
                json!({"action": "mark_duplicate", "original_id": dup_id}),
            )
            .await;
        assert_eq!(st, 422);
        assert_eq!(w.public(&orig_code).await["status"], "submitted");
    }
);

both_backends!(auto_close_and_escalation_jobs, |b: Backend| async move {
    let w = World::new(b).await;
    let cfg = ClockConfig::default();
    let (answered, code) = w.file_banjar(json!({})).await;
    w.act(&w.officer_banjar, answered, json!({"action": "dispatch"}))
        .await;
    w.act(
        &w.officer_banjar,
        answered,
        json!({"action": "answer", "body": "Selesai diperbaiki."}),
    )
    .await;
    let (waiting, _) = w.file_banjar(json!({})).await;
    let cal = calendar::load(&w.app.db).await.unwrap();
    // On the auto-close due day itself nothing closes yet.
    let due = cal.add_working_days(today(), 10);
    let r = balai_complaints::jobs::sweep::sweep(&w.app.db, due, &cfg)
        .await
        .unwrap();
    assert_eq!(r.auto_closed, 0);
    // Submitted and never dispatched: escalated to the supervisor by email, once.
    assert_eq!(r.escalated, 1);
    let mails = w
        .count("SELECT COUNT(*) FROM notifications WHERE recipient = 'atasan@banjar.example'")
        .await;
    assert_eq!(mails, 1);
    let esc = w.count(&format!("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {waiting} AND kind = 'escalated' AND public = FALSE")).await;
    assert_eq!(esc, 1);
    let after = due.next_day().unwrap();
    let r = balai_complaints::jobs::sweep::sweep(&w.app.db, after, &cfg)
        .await
        .unwrap();
    assert_eq!(
        r,
        balai_complaints::jobs::sweep::SweepReport {
            auto_closed: 1,
            escalated: 0
        }
    );
    assert_eq!(w.public(&code).await["status"], "closed");
    let n = w
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'complaint.auto_close'")
        .await;
    assert_eq!(n, 1);
    // The sweep job is queued (it re-queues itself while it runs).
    let jobs = w
        .count("SELECT COUNT(*) FROM jobs WHERE kind = 'complaints.sweep'")
        .await;
    assert!(jobs >= 1);
});

both_backends!(
    idempotency_key_returns_the_same_tracking_code,
    |b: Backend| async move {
        let w = World::new(b).await;
        let body = json!({
            "category": "pelayanan",
            "description": "Antrean di kantor kelurahan sangat lama setiap pagi.",
            "village_code": world::BANJAR_VILLAGE,
        });
        let mut codes = Vec::new();
        for _ in 0..2 {
            let r = w
                .http()
                .post(w.app.url("/api/v1/complaints"))
                .header("Idempotency-Key", "outbox-7f1c")
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 201);
            let v: serde_json::Value = r.json().await.unwrap();
            codes.push(v["tracking_code"].as_str().unwrap().to_string());
        }
        assert_eq!(codes[0], codes[1]);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
    }
);

both_backends!(
    concurrent_retries_with_one_key_file_one_report,
    |b: Backend| async move {
        let w = World::new(b).await;
        let body = json!({
            "category": "pelayanan",
            "description": "Lampu penerangan jalan di depan pasar padam tiga malam.",
            "village_code": world::BANJAR_VILLAGE,
        });
        // A phone on a weak signal fires the same report several times at once; the key is
        // claimed by the first write, in the report's own transaction, so only one acts.
        let send = || {
            w.http()
                .post(w.app.url("/api/v1/complaints"))
                .header("Idempotency-Key", "burst-1")
                .json(&body)
                .send()
        };
        let mut burst = tokio::task::JoinSet::new();
        for _ in 0..8 {
            burst.spawn(send());
        }
        let mut codes = std::collections::BTreeSet::new();
        while let Some(r) = burst.join_next().await {
            let r = r.unwrap().unwrap();
            let status = r.status().as_u16();
            let v: serde_json::Value = r.json().await.unwrap();
            match status {
                201 => {
                    codes.insert(v["tracking_code"].as_str().unwrap().to_string());
                }
                409 => assert_eq!(v["code"], "idempotency_in_progress", "{v}"),
                other => panic!("unexpected {other}: {v}"),
            }
        }
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
        assert!(
            codes.len() <= 1,
            "two tracking codes for one key: {codes:?}"
        );
        // Once settled, a retry is answered with the stored report.
        let r = send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201);
        assert_eq!(r.headers()["idempotency-replayed"], "true");
        let v: serde_json::Value = r.json().await.unwrap();
        if let Some(c) = codes.iter().next() {
            assert_eq!(v["tracking_code"].as_str().unwrap(), c);
        }
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaint_events").await, 1);
    }
);

both_backends!(
    a_client_that_hangs_up_still_gets_its_report_on_retry,
    |b: Backend| async move {
        use base64::Engine;
        use tokio::io::AsyncWriteExt;
        let w = World::new(b).await;
        // A photo makes the request slow enough (decode, re-encode) to hang up during it.
        let photo = base64::engine::general_purpose::STANDARD.encode(world::jpeg(1600, 1200));
        let body = serde_json::to_vec(&json!({
            "category": "infrastruktur",
            "description": "Jembatan kayu di dusun kami patah, anak sekolah memutar jauh.",
            "village_code": world::BANJAR_VILLAGE,
            "photos": [photo],
        }))
        .unwrap();
        let addr = w
            .app
            .url("")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let mut sock = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /api/v1/complaints HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Idempotency-Key: weak-signal-1\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(&body).await.unwrap();
        sock.flush().await.unwrap();
        // The signal drops as soon as the report is sent: the phone never reads the answer.
        // Whether the server got to work before it noticed is a matter of timing; either way
        // the key must not be left "running" for ever (it is claimed by the report's own
        // write, and the rest runs in a task of its own), and a retry must give exactly one
        // report.
        drop(sock);
        let retry = || {
            w.http()
                .post(w.app.url("/api/v1/complaints"))
                .header("Idempotency-Key", "weak-signal-1")
                .header("Content-Type", "application/json")
                .body(body.clone())
                .send()
        };
        // The outbox retries with the same key until it gets an answer other than "running".
        let mut last = (0, serde_json::Value::Null);
        for _ in 0..150 {
            let r = retry().await.unwrap();
            let status = r.status().as_u16();
            last = (status, r.json().await.unwrap_or_default());
            if status != 409 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(last.0, 201, "the retry got {:?}", last.1);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
        // And from now on the same answer, replayed.
        let again = retry().await.unwrap();
        assert_eq!(again.status().as_u16(), 201);
        assert_eq!(again.headers()["idempotency-replayed"], "true");
        let again: serde_json::Value = again.json().await.unwrap();
        assert_eq!(again["tracking_code"], last.1["tracking_code"]);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
        let code = last.1["tracking_code"].as_str().unwrap();
        assert_eq!(w.public(code).await["status"], "submitted");
    }
);

both_backends!(
    a_keyed_report_and_its_stored_answer_commit_together,
    |b: Backend| async move {
        let w = World::new(b).await;
        let body = json!({
            "category": "pelayanan",
            "description": "Saluran air di gang masjid tersumbat sejak seminggu.",
            "village_code": world::BANJAR_VILLAGE,
            "contact_phone": "081234567890",
        });
        let send = || {
            w.http()
                .post(w.app.url("/api/v1/complaints"))
                .header("Idempotency-Key", "one-commit-1")
                .json(&body)
                .send()
        };
        let (_, commits_before) = w.app.ctx.writer.counts();
        let r = send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let first = r.text().await.unwrap();
        let (_, commits_after) = w.app.ctx.writer.counts();
        // The report, its clock, notification, audit event and the key's answer: one commit
        // (the answer used to need a second one, and a crash between them left the key
        // "running" with the report filed).
        assert_eq!(commits_after - commits_before, 1);
        let (status, code, stored): (String, i64, Vec<u8>) =
            balai_core::with_db!(&w.app.db, |c| sqlx::query_as(
                "SELECT status, response_status, response_body FROM idempotency_keys
                 WHERE idem_key = 'one-commit-1'"
            )
            .fetch_one(c)
            .await)
            .unwrap();
        assert_eq!((status.as_str(), code), ("done", 201));
        assert_eq!(String::from_utf8(stored).unwrap(), first);
        // A retry gets exactly those bytes and files nothing.
        let r = send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201);
        assert_eq!(r.headers()["idempotency-replayed"], "true");
        assert_eq!(r.text().await.unwrap(), first);
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
    }
);

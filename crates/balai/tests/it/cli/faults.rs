//! `balai serve` under faults of its surroundings: a standard error that cannot be written,
//! and a kill -9 while an SMS is with the gateway. Also what the log says of a replay.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::cli::*;
use crate::support::gateway::{Gateway, Mode};
use crate::support::{fresh_db, Backend};
use balai_core::Db;

/// A database with a super-admin's API token, and the target to run `balai` on it.
async fn setup(b: Backend) -> (Target, Db, tempfile::TempDir, String) {
    let (db, url, dir) = fresh_db(b).await;
    let t = match b {
        Backend::Sqlite => Target::data_dir(dir.path()),
        Backend::Postgres => Target::url(&url, dir.path()),
    };
    run_ok(&t, &["user", "add", "rel", "--superadmin"]).await;
    let token = run_ok(&t, &["token", "create", "--user", "rel"])
        .await
        .stdout
        .trim()
        .to_string();
    (t, db, dir, token)
}

/// What a report got: status, tracking code and the request id of the answer.
async fn report(
    server: &Server,
    token: &str,
    key: Option<&str>,
    phone: &str,
) -> (u16, String, String) {
    let body = serde_json::json!({
        "category": "infrastruktur",
        "village_code": "32.79.01.1001",
        "description": "Lampu jalan mati sejak minggu lalu di gang lima, mohon segera diperbaiki.",
        "contact_phone": phone,
    });
    let mut req = http()
        .post(server.url("/api/v1/complaints"))
        .bearer_auth(token)
        .json(&body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let res = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("no answer to a report (key {key:?}): {e}"));
    let st = res.status().as_u16();
    let rid = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let v: serde_json::Value = res.json().await.unwrap_or_default();
    let code = v["tracking_code"].as_str().unwrap_or_default().to_string();
    (st, code, rid)
}

async fn wait_for(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

both_backends!(
    a_stderr_that_cannot_be_written_stops_nothing,
    |b: Backend| async move {
        let (t, db, _dir, token) = setup(b).await;
        // The gateway refuses at first, so the workers log warnings (that cannot be written).
        let gateway = Gateway::start(Mode::Refuse).await;
        let env = [
            ("BALAI_SMS__GATEWAY_URL", gateway.url.as_str()),
            ("BALAI_JOBS__POLL_MILLIS", "50"),
            // A refused delivery is tried again 2 s later.
            ("BALAI_JOBS__BACKOFF_BASE_SECONDS", "1"),
            ("BALAI_LOG", "info"),
        ];
        let (server, _) =
            Server::start_logging_to(&t, &[], &env, Some(Path::new("/dev/full"))).await;
        // A keyed report, then its retries: each answered, with the same report.
        let mut codes = Vec::new();
        for _ in 0..3 {
            let (st, code, _) = report(&server, &token, Some("kunci-1"), "081200000100").await;
            assert_eq!(st, 201);
            codes.push(code);
        }
        assert!(
            codes.iter().all(|c| *c == codes[0] && !c.is_empty()),
            "{codes:?}"
        );
        wait_for("a refused delivery", Duration::from_secs(10), async || {
            !gateway.received().is_empty()
        })
        .await;
        gateway.set_mode(Mode::Accept);
        for i in 1..=3 {
            let (st, _, _) = report(&server, &token, None, &format!("08120000010{i}")).await;
            assert_eq!(st, 201);
        }
        wait_for("every SMS sent", Duration::from_secs(30), async || {
            scalar_i64(
                &db,
                "SELECT COUNT(*) FROM notifications WHERE status = 'sent'",
            )
            .await
                == 4
        })
        .await;
        for i in 0..=3 {
            assert!(gateway.count_to(&format!("+6281200000{}", 100 + i)) >= 1);
        }
        let res = http().get(server.url("/readyz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(v["ready"], true, "{v}");
        let metrics = http()
            .get(server.url("/metrics"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let dropped = metrics
            .lines()
            .find_map(|l| l.strip_prefix("balai_log_lines_dropped_total "))
            .and_then(|n| n.trim().parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no dropped-lines counter:\n{metrics}"));
        assert!(dropped > 0.0, "{dropped}");
        server.stop().await;
    }
);

both_backends!(
    a_replay_is_logged_below_error_with_its_request_id,
    |b: Backend| async move {
        let (t, _db, _dir, token) = setup(b).await;
        let env = [("BALAI_LOG", "info,balai_core=debug")];
        let (server, _) = Server::start(&t, &[], &env).await;
        let (st, first, _) = report(&server, &token, Some("kunci-ulang"), "081200000200").await;
        assert_eq!(st, 201);
        let (st, again, rid) = report(&server, &token, Some("kunci-ulang"), "081200000200").await;
        assert_eq!((st, &again), (201, &first));
        let log = server.stderr();
        server.stop().await;
        assert!(
            !log.lines().any(|l| l.contains("ERROR")),
            "a replay logged as an error:\n{log}"
        );
        let line = log
            .lines()
            .find(|l| l.contains("Idempotency-Key held by another request"))
            .unwrap_or_else(|| panic!("the replay is not logged at all:\n{log}"));
        assert!(line.contains("DEBUG"), "{line}");
        assert!(
            line.contains(&rid),
            "the replay's line lacks its request id {rid}: {line}"
        );
    }
);

both_backends!(
    an_sms_with_the_gateway_at_a_kill_9_is_not_sent_twice,
    |b: Backend| async move {
        let (t, db, _dir, token) = setup(b).await;
        // The gateway takes the message and holds the answer: the server dies meanwhile.
        let gateway = Gateway::start(Mode::Hold).await;
        let env = [
            ("BALAI_SMS__GATEWAY_URL", gateway.url.as_str()),
            ("BALAI_JOBS__POLL_MILLIS", "50"),
            ("BALAI_JOBS__BACKOFF_BASE_SECONDS", "0"),
            ("BALAI_JOBS__LEASE_SECONDS", "1"),
        ];
        let (mut server, _) = Server::start(&t, &[], &env).await;
        let (st, _, _) = report(&server, &token, None, "081200000300").await;
        assert_eq!(st, 201);
        wait_for(
            "the SMS at the gateway",
            Duration::from_secs(10),
            async || !gateway.received().is_empty(),
        )
        .await;
        server.kill9().await;
        gateway.set_mode(Mode::Accept);
        let (server, _) = Server::start(&t, &[], &env).await;
        // Its lease runs out after a second; the restarted server takes the job again.
        wait_for("the job taken again", Duration::from_secs(20), async || {
            scalar_i64(
                &db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'notify.deliver' AND status = 'done'",
            )
            .await
                == 1
        })
        .await;
        // A report after the restart is delivered as usual.
        let (st, _, _) = report(&server, &token, None, "081200000301").await;
        assert_eq!(st, 201);
        wait_for("the next SMS", Duration::from_secs(10), async || {
            gateway.count_to("+6281200000301") == 1
        })
        .await;
        assert_eq!(gateway.count_to("+6281200000300"), 1, "sent twice");
        let status = scalar_string(
            &db,
            "SELECT status FROM notifications WHERE recipient = '+6281200000300'",
        )
        .await;
        assert_eq!(status, "unknown");
        server.stop().await;
    }
);

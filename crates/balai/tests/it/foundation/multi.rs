//! Several app instances on one PostgreSQL database (shared sessions, a shared job queue), and
//! the notification outbox delivering over real SMTP and a real HTTP SMS gateway.

use crate::support;
use crate::support::smtp;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{fresh_db, test_config, Backend, TestApp};
use balai_core::accounts::Role;
use balai_core::config::{SmsSettings, SmtpSettings};
use balai_core::jobs::{self, JobRegistry};
use balai_core::outbox::{self, Channel};
use balai_core::{with_db, with_tx, Db};
use reqwest::header::SET_COOKIE;
use reqwest::Client;

async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await).unwrap()
}

use crate::support::exec;

fn no_cookies() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Two app instances, each with its own pool, on one PostgreSQL database.
async fn two_instances() -> (TestApp, TestApp) {
    let (db, url, dir) = fresh_db(Backend::Postgres).await;
    let cfg = test_config(dir.path(), &url);
    let a = TestApp::serve(db, url.clone(), dir, cfg).await;
    let dir2 = tempfile::tempdir().unwrap();
    let db2 = Db::connect(&url).await.unwrap();
    let cfg2 = test_config(dir2.path(), &url);
    let b = TestApp::serve(db2, url, dir2, cfg2).await;
    (a, b)
}

// ---------------------------------------------------------------- 11. two instances

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn session_from_one_instance_works_on_another() {
    let (a, b) = two_instances().await;
    assert_ne!(a.addr, b.addr);
    let agency = a.add_agency("kpu", "KPU Kota Banjar", "32.79").await;
    let pw = a
        .add_user("banjar.admin", Some(agency), Role::Admin, false)
        .await;
    let browser = a.client();
    let res = a.login(&browser, "banjar.admin", &pw).await;
    assert_eq!(res.status().as_u16(), 303);
    let session = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("balai_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    // The CSRF cookie and its signed token, as instance A issued them.
    let html = browser
        .get(a.url("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = support::extract_csrf(&html).unwrap();
    let csrf_cookie = browser
        .get(a.url("/login"))
        .send()
        .await
        .unwrap()
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .count();
    assert_eq!(csrf_cookie, 0, "the csrf cookie is issued once per browser");

    let other = no_cookies();
    let res = other.get(b.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303, "B without a cookie");
    let res = other
        .get(b.url("/dashboard"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("banjar.admin"));

    // A form token signed by A is accepted by B (the secret is shared through the database).
    let first = no_cookies()
        .get(a.url("/account/password"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    let csrf_pair = first
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("balai_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let signed = support::extract_csrf(&first.text().await.unwrap()).unwrap();
    assert_ne!(signed, token, "another browser, another token");
    let res = other
        .post(b.url("/logout"))
        .header("cookie", format!("{csrf_pair}; {session}"))
        .form(&[("csrf", signed.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    // Signed out on B means signed out on A.
    let res = browser.get(a.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
}

const TEST_KIND: &str = "test.record";

fn recording_registry(instance: &'static str) -> Arc<JobRegistry> {
    let mut reg = JobRegistry::default();
    reg.register(
        TEST_KIND,
        move |db: Db, payload: serde_json::Value| async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let key = payload["key"].as_str().unwrap_or("?").to_string();
            let mut tx = db.begin().await.map_err(|e| e.to_string())?;
            with_tx!(&mut tx, |c| sqlx::query(
                "INSERT INTO job_runs (job_key, worker) VALUES ($1, $2)"
            )
            .bind(&key)
            .bind(instance)
            .execute(&mut *c)
            .await
            .map(|_| ()))
            .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        },
    );
    Arc::new(reg)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_the_job_queue_without_double_runs() {
    let (db_a, url, _dir) = fresh_db(Backend::Postgres).await;
    let db_b = Db::connect(&url).await.unwrap();
    // No unique constraint: a job run twice would show as a duplicate row.
    exec(&db_a, "CREATE TABLE job_runs (job_key TEXT, worker TEXT)").await;
    let mut tx = db_a.begin().await.unwrap();
    for i in 0..200 {
        let payload = serde_json::json!({ "key": format!("k{i:03}") });
        jobs::enqueue(&mut tx, TEST_KIND, &payload, 3)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let mut settings = test_config(std::path::Path::new("."), &url).jobs;
    settings.workers = 2;
    settings.poll_millis = 20;
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let mut workers = jobs::spawn_workers(
        db_a.clone(),
        recording_registry("inst-a"),
        settings.clone(),
        "inst-a",
        stop_rx.clone(),
    );
    workers.extend(jobs::spawn_workers(
        db_b.clone(),
        recording_registry("inst-b"),
        settings,
        "inst-b",
        stop_rx,
    ));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let done_sql = "SELECT COUNT(*) FROM jobs WHERE kind = 'test.record' AND status = 'done'";
    loop {
        if count(&db_a, done_sql).await == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {} of 200 jobs done after 60 s",
            count(&db_a, done_sql).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    for w in workers {
        tokio::time::timeout(Duration::from_secs(10), w)
            .await
            .expect("worker stops when told")
            .unwrap();
    }
    assert_eq!(count(&db_a, "SELECT COUNT(*) FROM job_runs").await, 200);
    assert_eq!(
        count(&db_a, "SELECT COUNT(DISTINCT job_key) FROM job_runs").await,
        200
    );
    let by_a = count(
        &db_a,
        "SELECT COUNT(*) FROM job_runs WHERE worker = 'inst-a'",
    )
    .await;
    let by_b = count(
        &db_a,
        "SELECT COUNT(*) FROM job_runs WHERE worker = 'inst-b'",
    )
    .await;
    assert!(by_a > 0 && by_b > 0, "inst-a ran {by_a}, inst-b ran {by_b}");
    let sql = "SELECT COUNT(*) FROM jobs WHERE kind = 'test.record' AND attempts <> 1";
    assert_eq!(count(&db_a, sql).await, 0, "every job ran exactly once");
}

// ---------------------------------------------------------------- 12. outbox delivery

async fn notify_job_id(db: &Db) -> i64 {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM jobs WHERE kind = 'notify.deliver'"
    )
    .fetch_one(c)
    .await)
    .unwrap()
}

async fn queue(db: &Db, channel: Channel, to: &str, subject: &str, body: &str) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, channel, to, subject, body)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn smtp_on(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        from: "balai@localhost".into(),
        username: None,
        password: None,
    }
}

both_backends!(email_is_delivered_over_smtp, |b: Backend| async move {
    let sink = tokio::task::spawn_blocking(smtp::SmtpSink::start)
        .await
        .unwrap()
        .unwrap();
    let (db, url, dir) = fresh_db(b).await;
    let mut cfg = test_config(dir.path(), &url);
    cfg.smtp = smtp_on(sink.port());
    let registry = balai::app::job_registry(&cfg).unwrap();
    let id = queue(
        &db,
        Channel::Email,
        "warga@example.org",
        "Subjek",
        "Isi pesan",
    )
    .await;
    assert_eq!(
        outbox::get(&db, id).await.unwrap().unwrap().status,
        "pending"
    );
    assert!(jobs::run_one(&db, &registry, "test/0", &cfg.jobs)
        .await
        .unwrap());
    let msgs = sink.wait_for(1, Duration::from_secs(10)).await.unwrap();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(smtp::header(m, "X-Envelope-To"), Some("warga@example.org"));
    assert_eq!(smtp::header(m, "X-Envelope-From"), Some("balai@localhost"));
    assert!(smtp::header(m, "Subject").is_some_and(|s| s.contains("Subjek")));
    assert!(smtp::body(m).contains("Isi pesan"));
    let n = outbox::get(&db, id).await.unwrap().unwrap();
    assert_eq!((n.status.as_str(), n.attempts), ("sent", 1));
    assert!(n.last_error.is_none());
    let job = jobs::status(&db, notify_job_id(&db).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.status, "done");
    // Nothing left to do, and nothing is sent twice.
    assert!(!jobs::run_one(&db, &registry, "test/0", &cfg.jobs)
        .await
        .unwrap());
    assert_eq!(sink.messages().len(), 1);
});

both_backends!(
    email_failure_keeps_notification_pending,
    |b: Backend| async move {
        // A port nothing listens on.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let (db, url, dir) = fresh_db(b).await;
        let mut cfg = test_config(dir.path(), &url);
        cfg.smtp = smtp_on(port);
        cfg.jobs.backoff_base_seconds = 60;
        let registry = balai::app::job_registry(&cfg).unwrap();
        let id = queue(
            &db,
            Channel::Email,
            "warga@example.org",
            "Subjek",
            "Isi pesan",
        )
        .await;
        assert!(jobs::run_one(&db, &registry, "test/0", &cfg.jobs)
            .await
            .unwrap());
        let n = outbox::get(&db, id).await.unwrap().unwrap();
        assert_eq!(n.status, "pending");
        assert!(
            n.last_error.as_deref().is_some_and(|e| !e.is_empty()),
            "{n:?}"
        );
        let job = jobs::status(&db, notify_job_id(&db).await)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((job.status.as_str(), job.attempts), ("queued", 1));
        assert!(job.last_error.is_some());
        assert!(job.lease_owner.is_none());
        // Backed off: not runnable again at once.
        assert!(!jobs::run_one(&db, &registry, "test/0", &cfg.jobs)
            .await
            .unwrap());
    }
);

type Posts = Arc<Mutex<Vec<(HashMap<String, String>, Option<String>)>>>;

/// A stand-in SMS gateway: `/send` records form posts, `/down` answers 503.
async fn sms_gateway() -> (String, Posts) {
    use axum::routing::post;
    let posts: Posts = Arc::default();
    let rec = posts.clone();
    let app = axum::Router::new()
        .route(
            "/send",
            post(
                move |headers: axum::http::HeaderMap,
                      axum::Form(f): axum::Form<HashMap<String, String>>| {
                    let rec = rec.clone();
                    async move {
                        let auth = headers
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string);
                        rec.lock().unwrap().push((f, auth));
                        "OK"
                    }
                },
            ),
        )
        .route(
            "/down",
            post(|| async { axum::http::StatusCode::SERVICE_UNAVAILABLE }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), posts)
}

both_backends!(
    sms_is_delivered_through_the_gateway,
    |b: Backend| async move {
        let (base, posts) = sms_gateway().await;
        let (db, url, dir) = fresh_db(b).await;
        let mut cfg = test_config(dir.path(), &url);
        cfg.sms = SmsSettings {
            gateway_url: format!("{base}/send"),
            gateway_token: Some("rahasia-gateway".into()),
            ..Default::default()
        };
        let registry = balai::app::job_registry(&cfg).unwrap();
        let text = "Aduan Anda diterima. Kode lacak: ADU-7Q2K";
        let id = queue(&db, Channel::Sms, "+6281234567890", "", text).await;
        assert!(jobs::run_one(&db, &registry, "test/0", &cfg.jobs)
            .await
            .unwrap());
        {
            let got = posts.lock().unwrap();
            assert_eq!(got.len(), 1);
            let (form, auth) = &got[0];
            assert_eq!(form.get("to").map(String::as_str), Some("+6281234567890"));
            assert_eq!(form.get("text").map(String::as_str), Some(text));
            assert_eq!(auth.as_deref(), Some("Bearer rahasia-gateway"));
        }
        let n = outbox::get(&db, id).await.unwrap().unwrap();
        assert_eq!(n.status, "sent");

        // A gateway that answers with an error: the message stays pending for a retry.
        cfg.sms.gateway_url = format!("{base}/down");
        let registry = balai::app::job_registry(&cfg).unwrap();
        let id = queue(&db, Channel::Sms, "+6289999999999", "", "tes").await;
        assert!(jobs::run_one(&db, &registry, "test/0", &cfg.jobs)
            .await
            .unwrap());
        let n = outbox::get(&db, id).await.unwrap().unwrap();
        assert_eq!(n.status, "pending");
        assert!(n.last_error.unwrap_or_default().contains("503"));
        assert_eq!(posts.lock().unwrap().len(), 1);
    }
);

both_backends!(
    one_worker_batch_records_each_delivery_with_its_job,
    |b: Backend| async move {
        // One worker claims deliveries that end differently: SMS through a working gateway,
        // email to a mail server that is down. Each notification and each job must end as its
        // own delivery did, although the batch writes them with a few statements.
        let (base, posts) = sms_gateway().await;
        let dead_port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let (db, url, dir) = fresh_db(b).await;
        let mut cfg = test_config(dir.path(), &url);
        cfg.sms = SmsSettings {
            gateway_url: format!("{base}/send"),
            gateway_token: None,
            ..Default::default()
        };
        cfg.smtp = smtp_on(dead_port);
        cfg.jobs.backoff_base_seconds = 60;
        let registry = balai::app::job_registry(&cfg).unwrap();
        let mut sms = Vec::new();
        for i in 0..3 {
            let to = format!("+62812000000{i}");
            sms.push(queue(&db, Channel::Sms, &to, "", "Laporan diterima").await);
        }
        let mut mail = Vec::new();
        for i in 0..2 {
            let to = format!("warga{i}@example.org");
            mail.push(queue(&db, Channel::Email, &to, "Subjek", "Isi").await);
        }
        let ran = jobs::run_some(&db, &registry, "test/0", &cfg.jobs, 10)
            .await
            .unwrap();
        assert_eq!(ran, 5);
        assert_eq!(posts.lock().unwrap().len(), 3);
        let job_of = |notification: i64| {
            let db = db.clone();
            async move {
                with_db!(&db, |c| sqlx::query_as::<_, (String, i64, Option<String>)>(
                    "SELECT status, attempts, last_error FROM jobs WHERE kind = 'notify.deliver'
                     AND payload LIKE $1"
                )
                .bind(format!("%\"notification_id\":{notification}}}%"))
                .fetch_one(c)
                .await)
                .unwrap()
            }
        };
        for id in sms {
            let n = outbox::get(&db, id).await.unwrap().unwrap();
            assert_eq!((n.status.as_str(), n.attempts), ("sent", 1), "{n:?}");
            assert!(n.last_error.is_none(), "{n:?}");
            let (status, attempts, err) = job_of(id).await;
            assert_eq!((status.as_str(), attempts, err), ("done", 1, None));
        }
        for id in mail {
            let n = outbox::get(&db, id).await.unwrap().unwrap();
            assert_eq!((n.status.as_str(), n.attempts), ("pending", 1), "{n:?}");
            assert!(
                n.last_error.as_deref().is_some_and(|e| !e.is_empty()),
                "{n:?}"
            );
            let (status, attempts, err) = job_of(id).await;
            assert_eq!((status.as_str(), attempts), ("queued", 1));
            assert_eq!(err, n.last_error);
        }
        // The failed ones backed off: nothing is runnable at once, nothing is sent twice.
        assert_eq!(
            jobs::run_some(&db, &registry, "test/0", &cfg.jobs, 10)
                .await
                .unwrap(),
            0
        );
        assert_eq!(posts.lock().unwrap().len(), 3);
    }
);

both_backends!(
    a_batch_of_deliveries_goes_to_the_gateway_side_by_side,
    |b: Backend| async move {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // A gateway that takes a while to answer and notes how many messages it holds at once.
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (inf, top) = (in_flight.clone(), most.clone());
        let app = axum::Router::new().route(
            "/send",
            axum::routing::post(move || {
                let (inf, top) = (inf.clone(), top.clone());
                async move {
                    let now = inf.fetch_add(1, Ordering::SeqCst) + 1;
                    top.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    inf.fetch_sub(1, Ordering::SeqCst);
                    "OK"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let (db, url, dir) = fresh_db(b).await;
        let mut cfg = test_config(dir.path(), &url);
        cfg.sms = SmsSettings {
            gateway_url: format!("http://{addr}/send"),
            gateway_token: None,
            ..Default::default()
        };
        let registry = balai::app::job_registry(&cfg).unwrap();
        let mut ids = Vec::new();
        for i in 0..4 {
            let to = format!("+62813000000{i}");
            ids.push(queue(&db, Channel::Sms, &to, "", "Laporan diterima").await);
        }
        let ran = jobs::run_some(&db, &registry, "test/0", &cfg.jobs, 10)
            .await
            .unwrap();
        assert_eq!(ran, 4);
        // One after another the gateway would never hold more than one.
        assert_eq!(most.load(Ordering::SeqCst), 4);
        for id in ids {
            let n = outbox::get(&db, id).await.unwrap().unwrap();
            assert_eq!((n.status.as_str(), n.attempts), ("sent", 1), "{n:?}");
        }
    }
);

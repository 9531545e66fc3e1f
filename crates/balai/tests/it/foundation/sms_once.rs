//! An SMS goes out at most once as far as Balai can tell: marked `sending` on disk before the
//! gateway is called, with its notification's Idempotency-Key; a delivery cut short is sent
//! again only with that key, where the gateway honours it, and is otherwise held as `unknown`.

use crate::support::gateway::{Gateway, Mode};
use crate::support::{fresh_db, test_config, Backend};
use balai_core::config::Config;
use balai_core::jobs;
use balai_core::outbox::{self, Channel};
use balai_core::{with_db, Db};

async fn queue_sms(db: &Db, to: &str) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, Channel::Sms, to, "", "Laporan diterima")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// What a worker that died during the gateway call leaves behind: the message `sending`, its
/// job `running` under a lease that has run out.
async fn cut_short(db: &Db, id: i64) {
    with_db!(db, |c| sqlx::query(
        "UPDATE notifications SET status = 'sending' WHERE id = $1"
    )
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
    with_db!(db, |c| sqlx::query(
        "UPDATE jobs SET status = 'running', attempts = 1, lease_owner = 'dead/0',
           lease_until = $1 WHERE kind = 'notify.deliver' AND payload LIKE $2"
    )
    .bind(balai_core::db::now() - time::Duration::seconds(1))
    .bind(format!("%\"notification_id\":{id}}}%"))
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
}

/// A fresh database, a stand-in gateway answering as `mode`, and the job handlers set up to
/// use it (`keys`: Balai is told the gateway honours Idempotency-Key).
struct World {
    gateway: Gateway,
    db: Db,
    cfg: Config,
    registry: jobs::JobRegistry,
    _dir: tempfile::TempDir,
}

impl World {
    async fn new(b: Backend, mode: Mode, keys: bool) -> World {
        let gateway = Gateway::start(mode).await;
        let (db, url, dir) = fresh_db(b).await;
        let mut cfg = test_config(dir.path(), &url);
        cfg.sms.gateway_url = gateway.url.clone();
        cfg.sms.gateway_idempotency_key = keys;
        let registry = balai::app::job_registry(&cfg).unwrap();
        World {
            gateway,
            db,
            cfg,
            registry,
            _dir: dir,
        }
    }

    /// One worker's round: claim what is due and run it; how many ran.
    async fn run_jobs(&self) -> usize {
        jobs::run_some(&self.db, &self.registry, "test/0", &self.cfg.jobs, 10)
            .await
            .unwrap()
    }
}

both_backends!(
    an_sms_cut_short_is_not_sent_again_without_a_key,
    |b: Backend| async move {
        let w = World::new(b, Mode::Accept, false).await;
        let (gateway, db) = (&w.gateway, &w.db);
        let id = queue_sms(db, "+6281200000001").await;
        cut_short(db, id).await;
        let ran = w.run_jobs().await;
        assert_eq!(ran, 1, "the job whose lease ran out is taken again");
        assert!(
            gateway.received().is_empty(),
            "sent again blindly: {:?}",
            gateway.received()
        );
        let n = outbox::get(db, id).await.unwrap().unwrap();
        assert_eq!(n.status, "unknown", "{n:?}");
        assert!(n.last_error.unwrap_or_default().contains("cut short"));
        // Nothing left to run, nothing sent later either.
        assert_eq!(w.run_jobs().await, 0);
        assert!(gateway.received().is_empty());
    }
);

both_backends!(
    an_sms_cut_short_goes_again_with_its_key_where_the_gateway_takes_one,
    |b: Backend| async move {
        let w = World::new(b, Mode::Accept, true).await;
        let (gateway, db) = (&w.gateway, &w.db);
        let id = queue_sms(db, "+6281200000002").await;
        cut_short(db, id).await;
        w.run_jobs().await;
        let got = gateway.received();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].key.as_deref(), Some(&*outbox::idempotency_key(id)));
        let n = outbox::get(db, id).await.unwrap().unwrap();
        assert_eq!(n.status, "sent", "{n:?}");
    }
);

both_backends!(
    an_sms_is_marked_sending_before_the_gateway_answers,
    |b: Backend| async move {
        // The gateway takes the message and never answers: the worker is stopped there, as a
        // crash would stop it. The message must already be `sending` on disk, with its key.
        let w = World::new(b, Mode::Hold, false).await;
        let (gateway, db) = (&w.gateway, &w.db);
        let id = queue_sms(db, "+6281200000003").await;
        let worker = {
            let (db, registry, jobs_cfg) = (db.clone(), w.registry.clone(), w.cfg.jobs.clone());
            tokio::spawn(
                async move { jobs::run_some(&db, &registry, "test/0", &jobs_cfg, 10).await },
            )
        };
        for _ in 0..100 {
            if !gateway.received().is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        worker.abort();
        let got = gateway.received();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].key.as_deref(), Some(&*outbox::idempotency_key(id)));
        let n = outbox::get(db, id).await.unwrap().unwrap();
        assert_eq!(n.status, "sending", "{n:?}");
    }
);

both_backends!(
    an_sms_whose_answer_is_lost_is_held_not_resent,
    |b: Backend| async move {
        // The gateway reads the message and closes the connection without an answer: it may
        // have sent it. A refusal, by contrast, is retried.
        let w = World::new(b, Mode::Drop, false).await;
        let (gateway, db) = (&w.gateway, &w.db);
        let lost = queue_sms(db, "+6281200000004").await;
        w.run_jobs().await;
        let n = outbox::get(db, lost).await.unwrap().unwrap();
        assert_eq!(n.status, "sending", "{n:?}");
        gateway.set_mode(Mode::Refuse);
        let refused = queue_sms(db, "+6281200000005").await;
        // Both jobs are due again at once (no backoff in tests).
        w.run_jobs().await;
        gateway.set_mode(Mode::Accept);
        w.run_jobs().await;
        assert_eq!(gateway.count_to("+6281200000004"), 1);
        assert_eq!(
            outbox::get(db, lost).await.unwrap().unwrap().status,
            "unknown"
        );
        assert_eq!(gateway.count_to("+6281200000005"), 2, "refused, then sent");
        assert_eq!(
            outbox::get(db, refused).await.unwrap().unwrap().status,
            "sent"
        );
    }
);

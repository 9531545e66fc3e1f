//! Resource exhaustion at the front door: a burst of parallel wrong passwords gets no more
//! guesses than the budget and no more hashing at once than the gate allows; metric labels
//! come from a fixed set and `/metrics` answers only the local host by default; pages that
//! carry a reader's token are kept out of shared caches.

use balai_core::auth;

use crate::support::http::*;
use crate::support::{post_login, Backend, TestApp};

/// `n` sign-ins in parallel from one browser (one CSRF token), as `user(i)`; their statuses.
async fn burst(app: &TestApp, n: usize, user: impl Fn(usize) -> String) -> Vec<u16> {
    let c = app.client();
    let csrf = app.csrf(&c, "/login").await;
    let url = app.url("/login");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let (c, csrf, url, name) = (c.clone(), csrf.clone(), url.clone(), user(i));
        tasks.spawn(async move {
            post_login(&c, &url, &csrf, &name, "salah-sekali-123")
                .await
                .status()
                .as_u16()
        });
    }
    let mut out = Vec::new();
    while let Some(st) = tasks.join_next().await {
        out.push(st.unwrap());
    }
    out
}

fn tally(statuses: &[u16], st: u16) -> usize {
    statuses.iter().filter(|s| **s == st).count()
}

both_backends!(
    a_burst_of_wrong_passwords_gets_only_the_budget,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        let limits = app.ctx.cfg.login.clone();
        let per_user = usize::try_from(limits.max_failures_per_user).unwrap();
        let per_ip = usize::try_from(limits.max_failures_per_ip).unwrap();

        // 200 at once against one account: the budget's worth are checked, the rest refused.
        let st = burst(app, 200, |_| "banjar.officer".into()).await;
        assert_eq!(tally(&st, 401), per_user, "{st:?}");
        assert_eq!(tally(&st, 429), 200 - per_user, "{st:?}");
        let failures = "SELECT COUNT(*) FROM login_failures WHERE username = 'banjar.officer'";
        assert_eq!(count(&app.db, failures).await, limits.max_failures_per_user);
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login_failed'"
            )
            .await,
            limits.max_failures_per_user
        );
        // Locked: even the right password waits out the window.
        let c = app.client();
        let res = app.login(&c, "banjar.officer", &pw("banjar.officer")).await;
        assert_eq!(res.st(), 429);

        // 200 at once against 200 accounts from one address: the address's budget holds.
        let st = burst(app, 200, |i| format!("nobody{i}")).await;
        assert_eq!(tally(&st, 401), per_ip - per_user, "{st:?}");
        assert_eq!(tally(&st, 429), 200 - (per_ip - per_user), "{st:?}");
        let by_ip = "SELECT COUNT(*) FROM login_failures WHERE ip = '127.0.0.1'";
        assert_eq!(count(&app.db, by_ip).await, limits.max_failures_per_ip);

        // Never more hashes at once than the gate's places (19 MiB each).
        let gate = auth::hashing_gate();
        assert!(gate.peak() >= 1);
        assert!(
            gate.peak() <= gate.permits(),
            "{} > {}",
            gate.peak(),
            gate.permits()
        );
    }
);

both_backends!(
    metric_labels_come_from_a_fixed_set,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let c = app.client();
        let odd = reqwest::Method::from_bytes(b"FOO123").unwrap();
        for _ in 0..3 {
            let _ = c
                .request(odd.clone(), app.url("/healthz"))
                .send()
                .await
                .unwrap();
        }
        let res = c.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(res.st(), 200);
        let text = res.text().await.unwrap();
        assert!(!text.contains("FOO123"), "a request made up a label");
        assert!(text.contains("method=\"OTHER\""), "{text}");
    }
);

both_backends!(
    metrics_answer_only_the_local_host,
    |b: Backend| async move {
        // Behind a trusted proxy the client is the forwarded address, not the loopback.
        let app = TestApp::spawn_with(b, |c| c.trust_proxy = true).await;
        let c = app.client();
        let get = |ip: &'static str| {
            c.get(app.url("/metrics"))
                .header("x-forwarded-for", ip)
                .send()
        };
        assert_eq!(get("203.0.113.7").await.unwrap().st(), 404);
        assert_eq!(get("127.0.0.1").await.unwrap().st(), 200);
        let open = TestApp::spawn_with(b, |c| {
            c.trust_proxy = true;
            c.metrics_public = true;
        })
        .await;
        let res = open
            .client()
            .get(open.url("/metrics"))
            .header("x-forwarded-for", "203.0.113.7")
            .send()
            .await
            .unwrap();
        assert_eq!(res.st(), 200);
    }
);

both_backends!(
    pages_with_a_readers_token_are_not_shared_cacheable,
    |b: Backend| async move {
        let w = world(b).await;
        let app = &w.app;
        for c in [app.client(), signed_in(app, "banjar.officer").await] {
            for path in ["/regions", "/regions/32.79"] {
                let res = get(app, &c, path).await;
                assert_eq!(res.st(), 200);
                let cc = header(&res, "cache-control");
                assert!(
                    cc.contains("private") && !cc.contains("public"),
                    "{path}: {cc}"
                );
                let vary: Vec<_> = res.headers().get_all("vary").iter().collect();
                assert!(
                    vary.iter().any(|v| v.to_str().unwrap().contains("Cookie")),
                    "{path}"
                );
            }
        }
    }
);

//! `balai import results`: result forms from a CSV file entered as a named KPU operator, on
//! both backends, as a real process beside the running app.

use crate::support;

use std::time::Duration;

use crate::support::worlds::elections::{good_form, Fx, VILLAGES};
use serde_json::Value;
use tokio::process::Command;

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn import(fx: &Fx, operator: &str, csv: &str) -> Out {
    let file = fx.app.dir.path().join(format!("results-{operator}.csv"));
    std::fs::write(&file, csv).unwrap();
    let election = fx.election.to_string();
    let file = file.to_string_lossy().into_owned();
    balai(
        fx,
        &[
            "import",
            "results",
            "--election",
            &election,
            "--operator",
            operator,
            &file,
        ],
    )
    .await
}

/// Run `balai ARGS` on the test's database, beside the running app.
async fn balai(fx: &Fx, args: &[&str]) -> Out {
    let mut c = Command::new(support::balai_bin());
    for (k, _) in std::env::vars_os() {
        if let Some(k) = k.to_str() {
            if k.starts_with("BALAI_") && !k.starts_with("BALAI_TEST_") {
                c.env_remove(k);
            }
        }
    }
    c.current_dir(fx.app.dir.path())
        .env("BALAI_DATABASE_URL", &fx.app.url)
        .arg("--data-dir")
        .arg(fx.app.dir.path())
        .args(args)
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(60), c.output())
        .await
        .expect("balai finished within 60 s")
        .unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The header and one line of the good form, optionally with one field overridden.
fn header() -> String {
    let flat = good_form().flat();
    let keys: Vec<&str> = flat.iter().map(|(k, _)| k.as_str()).collect();
    format!("village_code,tps_number,{}", keys.join(","))
}

fn line(village: &str, tps: u32, patch: Option<(&str, &str)>) -> String {
    let vals: Vec<String> = good_form()
        .flat()
        .iter()
        .map(|(k, v)| match patch {
            Some((pk, pv)) if pk == k => pv.to_string(),
            _ => v.to_string(),
        })
        .collect();
    format!("{village},{tps},{}", vals.join(","))
}

/// The results as the running server publishes them. The import ran in another process: the
/// server's cache notices within its check interval, so wait that long first.
async fn results(fx: &Fx) -> Value {
    tokio::time::sleep(balai_elections::cache::CHECK_EVERY + std::time::Duration::from_millis(50))
        .await;
    let res = fx
        .http
        .get(fx.app.url(&fx.path("/results")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

both_backends!(import_results_cli, |backend| async move {
    let fx = Fx::new(backend).await;
    // Two good rows and one whose valid votes do not equal the sum of the paslon's votes.
    let csv = format!(
        "{}\n{}\n{}\n{}\n",
        header(),
        line(VILLAGES[0], 1, None),
        line(VILLAGES[0], 2, Some(("suara_sah", "171"))),
        line(VILLAGES[2], 1, None)
    );
    let out = import(&fx, "banjar.op1", &csv).await;
    assert_eq!(out.code, Some(1), "{} {}", out.stdout, out.stderr);
    assert!(out.stdout.contains("accepted: 2"), "{}", out.stdout);
    assert!(out.stdout.contains("rejected: 1"), "{}", out.stdout);
    let bad = out
        .stdout
        .lines()
        .find(|l| l.starts_with("line 3:"))
        .unwrap_or_else(|| panic!("rejected line 3 listed: {}", out.stdout));
    assert!(bad.contains("422") && bad.contains("rule "), "{bad}");
    assert!(bad.contains("suara_sah"), "{bad}");

    let r = results(&fx).await;
    assert_eq!(r["tps_entered"], 2, "{r}");
    assert_eq!(r["tps_verified"], 0, "{r}");

    // The second operator enters the same two forms: double entry verifies both TPS.
    let csv2 = format!(
        "{}\n{}\n{}\n",
        header(),
        line(VILLAGES[0], 1, None),
        line(VILLAGES[2], 1, None)
    );
    let out = import(&fx, "banjar.op2", &csv2).await;
    assert_eq!(out.code, Some(0), "{} {}", out.stdout, out.stderr);
    assert!(out.stdout.contains("accepted: 2"), "{}", out.stdout);
    let r = results(&fx).await;
    assert_eq!(r["tps_verified"], 2, "{r}");

    // The audit log names the operator, not the command line.
    let n: i64 = balai_core::with_db!(&fx.app.db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_events WHERE actor_label = $1"
    )
    .bind("banjar.op2")
    .fetch_one(c)
    .await)
    .unwrap();
    assert!(n >= 2, "audit events by banjar.op2: {n}");

    // Not a KPU official of the region: refused before anything is read.
    for who in ["palembang.op", "bawaslu.banjar", "banjar.viewer", "nobody"] {
        let out = import(&fx, who, &csv2).await;
        assert_eq!(out.code, Some(2), "{who}: {} {}", out.stdout, out.stderr);
        assert!(!out.stdout.contains("accepted"), "{who}: {}", out.stdout);
    }
    let r = results(&fx).await;
    assert_eq!(r["tps_entered"], 2, "{r}");

    // Totals damaged behind the app's back are named by verify-log and rebuilt from the
    // stored versions by `balai rebuild-totals`.
    balai_core::with_db!(&fx.app.db, |c| sqlx::query(
        "UPDATE region_totals SET dpt = dpt + 1 WHERE election_id = $1 AND region_code = '32.79'"
    )
    .bind(fx.election)
    .execute(c)
    .await
    .map(|_| ()))
    .unwrap();
    let stored = |fx: &Fx| {
        let (db, id) = (fx.app.db.clone(), fx.election);
        async move {
            balai_core::with_db!(&db, |c| sqlx::query_scalar::<_, i64>(
                "SELECT dpt FROM region_totals WHERE election_id = $1 AND region_code = '32.79'"
            )
            .bind(id)
            .fetch_one(c)
            .await)
            .unwrap()
        }
    };
    assert_eq!(stored(&fx).await, 401);
    let election = fx.election.to_string();
    let out = balai(&fx, &["verify-log", "--election", &election]).await;
    assert_eq!(out.code, Some(1), "{} {}", out.stdout, out.stderr);
    assert!(out.stderr.contains("32.79"), "{}", out.stderr);
    let out = balai(&fx, &["rebuild-totals", "--election", &election]).await;
    assert_eq!(out.code, Some(0), "{} {}", out.stdout, out.stderr);
    assert_eq!(stored(&fx).await, 400);
    let r = results(&fx).await;
    assert_eq!(
        (r["dpt"].clone(), r["tps_entered"].clone()),
        (400.into(), 2.into()),
        "{r}"
    );
    let out = balai(&fx, &["verify-log", "--election", &election]).await;
    assert_eq!(out.code, Some(0), "{} {}", out.stdout, out.stderr);
});

//! The `[information]` configuration: a configured answer clock is the one a request runs on,
//! and a bad clock (zero, too long, an unknown key, a negative number) stops the binary with
//! the key named, before anything runs.

use crate::support::cli::*;
use crate::support::worlds::information::*;
use crate::support::{Backend, TestApp};

both_backends!(
    a_configured_answer_clock_sets_the_due_day,
    |b: Backend| async move {
        let app = TestApp::spawn_with(b, |cfg| {
            cfg.information
                .insert("answer_working_days".into(), 5u32.into());
        })
        .await;
        let p = ppids(&app).await;
        let (s, v) = file(&app, request_json(p.banjar)).await;
        assert_eq!(s, 201, "{v}");
        let want = calendar(&app).await.add_working_days(today(), 5);
        assert_eq!(v["due_day"], want.to_string());
    }
);

#[tokio::test]
async fn bad_information_clocks_stop_the_binary_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let t = Target::data_dir(&dir.path().join("data"));
    for (toml, key) in [
        (
            "[information]\nanswer_working_days = 0\n",
            "answer_working_days",
        ),
        (
            "[information]\ndispute_window_working_days = 251\n",
            "dispute_window_working_days",
        ),
        ("[information]\nanswer_days = 10\n", "answer_days"),
        (
            "[information]\nextension_working_days = -7\n",
            "extension_working_days",
        ),
    ] {
        let p = dir.path().join("information.toml");
        std::fs::write(&p, toml).unwrap();
        let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
        assert!(!out.ok(), "{toml}: {out}");
        assert!(out.stderr.contains(key), "{toml}: {out}");
        no_panic(&out);
    }
    let p = dir.path().join("good.toml");
    std::fs::write(&p, "[information]\nanswer_working_days = 10\n").unwrap();
    let out = run(t.cmd(&["--config", p.to_str().unwrap(), "migrate"]), None).await;
    assert!(out.ok(), "{out}");
}

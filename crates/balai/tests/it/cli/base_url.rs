//! `base_url` (#22): derived from the listen address when unset, and a warning at start when
//! it points at this machine only and `--demo` is not given.

use crate::support::cli::*;

#[tokio::test]
async fn a_loopback_base_url_is_warned_about_unless_demo() {
    let dir = tempfile::tempdir().unwrap();
    let t = Target::data_dir(&dir.path().join("data"));
    let (server, _) = Server::start(&t, &[], &[]).await;
    let err = server.stderr();
    server.stop().await;
    assert!(err.contains("base_url http://127.0.0.1:"), "{err}");
    assert!(err.contains("loopback"), "{err}");

    // A public base URL set: no warning.
    let (server, _) = Server::start(
        &t,
        &[],
        &[("BALAI_BASE_URL", "https://balai.example.go.id")],
    )
    .await;
    let err = server.stderr();
    server.stop().await;
    assert!(!err.contains("loopback"), "{err}");

    // The demo runs on this machine on purpose: no warning.
    let (server, _) = Server::start(&t, &["--demo"], &[]).await;
    let err = server.stderr();
    server.stop().await;
    assert!(!err.contains("loopback"), "{err}");
}

//! Shared by the command-line tests: the `balai` binary as a child process with a clean
//! environment, its targets (a URL and/or a data directory), its output, and a running server.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use balai_core::{with_db, Db};
use tokio::io::AsyncWriteExt;
use tokio::process::{Child, Command};

use crate::support;

/// The binary with no inherited `BALAI_*` settings (the harness's `BALAI_TEST_*` may stay: the
/// app ignores them), run from `cwd` so a stray default `./balai-data` never lands in the repo.
pub fn balai(cwd: &Path) -> Command {
    let mut c = Command::new(support::balai_bin());
    for (k, _) in std::env::vars_os() {
        if let Some(k) = k.to_str() {
            if k.starts_with("BALAI_") && !k.starts_with("BALAI_TEST_") {
                c.env_remove(k);
            }
        }
    }
    c.current_dir(cwd).kill_on_drop(true);
    c
}

pub fn bare(cwd: &Path, args: &[&str]) -> Command {
    let mut c = balai(cwd);
    c.args(args);
    c
}

/// Where a command's database is: a URL (`BALAI_DATABASE_URL`) and/or a data directory.
#[derive(Clone)]
pub struct Target {
    pub url: Option<String>,
    pub data_dir: PathBuf,
}

impl Target {
    pub fn url(url: &str, dir: &Path) -> Target {
        Target {
            url: Some(url.to_string()),
            data_dir: dir.to_path_buf(),
        }
    }

    pub fn data_dir(dir: &Path) -> Target {
        Target {
            url: None,
            data_dir: dir.to_path_buf(),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        // Run from the data dir, or from its parent while it does not exist yet.
        let cwd = if self.data_dir.exists() {
            self.data_dir.as_path()
        } else {
            self.data_dir.parent().unwrap()
        };
        let mut c = balai(cwd);
        c.arg("--data-dir").arg(&self.data_dir).args(args);
        if let Some(u) = &self.url {
            c.env("BALAI_DATABASE_URL", u);
        }
        c
    }
}

pub struct Out {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn ok(&self) -> bool {
        self.status.success()
    }
}

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.status.code(),
            self.stdout,
            self.stderr
        )
    }
}

/// Run to completion (at most 60 s), optionally feeding standard input.
pub async fn run(mut cmd: Command, stdin: Option<&str>) -> Out {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn balai");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).await.unwrap();
        drop(pipe);
    }
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("balai did not finish within 60 s")
        .unwrap();
    Out {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub async fn run_ok(t: &Target, args: &[&str]) -> Out {
    let out = run(t.cmd(args), None).await;
    assert!(out.ok(), "balai {args:?} failed:\n{out}");
    out
}

/// The value after `password: ` in a command's output.
pub fn printed_password(out: &Out) -> String {
    out.stdout
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap_or_else(|| panic!("no password printed:\n{out}"))
        .trim()
        .to_string()
}

pub fn no_panic(out: &Out) {
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"),
        "the binary panicked instead of reporting an error:\n{out}"
    );
}

pub async fn scalar_i64(db: &Db, sql: &str) -> i64 {
    with_db!(db, |c| sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub async fn scalar_string(db: &Db, sql: &str) -> String {
    with_db!(db, |c| sqlx::query_scalar::<_, String>(sql)
        .fetch_one(c)
        .await)
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// `balai serve` as a child process; its output goes to files so a full pipe never blocks it.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub base: String,
    pub logs: tempfile::TempDir,
}

impl Server {
    /// Start and wait (at most 60 s) for `/readyz` to answer 200. Returns the time to ready.
    pub async fn start(t: &Target, extra: &[&str], env: &[(&str, &str)]) -> (Server, Duration) {
        Self::start_logging_to(t, extra, env, None).await
    }

    /// [`Server::start`] with standard error written to `stderr` (`/dev/full`, say) instead
    /// of a file of its own.
    pub async fn start_logging_to(
        t: &Target,
        extra: &[&str],
        env: &[(&str, &str)],
        stderr: Option<&Path>,
    ) -> (Server, Duration) {
        let logs = tempfile::tempdir().unwrap();
        let addr = format!("127.0.0.1:{}", free_port());
        let mut args = vec!["serve", "--listen", addr.as_str()];
        args.extend_from_slice(extra);
        let mut cmd = t.cmd(&args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null())
            .stdout(std::fs::File::create(logs.path().join("stdout")).unwrap())
            .stderr(match stderr {
                Some(path) => std::fs::OpenOptions::new().write(true).open(path).unwrap(),
                None => std::fs::File::create(logs.path().join("stderr")).unwrap(),
            });
        let started = Instant::now();
        let child = cmd.spawn().expect("spawn balai serve");
        let mut server = Server {
            child,
            base: format!("http://{addr}"),
            addr,
            logs,
        };
        let client = http();
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "balai serve exited early ({status}):\n{}\n{}",
                    server.stdout(),
                    server.stderr()
                );
            }
            if let Ok(r) = client.get(server.url("/readyz")).send().await {
                if r.status() == reqwest::StatusCode::OK {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "balai serve not ready within 60 s:\n{}",
                server.stderr()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let ready = started.elapsed();
        (server, ready)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self.logs.path().join("stdout")).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.logs.path().join("stderr")).unwrap_or_default()
    }

    /// SIGKILL: the process dies at once, as in a crash.
    pub async fn kill9(&mut self) {
        self.child.start_kill().unwrap();
        let _ = self.child.wait().await;
    }

    pub fn sigterm(&self) {
        let pid = self.child.id().expect("server already reaped") as i32;
        rustix::process::kill_process(
            rustix::process::Pid::from_raw(pid).unwrap(),
            rustix::process::Signal::TERM,
        )
        .unwrap();
    }

    /// Wait (at most 30 s) for the process to exit on its own.
    pub async fn wait_exit(&mut self) -> ExitStatus {
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => status.unwrap(),
            Err(_) => panic!(
                "balai serve did not exit within 30 s of SIGTERM:\n{}",
                self.stderr()
            ),
        }
    }

    /// SIGTERM, then assert a clean exit (code 0) within 30 s.
    pub async fn stop(mut self) {
        self.sigterm();
        let status = self.wait_exit().await;
        assert_eq!(
            status.code(),
            Some(0),
            "balai serve did not stop cleanly ({status}):\n{}",
            self.stderr()
        );
    }
}

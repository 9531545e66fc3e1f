//! SMTP sink for integration tests: runs `tests/it/support/smtp_sink.py`
//! (Python 3 + aiosmtpd) on a free 127.0.0.1 port and stores every message
//! it receives as `<n>.eml` in a temporary directory.
//!
//! Each stored message starts with `X-Envelope-From:` and `X-Envelope-To:`
//! header lines (the SMTP envelope), followed by the raw message as received.
//!
//! Environment:
//! - `BALAI_TEST_SMTP_SINK`: path of smtp_sink.py (default: next to this file)
//! - `BALAI_TEST_PYTHON`: Python interpreter (default `python3`)

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

const READY_TIMEOUT: Duration = Duration::from_secs(20);

fn sink_script() -> PathBuf {
    std::env::var_os("BALAI_TEST_SMTP_SINK")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/smtp_sink.py")
        })
}

fn python() -> PathBuf {
    std::env::var_os("BALAI_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("python3"))
}

pub struct SmtpSink {
    child: Child,
    // Held open so the sink (started with --watch-stdin) exits if the test
    // process dies without running Drop.
    _stdin: Option<ChildStdin>,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts the sink and waits until it is listening.
    pub fn start() -> Result<Self> {
        let mut last_err = anyhow!("smtp sink did not start");
        for _ in 0..3 {
            match Self::try_start() {
                Ok(sink) => return Ok(sink),
                Err(e) => last_err = e,
            }
        }
        Err(last_err)
    }

    fn try_start() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("balai-smtp-")
            .tempdir()
            .context("create smtp sink temp dir")?;
        let script = sink_script();
        let mut child = Command::new(python())
            .arg(&script)
            .args(["--port", "0", "--watch-stdin", "--dir"])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| {
                format!(
                    "spawn {} {} (set BALAI_TEST_PYTHON / BALAI_TEST_SMTP_SINK, \
                     and `pip install aiosmtpd`)",
                    python().display(),
                    script.display()
                )
            })?;
        let stdin = child.stdin.take();
        let stdout = match child.stdout.take() {
            Some(s) => s,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                bail!("smtp sink stdout not captured");
            }
        };

        // Read the READY line on a thread so we can time out.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next();
            let _ = tx.send(first);
            // Keep draining so the child never blocks on a full pipe.
            for _ in lines {}
        });
        let ready = match rx.recv_timeout(READY_TIMEOUT) {
            Ok(Some(Ok(line))) => line,
            other => {
                let _ = child.kill();
                let status = child.wait().ok();
                bail!(
                    "smtp sink did not report READY (got {other:?}, exit status {status:?}); \
                     is aiosmtpd installed for {}?",
                    python().display()
                );
            }
        };
        let port = ready
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            bail!("unexpected line from smtp sink: {ready:?}");
        };
        Ok(Self {
            child,
            _stdin: stdin,
            port,
            dir,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// All messages received so far, in arrival order.
    pub fn messages(&self) -> Vec<String> {
        let mut numbered: Vec<(u64, PathBuf)> = std::fs::read_dir(self.dir.path())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let path = e.path();
                        let n = path
                            .file_name()?
                            .to_str()?
                            .strip_suffix(".eml")?
                            .parse::<u64>()
                            .ok()?;
                        Some((n, path))
                    })
                    .collect()
            })
            .unwrap_or_default();
        numbered.sort_by_key(|(n, _)| *n);
        numbered
            .into_iter()
            .filter_map(|(_, p)| std::fs::read(p).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect()
    }

    /// Waits until at least `n` messages have arrived and returns all of them.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Result<Vec<String>> {
        let deadline = Instant::now() + timeout;
        loop {
            let msgs = self.messages();
            if msgs.len() >= n {
                return Ok(msgs);
            }
            if Instant::now() > deadline {
                bail!(
                    "expected at least {n} message(s) within {timeout:?}, got {}",
                    msgs.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Value of the first header `name` (case-insensitive) in a raw message,
/// without unfolding continuation lines.
pub fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
}

/// Body of a raw message (everything after the first empty line).
pub fn body(message: &str) -> &str {
    message
        .split_once("\r\n\r\n")
        .or_else(|| message.split_once("\n\n"))
        .map(|(_, b)| b)
        .unwrap_or("")
}

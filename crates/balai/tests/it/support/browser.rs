//! Headless-Chromium test harness (WebDriver via chromedriver + fantoccini).
//!
//! Every [`Browser`] owns its own chromedriver process (on a free port) and a
//! fresh Chromium profile in a temporary directory, so tests can run in
//! parallel. Dropping the `Browser` ends the WebDriver session (which closes
//! Chromium), kills chromedriver and, as a last resort, the Chromium main
//! process. Prefer `browser.close().await` at the end of a test for a clean
//! asynchronous shutdown; `Drop` covers panics and early returns.
//!
//! Environment:
//! - `BALAI_TEST_CHROMEDRIVER` (default `/usr/bin/chromedriver`)
//! - `BALAI_TEST_CHROMIUM` (default `/usr/bin/chromium`)
//!
//! JavaScript can be switched off for the whole session at launch
//! ([`Browser::start_without_js`], which passes
//! `--blink-settings=scriptEnabled=false`) or toggled at runtime for the
//! current tab via DevTools ([`Browser::set_javascript_enabled`]). Note that
//! WebDriver's own "execute script" commands keep working with page JS off,
//! but fantoccini's `Form::set*`/`submit_direct`/`submit_sneaky` are
//! implemented with injected scripts; use [`Browser::fill`] and
//! [`Browser::click_and_wait`] (real key/click events) to drive forms the way
//! a user would.
//!
//! Accessibility: [`Browser::axe_check`] injects axe-core (installed from npm by
//! `scripts/test.sh`, version pinned in `tests/axe/package-lock.json`) through
//! WebDriver's execute-script, which works with page JavaScript off, and
//! returns the violations of the given rule tags; [`Browser::assert_accessible`]
//! fails with a readable list when there is any WCAG 2.2 A/AA violation.
//! [`Browser::phone_without_js`] is the phone the users' review used: 360x740
//! CSS px, mobile, DPR 1, JavaScript off.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::ops::Deref;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// How long to wait for chromedriver to answer on its port.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout of the wait helpers.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// Launch options for [`Browser::start_with`].
#[derive(Debug, Clone)]
pub struct BrowserConfig {
    /// Run page JavaScript (default `true`).
    pub javascript: bool,
    /// Window size in CSS pixels (default 1280x900).
    pub window_size: (u32, u32),
    /// Additional Chromium command-line switches.
    pub extra_args: Vec<String>,
}

impl Default for BrowserConfig {
    fn default() -> Self {
        Self {
            javascript: true,
            window_size: (1280, 900),
            extra_args: Vec::new(),
        }
    }
}

impl BrowserConfig {
    pub fn without_js() -> Self {
        Self {
            javascript: false,
            ..Self::default()
        }
    }
}

/// Chromium switches required to run headless as root in a sandbox-less,
/// network-less container.
pub const CHROMIUM_BASE_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-default-browser-check",
    "--password-store=basic",
    "--use-mock-keychain",
];

fn chromedriver_path() -> PathBuf {
    std::env::var_os("BALAI_TEST_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}

fn chromium_path() -> PathBuf {
    std::env::var_os("BALAI_TEST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("bind 127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A running chromedriver child process.
struct Driver {
    child: Child,
    port: u16,
    log_path: PathBuf,
}

impl Driver {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Spawns chromedriver on a free port and waits until `/status` reports
    /// ready. Retries with another port if the chosen one was taken.
    async fn start(dir: &std::path::Path) -> Result<Self> {
        let exe = chromedriver_path();
        if !exe.exists() {
            bail!(
                "chromedriver not found at {} (set BALAI_TEST_CHROMEDRIVER or run ./scripts/test.sh, \
                 which installs the Debian packages chromium and chromium-driver)",
                exe.display()
            );
        }
        let mut last_err = anyhow!("chromedriver did not start");
        for attempt in 0..3 {
            let port = free_port()?;
            let log_path = dir.join(format!("chromedriver-{attempt}.log"));
            let log = File::create(&log_path)?;
            let child = Command::new(&exe)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .with_context(|| format!("spawn {}", exe.display()))?;
            let mut driver = Driver {
                child,
                port,
                log_path,
            };
            match driver.wait_ready().await {
                Ok(()) => return Ok(driver),
                Err(e) => {
                    last_err = e.context(format!(
                        "chromedriver on port {port} not ready; log:\n{}",
                        driver.log_tail()
                    ));
                    // `driver` is dropped here, which kills the process.
                }
            }
        }
        Err(last_err)
    }

    async fn wait_ready(&mut self) -> Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let status_url = format!("{}/status", self.url());
        let deadline = Instant::now() + DRIVER_START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("chromedriver exited early with {status}");
            }
            if let Ok(resp) = http.get(&status_url).send().await {
                if let Ok(body) = resp.json::<Value>().await {
                    if body["value"]["ready"].as_bool() == Some(true) {
                        return Ok(());
                    }
                }
            }
            if Instant::now() > deadline {
                bail!("timed out after {DRIVER_START_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session. Derefs to [`fantoccini::Client`], so all of
/// fantoccini's API (`goto`, `find`, `wait`, `execute`, ...) is available.
pub struct Browser {
    client: Client,
    closed: bool,
    /// Page JavaScript is off through DevTools (`phone_without_js`), lifted for axe's run.
    pub(super) js_off_by_devtools: bool,
    session_id: String,
    chrome_pid: Option<i32>,
    driver: Driver,
    // Declared last: removed after the processes using it are gone.
    _dir: tempfile::TempDir,
}

pub use super::axe::WCAG_22_AA;

impl Browser {
    /// Starts Chromium with JavaScript enabled.
    pub async fn start() -> Result<Self> {
        Self::start_with(BrowserConfig::default()).await
    }

    /// Starts Chromium with JavaScript disabled for the whole session
    /// (`--blink-settings=scriptEnabled=false`).
    pub async fn start_without_js() -> Result<Self> {
        Self::start_with(BrowserConfig::without_js()).await
    }

    pub async fn start_with(config: BrowserConfig) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("balai-browser-")
            .tempdir()
            .context("create browser temp dir")?;
        let profile = dir.path().join("profile");
        std::fs::create_dir_all(&profile)?;
        let driver = Driver::start(dir.path()).await?;

        let mut args: Vec<String> = CHROMIUM_BASE_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!(
            "--window-size={},{}",
            config.window_size.0, config.window_size.1
        ));
        if !config.javascript {
            args.push("--blink-settings=scriptEnabled=false".to_string());
        }
        args.extend(config.extra_args.iter().cloned());

        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": chromium_path(),
                "args": args,
            },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => bail!("capabilities must be a JSON object"),
        };

        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .with_context(|| {
                format!(
                    "start WebDriver session (chromium: {}); chromedriver log:\n{}",
                    chromium_path().display(),
                    driver.log_tail()
                )
            })?;
        let chrome_pid = client
            .capabilities()
            .and_then(|c| c.get("goog:processID"))
            .and_then(Value::as_i64)
            .and_then(|p| i32::try_from(p).ok());
        let session_id = client
            .session_id()
            .await?
            .ok_or_else(|| anyhow!("WebDriver session has no id"))?;

        Ok(Self {
            client,
            closed: false,
            js_off_by_devtools: false,
            session_id,
            chrome_pid,
            driver,
            _dir: dir,
        })
    }

    /// The fantoccini client (also reachable through `Deref`).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a Chrome DevTools Protocol command on the current tab through
    /// chromedriver's `goog/cdp/execute` endpoint.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let url = format!(
            "{}/session/{}/goog/cdp/execute",
            self.driver.url(),
            self.session_id
        );
        let resp = reqwest::Client::new()
            .post(&url)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .with_context(|| format!("CDP {cmd}"))?;
        let status = resp.status();
        let body: Value = resp.json().await.with_context(|| format!("CDP {cmd}"))?;
        if !status.is_success() {
            bail!("CDP {cmd} failed ({status}): {body}");
        }
        Ok(body["value"].clone())
    }

    /// Enables/disables page JavaScript for the current tab at runtime
    /// (`Emulation.setScriptExecutionDisabled`). Takes effect for the next
    /// page load; it stays in effect across navigations in this tab.
    pub async fn set_javascript_enabled(&self, enabled: bool) -> Result<()> {
        self.cdp(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": !enabled }),
        )
        .await?;
        Ok(())
    }

    /// Text content (as rendered) of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        let el = self
            .client()
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("find {css:?}"))?;
        Ok(el.text().await?)
    }

    /// Rendered text of the whole page body.
    pub async fn body_text(&self) -> Result<String> {
        self.text("body").await
    }

    /// Clears the input matching `css` and types `value` into it (real key
    /// events; works with JavaScript disabled).
    pub async fn fill(&self, css: &str, value: &str) -> Result<()> {
        let el = self
            .client()
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("find {css:?}"))?;
        el.clear().await?;
        el.send_keys(value).await?;
        Ok(())
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.client()
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("find {css:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// Clicks the element matching `css` (a submit button or link) and waits
    /// until the current document has been replaced by a newly loaded one.
    /// Works for POST-redirect-GET back to the same URL, and with JS off.
    pub async fn click_and_wait(&self, css: &str) -> Result<()> {
        let client = self.client();
        let old_root = client.find(Locator::Css("html")).await?;
        client
            .find(Locator::Css(css))
            .await
            .with_context(|| format!("find {css:?}"))?
            .click()
            .await?;
        let deadline = Instant::now() + DEFAULT_WAIT;
        // The old <html> element becomes stale once the new page replaced it.
        while old_root.tag_name().await.is_ok() {
            if Instant::now() > deadline {
                bail!("page did not navigate within {DEFAULT_WAIT:?} after clicking {css:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.wait_for_css("body", DEFAULT_WAIT).await?;
        Ok(())
    }

    /// Waits until an element matching `css` exists and returns it.
    pub async fn wait_for_css(
        &self,
        css: &str,
        timeout: Duration,
    ) -> Result<fantoccini::elements::Element> {
        self.client()
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("wait for {css:?}"))
    }

    /// Ends the session (Chromium exits) and stops chromedriver.
    pub async fn close(mut self) -> Result<()> {
        self.closed = true;
        self.client
            .clone()
            .close()
            .await
            .context("close WebDriver session")?;
        Ok(())
        // Drop kills chromedriver and removes the temp dir.
    }

    /// Synchronous `DELETE /session/{id}` (used from `Drop`, where we cannot
    /// await). chromedriver then shuts Chromium down gracefully.
    fn delete_session_blocking(&self) -> std::io::Result<()> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.driver.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(15)))?;
        stream.set_write_timeout(Some(Duration::from_secs(2)))?;
        write!(
            stream,
            "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.session_id, self.driver.port
        )?;
        // chromedriver ignores `Connection: close`, so read just one response
        // (headers + Content-Length bytes) instead of waiting for EOF.
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
            let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= head_end + 4 + len {
                return Ok(());
            }
        }
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            let _ = self.delete_session_blocking();
        }
        // Kill chromedriver now (Driver's own Drop would do it later anyway).
        let _ = self.driver.child.kill();
        let _ = self.driver.child.wait();
        // Chromium is not chromedriver's responsibility once chromedriver is
        // gone; make sure the browser does not outlive the test.
        if let Some(pid) = self.chrome_pid.and_then(rustix::process::Pid::from_raw) {
            // Only if that pid still is a Chromium process (guards against pid reuse).
            let comm = std::fs::read_to_string(format!("/proc/{}/comm", pid.as_raw_pid()))
                .unwrap_or_default();
            if !pid.is_init() && comm.contains("chrom") {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        }
    }
}

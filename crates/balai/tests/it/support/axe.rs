//! axe-core (WCAG 2.2 A/AA) and a phone's screen for the browser tests: a 360x740 phone with
//! page JavaScript off, the check of a page, and its width.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};

use super::browser::{Browser, BrowserConfig};

/// axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
pub const WCAG_22_AA: &[&str] = &[
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

/// One axe-core rule that failed on the page, with the elements that fail it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AxeViolation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    /// CSS selectors of the failing elements, each with axe's summary of why.
    pub nodes: Vec<String>,
}

impl std::fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.id,
            self.impact.as_deref().unwrap_or("-"),
            self.help
        )?;
        for n in &self.nodes {
            write!(f, "\n    {n}")?;
        }
        Ok(())
    }
}

/// The axe-core script: `BALAI_TEST_AXE`, else where `scripts/test.sh` installs it
/// (`$CARGO_TARGET_DIR/axe`). Read once per test process.
fn axe_source() -> Result<&'static str> {
    static SOURCE: std::sync::OnceLock<std::result::Result<String, String>> =
        std::sync::OnceLock::new();
    let loaded = SOURCE.get_or_init(|| {
        let path = std::env::var_os("BALAI_TEST_AXE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                    .join("../axe/node_modules/axe-core/axe.min.js")
            });
        std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "axe-core not found at {} ({e}); run ./scripts/test.sh, which installs it \
                 from tests/axe/package-lock.json, or set BALAI_TEST_AXE",
                path.display()
            )
        })
    });
    loaded.as_deref().map_err(|e| anyhow!("{e}"))
}

/// Runs axe on the current document with the tags in `arguments[0]` and answers a plain list.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
    runOnly: { type: 'tag', values: arguments[0] },
    resultTypes: ['violations'],
}).then(r => done({ violations: r.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
})) }), e => done({ error: String(e) }));
"#;

impl Browser {
    /// A phone as in the users' review: 360x740 CSS px, mobile, DPR 1, JavaScript off.
    ///
    /// Page JavaScript is switched off for the tab through DevTools rather than at launch: with
    /// `--blink-settings=scriptEnabled=false` axe-core's asynchronous run never finishes, while
    /// the DevTools switch can be lifted for the check alone ([`Browser::axe_check`]).
    pub async fn phone_without_js() -> Result<Self> {
        Self::sized_without_js(360, 740, true).await
    }

    async fn sized_without_js(width: u32, height: u32, mobile: bool) -> Result<Self> {
        let mut b = Self::start_with(BrowserConfig {
            javascript: true,
            window_size: (width, height),
            extra_args: Vec::new(),
        })
        .await?;
        b.set_viewport(width, height, mobile).await?;
        b.set_javascript_enabled(false).await?;
        b.js_off_by_devtools = true;
        Ok(b)
    }

    /// Emulates a screen of `width`x`height` CSS px (a phone when `mobile`), e.g. 1280x900 to look
    /// at a page at a desk; applies to the next page load.
    pub async fn set_viewport(&self, width: u32, height: u32, mobile: bool) -> Result<()> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        )
        .await?;
        Ok(())
    }

    /// Signs in through the real form at `base` + `/login` (works with JavaScript off).
    pub async fn sign_in(&self, base: &str, username: &str, password: &str) -> Result<()> {
        self.goto(&format!("{base}/login")).await?;
        self.fill("input[name=username]", username).await?;
        self.fill("input[name=password]", password).await?;
        self.click_and_wait("form.stack button[type=submit]")
            .await?;
        Ok(())
    }

    /// axe-core's violations of the rules tagged `tags` on the current page (for WCAG 2.2 A/AA
    /// pass [`WCAG_22_AA`]). Injected through WebDriver, so it works with page JavaScript off.
    pub async fn axe_check(&self, tags: &[&str]) -> Result<Vec<AxeViolation>> {
        let source = axe_source()?;
        // The page loaded without its scripts; lifting the switch now runs none of them, and
        // lets axe's timers and promises run (see `phone_without_js`).
        if self.js_off_by_devtools {
            self.set_javascript_enabled(true).await?;
        }
        let result = self.run_axe(source, tags).await;
        if self.js_off_by_devtools {
            self.set_javascript_enabled(false).await?;
        }
        result
    }

    async fn run_axe(&self, source: &str, tags: &[&str]) -> Result<Vec<AxeViolation>> {
        let loaded = self
            .client()
            .execute(
                &format!("{source}\n;return typeof axe === 'object';"),
                vec![],
            )
            .await
            .context("inject axe-core")?;
        if loaded != Value::Bool(true) {
            bail!("axe-core did not load into the page");
        }
        let out = self
            .client()
            .execute_async(AXE_RUN, vec![json!(tags)])
            .await
            .context("run axe-core")?;
        if let Some(e) = out.get("error") {
            bail!("axe-core failed: {e}");
        }
        Ok(serde_json::from_value(out["violations"].clone())?)
    }

    /// Fails, naming the page, each rule and each element, when the current page has a WCAG 2.2
    /// A/AA violation.
    pub async fn assert_accessible(&self, what: &str) -> Result<()> {
        let violations = self.axe_check(WCAG_22_AA).await?;
        if !violations.is_empty() {
            let url = self.current_url().await?;
            let list: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
            bail!(
                "{what} ({url}) has {} WCAG 2.2 A/AA violation(s):\n{}",
                violations.len(),
                list.join("\n")
            );
        }
        Ok(())
    }

    /// Fails when the page is wider than its viewport (a horizontal scroll of the whole page).
    pub async fn assert_fits_width(&self, what: &str) -> Result<()> {
        let v = self
            .client()
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await?;
        let (scroll, inner) = (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0));
        if scroll > inner {
            bail!("{what} is {scroll} px wide on a {inner} px screen");
        }
        Ok(())
    }

    /// Both checks of a page in a journey, each failure added to `failures` (so that one run
    /// reports every page at once): axe-core's WCAG 2.2 A/AA rules and the screen's width.
    pub async fn check_page(&self, what: &str, failures: &mut Vec<String>) {
        if let Err(e) = self.assert_accessible(what).await {
            failures.push(format!("{e:#}"));
        }
        if let Err(e) = self.assert_fits_width(what).await {
            failures.push(format!("{e:#}"));
        }
    }
}

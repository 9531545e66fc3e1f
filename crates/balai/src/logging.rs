//! The log goes to stderr, and a line that cannot be written is dropped and counted
//! (`balai_log_lines_dropped_total` in `/metrics`): a log that cannot be written (a full disk,
//! a closed pipe) must never stop the work that was logging.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

static DROPPED: AtomicU64 = AtomicU64::new(0);

/// Log lines dropped so far because stderr could not take them.
pub fn dropped_lines() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// Stderr that never fails: what it cannot write it drops, and counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct DroppingStderr;

impl Write for DroppingStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Each event is formatted whole and written with one `write_all`.
        if std::io::stderr().write_all(buf).is_err() {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for DroppingStderr {
    type Writer = DroppingStderr;

    fn make_writer(&'a self) -> Self::Writer {
        *self
    }
}

/// Install the process's subscriber: `BALAI_LOG` filters (default `info` when serving, `warn`
/// otherwise), JSON lines if `json`. Lines carry the spans they were logged in (a request's
/// carries its `request_id`).
pub fn init(json: bool, serving: bool) {
    let default = if serving { "info" } else { "warn" };
    let filter = EnvFilter::try_from_env("BALAI_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    // `log_internal_errors(false)`: tracing-subscriber would otherwise report a failed write
    // with `eprintln!`, which panics when stderr itself fails.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(DroppingStderr)
        .log_internal_errors(false);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

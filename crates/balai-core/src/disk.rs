//! The disk under the data directory: its free space, a reserve that lets a full disk clear
//! itself, and the state every write consults.
//!
//! On SQLite a full disk does not clear itself: WAL space is reused only after a checkpoint, and
//! a checkpoint needs room to grow the database file. So Balai keeps a reserve file in the data
//! directory. When the disk fills (free space below half of `disk.min_free_mb`, or a write
//! failed with "disk full"), writes are refused with 503 and `Retry-After`, the reserve is
//! deleted and the WAL is checkpointed and truncated into the room it leaves. Writes resume, and
//! the reserve comes back, once the reserve plus `disk.min_free_mb` fit again: an operator who
//! frees a modest amount (about `min_free_mb`) brings the server back without a restart.
//!
//! [`state`] is what readiness checks consult; `/metrics` shows `balai_disk_free_bytes` and
//! `balai_disk_state`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use crate::config::DiskSettings;
use crate::db::Db;

/// What the disk under the data directory allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskState {
    /// Enough room.
    Ok,
    /// Below `disk.warn_free_mb`: still written to, warned about.
    Low,
    /// Full: writes are refused until room is back.
    Full,
    /// The filesystem was remounted read-only: writes are refused until a restart.
    ReadOnly,
}

impl DiskState {
    pub fn as_str(self) -> &'static str {
        match self {
            DiskState::Ok => "ok",
            DiskState::Low => "low",
            DiskState::Full => "full",
            DiskState::ReadOnly => "read_only",
        }
    }

    /// Whether writes go ahead.
    pub fn writable(self) -> bool {
        matches!(self, DiskState::Ok | DiskState::Low)
    }

    fn code(self) -> u8 {
        match self {
            DiskState::Ok => 0,
            DiskState::Low => 1,
            DiskState::Full => 2,
            DiskState::ReadOnly => 3,
        }
    }

    fn from_code(c: u8) -> Self {
        match c {
            1 => DiskState::Low,
            2 => DiskState::Full,
            3 => DiskState::ReadOnly,
            _ => DiskState::Ok,
        }
    }
}

static STATE: AtomicU8 = AtomicU8::new(0);
/// A write failed for want of room since the monitor last looked.
static FULL_SEEN: AtomicBool = AtomicBool::new(false);
static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// The disk's state as the monitor last saw it (always `Ok` where no monitor runs, e.g. on
/// PostgreSQL, whose disk Balai cannot see).
pub fn state() -> DiskState {
    DiskState::from_code(STATE.load(Ordering::Relaxed))
}

pub(crate) fn set_state(s: DiskState) {
    STATE.store(s.code(), Ordering::Relaxed);
    metrics::gauge!("balai_disk_state").set(f64::from(s.code()));
}

/// Why storage refused a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageFault {
    /// No space left (SQLite `SQLITE_FULL`, `ENOSPC`, PostgreSQL 53100).
    Full,
    /// The filesystem or database is read-only (`SQLITE_READONLY`, `EROFS`, PostgreSQL 25006).
    ReadOnly,
    /// The storage failed to read or write (`SQLITE_IOERR`, `EIO`, PostgreSQL 58030).
    Io,
}

/// Called when a request's write failed with `fault`: the monitor looks at once.
pub fn note_fault(fault: StorageFault) {
    metrics::counter!("balai_storage_faults_total", "kind" => match fault {
        StorageFault::Full => "full",
        StorageFault::ReadOnly => "read_only",
        StorageFault::Io => "io",
    })
    .increment(1);
    if fault == StorageFault::Full {
        FULL_SEEN.store(true, Ordering::Relaxed);
    }
    WAKE.notify_one();
}

/// The storage fault behind `e`, if any: a database or IO error in its chain, by code where
/// one is kept, else by the message (the group-commit writer hands every caller a copy of the
/// commit's error as text).
pub fn classify(e: &anyhow::Error) -> Option<StorageFault> {
    for cause in e.chain() {
        if let Some(f) = cause.downcast_ref::<sqlx::Error>().and_then(classify_sqlx) {
            return Some(f);
        }
        if let Some(f) = cause.downcast_ref::<std::io::Error>().and_then(classify_io) {
            return Some(f);
        }
    }
    classify_text(&format!("{e:#}"))
}

/// The storage faults among `balai_db::fault`'s kinds (one table of codes and messages for
/// readiness, logs and answers alike); an unreachable database or a stopped writer is not one.
fn storage_fault(f: balai_db::fault::Fault) -> Option<StorageFault> {
    use balai_db::fault::Fault;
    match f {
        Fault::DiskFull => Some(StorageFault::Full),
        Fault::ReadOnly => Some(StorageFault::ReadOnly),
        Fault::Io => Some(StorageFault::Io),
        Fault::Unreachable | Fault::WriterStopped => None,
    }
}

fn classify_sqlx(e: &sqlx::Error) -> Option<StorageFault> {
    match e {
        sqlx::Error::Io(io) => classify_io(io),
        other => balai_db::fault::classify(other).and_then(storage_fault),
    }
}

fn classify_io(e: &std::io::Error) -> Option<StorageFault> {
    match e.raw_os_error()? {
        28 | 122 => Some(StorageFault::Full), // ENOSPC, EDQUOT
        30 => Some(StorageFault::ReadOnly),   // EROFS
        5 => Some(StorageFault::Io),          // EIO
        _ => None,
    }
}

fn classify_text(text: &str) -> Option<StorageFault> {
    balai_db::fault::classify_message(text).and_then(storage_fault)
}

/// The reserve file in `dir`.
pub fn reserve_path(dir: &Path) -> PathBuf {
    dir.join("balai.reserve")
}

const MB: u64 = 1024 * 1024;

/// Free bytes for an unprivileged writer on the filesystem of `dir`, and whether it is
/// mounted read-only.
fn free_space(dir: &Path) -> std::io::Result<(u64, bool)> {
    let st = rustix::fs::statvfs(dir)?;
    let ro = st.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY);
    Ok((st.f_bavail.saturating_mul(st.f_frsize), ro))
}

/// Write the reserve file with real blocks (a sparse file would reserve nothing).
fn create_reserve(path: &Path, bytes: u64) -> std::io::Result<()> {
    use std::io::Write;
    let result = (|| {
        let mut f = std::fs::File::create(path)?;
        if rustix::fs::fallocate(&f, rustix::fs::FallocateFlags::empty(), 0, bytes).is_err() {
            let chunk = vec![0u8; MB as usize];
            let mut left = bytes;
            while left > 0 {
                let n = left.min(MB);
                f.write_all(&chunk[..n as usize])?;
                left -= n;
            }
        }
        f.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

struct Monitor {
    db: Db,
    dir: PathBuf,
    reserve: PathBuf,
    s: DiskSettings,
    last_warn: Option<std::time::Instant>,
    has_had_reserve: bool,
}

impl Monitor {
    fn reserve_bytes(&self) -> u64 {
        self.s.reserve_mb * MB
    }

    async fn tick(&mut self) {
        let (free, ro) = match free_space(&self.dir) {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(error = %e, dir = %self.dir.display(), "cannot read free space");
                return;
            }
        };
        metrics::gauge!("balai_disk_free_bytes").set(free as f64);
        let full_seen = FULL_SEEN.swap(false, Ordering::Relaxed);
        let was = state();
        if ro {
            if was != DiskState::ReadOnly {
                tracing::error!(dir = %self.dir.display(), "the data directory's filesystem is read-only: writes are refused until it is writable again and Balai restarts");
            }
            set_state(DiskState::ReadOnly);
            return;
        }
        let min_free = self.s.min_free_mb * MB;
        if was.writable() && (full_seen || free < min_free / 2) {
            self.enter_full(free).await;
            return;
        }
        let reserve = self.reserve_bytes();
        if self.reserve.exists() {
            self.has_had_reserve = true;
        } else if reserve > 0 && free >= reserve + min_free {
            match create_reserve(&self.reserve, reserve) {
                Ok(()) => self.has_had_reserve = true,
                Err(e) => {
                    tracing::warn!(error = %e, path = %self.reserve.display(), "cannot create the disk reserve");
                }
            }
        }
        let free = free_space(&self.dir).map_or(free, |(f, _)| f);
        // Writes resume once the reserve is back and `min_free` is free beside it; on a disk
        // too small ever to hold the reserve, once `min_free` is free.
        let missing = if self.has_had_reserve && !self.reserve.exists() {
            reserve
        } else {
            0
        };
        if was == DiskState::Full && free < min_free + missing {
            return;
        }
        let warn = self.s.warn_free_mb * MB;
        let now = if free < warn {
            DiskState::Low
        } else {
            DiskState::Ok
        };
        if was == DiskState::Full {
            tracing::warn!(
                free_mb = free / MB,
                "room on the data directory's disk again: writes resume"
            );
        }
        if now == DiskState::Low
            && self
                .last_warn
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(300))
        {
            self.last_warn = Some(std::time::Instant::now());
            tracing::warn!(
                free_mb = free / MB,
                warn_free_mb = self.s.warn_free_mb,
                dir = %self.dir.display(),
                "the data directory's disk is low on free space"
            );
        }
        set_state(now);
    }

    /// Refuse writes, give the reserve back to the filesystem and fold the WAL into the
    /// database file so that its space is free again.
    async fn enter_full(&mut self, free: u64) {
        set_state(DiskState::Full);
        let released = std::fs::remove_file(&self.reserve).is_ok();
        tracing::error!(
            free_mb = free / MB,
            reserve_released = released,
            dir = %self.dir.display(),
            "the data directory's disk is full: writes are refused (503) until room is back"
        );
        self.last_warn = None;
        if let Err(e) = self.db.checkpoint_truncate().await {
            tracing::warn!(error = %e, "WAL checkpoint on a full disk failed");
        }
    }
}

/// Watch the disk under `dir` every `disk.check_millis` (and at once after a write failed for
/// want of room) until `shutdown` flips.
pub fn spawn(
    db: Db,
    dir: PathBuf,
    s: DiskSettings,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let mut m = Monitor {
        db,
        reserve: reserve_path(&dir),
        dir,
        s,
        last_warn: None,
        has_had_reserve: false,
    };
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(m.s.check_millis.max(50)));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            m.tick().await;
            tokio::select! {
                _ = every.tick() => {}
                () = WAKE.notified() => {}
                _ = shutdown.changed() => break,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_faults_are_told_from_their_messages() {
        let full = anyhow::anyhow!(
            "group commit failed: error returned from database: (code: 13) database or disk is full"
        );
        assert_eq!(classify(&full), Some(StorageFault::Full));
        let pg =
            anyhow::anyhow!("could not extend file \"base/16384/2619\": No space left on device");
        assert_eq!(classify(&pg), Some(StorageFault::Full));
        let io = anyhow::anyhow!("sqlite: disk I/O error");
        assert_eq!(classify(&io), Some(StorageFault::Io));
        let ro = anyhow::anyhow!("attempt to write a readonly database");
        assert_eq!(classify(&ro), Some(StorageFault::ReadOnly));
        let os = anyhow::Error::new(std::io::Error::from_raw_os_error(28)).context("writing");
        assert_eq!(classify(&os), Some(StorageFault::Full));
        let other = anyhow::anyhow!("UNIQUE constraint failed: complaints.tracking_code");
        assert_eq!(classify(&other), None);
    }

    #[test]
    fn the_reserve_takes_real_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let p = reserve_path(dir.path());
        create_reserve(&p, 2 * MB).unwrap();
        let meta = std::fs::metadata(&p).unwrap();
        assert_eq!(meta.len(), 2 * MB);
        use std::os::unix::fs::MetadataExt;
        assert!(meta.blocks() * 512 >= 2 * MB, "{} blocks", meta.blocks());
    }
}

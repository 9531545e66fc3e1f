//! What kind of storage trouble an error means, so that readiness, logs and answers can tell a
//! full disk from a database that is restarting or a writer that has stopped.

/// The storage fault behind an error, if it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The database cannot be reached (connection refused or lost, pool timed out, the server
    /// shutting down): usually passing, a retry may succeed.
    Unreachable,
    /// The pool was closed or the group-commit writer has stopped: no write succeeds until the
    /// process restarts.
    WriterStopped,
    /// The disk (or the database's space) is full.
    DiskFull,
    /// The database or its filesystem is read-only.
    ReadOnly,
    /// The database file could not be read or written (a failing disk, a filesystem gone
    /// read-only under SQLite).
    Io,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Unreachable => "unreachable",
            Fault::WriterStopped => "writer_stopped",
            Fault::DiskFull => "disk_full",
            Fault::ReadOnly => "read_only",
            Fault::Io => "io_error",
        }
    }
}

// SQLite primary result codes (the low byte of an extended code).
const SQLITE_READONLY: i64 = 8;
const SQLITE_IOERR: i64 = 10;
const SQLITE_FULL: i64 = 13;
const SQLITE_CANTOPEN: i64 = 14;

/// Classify `e`; `None` for errors that are not about the storage (a constraint, bad SQL).
pub fn classify(e: &sqlx::Error) -> Option<Fault> {
    match e {
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => Some(Fault::WriterStopped),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            Some(Fault::Unreachable)
        }
        sqlx::Error::Database(d) => {
            let code = d.code();
            let code = code.as_deref().unwrap_or("");
            match code.parse::<i64>() {
                Ok(n) => match n & 0xff {
                    SQLITE_FULL => Some(Fault::DiskFull),
                    SQLITE_READONLY => Some(Fault::ReadOnly),
                    SQLITE_IOERR | SQLITE_CANTOPEN => Some(Fault::Io),
                    _ => None,
                },
                // PostgreSQL SQLSTATEs: connection exceptions, operator intervention (the
                // server shutting down or restarting), disk full, read-only transaction.
                Err(_) if code.starts_with("08") || code.starts_with("57P") => {
                    Some(Fault::Unreachable)
                }
                Err(_) if code == "53100" => Some(Fault::DiskFull),
                Err(_) if code == "25006" => Some(Fault::ReadOnly),
                Err(_) if code == "58030" => Some(Fault::Io),
                Err(_) => None,
            }
        }
        sqlx::Error::Protocol(m) => classify_message(m),
        _ => None,
    }
}

/// Errors that reach us as text (work run straight on SQLite, a group commit's copy of its
/// error for every caller).
pub fn classify_message(m: &str) -> Option<Fault> {
    let m = m.to_ascii_lowercase();
    if m.contains("database or disk is full")
        || m.contains("no space left")
        || m.contains("disk quota exceeded")
        || m.contains("could not extend file")
    {
        Some(Fault::DiskFull)
    } else if m.contains("readonly database")
        || m.contains("read-only file system")
        || m.contains("read-only transaction")
    {
        Some(Fault::ReadOnly)
    } else if m.contains("disk i/o error") {
        Some(Fault::Io)
    } else if m.contains("closed pool") || m.contains("writer has stopped") {
        Some(Fault::WriterStopped)
    } else if m.contains("error communicating with database")
        || m.contains("connection refused")
        || m.contains("timed out while waiting for an open connection")
        || m.contains("terminating connection")
    {
        Some(Fault::Unreachable)
    } else {
        None
    }
}

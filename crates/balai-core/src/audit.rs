//! Append-only, hash-chained audit events.
//!
//! Each event's hash covers its fields and the previous event's hash. A single-row head
//! (`audit_head`) holds the last sequence number and hash. A transaction's events wait in
//! memory; its commit reads the head (locking it until the commit on PostgreSQL, so several
//! writers append in order), chains them, and writes them all with one update of the head.
//! The head is taken last, just before the commit, so that concurrent writers (several app
//! instances, the writer lanes of [`crate::group_commit`]) wait for each other only there.
//! `balai audit verify` recomputes the chain: an edited row breaks its hash, a removed row
//! leaves a gap in the sequence, a removed tail no longer matches the head.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::accounts::Scope;
use crate::db::{Db, Tx, TxFuture, TxPart};
use crate::with_db;

/// The foundation's audit actions (accounts, sign-in, the calendar); each feature crate keeps
/// its own beside its commands. Stored as they are: changing one breaks reading old events.
pub mod actions {
    pub const AGENCY_CREATED: &str = "agency.created";
    pub const USER_CREATED: &str = "user.created";
    pub const LOGIN_FAILED: &str = "auth.login_failed";
    pub const LOGIN: &str = "auth.login";
    pub const LOGOUT: &str = "auth.logout";
    pub const PASSWORD_CHANGED: &str = "user.password_changed";
    pub const PERSONAL_DATA_READ: &str = "personal_data.read";
    pub const HOLIDAY_SAVED: &str = "calendar.holiday_saved";
    pub const HOLIDAY_REMOVED: &str = "calendar.holiday_removed";
    pub const USER_DISABLED: &str = "user.disabled";
    pub const PASSWORD_SET: &str = "user.password_set";
    pub const TOKEN_CREATED: &str = "token.created";
    pub const TOKEN_REVOKED: &str = "token.revoked";
}

/// Who did it and from where; built once per request.
#[derive(Clone, Debug, Default)]
pub struct AuditContext {
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub request_id: String,
    pub ip: String,
    pub user_agent: String,
    /// The agency kind whose work the events are (`bawaslu`, `pemda`, …): an admin reads
    /// only their own kind's events (and those of no kind). An access label kept beside the
    /// event, not part of its chained hash.
    pub agency_kind: Option<String>,
}

impl AuditContext {
    /// The same context without the client's IP address and user agent: a citizen's
    /// actions (an anonymous report, a reporter's reply) keep no trace of who sent them.
    pub fn without_client(&self) -> Self {
        AuditContext {
            ip: String::new(),
            user_agent: String::new(),
            ..self.clone()
        }
    }

    /// The same context labelled with the agency kind whose work the events are (the kind
    /// of the agency a report belongs to, whoever acts on it).
    pub fn for_agency_kind(&self, kind: Option<&str>) -> Self {
        AuditContext {
            agency_kind: kind.map(str::to_string),
            ..self.clone()
        }
    }

    /// For changes made from the command line.
    pub fn cli(what: &str) -> Self {
        AuditContext {
            actor_user_id: None,
            actor_label: format!("cli:{what}"),
            request_id: format!("cli-{}", uuid::Uuid::now_v7()),
            ip: "local".into(),
            user_agent: "balai-cli".into(),
            agency_kind: None,
        }
    }

    pub fn system(what: &str) -> Self {
        AuditContext {
            actor_user_id: None,
            actor_label: format!("system:{what}"),
            request_id: format!("sys-{}", uuid::Uuid::now_v7()),
            ip: "local".into(),
            user_agent: "balai".into(),
            agency_kind: None,
        }
    }
}

/// What happened.
#[derive(Clone, Debug)]
pub struct AuditEvent<'a> {
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: String,
    /// The region the target belongs to, for scoping who may read the event.
    pub region_code: Option<String>,
    /// A summary of the change (never secrets; personal data masked).
    pub summary: serde_json::Value,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub region_code: Option<String>,
    pub summary: String,
    pub request_id: String,
    pub ip: String,
    pub user_agent: String,
    pub prev_hash: String,
    pub hash: String,
    /// See [`AuditContext::agency_kind`]; not covered by `hash`.
    #[sqlx(default)]
    pub agency_kind: Option<String>,
}

fn field(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

/// The hash of one row given its predecessor's hash. Fields are length-prefixed so no two
/// different rows can serialise to the same bytes.
pub fn chain_hash(row: &AuditRow) -> String {
    let mut h = Sha256::new();
    field(&mut h, &row.prev_hash);
    field(&mut h, &row.seq.to_string());
    field(&mut h, &row.occurred_at.unix_timestamp_nanos().to_string());
    field(
        &mut h,
        &row.actor_user_id.map(|i| i.to_string()).unwrap_or_default(),
    );
    field(&mut h, &row.actor_label);
    field(&mut h, &row.action);
    field(&mut h, &row.target_kind);
    field(&mut h, &row.target_id);
    field(&mut h, row.region_code.as_deref().unwrap_or(""));
    field(&mut h, &row.summary);
    field(&mut h, &row.request_id);
    field(&mut h, &row.ip);
    field(&mut h, &row.user_agent);
    hex::encode(h.finalize())
}

/// Audit events a transaction has recorded and not yet written, kept with it as a
/// [`TxPart`]: their sequence numbers and hashes are given just before the commit, under the
/// head's lock, and all are written in a few multi-row statements with one update of the
/// head. A rolled-back transaction writes none of them; a rolled-back savepoint forgets those
/// recorded since.
#[derive(Debug, Default)]
pub struct Pending {
    rows: Vec<AuditRow>,
}

impl TxPart for Pending {
    fn as_any(&mut self) -> &mut dyn std::any::Any {
        self
    }

    fn mark(&self) -> usize {
        self.rows.len()
    }

    fn rewind(&mut self, mark: usize) {
        self.rows.truncate(mark);
    }

    fn before_commit_sqlite(&mut self, c: &rusqlite::Connection) -> rusqlite::Result<()> {
        flush_sqlite(c, &mut self.rows)
    }

    fn before_commit_pg<'a>(
        &'a mut self,
        c: &'a mut sqlx::PgConnection,
    ) -> TxFuture<'a, Result<(), sqlx::Error>> {
        Box::pin(flush_pg(c, &mut self.rows))
    }
}

/// Append an event inside the caller's transaction (the same one that makes the change); it is
/// numbered, chained and written when that transaction commits.
pub async fn record(
    tx: &mut Tx,
    ctx: &AuditContext,
    ev: AuditEvent<'_>,
) -> Result<(), sqlx::Error> {
    tx.part_or_insert_with(Pending::default)?
        .rows
        .push(AuditRow {
            seq: 0,
            occurred_at: crate::db::now(),
            actor_user_id: ctx.actor_user_id,
            actor_label: ctx.actor_label.clone(),
            action: ev.action.to_string(),
            target_kind: ev.target_kind.to_string(),
            target_id: ev.target_id,
            region_code: ev.region_code,
            summary: ev.summary.to_string(),
            request_id: ctx.request_id.clone(),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.chars().take(300).collect(),
            prev_hash: String::new(),
            hash: String::new(),
            agency_kind: ctx.agency_kind.clone(),
        });
    Ok(())
}

/// Number and chain `rows` after the head `(seq, hash)`.
fn chain(rows: &mut [AuditRow], (mut seq, mut prev): (i64, String)) {
    for row in rows {
        seq += 1;
        row.seq = seq;
        row.prev_hash = prev;
        row.hash = chain_hash(row);
        prev = row.hash.clone();
    }
}

/// PostgreSQL: read the head, locked until the transaction ends so that concurrent writers
/// (several instances, or writer lanes) append in order, then write the pending events and
/// move the head. (SQLite reads the head in [`flush_sqlite`]: its `BEGIN IMMEDIATE` already
/// holds the only write lock.)
async fn flush_pg(c: &mut sqlx::PgConnection, rows: &mut [AuditRow]) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let head = sqlx::query_as("SELECT seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .fetch_one(&mut *c)
        .await?;
    chain(rows, head);
    flush_postgres(c, rows).await
}

/// SQLite, on the write connection directly, inside the commit's call.
fn flush_sqlite(c: &rusqlite::Connection, rows: &mut [AuditRow]) -> rusqlite::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    use rusqlite::params;
    let head = c.query_row(
        "SELECT seq, last_hash FROM audit_head WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    chain(rows, head);
    let mut insert = c.prepare_cached(
        "INSERT INTO audit_events (seq, occurred_at, actor_user_id, actor_label, action,
           target_kind, target_id, region_code, summary, request_id, ip, user_agent, prev_hash,
           hash, agency_kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
           ?15)",
    )?;
    for r in rows.iter() {
        insert.execute(params![
            r.seq,
            crate::db::sqlite_time(r.occurred_at)?,
            r.actor_user_id,
            r.actor_label,
            r.action,
            r.target_kind,
            r.target_id,
            r.region_code,
            r.summary,
            r.request_id,
            r.ip,
            r.user_agent,
            r.prev_hash,
            r.hash,
            r.agency_kind,
        ])?;
    }
    if let Some(last) = rows.last() {
        c.execute(
            "UPDATE audit_head SET seq = ?1, last_hash = ?2 WHERE id = 1",
            params![last.seq, last.hash],
        )?;
    }
    Ok(())
}

/// PostgreSQL: the events and the new head in one statement (arrays, so its text is the same
/// however many events there are and the server keeps it prepared).
async fn flush_postgres(c: &mut sqlx::PgConnection, rows: &[AuditRow]) -> Result<(), sqlx::Error> {
    let Some(last) = rows.last() else {
        return Ok(());
    };
    use crate::db::column as col;
    sqlx::query(
        "WITH i AS (
           INSERT INTO audit_events (seq, occurred_at, actor_user_id, actor_label, action,
             target_kind, target_id, region_code, summary, request_id, ip, user_agent, prev_hash,
             hash, agency_kind)
           SELECT * FROM UNNEST($1::bigint[], $2::timestamptz[], $3::bigint[], $4::text[],
             $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
             $12::text[], $13::text[], $14::text[], $17::text[]))
         UPDATE audit_head SET seq = $15, last_hash = $16 WHERE id = 1",
    )
    .bind(col(rows, |r| r.seq))
    .bind(col(rows, |r| r.occurred_at))
    .bind(col(rows, |r| r.actor_user_id))
    .bind(col(rows, |r| r.actor_label.as_str()))
    .bind(col(rows, |r| r.action.as_str()))
    .bind(col(rows, |r| r.target_kind.as_str()))
    .bind(col(rows, |r| r.target_id.as_str()))
    .bind(col(rows, |r| r.region_code.as_deref()))
    .bind(col(rows, |r| r.summary.as_str()))
    .bind(col(rows, |r| r.request_id.as_str()))
    .bind(col(rows, |r| r.ip.as_str()))
    .bind(col(rows, |r| r.user_agent.as_str()))
    .bind(col(rows, |r| r.prev_hash.as_str()))
    .bind(col(rows, |r| r.hash.as_str()))
    .bind(last.seq)
    .bind(&last.hash)
    .bind(col(rows, |r| r.agency_kind.as_deref()))
    .execute(c)
    .await
    .map(drop)
}

/// Record an event in its own transaction (for reads of personal data, logins).
pub async fn record_now(
    db: &Db,
    ctx: &AuditContext,
    ev: AuditEvent<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    record(&mut tx, ctx, ev).await?;
    tx.commit().await
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChainProblem {
    /// A row's hash does not match its contents (edited).
    Altered { seq: i64 },
    /// A row's `prev_hash` does not match the row before it.
    Relinked { seq: i64 },
    /// A sequence number is missing (a row was removed).
    Missing { seq: i64 },
    /// The last rows were removed: the head says more exist.
    Truncated { expected_last: i64, found_last: i64 },
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Altered { seq } => write!(f, "audit event #{seq} was altered: its hash does not match its contents"),
            ChainProblem::Relinked { seq } => write!(f, "audit event #{seq} does not link to the event before it"),
            ChainProblem::Missing { seq } => write!(f, "audit event #{seq} is missing (removed)"),
            ChainProblem::Truncated { expected_last, found_last } => write!(
                f,
                "audit events after #{found_last} are missing: the chain head says the last is #{expected_last}"
            ),
        }
    }
}

/// Walk the whole chain; `Ok(n)` is the number of events checked.
pub async fn verify(db: &Db) -> Result<Result<i64, ChainProblem>, sqlx::Error> {
    let (head_seq, head_hash): (i64, String) = with_db!(db, |c| sqlx::query_as(
        "SELECT seq, last_hash FROM audit_head WHERE id = 1"
    )
    .fetch_one(c)
    .await)?;
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1i64;
    let mut after = 0i64;
    loop {
        let batch: Vec<AuditRow> = with_db!(db, |c| sqlx::query_as::<_, AuditRow>(
            "SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000"
        )
        .bind(after)
        .fetch_all(c)
        .await)?;
        if batch.is_empty() {
            break;
        }
        for row in &batch {
            if row.seq != expected_seq {
                return Ok(Err(ChainProblem::Missing { seq: expected_seq }));
            }
            if row.prev_hash != expected_prev {
                return Ok(Err(ChainProblem::Relinked { seq: row.seq }));
            }
            if chain_hash(row) != row.hash {
                return Ok(Err(ChainProblem::Altered { seq: row.seq }));
            }
            expected_prev = row.hash.clone();
            expected_seq += 1;
            after = row.seq;
        }
    }
    let last = expected_seq - 1;
    if last != head_seq || (last > 0 && expected_prev != head_hash) {
        return Ok(Err(ChainProblem::Truncated {
            expected_last: head_seq,
            found_last: last,
        }));
    }
    Ok(Ok(last))
}

/// A page of events visible to a scope, newest first: a super-admin reads all; an admin
/// reads the events of their region (and below) that are their agency kind's work or no
/// agency's (sign-ins, accounts): a Pemda admin never reads Bawaslu's events.
pub async fn list(
    db: &Db,
    scope: &Scope,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    list_filtered(db, scope, &Filter::default(), before_seq, limit).await
}

/// The audit log page's filters: exact actor label, action (`complaint` takes every
/// `complaint.*`), target kind and id; empty means any.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
}

/// [`list`] narrowed by `filter` (in the query, so a page holds `limit` matching events).
pub async fn list_filtered(
    db: &Db,
    scope: &Scope,
    filter: &Filter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    const MATCH: &str = "seq < $1 AND ($2 = '' OR actor_label = $2)
        AND ($3 = '' OR action = $3 OR action LIKE $3 || '.%')
        AND ($4 = '' OR target_kind = $4) AND ($5 = '' OR target_id = $5)";
    let before = before_seq.unwrap_or(i64::MAX);
    let f = filter;
    let rows = match scope {
        Scope::All => with_db!(db, |c| sqlx::query_as::<_, AuditRow>(&format!(
            "SELECT * FROM audit_events WHERE {MATCH} ORDER BY seq DESC LIMIT $6"
        ))
        .bind(before)
        .bind(f.actor.trim())
        .bind(f.action.trim())
        .bind(f.target_kind.trim())
        .bind(f.target_id.trim())
        .bind(limit)
        .fetch_all(c)
        .await)?,
        Scope::Region {
            prefix,
            agency_kind,
            ..
        } => with_db!(db, |c| {
            sqlx::query_as::<_, AuditRow>(&format!(
                "SELECT * FROM audit_events WHERE {MATCH}
                   AND (region_code = $6 OR region_code LIKE $7)
                   AND (agency_kind IS NULL OR agency_kind = $8)
                 ORDER BY seq DESC LIMIT $9"
            ))
            .bind(before)
            .bind(f.actor.trim())
            .bind(f.action.trim())
            .bind(f.target_kind.trim())
            .bind(f.target_id.trim())
            .bind(prefix)
            .bind(format!("{prefix}.%"))
            .bind(agency_kind)
            .bind(limit)
            .fetch_all(c)
            .await
        })?,
        Scope::Nothing => Vec::new(),
    };
    Ok(rows.into_iter().map(shown).collect())
}

/// What a reader is shown of an event. Events written before migration 0015 may hold a
/// report's tracking code in their summary and a citizen's IP address and user agent; the
/// chained hash covers them, so the stored rows stay as they are (`balai audit verify` still
/// passes) and the reader never sees them: a summary's `tracking_code` is dropped, and a
/// citizen's report action (no acting user) shows no IP or user agent.
fn shown(mut row: AuditRow) -> AuditRow {
    if row.summary.contains("\"tracking_code\"") {
        if let Ok(serde_json::Value::Object(mut m)) = serde_json::from_str(&row.summary) {
            m.remove("tracking_code");
            row.summary = serde_json::Value::Object(m).to_string();
        }
    }
    if row.actor_user_id.is_none() && row.action.starts_with("complaint.") {
        row.ip.clear();
        row.user_agent.clear();
    }
    row
}

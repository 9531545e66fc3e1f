//! SQL for result entries (every version kept), the per-TPS state, aggregation with prefix
//! matching on region codes, and the publication log.

use std::collections::BTreeMap;

use balai_core::db::Db;
use balai_core::with_db;
use serde::Serialize;
use time::OffsetDateTime;

use super::sums::{entry_votes, fold_sums, SumRow, COUNTED_ENTRY, RESULT_SUMS};
use crate::domain::entry::{EntryKind, PastEntry};
use crate::domain::form::Form;
use crate::domain::publog::{entry_hash, LogEntry};
use crate::domain::tally::Agg;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub election_id: i64,
    pub tps_id: i64,
    pub version: i64,
    pub kind: String,
    pub psu_ref: Option<String>,
    pub reason: Option<String>,
    pub operator_user_id: Option<i64>,
    pub operator_label: String,
    pub entered_at: OffsetDateTime,
    pub form: String,
    pub content_hash: String,
    pub confirmed_paper: bool,
    pub has_errors: bool,
    pub findings: String,
    pub warning_count: i64,
}

impl EntryRow {
    pub fn parsed_form(&self) -> Form {
        serde_json::from_str(&self.form).unwrap_or_default()
    }
    pub fn parsed_findings(&self) -> Vec<crate::domain::checks::Finding> {
        serde_json::from_str(&self.findings).unwrap_or_default()
    }
}

impl PastEntry for EntryRow {
    fn version(&self) -> i64 {
        self.version
    }
    fn is_psu(&self) -> bool {
        self.kind == EntryKind::Psu.as_str()
    }
    fn operator(&self) -> &str {
        &self.operator_label
    }
    fn content_hash(&self) -> &str {
        &self.content_hash
    }
    fn psu_ref(&self) -> Option<&str> {
        self.psu_ref.as_deref()
    }
}

pub(crate) const ENTRY_COLS: &str = "id, election_id, tps_id, version, kind, psu_ref, reason, operator_user_id,
    operator_label, entered_at, form, content_hash, confirmed_paper, has_errors, findings, warning_count";

pub async fn entries(db: &Db, tps_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    let sql = format!("SELECT {ENTRY_COLS} FROM result_entries WHERE tps_id = $1 ORDER BY version");
    with_db!(db, |c| sqlx::query_as::<_, EntryRow>(&sql)
        .bind(tps_id)
        .fetch_all(c)
        .await)
}

pub struct NewEntry<'a> {
    pub election_id: i64,
    pub tps_id: i64,
    pub version: i64,
    pub kind: &'a str,
    pub psu_ref: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub operator_user_id: Option<i64>,
    pub operator_label: &'a str,
    pub entered_at: OffsetDateTime,
    pub form: &'a Form,
    pub form_json: &'a str,
    pub content_hash: &'a str,
    pub confirmed_paper: bool,
    pub has_errors: bool,
    pub findings_json: &'a str,
    pub warning_count: i64,
}

/// The state of one TPS after an accepted entry.
pub struct TpsState<'a> {
    pub tps_id: i64,
    pub election_id: i64,
    pub village_code: &'a str,
    pub current_entry_id: i64,
    pub epoch_version: i64,
    pub verified: bool,
    pub disputed: bool,
    pub flagged: bool,
    pub has_errors: bool,
    pub photo_reused: bool,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct StateRow {
    pub tps_id: i64,
    pub village_code: String,
    pub current_entry_id: i64,
    pub epoch_version: i64,
    pub verified: bool,
    pub disputed: bool,
    pub flagged: bool,
    pub has_errors: bool,
}

/// The TPS of election `$1` in region `$2` (`$3` is `$2` followed by `.%`), for
/// `tps_id IN (…)`: the results tables are reached through the index of `tps` by
/// `(election, village)` (they have none of their own: one index fewer written per form).
pub(crate) const TPS_IN_REGION: &str =
    "SELECT id FROM tps WHERE election_id = $1 AND (village_code = $2 OR village_code LIKE $3)";

pub(crate) const STATE_COLS: &str =
    "tps_id, village_code, current_entry_id, epoch_version, verified, disputed, flagged, has_errors";

pub async fn state(db: &Db, tps_id: i64) -> Result<Option<StateRow>, sqlx::Error> {
    let sql = format!("SELECT {STATE_COLS} FROM tps_results WHERE tps_id = $1");
    with_db!(db, |c| sqlx::query_as::<_, StateRow>(&sql)
        .bind(tps_id)
        .fetch_optional(c)
        .await)
}

/// The states of the TPS in a region (prefix match), e.g. for the supervisor's queue.
pub async fn states_in(
    db: &Db,
    election_id: i64,
    region: &str,
    disputed_only: bool,
) -> Result<Vec<StateRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {STATE_COLS} FROM tps_results WHERE tps_id IN ({TPS_IN_REGION})
         AND (disputed OR NOT $4) ORDER BY village_code, tps_id"
    );
    with_db!(db, |c| sqlx::query_as::<_, StateRow>(&sql)
        .bind(election_id)
        .bind(region)
        .bind(format!("{region}.%"))
        .bind(disputed_only)
        .fetch_all(c)
        .await)
}

pub async fn log(db: &Db, election_id: i64) -> Result<Vec<LogEntry>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, LogEntry>(
        "SELECT seq, prev_hash, hash, payload FROM election_log WHERE election_id = $1 ORDER BY seq"
    )
    .bind(election_id)
    .fetch_all(c)
    .await
    })
}

/// Entries `after < seq <= upto` of an election's log, at most `limit`, in order.
pub async fn log_page(
    db: &Db,
    election_id: i64,
    after: i64,
    upto: i64,
    limit: i64,
) -> Result<Vec<LogEntry>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, LogEntry>(
            "SELECT seq, prev_hash, hash, payload FROM election_log
             WHERE election_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4",
        )
        .bind(election_id)
        .bind(after)
        .bind(upto)
        .bind(limit)
        .fetch_all(c)
        .await
    })
}

/// Aggregate the current accepted version of every TPS inside `region`, grouped by the first
/// `group_len` characters of the village code (`region.len()` for one total, the child code
/// length for a breakdown by child region).
pub async fn aggregate(
    db: &Db,
    election_id: i64,
    region: &str,
    group_len: usize,
) -> Result<BTreeMap<String, Agg>, sqlx::Error> {
    let like = format!("{region}.%");
    let len = i32::try_from(group_len).unwrap_or(13);
    let tps: Vec<(String, i64, Option<i64>)> = with_db!(db, |c| sqlx::query_as(
        "SELECT SUBSTR(village_code, 1, $4) AS k, COUNT(*), CAST(SUM(dpt_l + dpt_p) AS BIGINT)
         FROM tps WHERE election_id = $1 AND (village_code = $2 OR village_code LIKE $3)
         GROUP BY SUBSTR(village_code, 1, $4)"
    )
    .bind(election_id)
    .bind(region)
    .bind(&like)
    .bind(len)
    .fetch_all(c)
    .await)?;
    let res: Vec<SumRow> = with_db!(db, |c| {
        sqlx::query_as(&format!(
            "SELECT SUBSTR(r.village_code, 1, $4) AS k, {RESULT_SUMS}
         WHERE r.tps_id IN ({TPS_IN_REGION}) GROUP BY SUBSTR(r.village_code, 1, $4)"
        ))
        .bind(election_id)
        .bind(region)
        .bind(&like)
        .bind(len)
        .fetch_all(c)
        .await
    })?;
    let (join, ballot, n) = entry_votes(db.backend());
    let votes: Vec<(String, i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(&format!(
            "SELECT SUBSTR(r.village_code, 1, $4) AS k, {ballot}, CAST(SUM({n}) AS BIGINT)
         FROM tps_results r JOIN result_entries e ON e.id = {COUNTED_ENTRY} {join}
         WHERE r.tps_id IN ({TPS_IN_REGION})
         GROUP BY SUBSTR(r.village_code, 1, $4), {ballot}"
        ))
        .bind(election_id)
        .bind(region)
        .bind(&like)
        .bind(len)
        .fetch_all(c)
        .await
    })?;
    let mut out: BTreeMap<String, Agg> = BTreeMap::new();
    let tps = tps.into_iter().map(|(k, n, dpt)| (k, n, dpt.unwrap_or(0)));
    fold_sums(&mut out, tps, res, votes);
    Ok(out)
}

/// Accepted versions of one election to append to its publication log: the log's head
/// `(seq, hash)` as read under the election's row lock, and `(entry_id, payload)` in order.
pub struct LogAppend<'a> {
    pub election_id: i64,
    pub head: (i64, String),
    pub entries: &'a [(i64, String)],
}

/// One row of an election's publication log.
pub struct LogRow<'a> {
    pub election_id: i64,
    pub seq: i64,
    pub entry_id: i64,
    pub prev_hash: String,
    pub hash: String,
    pub payload: &'a str,
}

/// The log rows of the appends, each chained to the one before, and each election's new head
/// `(election, seq, hash)`.
pub fn chain<'a>(logs: &[LogAppend<'a>]) -> (Vec<LogRow<'a>>, Vec<(i64, i64, String)>) {
    let mut rows = Vec::new();
    let mut heads = Vec::with_capacity(logs.len());
    for log in logs {
        let (mut seq, mut prev) = log.head.clone();
        for (entry_id, payload) in log.entries {
            seq += 1;
            let hash = entry_hash(&prev, seq, payload);
            rows.push(LogRow {
                election_id: log.election_id,
                seq,
                entry_id: *entry_id,
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
                payload: payload.as_str(),
            });
        }
        heads.push((log.election_id, seq, prev));
    }
    (rows, heads)
}

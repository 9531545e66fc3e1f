//! SQL for result entries (every version kept), the per-TPS state, aggregation with prefix
//! matching on region codes, and the publication log.

use std::collections::BTreeMap;

use balai_core::db::Db;
use balai_core::with_db;
use serde::Serialize;
use time::OffsetDateTime;

use crate::domain::form::Form;
use crate::domain::publog::{entry_hash, LogEntry};

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

/// Sums over the TPS of one region or of each of its children.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Agg {
    pub tps_total: i64,
    pub dpt_master: i64,
    pub tps_entered: i64,
    pub tps_verified: i64,
    pub tps_flagged: i64,
    pub tps_errors: i64,
    pub tps_disputed: i64,
    pub dpt: i64,
    pub pengguna: i64,
    pub suara_sah: i64,
    pub suara_tidak_sah: i64,
    pub votes: BTreeMap<i64, i64>,
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
    let (join, ballot, n) = super::totals::entry_votes(db.backend());
    let votes: Vec<(String, i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(&format!(
            "SELECT SUBSTR(r.village_code, 1, $4) AS k, {ballot}, CAST(SUM({n}) AS BIGINT)
         FROM tps_results r JOIN result_entries e ON e.id = r.current_entry_id {join}
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

/// The sums over the current version of a group of TPS, after `SELECT <key>, `: the FROM
/// clause joins `tps_results r` to `result_entries e`; a [`SumRow`] per group.
pub(crate) const RESULT_SUMS: &str = "COUNT(*),
           CAST(COALESCE(SUM(e.dpt), 0) AS BIGINT), CAST(COALESCE(SUM(e.pengguna), 0) AS BIGINT),
           CAST(COALESCE(SUM(e.suara_sah), 0) AS BIGINT), CAST(COALESCE(SUM(e.suara_tidak_sah), 0) AS BIGINT),
           CAST(SUM(CASE WHEN r.verified THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.has_errors THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END) AS BIGINT)
         FROM tps_results r JOIN result_entries e ON e.id = r.current_entry_id";

/// A group's key and its [`RESULT_SUMS`].
pub(crate) type SumRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64);

/// Put the three sums of each group into `out`: its TPS (count, master DPT), its results
/// ([`SumRow`]) and its votes per ballot.
pub(crate) fn fold_sums(
    out: &mut BTreeMap<String, Agg>,
    tps: impl IntoIterator<Item = (String, i64, i64)>,
    res: Vec<SumRow>,
    votes: Vec<(String, i64, i64)>,
) {
    for (k, n, dpt) in tps {
        let a = out.entry(k).or_default();
        a.tps_total = n;
        a.dpt_master = dpt;
    }
    for (k, n, dpt, pengguna, sah, tidak, ver, flag, errs, disp) in res {
        let a = out.entry(k).or_default();
        a.tps_entered = n;
        a.dpt = dpt;
        a.pengguna = pengguna;
        a.suara_sah = sah;
        a.suara_tidak_sah = tidak;
        a.tps_verified = ver;
        a.tps_flagged = flag;
        a.tps_errors = errs;
        a.tps_disputed = disp;
    }
    for (k, b, v) in votes {
        out.entry(k).or_default().votes.insert(b, v);
    }
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

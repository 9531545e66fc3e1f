//! SQL for result entries (every version kept), the per-TPS state, aggregation with prefix
//! matching on region codes, and the publication log.

use std::collections::BTreeMap;

use balai_core::db::{now, Db, Tx};
use balai_core::{with_db, with_tx};
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

const ENTRY_COLS: &str = "id, election_id, tps_id, version, kind, psu_ref, reason, operator_user_id,
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

const STATE_COLS: &str =
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
        "SELECT {STATE_COLS} FROM tps_results WHERE election_id = $1
         AND (village_code = $2 OR village_code LIKE $3) AND (disputed OR NOT $4)
         ORDER BY village_code, tps_id"
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
         WHERE r.election_id = $1 AND (r.village_code = $2 OR r.village_code LIKE $3)
         GROUP BY SUBSTR(r.village_code, 1, $4)"
        ))
        .bind(election_id)
        .bind(region)
        .bind(&like)
        .bind(len)
        .fetch_all(c)
        .await
    })?;
    let votes: Vec<(String, i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT SUBSTR(r.village_code, 1, $4) AS k, v.ballot_number, CAST(SUM(v.votes) AS BIGINT)
         FROM tps_results r JOIN result_votes v ON v.entry_id = r.current_entry_id
         WHERE r.election_id = $1 AND (r.village_code = $2 OR r.village_code LIKE $3)
         GROUP BY SUBSTR(r.village_code, 1, $4), v.ballot_number"
    )
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

// Bulk reads and multi-row writes for submissions: a batch of forms (or one form) costs a
// fixed number of statements, not a number per form.

/// The TPS of these elections named by id, or by `(election, village code, number)`. Two
/// look-ups, not one with `OR`: with `OR` SQLite reads every TPS of the election. The named
/// ones are joined to a `VALUES` list so both backends look each up in the unique index
/// (with `village_code IN (…)` every TPS of each village came along, ten per village at
/// national scale).
pub async fn tps_for(
    tx: &mut Tx,
    election_ids: &[i64],
    ids: &[i64],
    named: &[(i64, &str, i64)],
) -> Result<Vec<crate::store::Tps>, sqlx::Error> {
    let mut out: Vec<crate::store::Tps> = Vec::new();
    if !ids.is_empty() && !election_ids.is_empty() {
        let found: Vec<crate::store::Tps> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT id, election_id, village_code, number, address, dpt_l, dpt_p FROM tps
                 WHERE election_id",
            );
            balai_core::db::push_in_list(&mut q, election_ids);
            q.push(" AND id");
            balai_core::db::push_in_list(&mut q, ids);
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        out.extend(found);
    }
    for chunk in named.chunks(500) {
        let found: Vec<crate::store::Tps> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT t.id, t.election_id, t.village_code, t.number, t.address, t.dpt_l, t.dpt_p
                 FROM (",
            );
            q.push_values(chunk, |mut b, (election, village, number)| {
                b.push_bind(*election)
                    .push_bind(*village)
                    .push_bind(*number);
            });
            // Both backends name a VALUES list's columns column1, column2, …
            q.push(
                ") AS v JOIN tps t ON t.election_id = v.column1 AND t.village_code = v.column2
                   AND t.number = v.column3",
            );
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        out.extend(found);
    }
    out.sort_by_key(|t| t.id);
    out.dedup_by_key(|t| t.id);
    Ok(out)
}

/// Every entry of these TPS, by TPS and version.
pub async fn entries_of(tx: &mut Tx, tps_ids: &[i64]) -> Result<Vec<EntryRow>, sqlx::Error> {
    with_tx!(tx, |c| {
        let mut q = sqlx::QueryBuilder::new(format!(
            "SELECT {ENTRY_COLS} FROM result_entries WHERE tps_id IN ("
        ));
        let mut s = q.separated(", ");
        s.push_bind(-1i64);
        for id in tps_ids {
            s.push_bind(*id);
        }
        q.push(") ORDER BY tps_id, version");
        q.build_query_as().fetch_all(&mut *c).await
    })
}

/// The states of these TPS, with whether each has a photo used for another TPS.
pub async fn states_of(
    tx: &mut Tx,
    tps_ids: &[i64],
) -> Result<(Vec<StateRow>, Vec<i64>), sqlx::Error> {
    let states: Vec<StateRow> = with_tx!(tx, |c| {
        let mut q = sqlx::QueryBuilder::new(format!(
            "SELECT {STATE_COLS} FROM tps_results WHERE tps_id IN ("
        ));
        let mut s = q.separated(", ");
        s.push_bind(-1i64);
        for id in tps_ids {
            s.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(&mut *c).await
    })?;
    let reused: Vec<i64> = with_tx!(tx, |c| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT DISTINCT tps_id FROM result_photos WHERE reused AND tps_id IN (",
        );
        let mut s = q.separated(", ");
        s.push_bind(-1i64);
        for id in tps_ids {
            s.push_bind(*id);
        }
        q.push(")");
        q.build_query_scalar().fetch_all(&mut *c).await
    })?;
    Ok((states, reused))
}

/// Insert entries (multi-row); returns `(tps_id, version) → id`.
pub async fn insert_entries(
    tx: &mut Tx,
    entries: &[NewEntry<'_>],
) -> Result<BTreeMap<(i64, i64), i64>, sqlx::Error> {
    let mut ids = BTreeMap::new();
    for chunk in entries.chunks(200) {
        let rows: Vec<(i64, i64, i64)> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO result_entries (election_id, tps_id, version, kind, psu_ref, reason,
                   operator_user_id, operator_label, entered_at, form, content_hash, confirmed_paper,
                   has_errors, findings, warning_count, dpt, pengguna, suara_sah, suara_tidak_sah) ",
            );
            q.push_values(chunk, |mut b, e| {
                b.push_bind(e.election_id)
                    .push_bind(e.tps_id)
                    .push_bind(e.version)
                    .push_bind(e.kind)
                    .push_bind(e.psu_ref)
                    .push_bind(e.reason)
                    .push_bind(e.operator_user_id)
                    .push_bind(e.operator_label)
                    .push_bind(e.entered_at)
                    .push_bind(e.form_json)
                    .push_bind(e.content_hash)
                    .push_bind(e.confirmed_paper)
                    .push_bind(e.has_errors)
                    .push_bind(e.findings_json)
                    .push_bind(e.warning_count)
                    .push_bind(i64::from(e.form.pemilih_dpt.total))
                    .push_bind(i64::from(e.form.pengguna_total.total))
                    .push_bind(i64::from(e.form.suara_sah))
                    .push_bind(i64::from(e.form.suara_tidak_sah));
            });
            q.push(" RETURNING id, tps_id, version");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        for (id, tps, version) in rows {
            ids.insert((tps, version), id);
        }
    }
    let votes: Vec<(i64, i64, i64)> = entries
        .iter()
        .flat_map(|e| {
            let id = ids.get(&(e.tps_id, e.version)).copied().unwrap_or(0);
            e.form
                .votes
                .iter()
                .map(move |(b, v)| (id, i64::from(*b), i64::from(*v)))
        })
        .collect();
    for chunk in votes.chunks(1000) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO result_votes (entry_id, ballot_number, votes) ",
            );
            q.push_values(chunk, |mut b, (id, ballot, v)| {
                b.push_bind(*id).push_bind(*ballot).push_bind(*v);
            });
            q.build().execute(&mut *c).await?;
        });
    }
    Ok(ids)
}

/// Upsert the states (one per TPS; the caller keeps only the last of each).
pub async fn upsert_states(tx: &mut Tx, states: &[TpsState<'_>]) -> Result<(), sqlx::Error> {
    let at = now();
    for chunk in states.chunks(500) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO tps_results (tps_id, election_id, village_code, current_entry_id,
                   epoch_version, verified, disputed, flagged, has_errors, photo_reused, updated_at) ",
            );
            q.push_values(chunk, |mut b, s| {
                b.push_bind(s.tps_id)
                    .push_bind(s.election_id)
                    .push_bind(s.village_code)
                    .push_bind(s.current_entry_id)
                    .push_bind(s.epoch_version)
                    .push_bind(s.verified)
                    .push_bind(s.disputed)
                    .push_bind(s.flagged)
                    .push_bind(s.has_errors)
                    .push_bind(s.photo_reused)
                    .push_bind(at);
            });
            q.push(
                " ON CONFLICT (tps_id) DO UPDATE SET current_entry_id = excluded.current_entry_id,
                   epoch_version = excluded.epoch_version, verified = excluded.verified,
                   disputed = excluded.disputed, flagged = excluded.flagged,
                   has_errors = excluded.has_errors, photo_reused = excluded.photo_reused,
                   updated_at = excluded.updated_at",
            );
            q.build().execute(&mut *c).await?;
        });
    }
    Ok(())
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

/// Append to the publication logs of one or more elections (multi-row statements for all of
/// them) and move each election's head.
pub async fn append_logs(tx: &mut Tx, logs: &[LogAppend<'_>]) -> Result<(), sqlx::Error> {
    let at = now();
    let (rows, heads) = chain(logs);
    for chunk in rows.chunks(500) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO election_log (election_id, seq, entry_id, prev_hash, hash, payload,
                   published_at) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.election_id)
                    .push_bind(r.seq)
                    .push_bind(r.entry_id)
                    .push_bind(r.prev_hash.as_str())
                    .push_bind(r.hash.as_str())
                    .push_bind(r.payload)
                    .push_bind(at);
            });
            q.build().execute(&mut *c).await?;
        });
    }
    // Both backends name a VALUES list's columns column1, column2, …
    for chunk in heads.chunks(500) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new("UPDATE elections SET log_seq = v.column2, log_head = v.column3, results_changed_at = ");
            q.push_bind(at).push(" FROM (");
            q.push_values(chunk, |mut b, (election, seq, head)| {
                b.push_bind(*election)
                    .push_bind(*seq)
                    .push_bind(head.as_str());
            });
            q.push(") AS v WHERE elections.id = v.column1");
            q.build().execute(&mut *c).await?;
        });
    }
    Ok(())
}

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

/// Every entry of a TPS, oldest first.
pub async fn entries_tx(tx: &mut Tx, tps_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    let sql = format!("SELECT {ENTRY_COLS} FROM result_entries WHERE tps_id = $1 ORDER BY version");
    with_tx!(tx, |c| sqlx::query_as::<_, EntryRow>(&sql)
        .bind(tps_id)
        .fetch_all(&mut *c)
        .await)
}

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

pub async fn insert_entry(tx: &mut Tx, e: &NewEntry<'_>) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO result_entries (election_id, tps_id, version, kind, psu_ref, reason,
               operator_user_id, operator_label, entered_at, form, content_hash, confirmed_paper,
               has_errors, findings, warning_count, dpt, pengguna, suara_sah, suara_tidak_sah)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
             RETURNING id",
        )
        .bind(e.election_id)
        .bind(e.tps_id)
        .bind(e.version)
        .bind(e.kind)
        .bind(e.psu_ref)
        .bind(e.reason)
        .bind(e.operator_user_id)
        .bind(e.operator_label)
        .bind(e.entered_at)
        .bind(e.form_json)
        .bind(e.content_hash)
        .bind(e.confirmed_paper)
        .bind(e.has_errors)
        .bind(e.findings_json)
        .bind(e.warning_count)
        .bind(i64::from(e.form.pemilih_dpt.total))
        .bind(i64::from(e.form.pengguna_total.total))
        .bind(i64::from(e.form.suara_sah))
        .bind(i64::from(e.form.suara_tidak_sah))
        .fetch_one(&mut *c)
        .await?;
        for (ballot, votes) in &e.form.votes {
            sqlx::query(
                "INSERT INTO result_votes (entry_id, ballot_number, votes) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(i64::from(*ballot))
            .bind(i64::from(*votes))
            .execute(&mut *c)
            .await?;
        }
        Ok(id)
    })
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

pub async fn upsert_state(tx: &mut Tx, s: &TpsState<'_>) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO tps_results (tps_id, election_id, village_code, current_entry_id, epoch_version,
           verified, disputed, flagged, has_errors, photo_reused, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tps_id) DO UPDATE SET current_entry_id = excluded.current_entry_id,
           epoch_version = excluded.epoch_version, verified = excluded.verified,
           disputed = excluded.disputed, flagged = excluded.flagged,
           has_errors = excluded.has_errors, photo_reused = excluded.photo_reused,
           updated_at = excluded.updated_at"
    )
    .bind(s.tps_id)
    .bind(s.election_id)
    .bind(s.village_code)
    .bind(s.current_entry_id)
    .bind(s.epoch_version)
    .bind(s.verified)
    .bind(s.disputed)
    .bind(s.flagged)
    .bind(s.has_errors)
    .bind(s.photo_reused)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|_| ())
    })
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
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

/// Append an accepted version to the election's publication log; returns its sequence number.
pub async fn append_log(
    tx: &mut Tx,
    election_id: i64,
    entry_id: i64,
    payload: &str,
) -> Result<i64, sqlx::Error> {
    let (seq, prev): (i64, String) = with_tx!(tx, |c| sqlx::query_as(
        "UPDATE elections SET log_seq = log_seq + 1 WHERE id = $1 RETURNING log_seq, log_head"
    )
    .bind(election_id)
    .fetch_one(&mut *c)
    .await)?;
    let hash = entry_hash(&prev, seq, payload);
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO election_log (election_id, seq, entry_id, prev_hash, hash, payload, published_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(election_id)
        .bind(seq)
        .bind(entry_id)
        .bind(&prev)
        .bind(&hash)
        .bind(payload)
        .bind(now())
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE elections SET log_head = $1 WHERE id = $2")
            .bind(&hash)
            .bind(election_id)
            .execute(&mut *c)
            .await?;
    });
    Ok(seq)
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
    type R = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let res: Vec<R> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT SUBSTR(r.village_code, 1, $4) AS k, COUNT(*),
           CAST(COALESCE(SUM(e.dpt), 0) AS BIGINT), CAST(COALESCE(SUM(e.pengguna), 0) AS BIGINT),
           CAST(COALESCE(SUM(e.suara_sah), 0) AS BIGINT), CAST(COALESCE(SUM(e.suara_tidak_sah), 0) AS BIGINT),
           CAST(SUM(CASE WHEN r.verified THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.has_errors THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END) AS BIGINT)
         FROM tps_results r JOIN result_entries e ON e.id = r.current_entry_id
         WHERE r.election_id = $1 AND (r.village_code = $2 OR r.village_code LIKE $3)
         GROUP BY SUBSTR(r.village_code, 1, $4)"
    )
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
    for (k, n, dpt) in tps {
        let a = out.entry(k).or_default();
        a.tps_total = n;
        a.dpt_master = dpt.unwrap_or(0);
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
    Ok(out)
}

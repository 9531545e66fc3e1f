//! Per-region totals kept up to date in the write transaction (`region_totals`, the votes per
//! paslon in the same row), so reading a region's results is one row look-up instead of a sum over
//! every TPS inside it.
//!
//! Every change of a TPS's contribution (its master DPT, its current accepted version, its
//! verified/disputed/flagged/error state) is turned into a signed [`Agg`] delta and added to
//! the district, regency/city and province containing it. A village's totals are summed from
//! its TPS when read ([`village_sums`]: about ten TPS at national scale, found by index): a
//! village row is shared by almost no two forms of a group commit, so keeping it cost every
//! form a quarter of its region rows, and on SQLite a page of its own in every commit.
//! [`rebuild`] recomputes the stored levels from scratch with the same sums
//! [`super::results::aggregate`] uses; the property test and `balai verify-log` hold the two
//! equal.

use std::collections::BTreeMap;

use balai_core::db::{now, Backend, Db, Tx};
use balai_core::regions::Level;
use balai_core::{with_db, with_tx};

use super::sums::{entry_votes, fold_sums, SumRow, COUNTED_ENTRY, RESULT_SUMS};
use crate::domain::tally::{Agg, Deltas};

/// How an insert into `region_totals` adds to a row already there (both backends' upsert).
pub(crate) const ADD_TOTALS: &str = "ON CONFLICT (election_id, region_code) DO UPDATE SET
                   tps_total = region_totals.tps_total + excluded.tps_total,
                   dpt_master = region_totals.dpt_master + excluded.dpt_master,
                   tps_entered = region_totals.tps_entered + excluded.tps_entered,
                   tps_verified = region_totals.tps_verified + excluded.tps_verified,
                   tps_flagged = region_totals.tps_flagged + excluded.tps_flagged,
                   tps_errors = region_totals.tps_errors + excluded.tps_errors,
                   tps_disputed = region_totals.tps_disputed + excluded.tps_disputed,
                   dpt = region_totals.dpt + excluded.dpt,
                   pengguna = region_totals.pengguna + excluded.pengguna,
                   suara_sah = region_totals.suara_sah + excluded.suara_sah,
                   suara_tidak_sah = region_totals.suara_tidak_sah + excluded.suara_tidak_sah";

/// Rows per multi-row statement (13 values each stays far below both backends' limits).
const CHUNK: usize = 500;

/// Add the deltas to the stored totals of one election (multi-row upserts).
pub async fn apply(tx: &mut Tx, election_id: i64, deltas: &Deltas) -> Result<(), sqlx::Error> {
    apply_many(tx, [(election_id, deltas)]).await
}

/// Votes as a totals row keeps them: element `b - 1` holds ballot number `b`, `None` where
/// that ballot is absent (ballot numbers are small: see `crate::domain::election::MAX_BALLOT`).
fn votes_vec(votes: &BTreeMap<i64, i64>) -> Vec<Option<i64>> {
    let mut out: Vec<Option<i64>> = Vec::new();
    for (b, v) in votes {
        let Some(i) = usize::try_from(b - 1).ok() else {
            continue;
        };
        if out.len() <= i {
            out.resize(i + 1, None);
        }
        out[i] = Some(*v);
    }
    out
}

/// The votes of a row back by ballot number.
pub(crate) fn votes_map(votes: &[Option<i64>]) -> BTreeMap<i64, i64> {
    (1..)
        .zip(votes)
        .filter_map(|(b, v)| Some((b, (*v)?)))
        .collect()
}

/// Votes as bound to the `votes` column: a PostgreSQL array literal (`{1,NULL,3}`) or, on
/// SQLite, a JSON array (`[1,null,3]`).
pub fn votes_text(votes: &BTreeMap<i64, i64>, backend: Backend) -> String {
    use std::fmt::Write;
    let (open, null, close) = match backend {
        Backend::Postgres => ('{', "NULL", '}'),
        Backend::Sqlite => ('[', "null", ']'),
    };
    let mut out = String::with_capacity(8 * votes.len() + 2);
    out.push(open);
    for (i, v) in votes_vec(votes).into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match v {
            Some(v) => {
                let _ = write!(out, "{v}");
            }
            None => out.push_str(null),
        }
    }
    out.push(close);
    out
}

/// A form's votes (ballot number → votes) as [`votes_text`], for its entry's `votes` column.
pub fn form_votes_text(votes: &BTreeMap<u32, u32>, backend: Backend) -> String {
    let votes: BTreeMap<i64, i64> = votes
        .iter()
        .map(|(b, v)| (i64::from(*b), i64::from(*v)))
        .collect();
    votes_text(&votes, backend)
}

/// The type a bound [`votes_text`] is cast to for the `votes` column.
fn votes_type(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "BIGINT[]",
        Backend::Sqlite => "TEXT",
    }
}

/// How an upsert into `region_totals` adds the votes of the new row to the row already there,
/// ballot by ballot (the longer array wins its tail; a ballot stays absent only if absent in
/// both).
pub(crate) fn add_votes(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => {
            ", votes = ARRAY(SELECT CASE WHEN x IS NULL AND y IS NULL THEN NULL
                   ELSE COALESCE(x, 0) + COALESCE(y, 0) END
                 FROM unnest(region_totals.votes, excluded.votes) WITH ORDINALITY AS u(x, y, i)
                 ORDER BY i)"
        }
        Backend::Sqlite => {
            ", votes = (SELECT json_group_array(CASE WHEN a.value IS NULL AND b.value IS NULL
                   THEN NULL ELSE COALESCE(a.value, 0) + COALESCE(b.value, 0) END
                   ORDER BY COALESCE(a.key, b.key))
                 FROM json_each(region_totals.votes) a
                 FULL JOIN json_each(excluded.votes) b ON a.key = b.key)"
        }
    }
}

/// The rows to add, `(election, region, delta)`, for several elections' deltas.
pub fn rows_of<'d>(
    deltas: impl IntoIterator<Item = (i64, &'d Deltas)>,
) -> Vec<(i64, &'d str, &'d Agg)> {
    deltas
        .into_iter()
        .flat_map(|(e, d)| d.iter().map(move |(code, a)| (e, code.as_str(), a)))
        .collect()
}

/// Add the deltas of several elections to their stored totals in the same statements. Give
/// the elections in id order: rows are then touched in (election, region) order by every
/// writer.
pub async fn apply_many<'d>(
    tx: &mut Tx,
    deltas: impl IntoIterator<Item = (i64, &'d Deltas)>,
) -> Result<(), sqlx::Error> {
    let backend = tx.backend();
    let rows = rows_of(deltas);
    let votes: Vec<String> = rows
        .iter()
        .map(|r| votes_text(&r.2.votes, backend))
        .collect();
    let cast_end = format!(" AS {})", votes_type(backend));
    for (chunk, votes) in rows.chunks(CHUNK).zip(votes.chunks(CHUNK)) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO region_totals (election_id, region_code, tps_total, dpt_master,
                   tps_entered, tps_verified, tps_flagged, tps_errors, tps_disputed, dpt, pengguna,
                   suara_sah, suara_tidak_sah, votes) ",
            );
            q.push_values(
                chunk.iter().zip(votes),
                |mut b, ((election_id, code, a), v)| {
                    b.push_bind(*election_id)
                        .push_bind(*code)
                        .push_bind(a.tps_total)
                        .push_bind(a.dpt_master)
                        .push_bind(a.tps_entered)
                        .push_bind(a.tps_verified)
                        .push_bind(a.tps_flagged)
                        .push_bind(a.tps_errors)
                        .push_bind(a.tps_disputed)
                        .push_bind(a.dpt)
                        .push_bind(a.pengguna)
                        .push_bind(a.suara_sah)
                        .push_bind(a.suara_tidak_sah)
                        .push("CAST(")
                        .push_bind_unseparated(v.as_str())
                        .push_unseparated(cast_end.as_str());
                },
            );
            q.push(" ").push(ADD_TOTALS).push(add_votes(backend));
            q.build().execute(&mut *c).await?;
        });
    }
    Ok(())
}

type TotalsRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
);

/// The stored columns of a totals row but its votes (see [`get_many`]).
const TOTALS_COLS: &str = "region_code, tps_total, dpt_master, tps_entered, tps_verified,
    tps_flagged, tps_errors, tps_disputed, dpt, pengguna, suara_sah, suara_tidak_sah";

/// The totals of these regions (regions without a TPS are absent): the stored rows, and for
/// villages the sums of their TPS.
pub async fn get_many(
    db: &Db,
    election_id: i64,
    codes: &[&str],
) -> Result<BTreeMap<String, Agg>, sqlx::Error> {
    // A village's totals are not stored.
    let (villages, stored): (Vec<&str>, Vec<&str>) = codes
        .iter()
        .copied()
        .partition(|c| Level::of(c) == Level::Village);
    let mut out = village_sums(db, election_id, &villages).await?;
    // The votes as a JSON array on both backends.
    let votes_col = match db.backend() {
        Backend::Postgres => "CAST(array_to_json(votes) AS TEXT)",
        Backend::Sqlite => "votes",
    };
    for chunk in stored.chunks(CHUNK) {
        let rows: Vec<TotalsRow> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT {TOTALS_COLS}, {votes_col} FROM region_totals WHERE election_id = "
            ));
            q.push_bind(election_id).push(" AND region_code");
            push_in(&mut q, chunk);
            q.build_query_as().fetch_all(c).await
        })?;
        for (code, tt, dm, te, tv, tf, terr, td, dpt, pg, sah, tidak, votes) in rows {
            let votes: Vec<Option<i64>> =
                serde_json::from_str(&votes).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            out.insert(
                code,
                Agg {
                    tps_total: tt,
                    dpt_master: dm,
                    tps_entered: te,
                    tps_verified: tv,
                    tps_flagged: tf,
                    tps_errors: terr,
                    tps_disputed: td,
                    dpt,
                    pengguna: pg,
                    suara_sah: sah,
                    suara_tidak_sah: tidak,
                    votes: votes_map(&votes),
                },
            );
        }
    }
    Ok(out)
}

/// ` IN (…)` with the codes bound, on either backend.
fn push_in<'q, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'q, DB>, codes: &'q [&'q str])
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    q.push(" IN (");
    let mut s = q.separated(", ");
    for code in codes {
        s.push_bind(*code);
    }
    q.push(")");
}

/// The totals of these villages, summed from their TPS, their current versions and votes
/// (villages without a TPS are absent). Three statements per chunk, each an index look-up by
/// `(election, village)`.
pub async fn village_sums(
    db: &Db,
    election_id: i64,
    villages: &[&str],
) -> Result<BTreeMap<String, Agg>, sqlx::Error> {
    let mut out: BTreeMap<String, Agg> = BTreeMap::new();
    for chunk in villages.chunks(CHUNK) {
        let tps: Vec<(String, i64, i64)> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT village_code, COUNT(*), CAST(SUM(dpt_l + dpt_p) AS BIGINT)
                 FROM tps WHERE election_id = ",
            );
            q.push_bind(election_id).push(" AND village_code");
            push_in(&mut q, chunk);
            q.push(" GROUP BY village_code");
            q.build_query_as().fetch_all(c).await
        })?;
        let res: Vec<SumRow> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT r.village_code, {RESULT_SUMS}
                 WHERE r.tps_id IN (SELECT id FROM tps WHERE election_id = "
            ));
            q.push_bind(election_id).push(" AND village_code");
            push_in(&mut q, chunk);
            q.push(") GROUP BY r.village_code");
            q.build_query_as().fetch_all(c).await
        })?;
        let (join, ballot, n) = entry_votes(db.backend());
        let votes: Vec<(String, i64, i64)> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT r.village_code, {ballot}, CAST(SUM({n}) AS BIGINT)
                 FROM tps_results r JOIN result_entries e ON e.id = {COUNTED_ENTRY} {join}
                 WHERE r.tps_id IN (SELECT id FROM tps WHERE election_id = "
            ));
            q.push_bind(election_id).push(" AND village_code");
            push_in(&mut q, chunk);
            q.push(format!(") GROUP BY r.village_code, {ballot}"));
            q.build_query_as().fetch_all(c).await
        })?;
        fold_sums(&mut out, tps, res, votes);
    }
    Ok(out)
}

/// The stored totals of one region (zero when it has no TPS).
pub async fn get(db: &Db, election_id: i64, code: &str) -> Result<Agg, sqlx::Error> {
    Ok(get_many(db, election_id, &[code])
        .await?
        .remove(code)
        .unwrap_or_default())
}

/// Record that the results of an election changed (for caches here and in other app
/// instances, and for `Last-Modified`). Writers call it first, so the election row is the
/// first lock every writer of an election takes.
pub async fn touch(tx: &mut Tx, election_id: i64) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE elections SET results_version = results_version + 1, results_changed_at = $2
         WHERE id = $1"
    )
    .bind(election_id)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// A number that grows with every change of any election's results; other app instances
/// compare it to notice changes made elsewhere.
pub async fn fingerprint(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(log_seq + results_version), 0) AS BIGINT) FROM elections"
    )
    .fetch_one(c)
    .await
    })
}

/// Recompute an election's totals from its TPS and their counted versions.
pub async fn rebuild(tx: &mut Tx, election_id: i64) -> Result<(), sqlx::Error> {
    let (join, ballot, n) = entry_votes(tx.backend());
    let votes: Vec<(String, i64, i64)> = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM region_totals WHERE election_id = $1")
            .bind(election_id)
            .execute(&mut *c)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO region_totals (election_id, region_code, tps_total, dpt_master, tps_entered,
                tps_verified, tps_flagged, tps_errors, tps_disputed, dpt, pengguna, suara_sah,
                suara_tidak_sah)
             WITH lv(n) AS (VALUES (2), (5), (8))
             SELECT t.election_id, SUBSTR(t.village_code, 1, lv.n), COUNT(*),
                CAST(SUM(t.dpt_l + t.dpt_p) AS BIGINT), COUNT(r.tps_id),
                CAST(SUM(CASE WHEN r.verified THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN r.has_errors THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END) AS BIGINT),
                CAST(COALESCE(SUM(e.dpt), 0) AS BIGINT), CAST(COALESCE(SUM(e.pengguna), 0) AS BIGINT),
                CAST(COALESCE(SUM(e.suara_sah), 0) AS BIGINT),
                CAST(COALESCE(SUM(e.suara_tidak_sah), 0) AS BIGINT)
             FROM tps t CROSS JOIN lv
             LEFT JOIN tps_results r ON r.tps_id = t.id
             LEFT JOIN result_entries e ON e.id = {COUNTED_ENTRY}
             WHERE t.election_id = $1
             GROUP BY t.election_id, SUBSTR(t.village_code, 1, lv.n)"
        ))
        .bind(election_id)
        .execute(&mut *c)
        .await?;
        sqlx::query_as(&format!(
            "WITH lv(n) AS (VALUES (2), (5), (8))
             SELECT SUBSTR(r.village_code, 1, lv.n), {ballot}, CAST(SUM({n}) AS BIGINT)
             FROM tps_results r CROSS JOIN lv
             JOIN result_entries e ON e.id = {COUNTED_ENTRY} {join}
             WHERE r.tps_id IN (SELECT id FROM tps WHERE election_id = $1)
             GROUP BY SUBSTR(r.village_code, 1, lv.n), {ballot}"
        ))
        .bind(election_id)
        .fetch_all(&mut *c)
        .await?
    });
    // The votes go into the rows just written, added to their empty arrays.
    let mut d = Deltas::default();
    for (code, b, v) in votes {
        d.region_mut(code).votes.insert(b, v);
    }
    apply(tx, election_id, &d).await?;
    touch(tx, election_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn votes_keep_their_ballot_and_their_gaps() {
        let votes: BTreeMap<i64, i64> = [(1, 10), (3, 0), (4, 7)].into_iter().collect();
        assert_eq!(votes_vec(&votes), [Some(10), None, Some(0), Some(7)]);
        assert_eq!(votes_text(&votes, Backend::Postgres), "{10,NULL,0,7}");
        assert_eq!(votes_text(&votes, Backend::Sqlite), "[10,null,0,7]");
        assert_eq!(votes_map(&votes_vec(&votes)), votes);
        assert_eq!(votes_text(&BTreeMap::new(), Backend::Sqlite), "[]");
        // A ballot number below 1 has no place (registration refuses it).
        let low: BTreeMap<i64, i64> = [(0, 5), (2, 1)].into_iter().collect();
        assert_eq!(votes_vec(&low), [None, Some(1)]);
    }
}

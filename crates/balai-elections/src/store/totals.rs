//! Per-region totals kept up to date in the write transaction (`region_totals`,
//! `region_votes`), so reading a region's results is one row look-up instead of a sum over
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

use balai_core::db::{now, Db, Tx};
use balai_core::regions::Level;
use balai_core::{with_db, with_tx};

use super::results::{fold_sums, Agg, SumRow, RESULT_SUMS};
use crate::domain::form::Form;

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

impl Agg {
    /// `self += sign × other`, field by field (votes per ballot included).
    pub fn add(&mut self, other: &Agg, sign: i64) {
        self.tps_total += sign * other.tps_total;
        self.dpt_master += sign * other.dpt_master;
        self.tps_entered += sign * other.tps_entered;
        self.tps_verified += sign * other.tps_verified;
        self.tps_flagged += sign * other.tps_flagged;
        self.tps_errors += sign * other.tps_errors;
        self.tps_disputed += sign * other.tps_disputed;
        self.dpt += sign * other.dpt;
        self.pengguna += sign * other.pengguna;
        self.suara_sah += sign * other.suara_sah;
        self.suara_tidak_sah += sign * other.suara_tidak_sah;
        for (b, v) in &other.votes {
            *self.votes.entry(*b).or_insert(0) += sign * v;
        }
    }
}

/// The flags of a TPS's state that the totals count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub verified: bool,
    pub disputed: bool,
    pub flagged: bool,
    pub has_errors: bool,
}

/// What one TPS with a current accepted version adds to every region containing it.
pub fn contribution(form: &Form, f: Flags) -> Agg {
    Agg {
        tps_entered: 1,
        tps_verified: i64::from(f.verified),
        tps_disputed: i64::from(f.disputed),
        tps_flagged: i64::from(f.flagged),
        tps_errors: i64::from(f.has_errors),
        dpt: i64::from(form.pemilih_dpt.total),
        pengguna: i64::from(form.pengguna_total.total),
        suara_sah: i64::from(form.suara_sah),
        suara_tidak_sah: i64::from(form.suara_tidak_sah),
        votes: form
            .votes
            .iter()
            .map(|(b, v)| (i64::from(*b), i64::from(*v)))
            .collect(),
        ..Agg::default()
    }
}

/// Deltas collected for one transaction, by region code (sorted, so every writer touches the
/// rows in the same order).
#[derive(Debug, Default)]
pub struct Deltas(BTreeMap<String, Agg>);

impl Deltas {
    /// Add `delta` (× `sign`) to every region above the village (the village itself is summed
    /// when read).
    pub fn add(&mut self, village_code: &str, delta: &Agg, sign: i64) {
        for (end, _) in village_code.match_indices('.') {
            self.0
                .entry(village_code[..end].to_string())
                .or_default()
                .add(delta, sign);
        }
    }

    /// A TPS went from `old` (none when it had no result) to `new`.
    pub fn change(&mut self, village_code: &str, old: Option<&Agg>, new: &Agg) {
        if let Some(old) = old {
            self.add(village_code, old, -1);
        }
        self.add(village_code, new, 1);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Add the deltas to the stored totals of one election (multi-row upserts).
pub async fn apply(tx: &mut Tx, election_id: i64, deltas: &Deltas) -> Result<(), sqlx::Error> {
    apply_many(tx, [(election_id, deltas)]).await
}

/// Add the deltas of several elections to their stored totals in the same statements. Give
/// the elections in id order: rows are then touched in (election, region) order by every
/// writer.
/// The rows to add: `(election, region, delta)` and `(election, region, ballot, votes)`.
#[allow(clippy::type_complexity)]
pub fn rows_of<'d>(
    deltas: impl IntoIterator<Item = (i64, &'d Deltas)>,
) -> (Vec<(i64, &'d str, &'d Agg)>, Vec<(i64, &'d str, i64, i64)>) {
    let rows: Vec<(i64, &str, &Agg)> = deltas
        .into_iter()
        .flat_map(|(e, d)| d.0.iter().map(move |(code, a)| (e, code.as_str(), a)))
        .collect();
    let votes = rows
        .iter()
        .flat_map(|(e, code, a)| a.votes.iter().map(move |(b, v)| (*e, *code, *b, *v)))
        .collect();
    (rows, votes)
}

pub async fn apply_many<'d>(
    tx: &mut Tx,
    deltas: impl IntoIterator<Item = (i64, &'d Deltas)>,
) -> Result<(), sqlx::Error> {
    let (rows, votes) = rows_of(deltas);
    for chunk in rows.chunks(CHUNK) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO region_totals (election_id, region_code, tps_total, dpt_master,
                   tps_entered, tps_verified, tps_flagged, tps_errors, tps_disputed, dpt, pengguna,
                   suara_sah, suara_tidak_sah) ",
            );
            q.push_values(chunk, |mut b, (election_id, code, a)| {
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
                    .push_bind(a.suara_tidak_sah);
            });
            q.push(" ").push(ADD_TOTALS);
            q.build().execute(&mut *c).await?;
        });
    }
    for chunk in votes.chunks(CHUNK) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO region_votes (election_id, region_code, ballot_number, votes) ",
            );
            q.push_values(chunk, |mut b, (election_id, code, ballot, v)| {
                b.push_bind(*election_id)
                    .push_bind(*code)
                    .push_bind(*ballot)
                    .push_bind(*v);
            });
            q.push(
                " ON CONFLICT (election_id, region_code, ballot_number) DO UPDATE SET
                   votes = region_votes.votes + excluded.votes",
            );
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
);

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
    for chunk in stored.chunks(CHUNK) {
        let rows: Vec<TotalsRow> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT {TOTALS_COLS} FROM region_totals WHERE election_id = "
            ));
            q.push_bind(election_id).push(" AND region_code");
            push_in(&mut q, chunk);
            q.build_query_as().fetch_all(c).await
        })?;
        let votes: Vec<(String, i64, i64)> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT region_code, ballot_number, votes FROM region_votes WHERE election_id = ",
            );
            q.push_bind(election_id).push(" AND region_code");
            push_in(&mut q, chunk);
            q.build_query_as().fetch_all(c).await
        })?;
        for (code, tt, dm, te, tv, tf, terr, td, dpt, pg, sah, tidak) in rows {
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
                    votes: BTreeMap::new(),
                },
            );
        }
        for (code, b, v) in votes {
            out.entry(code).or_default().votes.insert(b, v);
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
                "SELECT r.village_code, {RESULT_SUMS} WHERE r.election_id = "
            ));
            q.push_bind(election_id).push(" AND r.village_code");
            push_in(&mut q, chunk);
            q.push(" GROUP BY r.village_code");
            q.build_query_as().fetch_all(c).await
        })?;
        let votes: Vec<(String, i64, i64)> = with_db!(db, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT r.village_code, v.ballot_number, CAST(SUM(v.votes) AS BIGINT)
                 FROM tps_results r JOIN result_votes v ON v.entry_id = r.current_entry_id
                 WHERE r.election_id = ",
            );
            q.push_bind(election_id).push(" AND r.village_code");
            push_in(&mut q, chunk);
            q.push(" GROUP BY r.village_code, v.ballot_number");
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

/// Recompute an election's totals from its TPS and their current versions.
pub async fn rebuild(tx: &mut Tx, election_id: i64) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM region_votes WHERE election_id = $1")
            .bind(election_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM region_totals WHERE election_id = $1")
            .bind(election_id)
            .execute(&mut *c)
            .await?;
        sqlx::query(
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
             LEFT JOIN result_entries e ON e.id = r.current_entry_id
             WHERE t.election_id = $1
             GROUP BY t.election_id, SUBSTR(t.village_code, 1, lv.n)",
        )
        .bind(election_id)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO region_votes (election_id, region_code, ballot_number, votes)
             WITH lv(n) AS (VALUES (2), (5), (8))
             SELECT r.election_id, SUBSTR(r.village_code, 1, lv.n), v.ballot_number,
                CAST(SUM(v.votes) AS BIGINT)
             FROM tps_results r CROSS JOIN lv
             JOIN result_votes v ON v.entry_id = r.current_entry_id
             WHERE r.election_id = $1
             GROUP BY r.election_id, SUBSTR(r.village_code, 1, lv.n), v.ballot_number",
        )
        .bind(election_id)
        .execute(&mut *c)
        .await?;
    });
    touch(tx, election_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_reaches_every_level_and_cancels_out() {
        let mut d = Deltas::default();
        let a = Agg {
            tps_entered: 1,
            dpt: 200,
            votes: [(1, 10), (2, 5)].into_iter().collect(),
            ..Agg::default()
        };
        d.add("32.79.01.1001", &a, 1);
        let codes: Vec<&str> = d.0.keys().map(String::as_str).collect();
        assert_eq!(codes, ["32", "32.79", "32.79.01"]);
        d.change("32.79.01.1001", Some(&a), &Agg::default());
        for agg in d.0.values() {
            assert_eq!(agg.dpt, 0);
            assert_eq!(agg.votes.values().copied().collect::<Vec<_>>(), [0, 0]);
        }
    }
}

//! The SQL sums over the current version of a group of TPS, shared by the region read
//! ([`super::results::aggregate`]) and the totals rebuild ([`super::totals::rebuild`]), and how
//! their rows fold into [`Agg`]s.

use std::collections::BTreeMap;

use balai_core::db::Backend;

use crate::domain::tally::Agg;

/// The id of the entry a TPS's totals count, for `r` its `tps_results` row: its current
/// version, or while it is disputed the latest version of its epoch that an earlier entry of
/// another operator confirmed (NULL without one), as [`crate::domain::entry::last_verified`]
/// decides in memory.
macro_rules! counted_entry {
    () => {
        "CASE WHEN r.disputed THEN (SELECT v.id FROM result_entries v
           WHERE v.tps_id = r.tps_id AND v.version >= r.epoch_version AND EXISTS (
             SELECT 1 FROM result_entries o WHERE o.tps_id = v.tps_id
               AND o.version >= r.epoch_version AND o.version < v.version
               AND o.operator_label <> v.operator_label AND o.content_hash = v.content_hash)
           ORDER BY v.version DESC LIMIT 1) ELSE r.current_entry_id END"
    };
}

/// [`counted_entry!`] as a constant, for the queries built with `format!`.
pub(crate) const COUNTED_ENTRY: &str = counted_entry!();

/// The sums over the counted version of a group of TPS, after `SELECT <key>, `: the FROM
/// clause joins `tps_results r` to `result_entries e`; a [`SumRow`] per group. A disputed TPS
/// without a verified version counts as entered (and disputed) with no numbers.
pub(crate) const RESULT_SUMS: &str = concat!("COUNT(*),
           CAST(COALESCE(SUM(e.dpt), 0) AS BIGINT), CAST(COALESCE(SUM(e.pengguna), 0) AS BIGINT),
           CAST(COALESCE(SUM(e.suara_sah), 0) AS BIGINT), CAST(COALESCE(SUM(e.suara_tidak_sah), 0) AS BIGINT),
           CAST(SUM(CASE WHEN r.verified THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.has_errors THEN 1 ELSE 0 END) AS BIGINT),
           CAST(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END) AS BIGINT)
         FROM tps_results r LEFT JOIN result_entries e ON e.id = ", counted_entry!());

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

/// The votes of the counted entry `e` of each TPS, one row per ballot with votes, after a
/// `FROM … JOIN result_entries e`: the join, then the ballot number's and the votes'
/// expressions.
pub(crate) fn entry_votes(backend: Backend) -> (&'static str, &'static str, &'static str) {
    match backend {
        Backend::Postgres => (
            "CROSS JOIN LATERAL (SELECT CAST(o.n AS BIGINT) AS ballot_number, o.votes
               FROM UNNEST(e.votes) WITH ORDINALITY AS o(votes, n)
               WHERE o.votes IS NOT NULL) AS v",
            "v.ballot_number",
            "v.votes",
        ),
        Backend::Sqlite => (
            "JOIN json_each(e.votes) AS v ON v.type <> 'null'",
            "(v.key + 1)",
            "v.value",
        ),
    }
}

//! PostgreSQL: a submission's reads in one statement and its writes in one statement. The rows
//! travel as arrays (`UNNEST`), so each statement's text is the same however many forms there
//! are and stays prepared, and a data-modifying `WITH` writes every table at once; the per-TPS
//! look-ups are `LATERAL … OFFSET 0` subqueries so each stays an index look-up even on a
//! result table with no statistics yet.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use balai_core::db::{column as col, Backend};
use serde::Deserialize;
use sqlx::PgConnection;
use time::OffsetDateTime;

use super::Read;
use crate::domain::tally::Deltas;
use crate::store::results::{EntryRow, LogRow, NewEntry, StateRow, TpsState};
use crate::store::totals::{form_votes_text, votes_text};
use crate::store::Tps;

#[derive(Deserialize)]
struct ReadJson {
    settings: Vec<(String, String)>,
    recaps: Vec<(i64, String)>,
    ballots: Vec<(i64, i64)>,
    tps: Vec<Tps>,
    entries: Vec<EntryJson>,
    states: Vec<StateRow>,
    reused: Vec<i64>,
    ids: Vec<i64>,
}

/// An entry as the read statement's JSON carries it (the time as microseconds since the
/// epoch, exact).
#[derive(Deserialize)]
struct EntryJson {
    id: i64,
    election_id: i64,
    tps_id: i64,
    version: i64,
    kind: String,
    psu_ref: Option<String>,
    reason: Option<String>,
    operator_user_id: Option<i64>,
    operator_label: String,
    entered_us: i64,
    form: String,
    content_hash: String,
    confirmed_paper: bool,
    has_errors: bool,
    findings: String,
    warning_count: i64,
}

impl EntryJson {
    fn into_row(self) -> Result<EntryRow, sqlx::Error> {
        let entered_at =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.entered_us) * 1000)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(EntryRow {
            id: self.id,
            election_id: self.election_id,
            tps_id: self.tps_id,
            version: self.version,
            kind: self.kind,
            psu_ref: self.psu_ref,
            reason: self.reason,
            operator_user_id: self.operator_user_id,
            operator_label: self.operator_label,
            entered_at,
            form: self.form,
            content_hash: self.content_hash,
            confirmed_paper: self.confirmed_paper,
            has_errors: self.has_errors,
            findings: self.findings,
            warning_count: self.warning_count,
        })
    }
}

/// Everything a submission reads once its elections are locked: the `settings` rows of these
/// keys, the elections' recapitulations and ballot numbers, the TPS named by id (`ids`, within
/// `election_ids`) or by `(election, village, number)`, their entries and states, which have a
/// reused photo and `reserve` new entry ids. One statement, one snapshot.
pub(super) async fn read(
    c: &mut PgConnection,
    election_ids: &[i64],
    ids: &[i64],
    named: &[(i64, &str, i64)],
    reserve: i64,
    settings: &[&str],
) -> Result<Read, sqlx::Error> {
    let json: String = sqlx::query_scalar(
        "WITH t AS (
           SELECT id, election_id, village_code, number, address, dpt_l, dpt_p FROM tps
           WHERE election_id = ANY($1) AND id = ANY($2)
           UNION
           SELECT t.id, t.election_id, t.village_code, t.number, t.address, t.dpt_l, t.dpt_p
           FROM UNNEST($3::bigint[], $4::text[], $5::bigint[]) AS v(e, village, n)
           JOIN tps t ON t.election_id = v.e AND t.village_code = v.village AND t.number = v.n)
         SELECT json_build_object(
           'settings', COALESCE((SELECT json_agg(json_build_array(key, value)) FROM settings
               WHERE key = ANY($7)), '[]'),
           'recaps', COALESCE((SELECT json_agg(json_build_array(election_id, region_code))
               FROM election_recaps WHERE election_id = ANY($1)), '[]'),
           'ballots', COALESCE((SELECT json_agg(json_build_array(election_id, ballot_number)
               ORDER BY election_id, ballot_number)
               FROM candidates WHERE election_id = ANY($1)), '[]'),
           'tps', COALESCE((SELECT json_agg(t ORDER BY t.id) FROM t), '[]'),
           'entries', COALESCE((SELECT json_agg(e ORDER BY e.tps_id, e.version) FROM t,
               LATERAL (SELECT r.id, r.election_id, r.tps_id, r.version, r.kind, r.psu_ref,
                   r.reason, r.operator_user_id, r.operator_label,
                   CAST(EXTRACT(EPOCH FROM r.entered_at) * 1000000 AS BIGINT) AS entered_us,
                   r.form, r.content_hash, r.confirmed_paper, r.has_errors, r.findings,
                   r.warning_count
                 FROM result_entries r WHERE r.tps_id = t.id OFFSET 0) e), '[]'),
           'states', COALESCE((SELECT json_agg(s) FROM t,
               LATERAL (SELECT r.tps_id, r.village_code, r.current_entry_id, r.epoch_version,
                   r.verified, r.disputed, r.flagged, r.has_errors
                 FROM tps_results r WHERE r.tps_id = t.id OFFSET 0) s), '[]'),
           'reused', COALESCE((SELECT json_agg(t.id) FROM t WHERE EXISTS (
               SELECT 1 FROM result_photos p WHERE p.tps_id = t.id AND p.reused)), '[]'),
           'ids', COALESCE((SELECT json_agg(nextval(pg_get_serial_sequence('result_entries', 'id')))
               FROM generate_series(1, $6)), '[]'))::text",
    )
    .bind(election_ids)
    .bind(ids)
    .bind(named.iter().map(|n| n.0).collect::<Vec<i64>>())
    .bind(named.iter().map(|n| n.1).collect::<Vec<&str>>())
    .bind(named.iter().map(|n| n.2).collect::<Vec<i64>>())
    .bind(reserve)
    .bind(settings)
    .fetch_one(c)
    .await?;
    let r: ReadJson = serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let mut entry_ids = r.ids;
    entry_ids.sort_unstable();
    Ok(Read {
        settings: r.settings,
        recaps: r.recaps,
        ballots: r
            .ballots
            .into_iter()
            .filter_map(|(e, b)| Some((e, u32::try_from(b).ok()?)))
            .collect(),
        tps: r.tps,
        entries: r
            .entries
            .into_iter()
            .map(EntryJson::into_row)
            .collect::<Result<_, _>>()?,
        states: r.states,
        reused: r.reused,
        entry_ids: Some(entry_ids),
    })
}

/// What a submission writes: the new entries (with their reserved ids and their votes), the
/// TPS states, the log rows and each election's new head, and the totals' deltas.
pub struct Write<'a> {
    pub at: OffsetDateTime,
    pub entries: &'a [(i64, NewEntry<'a>)],
    pub states: &'a [TpsState<'a>],
    pub log: &'a [LogRow<'a>],
    /// `(election, seq, hash)`
    pub heads: &'a [(i64, i64, String)],
    pub deltas: &'a BTreeMap<i64, Deltas>,
}

/// The write statement (its text built once).
static WRITE_SQL: LazyLock<String> = LazyLock::new(|| {
    let (entries, _) = super::columns::pg_insert();
    format!(
        "WITH e AS ({entries}),
         s AS (
           INSERT INTO tps_results (tps_id, election_id, village_code, current_entry_id,
             epoch_version, verified, disputed, flagged, has_errors, photo_reused, updated_at)
           SELECT x.*, $1 FROM UNNEST($22::bigint[], $23::bigint[], $24::text[], $25::bigint[],
             $26::bigint[], $27::bool[], $28::bool[], $29::bool[], $30::bool[], $31::bool[]) AS x
           ON CONFLICT (tps_id) DO UPDATE SET current_entry_id = excluded.current_entry_id,
             epoch_version = excluded.epoch_version, verified = excluded.verified,
             disputed = excluded.disputed, flagged = excluded.flagged,
             has_errors = excluded.has_errors, photo_reused = excluded.photo_reused,
             updated_at = excluded.updated_at),
         l AS (
           INSERT INTO election_log (election_id, seq, entry_id, prev_hash, hash, payload,
             published_at)
           SELECT x.*, $1 FROM UNNEST($32::bigint[], $33::bigint[], $34::bigint[], $35::text[],
             $36::text[], $37::text[]) AS x),
         h AS (
           UPDATE elections SET log_seq = x.seq, log_head = x.head, results_changed_at = $1
           FROM UNNEST($38::bigint[], $39::bigint[], $40::text[]) AS x(id, seq, head)
           WHERE elections.id = x.id),
         rt AS (
           INSERT INTO region_totals (election_id, region_code, tps_total, dpt_master,
             tps_entered, tps_verified, tps_flagged, tps_errors, tps_disputed, dpt, pengguna,
             suara_sah, suara_tidak_sah, votes)
           SELECT x.election_id, x.region_code, x.tps_total, x.dpt_master, x.tps_entered,
             x.tps_verified, x.tps_flagged, x.tps_errors, x.tps_disputed, x.dpt, x.pengguna,
             x.suara_sah, x.suara_tidak_sah, CAST(x.votes AS BIGINT[])
           FROM UNNEST($41::bigint[], $42::text[], $43::bigint[], $44::bigint[],
             $45::bigint[], $46::bigint[], $47::bigint[], $48::bigint[], $49::bigint[],
             $50::bigint[], $51::bigint[], $52::bigint[], $53::bigint[], $54::text[])
             AS x(election_id, region_code, tps_total, dpt_master, tps_entered, tps_verified,
               tps_flagged, tps_errors, tps_disputed, dpt, pengguna, suara_sah,
               suara_tidak_sah, votes)
           {add_totals}{add_votes})
         SELECT 1",
        entries = entries,
        add_totals = crate::store::totals::ADD_TOTALS,
        add_votes = crate::store::totals::add_votes(Backend::Postgres),
    )
});

/// Write it all in one statement.
pub(super) async fn write(c: &mut PgConnection, w: &Write<'_>) -> Result<(), sqlx::Error> {
    let votes: Vec<String> = w
        .entries
        .iter()
        .map(|(_, e)| form_votes_text(&e.form.votes, Backend::Postgres))
        .collect();
    let totals = crate::store::totals::rows_of(w.deltas.iter().map(|(e, d)| (*e, d)));
    let region_votes: Vec<String> = totals
        .iter()
        .map(|t| votes_text(&t.2.votes, Backend::Postgres))
        .collect();
    let es = w.entries;
    sqlx::query(&WRITE_SQL)
        .bind(w.at)
        // The entries: their reserved ids, then columns::ENTRY's per-row columns in order.
        .bind(col(es, |(id, _)| *id))
        .bind(col(es, |(_, e)| e.election_id))
        .bind(col(es, |(_, e)| e.tps_id))
        .bind(col(es, |(_, e)| e.version))
        .bind(col(es, |(_, e)| e.kind))
        .bind(col(es, |(_, e)| e.psu_ref))
        .bind(col(es, |(_, e)| e.reason))
        .bind(col(es, |(_, e)| e.operator_user_id))
        .bind(col(es, |(_, e)| e.operator_label))
        .bind(col(es, |(_, e)| e.form_json))
        .bind(col(es, |(_, e)| e.content_hash))
        .bind(col(es, |(_, e)| e.confirmed_paper))
        .bind(col(es, |(_, e)| e.has_errors))
        .bind(col(es, |(_, e)| e.findings_json))
        .bind(col(es, |(_, e)| e.warning_count))
        .bind(col(es, |(_, e)| i64::from(e.form.pemilih_dpt.total)))
        .bind(col(es, |(_, e)| i64::from(e.form.pengguna_total.total)))
        .bind(col(es, |(_, e)| i64::from(e.form.suara_sah)))
        .bind(col(es, |(_, e)| i64::from(e.form.suara_tidak_sah)))
        .bind(votes)
        .bind(col(w.states, |s| s.tps_id))
        .bind(col(w.states, |s| s.election_id))
        .bind(col(w.states, |s| s.village_code))
        .bind(col(w.states, |s| s.current_entry_id))
        .bind(col(w.states, |s| s.epoch_version))
        .bind(col(w.states, |s| s.verified))
        .bind(col(w.states, |s| s.disputed))
        .bind(col(w.states, |s| s.flagged))
        .bind(col(w.states, |s| s.has_errors))
        .bind(col(w.states, |s| s.photo_reused))
        .bind(col(w.log, |l| l.election_id))
        .bind(col(w.log, |l| l.seq))
        .bind(col(w.log, |l| l.entry_id))
        .bind(col(w.log, |l| l.prev_hash.as_str()))
        .bind(col(w.log, |l| l.hash.as_str()))
        .bind(col(w.log, |l| l.payload))
        .bind(col(w.heads, |h| h.0))
        .bind(col(w.heads, |h| h.1))
        .bind(col(w.heads, |h| h.2.as_str()))
        .bind(col(&totals, |t| t.0))
        .bind(col(&totals, |t| t.1))
        .bind(col(&totals, |t| t.2.tps_total))
        .bind(col(&totals, |t| t.2.dpt_master))
        .bind(col(&totals, |t| t.2.tps_entered))
        .bind(col(&totals, |t| t.2.tps_verified))
        .bind(col(&totals, |t| t.2.tps_flagged))
        .bind(col(&totals, |t| t.2.tps_errors))
        .bind(col(&totals, |t| t.2.tps_disputed))
        .bind(col(&totals, |t| t.2.dpt))
        .bind(col(&totals, |t| t.2.pengguna))
        .bind(col(&totals, |t| t.2.suara_sah))
        .bind(col(&totals, |t| t.2.suara_tidak_sah))
        .bind(region_votes)
        .execute(c)
        .await
        .map(drop)
}

//! SQLite: a submission's reads and writes on the write connection directly, between reading
//! and planning, all on one thread. Each kind of row has one prepared statement, run row by
//! row: in-process a run costs no round trip and no hand-over to sqlx's worker thread, and the
//! text never depends on how many forms there are. The same rows as [`super::pg`] reads and
//! writes on PostgreSQL in one statement each.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use balai_core::db::{sqlite_time, Backend};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{ElectionHead, Read, Rest};
use crate::domain::election::ElectionStatus;
use crate::domain::tally::{Agg, Deltas};
use crate::store::results::{EntryRow, NewEntry, StateRow, ENTRY_COLS, STATE_COLS};
use crate::store::totals;
use crate::store::Tps;

fn time_at(row: &Row<'_>, i: usize) -> rusqlite::Result<OffsetDateTime> {
    let text: String = row.get(i)?;
    OffsetDateTime::parse(&text, &Rfc3339)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

fn tps_row(r: &Row<'_>) -> rusqlite::Result<Tps> {
    Ok(Tps {
        id: r.get(0)?,
        election_id: r.get(1)?,
        village_code: r.get(2)?,
        number: r.get(3)?,
        address: r.get(4)?,
        dpt_l: r.get(5)?,
        dpt_p: r.get(6)?,
    })
}

fn entry_row(r: &Row<'_>) -> rusqlite::Result<EntryRow> {
    Ok(EntryRow {
        id: r.get(0)?,
        election_id: r.get(1)?,
        tps_id: r.get(2)?,
        version: r.get(3)?,
        kind: r.get(4)?,
        psu_ref: r.get(5)?,
        reason: r.get(6)?,
        operator_user_id: r.get(7)?,
        operator_label: r.get(8)?,
        entered_at: time_at(r, 9)?,
        form: r.get(10)?,
        content_hash: r.get(11)?,
        confirmed_paper: r.get(12)?,
        has_errors: r.get(13)?,
        findings: r.get(14)?,
        warning_count: r.get(15)?,
    })
}

fn state_row(r: &Row<'_>) -> rusqlite::Result<StateRow> {
    Ok(StateRow {
        tps_id: r.get(0)?,
        village_code: r.get(1)?,
        current_entry_id: r.get(2)?,
        epoch_version: r.get(3)?,
        verified: r.get(4)?,
        disputed: r.get(5)?,
        flagged: r.get(6)?,
        has_errors: r.get(7)?,
    })
}

/// Each existing election's head, recapitulated regions and ballot numbers.
#[allow(clippy::type_complexity)]
fn read_elections(
    c: &Connection,
    election_ids: &[i64],
) -> rusqlite::Result<(Vec<ElectionHead>, Vec<(i64, String)>, Vec<(i64, u32)>)> {
    let mut elections = Vec::with_capacity(election_ids.len());
    let mut recaps = Vec::new();
    let mut ballots = Vec::new();
    {
        let mut election =
            c.prepare_cached("SELECT id, status, log_seq, log_head FROM elections WHERE id = ?1")?;
        let mut recap =
            c.prepare_cached("SELECT region_code FROM election_recaps WHERE election_id = ?1")?;
        let mut ballot = c.prepare_cached(
            "SELECT ballot_number FROM candidates WHERE election_id = ?1 ORDER BY ballot_number",
        )?;
        let mut sorted = election_ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        for id in sorted {
            let Some(e) = election
                .query_row([id], |r| {
                    let status: String = r.get(1)?;
                    Ok((
                        r.get(0)?,
                        ElectionStatus::stored(&status),
                        r.get(2)?,
                        r.get(3)?,
                    ))
                })
                .optional()?
            else {
                continue;
            };
            elections.push(e);
            for region in recap.query_map([id], |r| r.get::<_, String>(0))? {
                recaps.push((id, region?));
            }
            for b in ballot.query_map([id], |r| r.get::<_, i64>(0))? {
                if let Ok(b) = u32::try_from(b?) {
                    ballots.push((id, b));
                }
            }
        }
    }
    Ok((elections, recaps, ballots))
}

/// The TPS named by id or by `(election, village, number)`, in the `found` elections.
fn read_tps(
    c: &Connection,
    found: &[i64],
    ids: &[i64],
    named: &[(i64, &str, i64)],
) -> rusqlite::Result<Vec<Tps>> {
    let mut tps: Vec<Tps> = Vec::new();
    {
        let mut by_id = c.prepare_cached(
            "SELECT id, election_id, village_code, number, address, dpt_l, dpt_p
             FROM tps WHERE id = ?1",
        )?;
        for id in ids {
            if let Some(t) = by_id.query_row([id], tps_row).optional()? {
                if found.contains(&t.election_id) {
                    tps.push(t);
                }
            }
        }
        let mut by_number = c.prepare_cached(
            "SELECT id, election_id, village_code, number, address, dpt_l, dpt_p
             FROM tps WHERE election_id = ?1 AND village_code = ?2 AND number = ?3",
        )?;
        for (election, village, number) in named {
            if !found.contains(election) {
                continue;
            }
            if let Some(t) = by_number
                .query_row(params![election, village, number], tps_row)
                .optional()?
            {
                tps.push(t);
            }
        }
    }
    Ok(tps)
}

/// The elections (absent if they do not exist, in id order), the settings asked for, and for
/// the TPS named by id or by `(election, village, number)` in those elections: their entries,
/// states and reused photos. The transaction's `BEGIN IMMEDIATE` already holds SQLite's one
/// write lock, so these are the latest rows and no one else can change them.
pub(super) fn read(
    c: &Connection,
    election_ids: &[i64],
    ids: &[i64],
    named: &[(i64, &str, i64)],
    settings: &[&str],
) -> rusqlite::Result<(Vec<ElectionHead>, Read)> {
    let (elections, recaps, ballots) = read_elections(c, election_ids)?;
    let found: Vec<i64> = elections.iter().map(|e| e.0).collect();
    let mut tps = read_tps(c, &found, ids, named)?;
    tps.sort_by_key(|t| t.id);
    tps.dedup_by_key(|t| t.id);
    let mut entries = Vec::new();
    let mut states = Vec::new();
    let mut reused = Vec::new();
    {
        let mut entry = c.prepare_cached(&format!(
            "SELECT {ENTRY_COLS} FROM result_entries WHERE tps_id = ?1 ORDER BY version"
        ))?;
        let mut state = c.prepare_cached(&format!(
            "SELECT {STATE_COLS} FROM tps_results WHERE tps_id = ?1"
        ))?;
        let mut photo = c.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM result_photos WHERE tps_id = ?1 AND reused)",
        )?;
        for t in &tps {
            for e in entry.query_map([t.id], entry_row)? {
                entries.push(e?);
            }
            if let Some(s) = state.query_row([t.id], state_row).optional()? {
                states.push(s);
            }
            if photo.query_row([t.id], |r| r.get::<_, bool>(0))? {
                reused.push(t.id);
            }
        }
    }
    let mut settings_rows = Vec::new();
    {
        let mut setting = c.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        for key in settings {
            if let Some(v) = setting.query_row([key], |r| r.get(0)).optional()? {
                settings_rows.push((key.to_string(), v));
            }
        }
    }
    Ok((
        elections,
        Read {
            settings: settings_rows,
            recaps,
            ballots,
            tps,
            entries,
            states,
            reused,
            entry_ids: None,
        },
    ))
}

/// The entry insert (its text built once from [`super::columns::ENTRY`]).
static INSERT_ENTRY: LazyLock<String> = LazyLock::new(super::columns::sqlite_insert);

/// Insert the entries (their votes in their rows), values in [`super::columns::ENTRY`] order;
/// returns `(tps_id, version) → id`.
pub(super) fn insert_entries(
    c: &Connection,
    entries: &[NewEntry<'_>],
) -> rusqlite::Result<BTreeMap<(i64, i64), i64>> {
    let mut entry = c.prepare_cached(&INSERT_ENTRY)?;
    let mut ids = BTreeMap::new();
    for e in entries {
        entry.execute(params![
            e.election_id,
            e.tps_id,
            e.version,
            e.kind,
            e.psu_ref,
            e.reason,
            e.operator_user_id,
            e.operator_label,
            sqlite_time(e.entered_at)?,
            e.form_json,
            e.content_hash,
            e.confirmed_paper,
            e.has_errors,
            e.findings_json,
            e.warning_count,
            e.form.pemilih_dpt.total,
            e.form.pengguna_total.total,
            e.form.suara_sah,
            e.form.suara_tidak_sah,
            totals::form_votes_text(&e.form.votes, Backend::Sqlite),
        ])?;
        let id = c.last_insert_rowid();
        ids.insert((e.tps_id, e.version), id);
    }
    Ok(ids)
}

/// Upsert the TPS states, append the log rows and move the heads, add to the totals.
pub(super) fn write_rest(c: &Connection, w: &Rest<'_>) -> rusqlite::Result<()> {
    let at = sqlite_time(w.at)?;
    let mut state = c.prepare_cached(
        "INSERT INTO tps_results (tps_id, election_id, village_code, current_entry_id,
           epoch_version, verified, disputed, flagged, has_errors, photo_reused, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (tps_id) DO UPDATE SET current_entry_id = excluded.current_entry_id,
           epoch_version = excluded.epoch_version, verified = excluded.verified,
           disputed = excluded.disputed, flagged = excluded.flagged,
           has_errors = excluded.has_errors, photo_reused = excluded.photo_reused,
           updated_at = excluded.updated_at",
    )?;
    for s in w.states {
        state.execute(params![
            s.tps_id,
            s.election_id,
            s.village_code,
            s.current_entry_id,
            s.epoch_version,
            s.verified,
            s.disputed,
            s.flagged,
            s.has_errors,
            s.photo_reused,
            at,
        ])?;
    }
    let mut log = c.prepare_cached(
        "INSERT INTO election_log (election_id, seq, entry_id, prev_hash, hash, payload,
           published_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for r in w.log {
        log.execute(params![
            r.election_id,
            r.seq,
            r.entry_id,
            r.prev_hash,
            r.hash,
            r.payload,
            at
        ])?;
    }
    let mut head = c.prepare_cached(
        "UPDATE elections SET log_seq = ?2, log_head = ?3, results_changed_at = ?4 WHERE id = ?1",
    )?;
    for (election, seq, hash) in w.heads {
        head.execute(params![election, seq, hash, at])?;
    }
    add_totals(c, w.deltas)
}

/// Add each election's deltas to its stored totals.
fn add_totals(c: &Connection, deltas: &BTreeMap<i64, Deltas>) -> rusqlite::Result<()> {
    // Read, add, write back: the transaction holds SQLite's one write lock, so no one else
    // changes the row between (an upsert that adds the votes arrays in SQL, with json_each,
    // cost several times as much).
    let mut current = c.prepare_cached(
        "SELECT tps_total, dpt_master, tps_entered, tps_verified, tps_flagged, tps_errors,
           tps_disputed, dpt, pengguna, suara_sah, suara_tidak_sah, votes
         FROM region_totals WHERE election_id = ?1 AND region_code = ?2",
    )?;
    let mut update = c.prepare_cached(
        "UPDATE region_totals SET tps_total = ?3, dpt_master = ?4, tps_entered = ?5,
           tps_verified = ?6, tps_flagged = ?7, tps_errors = ?8, tps_disputed = ?9, dpt = ?10,
           pengguna = ?11, suara_sah = ?12, suara_tidak_sah = ?13, votes = ?14
         WHERE election_id = ?1 AND region_code = ?2",
    )?;
    let mut insert = c.prepare_cached(
        "INSERT INTO region_totals (election_id, region_code, tps_total, dpt_master,
           tps_entered, tps_verified, tps_flagged, tps_errors, tps_disputed, dpt, pengguna,
           suara_sah, suara_tidak_sah, votes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for (election, code, delta) in totals::rows_of(deltas.iter().map(|(e, d)| (*e, d))) {
        let stored = current
            .query_row(params![election, code], |r| {
                let votes: String = r.get(11)?;
                let votes: Vec<Option<i64>> = serde_json::from_str(&votes).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(11, Type::Text, Box::new(e))
                })?;
                Ok(Agg {
                    tps_total: r.get(0)?,
                    dpt_master: r.get(1)?,
                    tps_entered: r.get(2)?,
                    tps_verified: r.get(3)?,
                    tps_flagged: r.get(4)?,
                    tps_errors: r.get(5)?,
                    tps_disputed: r.get(6)?,
                    dpt: r.get(7)?,
                    pengguna: r.get(8)?,
                    suara_sah: r.get(9)?,
                    suara_tidak_sah: r.get(10)?,
                    votes: totals::votes_map(&votes),
                })
            })
            .optional()?;
        let (a, statement) = match stored {
            Some(mut a) => {
                a.add(delta, 1);
                (a, &mut update)
            }
            None => (delta.clone(), &mut insert),
        };
        statement.execute(params![
            election,
            code,
            a.tps_total,
            a.dpt_master,
            a.tps_entered,
            a.tps_verified,
            a.tps_flagged,
            a.tps_errors,
            a.tps_disputed,
            a.dpt,
            a.pengguna,
            a.suara_sah,
            a.suara_tidak_sah,
            totals::votes_text(&a.votes, Backend::Sqlite),
        ])?;
    }
    Ok(())
}

//! What a submission reads before it plans its forms: the elections under their row locks, the
//! named TPS, their versions and states (PostgreSQL: one statement after the locks; SQLite:
//! on the write connection directly).

use std::collections::{HashMap, HashSet};

use balai_core::db::Tx;
use balai_core::{AppError, AppResult};

use super::input::Item;
use crate::domain::checks::{config_from, CheckConfig, CONFIG_KEYS};
use crate::domain::election::ElectionStatus;
use crate::domain::entry::last_verified;
use crate::domain::tally::{contribution, Agg, Flags};
use crate::store::results::{EntryRow, StateRow};
use crate::store::submit::{self, ElectionHead, Read, Sqlite};
use crate::store::{self, Tps};

/// What the transaction knows about the elections and TPS of the submitted forms, updated as
/// each form is planned so later forms of a batch see earlier ones.
#[derive(Default)]
pub(super) struct Known {
    pub(super) elections: HashMap<i64, ElectionKnown>,
    pub(super) by_id: HashMap<i64, Tps>,
    /// `(election, village, number)` → TPS id.
    pub(super) by_number: HashMap<(i64, String, i64), i64>,
    pub(super) entries: HashMap<i64, Vec<EntryRow>>,
    /// What each TPS with a result adds to the totals now.
    pub(super) contributions: HashMap<i64, Agg>,
    pub(super) reused_photo: HashSet<i64>,
    /// PostgreSQL: entry ids reserved for the forms, ascending (the entries are then written
    /// with every other row in one statement); SQLite takes them from its `INSERT`.
    pub(super) reserved_ids: Option<Vec<i64>>,
    /// The check settings, read in the same transaction.
    pub(super) config: CheckConfig,
}

/// One election of the submission, read under its row lock.
pub(super) struct ElectionKnown {
    pub(super) status: ElectionStatus,
    /// The head of its publication log, `(seq, hash)`.
    pub(super) log_seq: i64,
    pub(super) log_head: String,
    pub(super) recaps: Vec<String>,
    pub(super) ballots: Vec<u32>,
}

/// What the forms ask for: their elections (sorted, once each), the TPS they name by id, and
/// those they name by `(election, village, number)`.
pub(super) struct Asked<'i> {
    election_ids: Vec<i64>,
    ids: Vec<i64>,
    named: HashSet<(i64, &'i str, i64)>,
    named_list: Vec<(i64, &'i str, i64)>,
}

impl<'i> Asked<'i> {
    pub(super) fn of(items: &[Item<'i>]) -> Self {
        let mut election_ids: Vec<i64> = items.iter().map(|i| i.election_id).collect();
        election_ids.sort_unstable();
        election_ids.dedup();
        let named: HashSet<(i64, &str, i64)> = items
            .iter()
            .filter_map(|i| {
                Some((
                    i.election_id,
                    i.input.village_code.as_deref()?,
                    i.input.tps_number?,
                ))
            })
            .collect();
        Asked {
            election_ids,
            ids: items.iter().filter_map(|i| i.input.tps_id).collect(),
            named_list: named.iter().copied().collect(),
            named,
        }
    }
}

/// PostgreSQL: the elections under their row locks, then everything else in one statement.
pub(super) async fn load_pg(
    tx: &mut Tx,
    items: &[Item<'_>],
    asked: &Asked<'_>,
) -> AppResult<Known> {
    let heads: Vec<ElectionHead> = store::lock_elections(tx, &asked.election_ids)
        .await?
        .into_iter()
        .map(|e| (e.id, e.status, e.log_seq, e.log_head))
        .collect();
    let found: Vec<i64> = heads.iter().map(|e| e.0).collect();
    let (false, Some(mut c)) = (found.is_empty(), submit::postgres(tx)) else {
        return Ok(Known::default());
    };
    let reserve = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let read = c
        .read(&found, &asked.ids, &asked.named_list, reserve, &CONFIG_KEYS)
        .await?;
    Ok(assemble(items, asked, heads, read))
}

/// SQLite, on the write connection directly.
pub(super) fn load_sqlite(
    c: &Sqlite<'_>,
    items: &[Item<'_>],
    asked: &Asked<'_>,
) -> AppResult<Known> {
    let (heads, read) = c
        .read(
            &asked.election_ids,
            &asked.ids,
            &asked.named_list,
            &CONFIG_KEYS,
        )
        .map_err(AppError::internal)?;
    if heads.is_empty() {
        return Ok(Known::default());
    }
    Ok(assemble(items, asked, heads, read))
}

/// Everything the forms need, for all their elections at once, from what was read.
fn assemble(items: &[Item<'_>], asked: &Asked<'_>, heads: Vec<ElectionHead>, read: Read) -> Known {
    let mut elections: HashMap<i64, ElectionKnown> = heads
        .into_iter()
        .map(|(id, status, log_seq, log_head)| {
            let known = ElectionKnown {
                status,
                log_seq,
                log_head,
                recaps: Vec::new(),
                ballots: Vec::new(),
            };
            (id, known)
        })
        .collect();
    for (e, region) in read.recaps {
        if let Some(k) = elections.get_mut(&e) {
            k.recaps.push(region);
        }
    }
    for (e, ballot) in read.ballots {
        if let Some(k) = elections.get_mut(&e) {
            k.ballots.push(ballot);
        }
    }
    let mut tps = read.tps;
    // Only the TPS the forms name, in the forms' elections (by id, another election's TPS
    // came along with the look-up).
    let id_set: HashSet<(i64, i64)> = items
        .iter()
        .filter_map(|i| Some((i.election_id, i.input.tps_id?)))
        .collect();
    tps.retain(|t| {
        id_set.contains(&(t.election_id, t.id))
            || asked
                .named
                .contains(&(t.election_id, t.village_code.as_str(), t.number))
    });
    let kept: HashSet<i64> = tps.iter().map(|t| t.id).collect();
    let mut entries: HashMap<i64, Vec<EntryRow>> = HashMap::new();
    for e in read
        .entries
        .into_iter()
        .filter(|e| kept.contains(&e.tps_id))
    {
        entries.entry(e.tps_id).or_default().push(e);
    }
    let mut contributions = HashMap::new();
    for s in read.states.iter().filter(|s| kept.contains(&s.tps_id)) {
        let Some(history) = entries.get(&s.tps_id) else {
            continue;
        };
        if let Some(current) = history.iter().find(|e| e.id == s.current_entry_id) {
            let counted = counted(history, current, s).map(EntryRow::parsed_form);
            contributions.insert(s.tps_id, contribution(counted.as_ref(), flags_of(s)));
        }
    }
    Known {
        elections,
        by_number: tps
            .iter()
            .map(|t| ((t.election_id, t.village_code.clone(), t.number), t.id))
            .collect(),
        by_id: tps.into_iter().map(|t| (t.id, t)).collect(),
        entries,
        contributions,
        reused_photo: read
            .reused
            .into_iter()
            .filter(|t| kept.contains(t))
            .collect(),
        reserved_ids: read.entry_ids,
        config: config_from(&read.settings),
    }
}

/// The version a TPS's totals count: its current one, or while it is disputed the last
/// verified one of its epoch (or none).
pub(super) fn counted<'h>(
    history: &'h [EntryRow],
    current: &'h EntryRow,
    s: &StateRow,
) -> Option<&'h EntryRow> {
    if s.disputed {
        last_verified(history, s.epoch_version)
    } else {
        Some(current)
    }
}

fn flags_of(s: &StateRow) -> Flags {
    Flags {
        verified: s.verified,
        disputed: s.disputed,
        flagged: s.flagged,
        has_errors: s.has_errors,
    }
}

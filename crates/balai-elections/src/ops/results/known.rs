//! What a submission reads before it plans its forms: the elections under their row locks, the
//! named TPS, their versions and states, in a fixed number of statements.

use std::collections::{HashMap, HashSet};

use balai_core::db::Tx;
use balai_core::AppResult;

use super::{config_from, Item, CONFIG_KEYS};
use crate::domain::checks::CheckConfig;
use crate::store::results::{self as rstore, EntryRow, StateRow};
use crate::store::totals::{contribution, Flags};
use crate::store::{self, bulk_pg, extra, ElectionRow, Tps};

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
    pub(super) contributions: HashMap<i64, rstore::Agg>,
    pub(super) reused_photo: HashSet<i64>,
    /// PostgreSQL: entry ids reserved for the forms, ascending (the entries are then written
    /// with every other row in one statement); SQLite takes them from its `INSERT`.
    pub(super) reserved_ids: Option<Vec<i64>>,
    /// The check settings, read in the same transaction.
    pub(super) config: CheckConfig,
}

/// One election of the submission, read under its row lock.
pub(super) struct ElectionKnown {
    pub(super) election: ElectionRow,
    pub(super) recaps: Vec<String>,
    pub(super) ballots: Vec<u32>,
}

/// Everything the forms need, for all their elections at once: a fixed number of statements
/// however many elections and forms there are.
pub(super) async fn load(tx: &mut Tx, items: &[Item<'_>]) -> AppResult<Known> {
    let mut election_ids: Vec<i64> = items.iter().map(|i| i.election_id).collect();
    election_ids.sort_unstable();
    election_ids.dedup();
    let rows = store::lock_elections(tx, &election_ids).await?;
    let election_ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut elections: HashMap<i64, ElectionKnown> = rows
        .into_iter()
        .map(|election| {
            let known = ElectionKnown {
                election,
                recaps: Vec::new(),
                ballots: Vec::new(),
            };
            (known.election.id, known)
        })
        .collect();
    if elections.is_empty() {
        return Ok(Known::default());
    }
    let ids: Vec<i64> = items.iter().filter_map(|i| i.input.tps_id).collect();
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
    let named_list: Vec<(i64, &str, i64)> = named.iter().copied().collect();
    let read = match tx.postgres() {
        Some(c) => {
            let reserve = i64::try_from(items.len()).unwrap_or(i64::MAX);
            bulk_pg::read(c, &election_ids, &ids, &named_list, reserve, &CONFIG_KEYS).await?
        }
        None => read_portable(tx, &election_ids, &ids, &named_list).await?,
    };
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
            || named.contains(&(t.election_id, t.village_code.as_str(), t.number))
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
        let current = entries
            .get(&s.tps_id)
            .and_then(|v| v.iter().find(|e| e.id == s.current_entry_id));
        if let Some(e) = current {
            contributions.insert(s.tps_id, contribution(&e.parsed_form(), flags_of(s)));
        }
    }
    Ok(Known {
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
    })
}

/// SQLite: the same reads as [`bulk_pg::read`] in a few portable statements (in-process, a
/// statement costs no round trip).
async fn read_portable(
    tx: &mut Tx,
    election_ids: &[i64],
    ids: &[i64],
    named: &[(i64, &str, i64)],
) -> AppResult<bulk_pg::Read> {
    let recaps = extra::recaps_of(tx, election_ids).await?;
    let ballots = store::ballot_numbers_of(tx, election_ids).await?;
    let tps = rstore::tps_for(tx, election_ids, ids, named).await?;
    let tps_ids: Vec<i64> = tps.iter().map(|t| t.id).collect();
    let entries = rstore::entries_of(tx, &tps_ids).await?;
    let (states, reused) = rstore::states_of(tx, &tps_ids).await?;
    let settings = super::settings_in(tx).await?;
    Ok(bulk_pg::Read {
        settings,
        recaps,
        ballots,
        tps,
        entries,
        states,
        reused,
        entry_ids: None,
    })
}

fn flags_of(s: &StateRow) -> Flags {
    Flags {
        verified: s.verified,
        disputed: s.disputed,
        flagged: s.flagged,
        has_errors: s.has_errors,
    }
}

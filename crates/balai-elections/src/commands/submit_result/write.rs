//! A submission's writes, after its reads ([`super::known`]): plan every form, then the rows
//! that follow (entries, states, the publication log, the totals) on SQLite through the write
//! connection directly or on PostgreSQL in one statement, then the audit events and answers.

use std::collections::{BTreeMap, HashMap};

use balai_core::audit::{self, AuditEvent};
use balai_core::db::Tx;
use balai_core::{AppError, AppResult};
use serde_json::json;
use time::OffsetDateTime;

use super::input::{Item, Submitted};
use super::known::{self, Asked, Known};
use super::plan::{plan, remember, Planned};
use crate::domain::audit_actions;
use crate::domain::publog::Payload;
use crate::domain::tally::Deltas;
use crate::errors::SubmitError;
use crate::store::results::{self as rstore, TpsState};
use crate::store::submit::{self, Rest, Sqlite, Write};

/// Each form planned, or why it was refused.
pub(super) type Outcomes = Vec<Result<Planned, SubmitError>>;

/// What a submission planned and wrote, before its audit events and answers.
pub(super) struct Done {
    outcomes: Outcomes,
    /// `(tps_id, version)` → entry id of each accepted form.
    ids: BTreeMap<(i64, i64), i64>,
    /// The first log position each election's forms took.
    first_seq: HashMap<i64, i64>,
}

/// Plan every form in order (later forms see the earlier ones) and collect the change of the
/// totals. A refusal that is not the client's fault fails the whole call.
pub(super) fn stage(
    k: &mut Known,
    items: &[Item<'_>],
) -> AppResult<(Outcomes, BTreeMap<i64, Deltas>)> {
    let config = k.config;
    let mut deltas: BTreeMap<i64, Deltas> = BTreeMap::new();
    let mut outcomes: Outcomes = Vec::with_capacity(items.len());
    for item in items {
        let p = plan(k, &config, item);
        if let Ok(p) = &p {
            remember(k, p, item.actor, &mut deltas);
        }
        match p {
            Err(SubmitError::Other(e)) if !e.status().is_client_error() => return Err(e),
            p => outcomes.push(p),
        }
    }
    Ok((outcomes, deltas))
}

fn first_seq(k: &Known) -> HashMap<i64, i64> {
    k.elections
        .iter()
        .map(|(id, e)| (*id, e.log_seq + 1))
        .collect()
}

fn new_entries<'p>(accepted: &[&'p Planned], at: OffsetDateTime) -> Vec<rstore::NewEntry<'p>> {
    accepted
        .iter()
        .map(|p| rstore::NewEntry {
            election_id: p.tps.election_id,
            tps_id: p.tps.id,
            version: p.version,
            kind: p.kind.as_str(),
            psu_ref: p.psu_ref.as_deref(),
            reason: p.reason.as_deref(),
            operator_user_id: Some(p.operator.0),
            operator_label: &p.operator.1,
            entered_at: at,
            form: &p.form,
            form_json: &p.form_json,
            content_hash: &p.hash,
            confirmed_paper: p.confirmed_paper,
            has_errors: !p.errors.is_empty(),
            findings_json: &p.findings_json,
            warning_count: p.warnings.len() as i64,
        })
        .collect()
}

/// The rows that follow from the accepted forms once their entries have ids: the last state
/// of each TPS (a batch may carry several versions of one TPS) and each election's log
/// payloads in submission order.
struct Derived<'p> {
    states: Vec<TpsState<'p>>,
    logs: BTreeMap<i64, Vec<(i64, String)>>,
}

fn derive<'p>(
    accepted: &[&'p Planned],
    id_of: impl Fn(&Planned) -> i64,
    at: OffsetDateTime,
) -> AppResult<Derived<'p>> {
    let mut last: BTreeMap<i64, TpsState<'p>> = BTreeMap::new();
    let mut logs: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for p in accepted.iter().copied() {
        last.insert(
            p.tps.id,
            TpsState {
                tps_id: p.tps.id,
                election_id: p.tps.election_id,
                village_code: &p.tps.village_code,
                current_entry_id: id_of(p),
                epoch_version: p.epoch,
                verified: p.verified,
                disputed: p.disputed,
                flagged: p.flagged,
                has_errors: !p.errors.is_empty(),
                photo_reused: p.photo_reused,
            },
        );
        let payload = Payload {
            election_id: p.tps.election_id,
            tps_id: p.tps.id,
            village_code: p.tps.village_code.clone(),
            tps_number: p.tps.number,
            version: p.version,
            kind: p.kind.as_str().to_string(),
            psu_ref: p.psu_ref.clone(),
            entered_at: crate::rfc3339(at),
            flagged: p.flagged,
            form: p.form.clone(),
            counted_version: p.counted_version,
        };
        logs.entry(p.tps.election_id).or_default().push((
            id_of(p),
            serde_json::to_string(&payload).map_err(AppError::internal)?,
        ));
    }
    Ok(Derived {
        states: last.into_values().collect(),
        logs,
    })
}

/// Each election's log appends, after the head read with its row.
fn appends<'a>(
    k: &Known,
    logs: &'a BTreeMap<i64, Vec<(i64, String)>>,
) -> Vec<rstore::LogAppend<'a>> {
    logs.iter()
        .filter_map(|(election_id, entries)| {
            let e = k.elections.get(election_id)?;
            Some(rstore::LogAppend {
                election_id: *election_id,
                head: (e.log_seq, e.log_head.clone()),
                entries,
            })
        })
        .collect()
}

/// SQLite, on the write connection's own thread: read, plan, write.
pub(super) fn submit_sqlite(
    c: Sqlite<'_>,
    items: &[Item<'_>],
    asked: &Asked<'_>,
    at: OffsetDateTime,
) -> AppResult<Done> {
    let mut k = known::load_sqlite(&c, items, asked)?;
    let (outcomes, deltas) = stage(&mut k, items)?;
    let accepted: Vec<&Planned> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let mut ids = BTreeMap::new();
    if !accepted.is_empty() {
        ids = c
            .insert_entries(&new_entries(&accepted, at))
            .map_err(AppError::internal)?;
        let id_of = |p: &Planned| ids.get(&(p.tps.id, p.version)).copied().unwrap_or(0);
        let d = derive(&accepted, id_of, at)?;
        let (log, heads) = rstore::chain(&appends(&k, &d.logs));
        c.write_rest(&Rest {
            at,
            states: &d.states,
            log: &log,
            heads: &heads,
            deltas: &deltas,
        })
        .map_err(AppError::internal)?;
    }
    Ok(Done {
        outcomes,
        ids,
        first_seq: first_seq(&k),
    })
}

/// PostgreSQL: one read statement, plan, one write statement.
pub(super) async fn submit_pg(
    tx: &mut Tx,
    items: &[Item<'_>],
    asked: &Asked<'_>,
    at: OffsetDateTime,
) -> AppResult<Done> {
    let mut k = known::load_pg(tx, items, asked).await?;
    let (outcomes, deltas) = stage(&mut k, items)?;
    let accepted: Vec<&Planned> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let mut ids = BTreeMap::new();
    if let (false, Some(mut c)) = (accepted.is_empty(), submit::postgres(tx)) {
        // The entries are written with every other row, under ids reserved by the read.
        ids = accepted
            .iter()
            .zip(k.reserved_ids.take().unwrap_or_default())
            .map(|(p, id)| ((p.tps.id, p.version), id))
            .collect();
        let id_of = |p: &Planned| ids.get(&(p.tps.id, p.version)).copied().unwrap_or(0);
        let d = derive(&accepted, id_of, at)?;
        let (log, heads) = rstore::chain(&appends(&k, &d.logs));
        let entries: Vec<(i64, rstore::NewEntry<'_>)> = accepted
            .iter()
            .zip(new_entries(&accepted, at))
            .map(|(p, e)| (id_of(p), e))
            .collect();
        c.write(&Write {
            at,
            entries: &entries,
            states: &d.states,
            log: &log,
            heads: &heads,
            deltas: &deltas,
        })
        .await?;
    }
    Ok(Done {
        outcomes,
        ids,
        first_seq: first_seq(&k),
    })
}

/// Record each accepted form's audit event and answer every form.
pub(super) async fn finish(
    tx: &mut Tx,
    items: &[Item<'_>],
    done: Done,
) -> AppResult<Vec<Result<Submitted, SubmitError>>> {
    let Done {
        outcomes,
        ids,
        first_seq: mut next_seq,
    } = done;
    let mut out = Vec::with_capacity(items.len());
    for (o, item) in outcomes.into_iter().zip(items) {
        let p = match o {
            Ok(p) => p,
            Err(e) => {
                out.push(Err(e));
                continue;
            }
        };
        let election_id = p.tps.election_id;
        let seq = next_seq.entry(election_id).or_insert(1);
        let log_seq = *seq;
        *seq += 1;
        audit::record(
            tx,
            &item.meta.audit(Some(item.actor)),
            AuditEvent {
                action: audit_actions::RESULT_ENTERED,
                target_kind: "tps",
                target_id: p.tps.id.to_string(),
                region_code: Some(p.tps.village_code.clone()),
                summary: json!({
                    "election_id": election_id, "version": p.version, "kind": p.kind.as_str(),
                    "reason": p.reason, "psu_ref": p.psu_ref, "flagged": p.flagged,
                    "verified": p.verified, "disputed": p.disputed,
                    "confirmed_paper": p.confirmed_paper, "content_hash": p.hash, "log_seq": log_seq,
                }),
            },
        )
        .await?;
        out.push(Ok(Submitted {
            entry_id: ids.get(&(p.tps.id, p.version)).copied().unwrap_or(0),
            tps_id: p.tps.id,
            version: p.version,
            kind: p.kind.as_str().to_string(),
            verified: p.verified,
            disputed: p.disputed,
            flagged: p.flagged,
            warnings: p.warnings,
            confirmed_errors: p.errors,
            log_seq,
        }));
    }
    Ok(out)
}

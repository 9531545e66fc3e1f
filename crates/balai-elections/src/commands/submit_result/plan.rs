//! Planning one form in memory against what the transaction knows: its TPS, version, kind
//! and double-entry state, or why it is refused. Refusals change nothing.

use std::collections::BTreeMap;

use balai_core::web::actor::Actor;
use balai_core::AppError;
use sha2::{Digest, Sha256};

use super::input::{Item, SubmitInput};
use super::known::{ElectionKnown, Known};
use crate::commands::require;
use crate::domain::checks::{self, CheckConfig, Context, Finding};
use crate::domain::election::ElectionStatus;
use crate::domain::entry::{self, psu_ref_valid, Decision, EntryKind};
use crate::domain::form::{self, Form};
use crate::domain::permissions::Action;
use crate::domain::tally::{contribution, Deltas, Flags};
use crate::errors::{SubmitError, SubmitRefusal};
use crate::store::results::EntryRow;
use crate::store::Tps;

fn content_hash(form_json: &str) -> String {
    hex::encode(Sha256::digest(form_json.as_bytes()))
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One planned, accepted form.
pub(super) struct Planned {
    /// The operator's user id and name.
    pub(super) operator: (i64, String),
    pub(super) tps: Tps,
    pub(super) version: i64,
    pub(super) kind: EntryKind,
    pub(super) psu_ref: Option<String>,
    pub(super) reason: Option<String>,
    pub(super) form: Form,
    pub(super) form_json: String,
    pub(super) hash: String,
    pub(super) confirmed_paper: bool,
    pub(super) errors: Vec<Finding>,
    pub(super) warnings: Vec<Finding>,
    pub(super) findings_json: String,
    pub(super) epoch: i64,
    pub(super) verified: bool,
    pub(super) disputed: bool,
    /// While disputed: the version the totals count, 0 for none (`None`: this one counts).
    pub(super) counted_version: Option<i64>,
    pub(super) flagged: bool,
    pub(super) photo_reused: bool,
}

/// The reason and PSU reference, trimmed (empty as none), within their lengths.
fn references(input: &SubmitInput) -> Result<(Option<String>, Option<String>), SubmitRefusal> {
    let reason = clean(&input.reason);
    let psu_ref = clean(&input.psu_ref);
    if reason.as_ref().is_some_and(|r| r.len() > 500)
        || psu_ref.as_ref().is_some_and(|r| r.len() > 200)
    {
        return Err(SubmitRefusal::TooLong);
    }
    if psu_ref.as_deref().is_some_and(|r| !psu_ref_valid(r)) {
        return Err(SubmitRefusal::BadPsuRef);
    }
    Ok((reason, psu_ref))
}

/// The TPS the form names, by id or by village and number, in the form's election.
fn named_tps(k: &Known, item: &Item<'_>) -> Result<Tps, SubmitRefusal> {
    let input = item.input;
    let by_number = match (&input.village_code, input.tps_number) {
        (Some(v), Some(n)) => k.by_number.get(&(item.election_id, v.clone(), n)).copied(),
        _ => None,
    };
    input
        .tps_id
        .filter(|id| {
            k.by_id
                .get(id)
                .is_some_and(|t| t.election_id == item.election_id)
        })
        .or(by_number)
        .and_then(|id| k.by_id.get(&id))
        .cloned()
        .ok_or(SubmitRefusal::UnknownTps)
}

/// A TPS inside a region whose recapitulation is recorded keeps its results: neither an entry
/// nor a re-vote (PSU) changes them until an admin reopens that recapitulation.
fn outside_recaps(e: &ElectionKnown, village: &str) -> Result<(), SubmitRefusal> {
    let v = village;
    match e.recaps.iter().find(|r| {
        v == *r || (v.starts_with(r.as_str()) && v.as_bytes().get(r.len()) == Some(&b'.'))
    }) {
        Some(region) => Err(SubmitRefusal::Recapitulated {
            region: region.clone(),
        }),
        None => Ok(()),
    }
}

/// Every finding of rules 1–10 for the form, compared with the TPS's master DPT and, but for
/// a PSU, the other numbers entered in the epoch.
fn findings_of(
    form: &Form,
    config: &CheckConfig,
    tps: &Tps,
    entries: &[EntryRow],
    d: &Decision,
    hash: &str,
) -> Vec<Finding> {
    let previous: Vec<Form> = entry::differing(entries, d, hash)
        .map(EntryRow::parsed_form)
        .collect();
    checks::check(
        form,
        &Context {
            config: *config,
            master_dpt: Some((
                u32::try_from(tps.dpt_l).unwrap_or(0),
                u32::try_from(tps.dpt_p).unwrap_or(0),
            )),
            previous: if d.kind == EntryKind::Psu {
                &[]
            } else {
                &previous
            },
        },
    )
}

/// Check one form against what is known and decide its version, kind and state. Refusals
/// change nothing.
pub(super) fn plan(
    k: &Known,
    config: &CheckConfig,
    item: &Item<'_>,
) -> Result<Planned, SubmitError> {
    let (actor, input) = (item.actor, item.input);
    let e = k
        .elections
        .get(&item.election_id)
        .ok_or_else(AppError::not_found)?;
    let (reason, psu_ref) = references(input)?;
    if e.status != ElectionStatus::Open {
        return Err(SubmitRefusal::ElectionClosed.into());
    }
    let tps = named_tps(k, item)?;
    let action = if psu_ref.is_some() {
        Action::EnterPsu
    } else {
        Action::EnterResult
    };
    require(actor, &tps.village_code, action)?;
    outside_recaps(e, &tps.village_code)?;
    if e.ballots.is_empty() {
        return Err(SubmitRefusal::NoCandidates.into());
    }
    let form: Form = form::parse(item.flat, &e.ballots).map_err(SubmitRefusal::InvalidForm)?;
    let form_json = serde_json::to_string(&form).map_err(AppError::internal)?;
    let hash = content_hash(&form_json);

    let entries: &[EntryRow] = k.entries.get(&tps.id).map(Vec::as_slice).unwrap_or(&[]);
    let me = actor.user.username.as_str();
    let d = entry::decide(entries, me, &hash, psu_ref.as_deref(), reason.as_deref())
        .map_err(SubmitRefusal::from)?;
    let findings = findings_of(&form, config, &tps, entries, &d, &hash);
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) =
        findings.iter().cloned().partition(Finding::is_error);
    if !errors.is_empty() && (!input.confirm_paper || errors.iter().any(Finding::is_absolute)) {
        return Err(SubmitRefusal::Inconsistent { errors, warnings }.into());
    }
    let findings_json = serde_json::to_string(&findings).map_err(AppError::internal)?;
    let (verified, disputed) = entry::double_entry(entries, &d, me, &hash);
    // A dispute keeps the last verified version of the epoch in the totals (or none).
    let counted_version =
        disputed.then(|| entry::last_verified(entries, d.epoch()).map_or(0, |e| e.version));
    let photo_reused = k.reused_photo.contains(&tps.id);
    let flagged = !findings.is_empty() || photo_reused;
    Ok(Planned {
        operator: (actor.user.id, me.to_string()),
        tps,
        version: d.version,
        kind: d.kind,
        psu_ref,
        reason,
        form,
        form_json,
        hash,
        confirmed_paper: input.confirm_paper,
        errors,
        warnings,
        findings_json,
        epoch: d.epoch(),
        verified,
        disputed,
        counted_version,
        flagged,
        photo_reused,
    })
}

/// Remember a planned form as the TPS's latest version (for later forms of the batch) and
/// add its change of contribution to the totals.
pub(super) fn remember(k: &mut Known, p: &Planned, me: &Actor, deltas: &mut BTreeMap<i64, Deltas>) {
    let kept = p.counted_version.and_then(|v| {
        k.entries
            .get(&p.tps.id)?
            .iter()
            .find(|e| e.version == v)
            .map(EntryRow::parsed_form)
    });
    let counted = match p.counted_version {
        None => Some(&p.form),
        Some(_) => kept.as_ref(),
    };
    let new = contribution(
        counted,
        Flags {
            verified: p.verified,
            disputed: p.disputed,
            flagged: p.flagged,
            has_errors: !p.errors.is_empty(),
        },
    );
    let old = k.contributions.insert(p.tps.id, new.clone());
    deltas
        .entry(p.tps.election_id)
        .or_default()
        .change(&p.tps.village_code, old.as_ref(), &new);
    k.entries.entry(p.tps.id).or_default().push(EntryRow {
        id: 0,
        election_id: p.tps.election_id,
        tps_id: p.tps.id,
        version: p.version,
        kind: p.kind.as_str().to_string(),
        psu_ref: p.psu_ref.clone(),
        reason: p.reason.clone(),
        operator_user_id: Some(me.user.id),
        operator_label: me.user.username.clone(),
        entered_at: balai_core::db::now(),
        form: p.form_json.clone(),
        content_hash: p.hash.clone(),
        confirmed_paper: p.confirmed_paper,
        has_errors: !p.errors.is_empty(),
        findings: p.findings_json.clone(),
        warning_count: p.warnings.len() as i64,
    });
}

//! Planning one form in memory against what the transaction knows: its TPS, version, kind
//! and double-entry state, or why it is refused. Refusals change nothing.

use std::collections::BTreeMap;

use balai_core::web::actor::Actor;
use balai_core::{AppError, AppResult};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::input::Item;
use super::known::Known;
use crate::commands::require_kpu;
use crate::domain::checks::{self, CheckConfig, Context, Finding};
use crate::domain::form::{self, Form};
use crate::domain::tally::{contribution, Deltas, Flags};
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
    pub(super) kind: &'static str,
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
    pub(super) flagged: bool,
    pub(super) photo_reused: bool,
}

fn joined(findings: &[Finding], en: bool) -> String {
    findings
        .iter()
        .map(|e| {
            if en {
                e.message_en.as_str()
            } else {
                e.message_id.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Check one form against what is known and decide its version, kind and state. Refusals
/// change nothing.
pub(super) fn plan(k: &Known, config: &CheckConfig, item: &Item<'_>) -> AppResult<Planned> {
    let (actor, input) = (item.actor, item.input);
    let e = k
        .elections
        .get(&item.election_id)
        .ok_or_else(AppError::not_found)?;
    let reason = clean(&input.reason);
    let psu_ref = clean(&input.psu_ref);
    if reason.as_ref().is_some_and(|r| r.len() > 500)
        || psu_ref.as_ref().is_some_and(|r| r.len() > 200)
    {
        return Err(AppError::unprocessable(
            "too_long",
            "Alasan paling banyak 500 karakter, rujukan keputusan PSU 200 karakter.",
            "The reason may have at most 500 characters, the PSU reference 200.",
        ));
    }
    if e.status != "open" {
        return Err(AppError::conflict(
            "election_closed",
            "Pemilihan ini sudah ditutup; hasil tidak dapat dimasukkan lagi.",
            "This election is closed; results can no longer be entered.",
        ));
    }
    let by_number = match (&input.village_code, input.tps_number) {
        (Some(v), Some(n)) => k.by_number.get(&(item.election_id, v.clone(), n)).copied(),
        _ => None,
    };
    let tps = input
        .tps_id
        .filter(|id| k.by_id.get(id).is_some_and(|t| t.election_id == item.election_id))
        .or(by_number)
        .and_then(|id| k.by_id.get(&id))
        .cloned()
        .ok_or_else(|| {
            AppError::unprocessable(
                "unknown_tps",
                "TPS tidak ditemukan pada pemilihan ini. Sebutkan tps_id, atau village_code dan tps_number.",
                "No such TPS in this election. Give tps_id, or village_code and tps_number.",
            )
        })?;
    require_kpu(actor, &tps.village_code)?;
    if psu_ref.is_none() {
        let v = &tps.village_code;
        if let Some(region) = e.recaps.iter().find(|r| {
            v == *r || (v.starts_with(r.as_str()) && v.as_bytes().get(r.len()) == Some(&b'.'))
        }) {
            return Err(AppError::conflict(
                "recapitulated",
                format!("Rekapitulasi {region} sudah ditetapkan; hasil TPS di dalamnya hanya dapat berubah melalui PSU (psu_ref)."),
                format!("The recapitulation of {region} is recorded; results inside it change only through a re-vote (psu_ref)."),
            ));
        }
    }
    if e.ballots.is_empty() {
        return Err(AppError::unprocessable(
            "no_candidates",
            "Pemilihan ini belum memiliki paslon.",
            "This election has no candidate pairs yet.",
        ));
    }
    let form: Form = form::parse(item.flat, &e.ballots).map_err(|errs| {
        let id = errs
            .iter()
            .map(|e| e.message_id.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let en = errs
            .iter()
            .map(|e| e.message_en.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        AppError::unprocessable("invalid_form", id, en).with_details(json!({ "fields": errs }))
    })?;
    let form_json = serde_json::to_string(&form).map_err(AppError::internal)?;
    let hash = content_hash(&form_json);

    let entries: &[EntryRow] = k.entries.get(&tps.id).map(Vec::as_slice).unwrap_or(&[]);
    let old_epoch = entries
        .iter()
        .filter(|e| e.kind == "psu")
        .map(|e| e.version)
        .max()
        .unwrap_or(0);
    let version = entries.last().map(|e| e.version).unwrap_or(0) + 1;
    let me = actor.user.username.as_str();
    let in_old_epoch: Vec<&EntryRow> = entries.iter().filter(|e| e.version >= old_epoch).collect();
    if let Some(mine) = in_old_epoch.iter().rev().find(|e| e.operator_label == me) {
        if mine.content_hash == hash && (psu_ref.is_none() || mine.psu_ref == psu_ref) {
            return Err(AppError::conflict(
                "duplicate_entry",
                format!(
                    "Entri yang sama persis sudah Anda kirim (versi {}).",
                    mine.version
                ),
                format!(
                    "You already submitted exactly this entry (version {}).",
                    mine.version
                ),
            ));
        }
    }
    let kind = if psu_ref.is_some() {
        "psu"
    } else if in_old_epoch.iter().any(|e| e.operator_label == me) {
        "correction"
    } else {
        "entry"
    };
    if kind == "correction" && reason.is_none() {
        return Err(AppError::unprocessable(
            "reason_required",
            "Perbaikan atas entri Anda sendiri wajib disertai alasan (reason).",
            "A correction of your own entry needs a reason.",
        ));
    }
    let previous: Vec<Form> = in_old_epoch
        .iter()
        .filter(|e| e.content_hash != hash)
        .map(|e| e.parsed_form())
        .collect();
    let findings = checks::check(
        &form,
        &Context {
            config: *config,
            master_dpt: Some((
                u32::try_from(tps.dpt_l).unwrap_or(0),
                u32::try_from(tps.dpt_p).unwrap_or(0),
            )),
            previous: if kind == "psu" { &[] } else { &previous },
        },
    );
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) =
        findings.iter().cloned().partition(Finding::is_error);
    if !errors.is_empty() && !input.confirm_paper {
        let (id, en) = (joined(&errors, false), joined(&errors, true));
        return Err(AppError::unprocessable(
            "form_inconsistent",
            format!("Formulir tidak konsisten ({} pelanggaran). {id} Jika formulir kertasnya memang demikian, kirim ulang dengan confirm_paper = true.", errors.len()),
            format!("The form is inconsistent ({} problems). {en} If the paper form itself says so, resubmit with confirm_paper = true.", errors.len()),
        )
        .with_details(json!({ "errors": errors, "warnings": warnings })));
    }
    let findings_json = serde_json::to_string(&findings).map_err(AppError::internal)?;
    // Double entry within the (possibly new) epoch.
    let epoch = if kind == "psu" { version } else { old_epoch };
    let others: Vec<&EntryRow> = entries
        .iter()
        .filter(|e| e.version >= epoch && e.operator_label != me)
        .collect();
    let verified = others.iter().any(|e| e.content_hash == hash);
    let disputed = !verified && !others.is_empty();
    let photo_reused = k.reused_photo.contains(&tps.id);
    let flagged = !findings.is_empty() || photo_reused;
    Ok(Planned {
        operator: (actor.user.id, me.to_string()),
        tps,
        version,
        kind,
        psu_ref,
        reason,
        form,
        form_json,
        hash,
        confirmed_paper: input.confirm_paper,
        errors,
        warnings,
        findings_json,
        epoch,
        verified,
        disputed,
        flagged,
        photo_reused,
    })
}

/// Remember a planned form as the TPS's latest version (for later forms of the batch) and
/// add its change of contribution to the totals.
pub(super) fn remember(k: &mut Known, p: &Planned, me: &Actor, deltas: &mut BTreeMap<i64, Deltas>) {
    let new = contribution(
        &p.form,
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
        kind: p.kind.to_string(),
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

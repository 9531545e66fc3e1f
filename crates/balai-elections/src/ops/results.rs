//! Submitting a C.Hasil-KWK form: parse, check, version, double entry, publication log, audit —
//! one transaction.
//!
//! Versions: every accepted submission is a new version of the TPS result; nothing is
//! overwritten. The current version is the latest. A re-vote (`psu_ref` given) starts a new
//! epoch: earlier versions stay in the history but no longer count for double entry.
//! Double entry: the TPS is **verified** when the current version's numbers equal an entry of
//! the same epoch by a different operator; when two operators' entries differ it is
//! **disputed** and listed for a supervisor.

use balai_core::audit::{self, AuditEvent};
use balai_core::db::Tx;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::require_kpu;
use crate::domain::checks::{self, CheckConfig, Context, Finding};
use crate::domain::form::{self, Form};
use crate::domain::publog::Payload;
use crate::store::{self, extra, results as rstore};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct SubmitInput {
    /// The TPS id, or `village_code` and `tps_number`.
    pub tps_id: Option<i64>,
    pub village_code: Option<String>,
    pub tps_number: Option<i64>,
    /// The form, nested (`{"pemilih_dpt": {"l": 1, "p": 2, "total": 3}, "votes": {"1": 10}}`)
    /// or with dotted keys (`"pemilih_dpt.l"`).
    #[schema(value_type = Object)]
    pub form: serde_json::Value,
    /// The operator confirms the paper form itself has these numbers: a form failing rules
    /// 1–8 is then stored, flagged.
    #[serde(default)]
    pub confirm_paper: bool,
    /// Why: required for a correction of one's own earlier entry.
    pub reason: Option<String>,
    /// The decision ordering a re-vote (PSU); makes this version supersede earlier ones.
    pub psu_ref: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub entry_id: i64,
    pub tps_id: i64,
    pub version: i64,
    /// `entry`, `correction` or `psu`
    pub kind: String,
    pub verified: bool,
    pub disputed: bool,
    pub flagged: bool,
    /// Warnings 8–10, stored with the entry.
    pub warnings: Vec<Finding>,
    /// Hard-rule failures stored because the operator confirmed the paper says so.
    pub confirmed_errors: Vec<Finding>,
    /// Position in the election's publication log.
    pub log_seq: i64,
}

fn content_hash(form_json: &str) -> String {
    hex::encode(Sha256::digest(form_json.as_bytes()))
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub async fn check_config(ctx: &AppCtx) -> AppResult<CheckConfig> {
    let d = CheckConfig::default();
    Ok(CheckConfig {
        reserve_per_mille: store::setting_u32(
            &ctx.db,
            "elections.reserve_per_mille",
            d.reserve_per_mille,
        )
        .await?,
        max_dpt_per_tps: store::setting_u32(
            &ctx.db,
            "elections.max_dpt_per_tps",
            d.max_dpt_per_tps,
        )
        .await?,
    })
}

pub async fn submit(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    input: &SubmitInput,
) -> AppResult<Submitted> {
    let config = check_config(ctx).await?;
    let mut tx = ctx.db.begin().await?;
    let out = submit_in_tx(&mut tx, &config, actor, meta, election_id, input).await?;
    tx.commit().await?;
    Ok(out)
}

/// Everything [`submit`] does inside the caller's transaction. Every refusal (a client error)
/// happens before the first write, so a batch can carry on with its next item.
pub async fn submit_in_tx(
    tx: &mut Tx,
    config: &CheckConfig,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    input: &SubmitInput,
) -> AppResult<Submitted> {
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
    let election = store::lock_election(tx, election_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if election.status != "open" {
        return Err(AppError::conflict(
            "election_closed",
            "Pemilihan ini sudah ditutup; hasil tidak dapat dimasukkan lagi.",
            "This election is closed; results can no longer be entered.",
        ));
    }
    let by_number = match (&input.village_code, input.tps_number) {
        (Some(v), Some(n)) => Some((v.as_str(), n)),
        _ => None,
    };
    let tps = store::find_tps_tx(tx, election_id, input.tps_id, by_number)
        .await?
        .ok_or_else(|| {
            AppError::unprocessable(
                "unknown_tps",
                "TPS tidak ditemukan pada pemilihan ini. Sebutkan tps_id, atau village_code dan tps_number.",
                "No such TPS in this election. Give tps_id, or village_code and tps_number.",
            )
        })?;
    require_kpu(actor, &tps.village_code)?;
    if psu_ref.is_none() {
        if let Some(region) = extra::recap_covering(tx, election_id, &tps.village_code).await? {
            return Err(AppError::conflict(
                "recapitulated",
                format!("Rekapitulasi {region} sudah ditetapkan; hasil TPS di dalamnya hanya dapat berubah melalui PSU (psu_ref)."),
                format!("The recapitulation of {region} is recorded; results inside it change only through a re-vote (psu_ref)."),
            ));
        }
    }
    let ballots = store::ballot_numbers_tx(tx, election_id).await?;
    if ballots.is_empty() {
        return Err(AppError::unprocessable(
            "no_candidates",
            "Pemilihan ini belum memiliki paslon.",
            "This election has no candidate pairs yet.",
        ));
    }
    let form: Form = form::parse(&form::flatten(&input.form), &ballots).map_err(|errs| {
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

    let entries = rstore::entries_tx(tx, tps.id).await?;
    let old_epoch = entries
        .iter()
        .filter(|e| e.kind == "psu")
        .map(|e| e.version)
        .max()
        .unwrap_or(0);
    let version = entries.last().map(|e| e.version).unwrap_or(0) + 1;
    let me = actor.user.username.as_str();
    let in_old_epoch: Vec<&rstore::EntryRow> =
        entries.iter().filter(|e| e.version >= old_epoch).collect();
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
        let id = errors
            .iter()
            .map(|e| e.message_id.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let en = errors
            .iter()
            .map(|e| e.message_en.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return Err(AppError::unprocessable(
            "form_inconsistent",
            format!("Formulir tidak konsisten ({} pelanggaran). {id} Jika formulir kertasnya memang demikian, kirim ulang dengan confirm_paper = true.", errors.len()),
            format!("The form is inconsistent ({} problems). {en} If the paper form itself says so, resubmit with confirm_paper = true.", errors.len()),
        )
        .with_details(json!({ "errors": errors, "warnings": warnings })));
    }
    let findings_json = serde_json::to_string(&findings).map_err(AppError::internal)?;
    let entered_at = balai_core::db::now();
    let entry_id = rstore::insert_entry(
        tx,
        &rstore::NewEntry {
            election_id,
            tps_id: tps.id,
            version,
            kind,
            psu_ref: psu_ref.as_deref(),
            reason: reason.as_deref(),
            operator_user_id: Some(actor.user.id),
            operator_label: me,
            entered_at,
            form: &form,
            form_json: &form_json,
            content_hash: &hash,
            confirmed_paper: input.confirm_paper,
            has_errors: !errors.is_empty(),
            findings_json: &findings_json,
            warning_count: warnings.len() as i64,
        },
    )
    .await?;
    // Double entry within the (possibly new) epoch.
    let epoch = if kind == "psu" { version } else { old_epoch };
    let others: Vec<&rstore::EntryRow> = entries
        .iter()
        .filter(|e| e.version >= epoch && e.operator_label != me)
        .collect();
    let verified = others.iter().any(|e| e.content_hash == hash);
    let disputed = !verified && !others.is_empty();
    let photo_reused = extra::tps_has_reused_photo(tx, tps.id).await?;
    let flagged = !findings.is_empty() || photo_reused;
    rstore::upsert_state(
        tx,
        &rstore::TpsState {
            tps_id: tps.id,
            election_id,
            village_code: &tps.village_code,
            current_entry_id: entry_id,
            epoch_version: epoch,
            verified,
            disputed,
            flagged,
            has_errors: !errors.is_empty(),
            photo_reused,
        },
    )
    .await?;
    let payload = Payload {
        election_id,
        tps_id: tps.id,
        village_code: tps.village_code.clone(),
        tps_number: tps.number,
        version,
        kind: kind.to_string(),
        psu_ref: psu_ref.clone(),
        entered_at: crate::rfc3339(entered_at),
        flagged,
        form,
    };
    let payload = serde_json::to_string(&payload).map_err(AppError::internal)?;
    let log_seq = rstore::append_log(tx, election_id, entry_id, &payload).await?;
    audit::record(
        tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: "elections.result_entered",
            target_kind: "tps",
            target_id: tps.id.to_string(),
            region_code: Some(tps.village_code.clone()),
            summary: json!({
                "election_id": election_id, "version": version, "kind": kind, "reason": reason,
                "psu_ref": psu_ref, "flagged": flagged, "verified": verified, "disputed": disputed,
                "confirmed_paper": input.confirm_paper, "content_hash": hash, "log_seq": log_seq,
            }),
        },
    )
    .await?;
    Ok(Submitted {
        entry_id,
        tps_id: tps.id,
        version,
        kind: kind.to_string(),
        verified,
        disputed,
        flagged,
        warnings,
        confirmed_errors: errors,
        log_seq,
    })
}

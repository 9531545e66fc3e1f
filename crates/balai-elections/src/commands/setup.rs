//! Writes that set an election up: the election itself, its schedule versions, candidate
//! pairs, TPS and past totals. Each validates, checks the actor's KPU scope, writes and audits
//! in one transaction; bad input changes nothing.

use balai_core::audit::{self, AuditEvent};
use balai_core::regions::{self, Level, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{bad_lines, require};

/// The highest TPS number in a village (`TpsInput`'s schema declares the same maximum).
const MAX_TPS_NUMBER: u32 = 9999;
use crate::domain::audit_actions;
use crate::domain::election::{
    parse_date, parse_totals_csv, validate_stages, ElectionStatus, Kind, Stage, StageKind,
    TpsInput, CANDIDATE_STATUSES, LEGAL_MAX_DPT_PER_TPS, MAX_REGION_DPT,
};
use crate::domain::permissions::Action;
use crate::domain::tally::{Agg, Deltas};
use crate::errors::Refusal;
use crate::queries::load_election;
use crate::store;
use crate::store::totals;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewElection {
    #[schema(schema_with = election_kinds)]
    pub kind: String,
    /// A province for gubernur, a kabupaten for bupati, a kota for walikota.
    #[schema(schema_with = balai_core::web::schema::region_code)]
    pub region_code: String,
    /// At most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(schema_with = balai_core::web::schema::date)]
    pub voting_date: String,
}

fn election_kinds() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(["gubernur", "bupati", "walikota"])
}

pub async fn create_election(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    input: &NewElection,
) -> AppResult<i64> {
    let kind = Kind::parse(input.kind.trim()).ok_or(Refusal::BadKind)?;
    let region = RegionCode::parse(input.region_code.trim())?;
    if !kind.fits_region(region.as_str()) {
        return Err(Refusal::KindRegionMismatch {
            kind,
            region: region.to_string(),
        }
        .into());
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Refusal::BadName.into());
    }
    let date = parse_date(&input.voting_date).ok_or(Refusal::BadDate)?;
    require(actor, region.as_str(), Action::CreateElection)?;
    let mut tx = ctx.begin().await?;
    if !regions::exists_in_tx(&mut tx, region.as_str()).await? {
        return Err(unknown_region(region.as_str()));
    }
    let id = store::insert_election(
        &mut tx,
        kind.as_str(),
        region.as_str(),
        name,
        date,
        Some(actor.user.id),
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::CREATED,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(region.to_string()),
            summary: json!({ "kind": kind.as_str(), "name": name, "voting_date": date.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(id)
}

/// The refusal of a region code that is well formed but not in the region table.
pub fn unknown_region(code: &str) -> AppError {
    Refusal::UnknownRegion(code.to_string()).into()
}

pub async fn set_status(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    id: i64,
    status: &str,
) -> AppResult<()> {
    let Some(to) = ElectionStatus::parse(status) else {
        return Err(Refusal::BadStatus.into());
    };
    let e = load_election(ctx, id).await?;
    // Closing is a supervisor's decision; opening a closed election again undoes one.
    let action = if to == ElectionStatus::Open && e.status != ElectionStatus::Open {
        Action::Reopen
    } else {
        Action::Close
    };
    require(actor, &e.region_code, action)?;
    let mut tx = ctx.begin().await?;
    if store::set_status(&mut tx, id, e.status.as_str(), status).await? == 0 {
        return Err(AppError::conflict(
            "changed_meanwhile",
            "Status pemilihan berubah sementara itu; muat ulang lalu coba lagi.",
            "The election's status changed meanwhile; reload and try again.",
        ));
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::STATUS_CHANGED,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(e.region_code.clone()),
            summary: json!({ "from": e.status, "to": status }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// Why the schedule is set or changed.
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
    /// The legal basis, e.g. a PKPU or Perppu number.
    #[schema(min_length = 1, pattern = r"\S")]
    pub legal_basis: String,
    #[schema(min_items = 1)]
    pub stages: Vec<Stage>,
}

/// Store a new schedule version (the first one too); earlier versions stay.
pub async fn set_schedule(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    id: i64,
    input: &ScheduleInput,
) -> AppResult<i64> {
    let e = load_election(ctx, id).await?;
    require(actor, &e.region_code, Action::SetSchedule)?;
    let mut problems = validate_stages(&input.stages);
    if input.reason.trim().is_empty() || input.legal_basis.trim().is_empty() {
        problems.push((
            "Alasan dan dasar hukum perubahan jadwal wajib diisi.".into(),
            "A reason and a legal basis are required.".into(),
        ));
    }
    if !problems.is_empty() {
        return Err(bad_lines("bad_schedule", problems));
    }
    let stages: Vec<(String, Option<StageKind>, time::Date, time::Date)> = input
        .stages
        .iter()
        .filter_map(|s| {
            Some((
                s.name.trim().to_string(),
                s.effective_kind(),
                parse_date(&s.start)?,
                parse_date(&s.end)?,
            ))
        })
        .collect();
    let voting_day = stages
        .iter()
        .find(|s| s.1 == Some(StageKind::PemungutanSuara))
        .map(|s| s.2);
    let mut tx = ctx.begin().await?;
    let version = store::next_schedule_version(&mut tx, id).await?;
    // The election's voting date is its current schedule's voting day.
    if let Some(day) = voting_day {
        store::set_voting_date(&mut tx, id, day).await?;
    }
    store::insert_schedule(
        &mut tx,
        id,
        version,
        input.reason.trim(),
        input.legal_basis.trim(),
        Some(actor.user.id),
        &actor.user.username,
        &stages,
    )
    .await?;
    // Features whose records depend on the schedule (the neutrality windows) follow it here.
    balai_core::schedule::changed(&ctx.ext, &mut tx, id).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::SCHEDULE_VERSIONED,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(e.region_code.clone()),
            summary: json!({ "version": version, "reason": input.reason.trim(), "legal_basis": input.legal_basis.trim(), "stages": stages.len(), "voting_date": voting_day.map(|d| d.to_string()) }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(version)
}

pub use crate::domain::election::MAX_BALLOT;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateInput {
    /// 1 to 50 (`MAX_BALLOT`).
    #[serde(deserialize_with = "balai_core::web::json_int::u32")]
    #[schema(minimum = 1, maximum = 50)]
    pub ballot_number: u32,
    #[schema(min_length = 1, pattern = r"\S")]
    pub head_name: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub deputy_name: String,
    #[serde(default)]
    pub parties: Vec<String>,
    #[serde(default)]
    pub independent: bool,
}

pub async fn add_candidate(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    id: i64,
    c: &CandidateInput,
) -> AppResult<i64> {
    let e = load_election(ctx, id).await?;
    require(actor, &e.region_code, Action::AddCandidate)?;
    let parties: Vec<String> = c
        .parties
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if c.ballot_number == 0
        || c.ballot_number > MAX_BALLOT
        || c.head_name.trim().is_empty()
        || c.deputy_name.trim().is_empty()
        || (c.independent != parties.is_empty())
    {
        return Err(Refusal::BadCandidate.into());
    }
    let mut tx = ctx.begin().await?;
    let taken = store::ballot_numbers_tx(&mut tx, id).await?;
    if taken.contains(&c.ballot_number) {
        return Err(Refusal::BallotNumberTaken(c.ballot_number).into());
    }
    let cid = store::insert_candidate(
        &mut tx,
        id,
        i64::from(c.ballot_number),
        c.head_name.trim(),
        c.deputy_name.trim(),
        &parties,
        c.independent,
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::CANDIDATE_ADDED,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(e.region_code.clone()),
            summary: json!({ "ballot_number": c.ballot_number, "head": c.head_name.trim(), "deputy": c.deputy_name.trim(), "parties": parties }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(cid)
}

pub async fn set_candidate_status(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    id: i64,
    ballot: u32,
    status: &str,
    reason: Option<&str>,
) -> AppResult<()> {
    let e = load_election(ctx, id).await?;
    require(actor, &e.region_code, Action::SetCandidateStatus)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !CANDIDATE_STATUSES.contains(&status) || (status == "disqualified" && reason.is_none()) {
        return Err(Refusal::BadCandidateStatus.into());
    }
    let mut tx = ctx.begin().await?;
    if store::set_candidate_status(&mut tx, id, i64::from(ballot), status, reason).await? == 0 {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::CANDIDATE_STATUS,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(e.region_code.clone()),
            summary: json!({ "ballot_number": ballot, "status": status, "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TpsImported {
    pub created: usize,
    pub ids: Vec<i64>,
    /// TPS above the per-TPS maximum (rule 9), stored but flagged here.
    pub warnings: Vec<String>,
}

/// What is wrong with TPS rows to add to an election in `election_region`, each in both
/// languages (none: they may be added).
fn tps_problems(rows: &[TpsInput], election_region: &RegionCode) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, t) in rows.iter().enumerate() {
        let n = i + 1;
        let ok = RegionCode::parse(&t.village_code)
            .is_ok_and(|r| r.level() == Level::Village && election_region.contains(r.as_str()));
        if !ok {
            problems.push((
                format!(
                    "TPS {n}: {} bukan kode desa/kelurahan di wilayah pemilihan {}.",
                    t.village_code, election_region
                ),
                format!(
                    "TPS {n}: {} is not a village code inside the election region {}.",
                    t.village_code, election_region
                ),
            ));
        }
        let dpt = u64::from(t.dpt_l) + u64::from(t.dpt_p);
        if dpt > u64::from(LEGAL_MAX_DPT_PER_TPS) {
            problems.push((
                format!("TPS {n}: DPT {dpt} melebihi batas hukum {LEGAL_MAX_DPT_PER_TPS} pemilih per TPS."),
                format!("TPS {n}: a DPT of {dpt} exceeds the legal maximum of {LEGAL_MAX_DPT_PER_TPS} voters per TPS."),
            ));
        }
        if t.number == 0 || t.number > MAX_TPS_NUMBER || t.address.chars().count() > 300 {
            problems.push((
                format!("TPS {n}: nomor TPS harus 1–{MAX_TPS_NUMBER} dan alamat paling banyak 300 karakter."),
                format!("TPS {n}: the number must be 1–{MAX_TPS_NUMBER} and the address at most 300 characters."),
            ));
        }
        if !seen.insert((t.village_code.clone(), t.number)) {
            problems.push((
                format!(
                    "TPS {n}: {} nomor {} muncul dua kali.",
                    t.village_code, t.number
                ),
                format!(
                    "TPS {n}: {} number {} appears twice.",
                    t.village_code, t.number
                ),
            ));
        }
    }
    if rows.is_empty() {
        problems.push(("Tidak ada TPS.".into(), "No TPS given.".into()));
    }
    problems
}

/// Add TPS (one, or a whole CSV) to an election; all or nothing.
pub async fn add_tps(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    id: i64,
    rows: &[TpsInput],
) -> AppResult<TpsImported> {
    let e = load_election(ctx, id).await?;
    let max = store::setting_u32(&ctx.db, "elections.max_dpt_per_tps", 600).await?;
    let election_region = RegionCode::parse(&e.region_code)?;
    let problems = tps_problems(rows, &election_region);
    if !problems.is_empty() {
        return Err(bad_lines("bad_tps", problems));
    }
    for t in rows {
        require(actor, &t.village_code, Action::AddTps)?;
    }
    let mut tx = ctx.begin().await?;
    totals::touch(&mut tx, id).await?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut warnings = Vec::new();
    let mut deltas = Deltas::default();
    for t in rows {
        if !regions::exists_in_tx(&mut tx, &t.village_code).await? {
            return Err(unknown_region(&t.village_code));
        }
        if store::tps_exists(&mut tx, id, &t.village_code, i64::from(t.number)).await? {
            return Err(Refusal::TpsExists {
                village: t.village_code.clone(),
                number: t.number,
            }
            .into());
        }
        ids.push(store::insert_tps(&mut tx, id, t).await?);
        let dpt = u64::from(t.dpt_l) + u64::from(t.dpt_p);
        let master = Agg {
            tps_total: 1,
            dpt_master: i64::try_from(dpt).unwrap_or(i64::MAX),
            ..Agg::default()
        };
        deltas.add(&t.village_code, &master, 1);
        if dpt > u64::from(max) {
            warnings.push(format!(
                "TPS {} nomor {}: DPT {dpt} melebihi batas {max} pemilih per TPS / DPT {dpt} exceeds the maximum of {max} voters per TPS.",
                t.village_code, t.number
            ));
        }
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::TPS_ADDED,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(e.region_code.clone()),
            summary: json!({ "count": ids.len(), "warnings": warnings.len() }),
        },
    )
    .await?;
    totals::apply(&mut tx, id, &deltas).await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(TpsImported {
        created: ids.len(),
        ids,
        warnings,
    })
}

/// Replace a past election's per-region totals from CSV `region_code,dpt,pengguna`.
pub async fn put_totals(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    id: i64,
    csv_text: &str,
) -> AppResult<usize> {
    let e = load_election(ctx, id).await?;
    require(actor, &e.region_code, Action::ReplaceTotals)?;
    let rows = parse_totals_csv(csv_text).map_err(|p| bad_lines("bad_totals", p))?;
    let election_region = RegionCode::parse(&e.region_code)?;
    let mut problems = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        if !RegionCode::parse(&r.region_code).is_ok_and(|c| election_region.contains(c.as_str())) {
            problems.push((
                format!(
                    "Baris {line}: {} bukan wilayah di dalam {}.",
                    r.region_code, e.region_code
                ),
                format!(
                    "Line {line}: {} is not a region inside {}.",
                    r.region_code, e.region_code
                ),
            ));
        }
        if r.dpt > MAX_REGION_DPT {
            problems.push((
                format!("Baris {line}: DPT {} melebihi {MAX_REGION_DPT}.", r.dpt),
                format!("Line {line}: a DPT of {} exceeds {MAX_REGION_DPT}.", r.dpt),
            ));
        }
        if r.pengguna > r.dpt.saturating_mul(2) {
            problems.push((
                format!(
                    "Baris {line}: pengguna {} tidak masuk akal untuk DPT {}.",
                    r.pengguna, r.dpt
                ),
                format!(
                    "Line {line}: {} voters is implausible for a DPT of {}.",
                    r.pengguna, r.dpt
                ),
            ));
        }
    }
    let mut codes: Vec<&str> = rows.iter().map(|r| r.region_code.as_str()).collect();
    codes.sort_unstable();
    if codes.windows(2).any(|w| w[0] == w[1]) {
        problems.push((
            "Kode wilayah muncul lebih dari sekali.".into(),
            "A region code appears more than once.".into(),
        ));
    }
    if !problems.is_empty() {
        return Err(bad_lines("bad_totals", problems));
    }
    let mut tx = ctx.begin().await?;
    totals::touch(&mut tx, id).await?;
    for r in &rows {
        if !regions::exists_in_tx(&mut tx, &r.region_code).await? {
            return Err(unknown_region(&r.region_code));
        }
    }
    store::replace_totals(&mut tx, id, &rows).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit_actions::TOTALS_REPLACED,
            target_kind: "election",
            target_id: id.to_string(),
            region_code: Some(e.region_code.clone()),
            summary: json!({ "rows": rows.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    Ok(rows.len())
}

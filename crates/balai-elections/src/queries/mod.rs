//! Read models: results of a region, its children, one TPS with its history, the supervisor's
//! queue. Results are public.

use std::collections::BTreeMap;

use balai_core::ids::{ElectionId, TpsId};
use balai_core::regions::{self, RegionCode};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::domain::checks::Finding;
use crate::domain::election::covering_totals;
use crate::domain::entry::last_verified;
use crate::domain::form::Form;
use crate::domain::tally::{contribution, Agg, Flags};
use crate::domain::turnout::{change_points, Turnout};
use crate::store::photos::{self, Photo};
use crate::store::recaps::{self, Recap};
use crate::store::results::{self as rstore, EntryRow, StateRow};
use crate::store::{self, totals, ElectionRow, Tps};

/// The election, or 404.
pub async fn load_election(ctx: &AppCtx, id: i64) -> AppResult<ElectionRow> {
    store::get_election(&ctx.db, id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// A JSON number with exactly two decimals (e.g. `66.67`, `50.00`), never a float artefact.
pub fn two_decimals(t: Turnout) -> Option<Box<RawValue>> {
    t.percent_string()
        .and_then(|s| RawValue::from_string(s).ok())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PastTurnout {
    pub election_id: i64,
    pub name: String,
    pub voting_date: String,
    pub dpt: i64,
    pub pengguna: i64,
    #[schema(value_type = Option<f64>)]
    pub turnout_percent: Option<Box<RawValue>>,
    /// This election's turnout minus that one's, in percentage points (`"+3.25"`).
    pub change_points: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Results {
    pub election_id: i64,
    pub region_code: String,
    pub region_name: String,
    /// `tps` (from entered forms) or `totals` (a past election loaded with totals only).
    pub source: String,
    /// `provisional` until the region's plenary recapitulation is recorded, then `official`.
    pub status: String,
    /// The recorded recapitulation of this region, if any.
    pub recap: Option<Recap>,
    /// Sum of `pemilih_dpt.total` over the entered forms.
    pub dpt: i64,
    /// Sum of `pengguna_total.total` over the entered forms.
    pub pengguna: i64,
    /// pengguna ÷ DPT × 100, rounded half-up to two decimals from the exact fraction.
    #[schema(value_type = Option<f64>)]
    pub turnout_percent: Option<Box<RawValue>>,
    /// The exact fraction `pengguna/dpt`.
    pub turnout_exact: Option<String>,
    /// Votes per ballot number.
    pub votes: BTreeMap<String, i64>,
    pub suara_sah: i64,
    pub suara_tidak_sah: i64,
    pub tps_total: i64,
    pub tps_entered: i64,
    pub tps_verified: i64,
    /// TPS whose current version carries any finding (a confirmed error or a warning).
    pub tps_flagged: i64,
    /// TPS whose current version fails a hard rule (stored because the paper says so).
    pub tps_errors: i64,
    pub tps_disputed: i64,
    /// DPT of the TPS master list (all TPS, entered or not).
    pub dpt_master: i64,
    pub log_seq: i64,
    pub log_head: String,
    pub past: Vec<PastTurnout>,
    /// When the election's results last changed (sent as `Last-Modified`).
    #[serde(skip)]
    pub changed_at: Option<time::OffsetDateTime>,
}

/// Check `?region=` against the election: a known region inside the election's region.
pub async fn region_in(
    ctx: &AppCtx,
    e: &ElectionRow,
    region: Option<&str>,
) -> AppResult<RegionCode> {
    // Absent or empty: the election's region.
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let code = RegionCode::parse(region.unwrap_or(&e.region_code))?;
    let er = RegionCode::parse(&e.region_code)?;
    if !er.contains(code.as_str()) {
        return Err(AppError::unprocessable(
            "region_outside_election",
            format!(
                "Wilayah {code} tidak termasuk wilayah pemilihan ini ({}).",
                e.region_code
            ),
            format!(
                "Region {code} is not inside this election's region ({}).",
                e.region_code
            ),
        ));
    }
    if regions::get(&ctx.db, &code).await?.is_none() {
        return Err(AppError::not_found());
    }
    Ok(code)
}

/// The election's totals in `region` and where they come from: `tps` (entered forms) or
/// `totals` (a past election loaded with totals only).
pub async fn totals_for(
    db: &balai_core::Db,
    e: &ElectionRow,
    region: &str,
) -> Result<(Agg, &'static str), sqlx::Error> {
    let agg = totals::get(db, e.id, region).await?;
    if agg.tps_total > 0 || agg.tps_entered > 0 {
        return Ok((agg, "tps"));
    }
    let rows = store::totals(db, e.id).await?;
    if rows.is_empty() {
        return Ok((agg, "tps"));
    }
    let cover = covering_totals(&rows, region);
    let mut a = Agg::default();
    for r in cover {
        a.dpt = a
            .dpt
            .saturating_add(i64::try_from(r.dpt).unwrap_or(i64::MAX));
        a.pengguna = a
            .pengguna
            .saturating_add(i64::try_from(r.pengguna).unwrap_or(i64::MAX));
    }
    Ok((a, "totals"))
}

fn turnout(a: &Agg) -> Turnout {
    Turnout::new(a.pengguna.max(0) as u64, a.dpt.max(0) as u64)
}

pub async fn results(ctx: &AppCtx, id: i64, region: Option<&str>) -> AppResult<Results> {
    let e = load_election(ctx, id).await?;
    let code = region_in(ctx, &e, region).await?;
    let name = regions::get(&ctx.db, &code)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let (agg, source) = totals_for(&ctx.db, &e, code.as_str()).await?;
    let t = turnout(&agg);
    let recap = recaps::recap(&ctx.db, e.id, code.as_str()).await?;
    let mut past = Vec::new();
    for other in store::elections_in_region(&ctx.db, &e.region_code).await? {
        if other.id == e.id || other.voting_date >= e.voting_date {
            continue;
        }
        let (a, _) = totals_for(&ctx.db, &other, code.as_str()).await?;
        let pt = turnout(&a);
        past.push(PastTurnout {
            election_id: other.id,
            name: other.name,
            voting_date: other.voting_date.to_string(),
            dpt: a.dpt,
            pengguna: a.pengguna,
            turnout_percent: two_decimals(pt),
            change_points: change_points(t, pt),
        });
    }
    Ok(Results {
        election_id: e.id,
        region_code: code.to_string(),
        region_name: name,
        source: source.to_string(),
        status: if recap.is_some() {
            "official"
        } else {
            "provisional"
        }
        .into(),
        recap,
        dpt: agg.dpt,
        pengguna: agg.pengguna,
        turnout_percent: two_decimals(t),
        turnout_exact: (agg.dpt > 0).then(|| format!("{}/{}", agg.pengguna, agg.dpt)),
        votes: agg.votes.iter().map(|(b, v)| (b.to_string(), *v)).collect(),
        suara_sah: agg.suara_sah,
        suara_tidak_sah: agg.suara_tidak_sah,
        tps_total: agg.tps_total,
        tps_entered: agg.tps_entered,
        tps_verified: agg.tps_verified,
        tps_flagged: agg.tps_flagged,
        tps_errors: agg.tps_errors,
        tps_disputed: agg.tps_disputed,
        dpt_master: agg.dpt_master,
        log_seq: e.log_seq,
        log_head: e.log_head,
        past,
        changed_at: e.results_changed_at,
    })
}

/// One child region (or TPS) line of a drill-down table.
#[derive(Clone, Debug, Serialize)]
pub struct ChildLine {
    pub code: String,
    pub name: String,
    pub href: String,
    pub agg: Agg,
    pub turnout: String,
}

/// The children of `region` with their sums; for a village, its TPS.
pub async fn children(
    ctx: &AppCtx,
    e: &ElectionRow,
    region: &RegionCode,
) -> AppResult<Vec<ChildLine>> {
    let lang = balai_core::i18n::Lang::Id;
    let kids = regions::children(&ctx.db, region).await?;
    if !kids.is_empty() {
        let codes: Vec<&str> = kids.iter().map(|k| k.code.as_str()).collect();
        let mut sums = totals::get_many(&ctx.db, e.id, &codes).await?;
        return Ok(kids
            .into_iter()
            .map(|k| {
                let agg = sums.remove(&k.code).unwrap_or_default();
                ChildLine {
                    href: format!("/elections/{}/results?region={}", e.id, k.code),
                    turnout: turnout(&agg).display(lang),
                    code: k.code,
                    name: k.name,
                    agg,
                }
            })
            .filter(|c| c.agg.tps_total > 0 || c.agg.tps_entered > 0)
            .collect());
    }
    let mut out = Vec::new();
    for t in store::tps_in_village(&ctx.db, e.id, region.as_str()).await? {
        let mut agg = Agg::default();
        if let Some(s) = rstore::state(&ctx.db, t.id).await? {
            let history = rstore::entries(&ctx.db, t.id).await?;
            if let Some(cur) = history.iter().find(|x| x.id == s.current_entry_id) {
                // What the totals count: a dispute keeps the last verified version (or none).
                let counted = if s.disputed {
                    last_verified(&history, s.epoch_version)
                } else {
                    Some(cur)
                };
                let flags = Flags {
                    verified: s.verified,
                    disputed: s.disputed,
                    flagged: s.flagged,
                    has_errors: s.has_errors,
                };
                agg = contribution(counted.map(EntryRow::parsed_form).as_ref(), flags);
            }
        }
        agg.tps_total = 1;
        agg.dpt_master = t.dpt_l + t.dpt_p;
        out.push(ChildLine {
            code: t.label(),
            name: t.address.clone(),
            href: format!("/elections/{}/tps/{}", e.id, t.id),
            turnout: turnout(&agg).display(lang),
            agg,
        });
    }
    Ok(out)
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub entry_id: i64,
    pub version: i64,
    pub kind: String,
    pub psu_ref: Option<String>,
    pub reason: Option<String>,
    pub operator: String,
    /// RFC 3339
    pub entered_at: String,
    pub confirmed_paper: bool,
    pub has_errors: bool,
    /// Superseded by a later re-vote (PSU).
    pub superseded: bool,
    pub current: bool,
    pub findings: Vec<Finding>,
    pub form: Form,
}

fn entry_view(e: &EntryRow, state: Option<&StateRow>) -> EntryView {
    EntryView {
        entry_id: e.id,
        version: e.version,
        kind: e.kind.clone(),
        psu_ref: e.psu_ref.clone(),
        reason: e.reason.clone(),
        operator: e.operator_label.clone(),
        entered_at: crate::rfc3339(e.entered_at),
        confirmed_paper: e.confirmed_paper,
        has_errors: e.has_errors,
        superseded: state.is_some_and(|s| e.version < s.epoch_version),
        current: state.is_some_and(|s| s.current_entry_id == e.id),
        findings: e.parsed_findings(),
        form: e.parsed_form(),
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TpsView {
    pub tps: Tps,
    /// `none`, `entered`, `verified` or `disputed`
    pub status: String,
    pub flagged: bool,
    pub current: Option<EntryView>,
    /// The version the totals count: the current one, or while the TPS is disputed its last
    /// verified version of the epoch (none: the TPS counts no numbers until it is resolved).
    pub counted_version: Option<i64>,
    /// Every version, newest first.
    pub history: Vec<EntryView>,
    /// Photos of the paper form; `reused` when the same image was uploaded for another TPS.
    pub photos: Vec<Photo>,
}

pub async fn tps_view(ctx: &AppCtx, election_id: ElectionId, tps_id: TpsId) -> AppResult<TpsView> {
    let tps = store::get_tps(&ctx.db, election_id, tps_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let state = rstore::state(&ctx.db, tps.id).await?;
    let rows = rstore::entries(&ctx.db, tps.id).await?;
    let counted_version = match &state {
        Some(s) if s.disputed => last_verified(&rows, s.epoch_version).map(|e| e.version),
        Some(s) => rows
            .iter()
            .find(|e| e.id == s.current_entry_id)
            .map(|e| e.version),
        None => None,
    };
    let mut history: Vec<EntryView> = rows.iter().map(|e| entry_view(e, state.as_ref())).collect();
    history.reverse();
    let status = match &state {
        None => "none",
        Some(s) if s.verified => "verified",
        Some(s) if s.disputed => "disputed",
        Some(_) => "entered",
    };
    Ok(TpsView {
        status: status.into(),
        flagged: state.as_ref().is_some_and(|s| s.flagged),
        current: history.iter().find(|h| h.current).cloned(),
        counted_version,
        photos: photos::photos(&ctx.db, tps.id).await?,
        tps,
        history,
    })
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Dispute {
    pub tps: Tps,
    /// The latest entry of each operator in the current epoch, newest first.
    pub entries: Vec<EntryView>,
    /// Fields whose values differ between the entries.
    pub differing_fields: Vec<String>,
}

/// TPS where two operators' entries disagree, inside `region`.
pub async fn disputes(ctx: &AppCtx, e: &ElectionRow, region: &str) -> AppResult<Vec<Dispute>> {
    let mut out = Vec::new();
    for s in rstore::states_in(&ctx.db, e.id, region, true).await? {
        let Some(tps) = store::get_tps(&ctx.db, ElectionId(e.id), TpsId(s.tps_id)).await? else {
            continue;
        };
        let all = rstore::entries(&ctx.db, s.tps_id).await?;
        let mut latest: Vec<&EntryRow> = Vec::new();
        for x in all.iter().rev().filter(|x| x.version >= s.epoch_version) {
            if !latest.iter().any(|l| l.operator_label == x.operator_label) {
                latest.push(x);
            }
        }
        let views: Vec<EntryView> = latest.iter().map(|x| entry_view(x, Some(&s))).collect();
        let mut differing = Vec::new();
        if let [a, b, ..] = views.as_slice() {
            for ((k, x), (_, y)) in a.form.flat().into_iter().zip(b.form.flat()) {
                if x != y {
                    differing.push(k);
                }
            }
        }
        out.push(Dispute {
            tps,
            entries: views,
            differing_fields: differing,
        });
    }
    Ok(out)
}

//! Setting an election up from pages, for KPU staff: create an election, then on its
//! management page register candidate pairs and change their status, add TPS from a CSV file
//! (the same per-row report as the API), publish schedule versions with a reason, close or
//! reopen it. Each form posts to the same command as the API (permission, rules, audit in one
//! transaction), then redirects back (POST, redirect, GET); a refused form comes back with
//! the reason and the typed values, nothing changed. Only what the election's state and the
//! user's role allow is offered (`commands::require`, the table of `docs/ROLES.md`).

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::regions::{self, Level, RegionCode, RegionRef};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

use crate::commands::require;
use crate::commands::setup::{self, NewElection};
use crate::domain::election::{candidate_status_label, ElectionStatus, StageKind};
use crate::domain::permissions::Action;
use crate::queries::load_election;
use crate::store::{self, Candidate, ElectionRow};
use crate::web::html::pages::region_name;

/// A refused form's messages, each line in the page's language.
fn messages(err: &AppError, lang: Lang) -> Vec<String> {
    let lines: Vec<String> = err
        .info
        .details
        .as_ref()
        .and_then(|d| d.get("problems"))
        .and_then(|p| p.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let k = if lang == Lang::Id {
                        "message_id"
                    } else {
                        "message_en"
                    };
                    p.get(k).and_then(|m| m.as_str()).map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    if lines.is_empty() {
        vec![err.info.message(lang).to_string()]
    } else {
        lines
    }
}

/// A client error shows on the form; anything else is the error page.
fn refused_on_form(err: AppError) -> Result<AppError, AppError> {
    if err.status().is_client_error() && err.status() != StatusCode::FORBIDDEN {
        Ok(err)
    } else {
        Err(err)
    }
}

// ---------------------------------------------------------------- new election

#[derive(Template)]
#[template(path = "elections_new.html")]
struct NewPage {
    page: Page,
    regions: Vec<RegionRef>,
    problems: Vec<String>,
    kind: String,
    region: String,
    name: String,
    voting_date: String,
}

/// The regions an official may create an election for: their KPU's region and the regencies
/// and cities inside it (a province's KPU runs its governor election, a regency's its own).
async fn creatable_regions(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<RegionRef>> {
    let mut out = Vec::new();
    let roots: Vec<RegionRef> = match actor.scope.region_prefix() {
        Some(p) => {
            let code = RegionCode::parse(p)?;
            regions::get(&ctx.db, &code)
                .await?
                .map(|r| RegionRef {
                    code: r.code,
                    name: r.name,
                })
                .into_iter()
                .collect()
        }
        None => regions::provinces(&ctx.db).await?,
    };
    for r in roots {
        let code = RegionCode::parse(&r.code)?;
        match code.level() {
            Level::Province => {
                let kids = regions::children(&ctx.db, &code).await?;
                out.push(r);
                out.extend(kids);
            }
            Level::Regency => out.push(r),
            _ => {}
        }
    }
    out.retain(|r| require(actor, &r.code, Action::CreateElection).is_ok());
    Ok(out)
}

pub async fn new_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let regions = creatable_regions(&ctx, &actor).await?;
    if regions.is_empty() {
        // Not a KPU supervisor or admin: the same refusal as the API.
        require(
            &actor,
            actor.scope.region_prefix().unwrap_or(""),
            Action::CreateElection,
        )?;
    }
    render(&NewPage {
        page: Page::new(
            lang,
            lang.tr("Pemilihan baru", "New election"),
            Some(&actor),
            &csrf.0,
            uri.path(),
        ),
        region: regions.first().map(|r| r.code.clone()).unwrap_or_default(),
        regions,
        problems: Vec::new(),
        kind: String::new(),
        name: String::new(),
        voting_date: String::new(),
    })
}

#[derive(Deserialize)]
pub struct NewForm {
    kind: String,
    region_code: String,
    name: String,
    voting_date: String,
}

pub async fn create(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<NewForm>,
) -> AppResult<Response> {
    let input = NewElection {
        kind: f.kind.clone(),
        region_code: f.region_code.clone(),
        name: f.name.clone(),
        voting_date: f.voting_date.clone(),
    };
    match setup::create_election(&ctx, &actor, &meta, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/elections/{id}/kelola?ok=dibuat")).into_response()),
        Err(err) => {
            let err = refused_on_form(err)?;
            let mut res = render(&NewPage {
                page: Page::new(
                    lang,
                    lang.tr("Pemilihan baru", "New election"),
                    Some(&actor),
                    &csrf.0,
                    uri.path(),
                ),
                regions: creatable_regions(&ctx, &actor).await?,
                problems: messages(&err, lang),
                kind: f.kind,
                region: f.region_code,
                name: f.name,
                voting_date: f.voting_date,
            })?;
            *res.status_mut() = err.status();
            Ok(res)
        }
    }
}

// ---------------------------------------------------------------- management page

/// One row of the schedule form.
pub struct StageRow {
    pub kind: String,
    pub name: String,
    pub start: String,
    pub end: String,
}

#[derive(Template)]
#[template(path = "elections_manage.html")]
struct ManagePage {
    page: Page,
    e: ElectionRow,
    region_name: String,
    status: &'static str,
    candidates: Vec<Candidate>,
    tps_count: i64,
    schedule_version: Option<i64>,
    stage_rows: Vec<StageRow>,
    stage_kinds: Vec<(&'static str, &'static str)>,
    can_candidates: bool,
    can_candidate_status: bool,
    can_tps: bool,
    can_schedule: bool,
    can_close: bool,
    can_reopen: bool,
    ok: Option<String>,
    /// Which form was refused and why.
    problems: Vec<String>,
    problem_section: &'static str,
}

impl ManagePage {
    fn status_of(&self, c: &Candidate) -> &'static str {
        candidate_status_label(&c.status, self.page.lang)
    }
}

#[derive(Deserialize, Default)]
pub struct ManageQuery {
    ok: Option<String>,
    impor: Option<usize>,
    peringatan: Option<usize>,
}

fn ok_text(q: &ManageQuery, lang: Lang) -> Option<String> {
    let what = q.ok.as_deref()?;
    Some(match what {
        "dibuat" => lang
            .tr(
                "Pemilihan dibuat. Lanjutkan dengan paslon, TPS dan jadwal.",
                "Election created. Continue with the candidate pairs, TPS and schedule.",
            )
            .to_string(),
        "paslon" => lang
            .tr("Paslon terdaftar.", "Candidate pair registered.")
            .to_string(),
        "status_paslon" => lang
            .tr("Status paslon diubah.", "Candidate pair status changed.")
            .to_string(),
        "jadwal" => lang
            .tr(
                "Versi jadwal baru diterbitkan.",
                "New schedule version published.",
            )
            .to_string(),
        "status" => lang
            .tr("Status pemilihan diubah.", "Election status changed.")
            .to_string(),
        "tps" => format!(
            "{} {}{}",
            q.impor.unwrap_or(0),
            lang.tr("TPS ditambahkan.", "TPS added."),
            match q.peringatan {
                Some(n) if n > 0 => format!(
                    " {n} {}",
                    lang.tr(
                        "TPS di atas batas DPT per TPS (peringatan aturan 9).",
                        "TPS above the per-TPS DPT limit (rule 9 warning)."
                    )
                ),
                _ => String::new(),
            }
        ),
        _ => return None,
    })
}

async fn manage_page(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &CsrfToken,
    uri: &OriginalUri,
    id: i64,
) -> AppResult<ManagePage> {
    let e = load_election(ctx, id).await?;
    let can = |a: Action| require(actor, &e.region_code, a).is_ok();
    let open = e.status == ElectionStatus::Open;
    let (can_candidates, can_candidate_status, can_tps, can_schedule) = (
        can(Action::AddCandidate),
        can(Action::SetCandidateStatus),
        can(Action::AddTps),
        can(Action::SetSchedule),
    );
    let can_close = open && can(Action::Close);
    let can_reopen = !open && can(Action::Reopen);
    if !(can_candidates || can_tps || can_schedule || can_close || can_reopen) {
        // Nothing to manage for this official: the same refusal as the API gives.
        require(actor, &e.region_code, Action::SetSchedule)?;
    }
    let versions = store::schedule_history(&ctx.db, id).await?;
    let mut stage_rows: Vec<StageRow> = versions
        .first()
        .map(|v| {
            v.stages
                .iter()
                .map(|s| StageRow {
                    kind: s.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                    name: s.name.clone(),
                    start: s.start.clone(),
                    end: s.end.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    for _ in 0..3 {
        stage_rows.push(StageRow {
            kind: String::new(),
            name: String::new(),
            start: String::new(),
            end: String::new(),
        });
    }
    let tps_count: i64 = crate::store::totals::get(&ctx.db, id, &e.region_code)
        .await?
        .tps_total;
    Ok(ManagePage {
        page: Page::new(
            lang,
            format!("{} · {}", lang.tr("Kelola", "Manage"), e.name),
            Some(actor),
            &csrf.0,
            uri.path(),
        ),
        region_name: region_name(ctx, &e.region_code).await?,
        status: e.status.label(lang),
        candidates: store::candidates(&ctx.db, id).await?,
        tps_count,
        schedule_version: versions.first().map(|v| v.version),
        stage_rows,
        stage_kinds: StageKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(lang)))
            .collect(),
        can_candidates: can_candidates && open,
        can_candidate_status: can_candidate_status && open,
        can_tps: can_tps && open,
        can_schedule,
        can_close,
        can_reopen,
        e,
        ok: None,
        problems: Vec::new(),
        problem_section: "",
    })
}

pub async fn manage(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<ManageQuery>,
) -> AppResult<Response> {
    let mut p = manage_page(&ctx, lang, &actor, &csrf, &uri, id).await?;
    p.ok = ok_text(&q, lang);
    render(&p)
}

/// The outcome of a management form: back to the page, or the page with the refusal.
#[allow(clippy::too_many_arguments)]
pub(super) async fn after(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &CsrfToken,
    uri: &OriginalUri,
    id: i64,
    section: &'static str,
    outcome: AppResult<String>,
) -> AppResult<Response> {
    match outcome {
        Ok(query) => Ok(Redirect::to(&format!("/elections/{id}/kelola?{query}")).into_response()),
        Err(err) => {
            let err = refused_on_form(err)?;
            let mut p = manage_page(ctx, lang, actor, csrf, uri, id).await?;
            p.problems = messages(&err, lang);
            p.problem_section = section;
            let mut res = render(&p)?;
            *res.status_mut() = err.status();
            Ok(res)
        }
    }
}

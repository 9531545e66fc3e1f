//! The pages, without JavaScript and legible at 360 px: the list of SOPs, one SOP (now, at a
//! date or a version), the side-by-side diff of two versions (stacked on a phone) and a
//! province SOP's drift table.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::identity::Actor;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

pub mod common;
pub mod forms;
pub mod readiness;
pub mod roster;
pub mod training;

use super::api::which;
use crate::domain::access::may_act;
use crate::domain::diff::{self as stepdiff, Change, DiffRow};
use crate::domain::permissions::{may, SopAction};
use crate::domain::steps::{EffectiveStep, Source, Step};
use crate::domain::SopId;
use crate::queries::drift::{self as drift_query, Drift, DriftScope};
use crate::queries::history::local_day;
use crate::queries::list::{self as list_query, ListedSop};
use crate::queries::view::{self, SopView, Which};
use crate::store;

/// What the layout needs from a request.
fn page(
    lang: Lang,
    id: &str,
    en: &str,
    actor: &MaybeActor,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, lang.tr(id, en), actor.0.as_ref(), &csrf.0, uri.path())
}

#[derive(Template)]
#[template(path = "sop_list.html")]
struct ListPage {
    page: Page,
    sops: Vec<ListedSop>,
    /// Show the link to the new-SOP form and to readiness.
    may_write: bool,
}

pub async fn list(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let sops = list_query::list(&ctx.db, actor.0.as_ref()).await?;
    let page = page(
        lang,
        "SOP & kesiapan",
        "SOPs & readiness",
        &actor,
        &csrf,
        &uri,
    );
    let may_write = actor.0.as_ref().is_some_and(|a| {
        a.is_superadmin()
            || (a.agency.as_ref().is_some_and(|g| g.kind == "kpu")
                && may(a.role, SopAction::Create))
    });
    render(&ListPage {
        page,
        sops,
        may_write,
    })
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    version: Option<u32>,
}

/// A step's origin, as the page says it.
pub struct StepLine {
    pub step: Step,
    /// `Some((label, reason))` for a step the adoption replaced or added.
    pub changed: Option<(String, String)>,
}

fn lines(steps: &[EffectiveStep], lang: Lang) -> Vec<StepLine> {
    steps
        .iter()
        .map(|s| StepLine {
            step: s.step.clone(),
            changed: match &s.source {
                Source::Replaced { number, reason } => Some((
                    match lang {
                        Lang::Id => format!("Mengganti langkah {number} SOP induk"),
                        Lang::En => format!("Replaces step {number} of the parent SOP"),
                    },
                    reason.clone(),
                )),
                Source::Added { after, reason } => Some((
                    match (lang, after) {
                        (Lang::Id, 0) => "Ditambahkan di awal".to_string(),
                        (Lang::En, 0) => "Added at the start".to_string(),
                        (Lang::Id, n) => format!("Ditambahkan setelah langkah {n} SOP induk"),
                        (Lang::En, n) => format!("Added after step {n} of the parent SOP"),
                    },
                    reason.clone(),
                )),
                Source::Own | Source::Parent { .. } => None,
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sop_show.html")]
struct ShowPage {
    page: Page,
    sop: SopView,
    steps: Vec<StepLine>,
    /// The day asked for (`YYYY-MM-DD`), if any.
    at: String,
    is_province: bool,
    acts: Acts,
}

/// What the signed-in official may do here (the forms the page shows).
#[derive(Default)]
struct Acts {
    /// Add a version (the owner of an SOP that adopts nothing).
    version: bool,
    /// Publish the pending draft.
    publish: bool,
    /// Adopt for this region (a regency's or city's KPU in the province; empty: no form; a
    /// super-admin types the code).
    adopt_region: Option<String>,
    /// Accept the parent's current version (the adopting agency).
    review: bool,
}

async fn acts(
    ctx: &AppCtx,
    actor: Option<&Actor>,
    sop: &SopView,
    is_province: bool,
) -> AppResult<Acts> {
    let Some(actor) = actor else {
        return Ok(Acts::default());
    };
    let Some(row) = store::sop(&ctx.db, sop.id).await? else {
        return Ok(Acts::default());
    };
    let owner = |a: SopAction| may_act(actor, a, row.agency_id);
    let published = sop.versions.iter().any(|v| v.published_on.is_some());
    let draft = sop.versions.iter().any(|v| v.published_on.is_none());
    let adopt_region = match &actor.agency {
        _ if !is_province || !published => None,
        _ if actor.is_superadmin() => Some(String::new()),
        Some(a)
            if a.kind == row.agency_kind
                && a.region_code.len() == 5
                && a.region_code.starts_with(&format!("{}.", row.region_code))
                && may(actor.role, SopAction::Adopt) =>
        {
            Some(a.region_code.clone())
        }
        _ => None,
    };
    Ok(Acts {
        version: sop.parent.is_none() && owner(SopAction::AddVersion),
        publish: draft && owner(SopAction::AddVersion),
        adopt_region,
        review: sop.parent.is_some() && owner(SopAction::AcceptParent),
    })
}

impl ShowPage {
    /// The shown version's publication day, `YYYY-MM-DD` in the SOP's region.
    fn published_on(&self) -> Option<String> {
        self.sop
            .published_at
            .map(|t| local_day(t, &self.sop.region_code).to_string())
    }
}

pub async fn show(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<SopId>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let at = q.at.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let w = which(at, q.version)?;
    let sop = view::view(&ctx.db, id, actor.0.as_ref(), w).await?;
    let mut page = page(lang, "SOP", "SOP", &actor, &csrf, &uri);
    page.title.clone_from(&sop.title);
    let at = match w {
        Which::At(d) => d.to_string(),
        _ => String::new(),
    };
    let is_province = sop.parent.is_none() && !sop.region_code.contains('.');
    render(&ShowPage {
        steps: lines(&sop.steps, lang),
        acts: acts(&ctx, actor.0.as_ref(), &sop, is_province).await?,
        is_province,
        page,
        sop,
        at,
    })
}

#[derive(Deserialize)]
pub struct DiffQuery {
    #[serde(default)]
    from: Option<u32>,
    #[serde(default)]
    to: Option<u32>,
}

#[derive(Template)]
#[template(path = "sop_diff.html")]
struct DiffPage {
    page: Page,
    sop: SopView,
    from: u32,
    to: u32,
    rows: Vec<DiffRow>,
    /// Same, changed, removed, added.
    counts: [usize; 4],
}

impl DiffPage {
    fn class(&self, c: &Change) -> &'static str {
        match c {
            Change::Same => "diff-same",
            Change::Changed => "diff-changed",
            Change::Removed => "diff-removed",
            Change::Added => "diff-added",
        }
    }

    fn label(&self, c: &Change) -> &'static str {
        let (id, en) = match c {
            Change::Same => ("Sama", "Same"),
            Change::Changed => ("Diubah", "Changed"),
            Change::Removed => ("Dihapus", "Removed"),
            Change::Added => ("Ditambahkan", "Added"),
        };
        self.page.tr(id, en)
    }
}

/// The two versions' effective steps side by side (`from` defaults to the version before `to`,
/// `to` to the current one).
pub async fn diff(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<SopId>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    let reader = actor.0.as_ref();
    let right = match q.to {
        Some(v) => view::view(&ctx.db, id, reader, Which::Number(v)).await?,
        None => view::view(&ctx.db, id, reader, Which::Current).await?,
    };
    let from = q.from.unwrap_or(right.version.saturating_sub(1).max(1));
    let left = view::view(&ctx.db, id, reader, Which::Number(from)).await?;
    let plain = |v: &SopView| v.steps.iter().map(|s| s.step.clone()).collect::<Vec<_>>();
    let rows = stepdiff::diff(&plain(&left), &plain(&right));
    let mut page = page(
        lang,
        "Perbandingan versi",
        "Compare versions",
        &actor,
        &csrf,
        &uri,
    );
    page.title = format!("{} · {}", right.title, page.title);
    render(&DiffPage {
        page,
        from: left.version,
        to: right.version,
        counts: stepdiff::counts(&rows),
        rows,
        sop: right,
    })
}

#[derive(Template)]
#[template(path = "sop_drift.html")]
struct DriftPage {
    page: Page,
    drift: Drift,
    adopted: usize,
    review: usize,
}

pub async fn drift(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<SopId>,
) -> AppResult<Response> {
    let drift = drift_query::drift(&ctx.db, id, actor.0.as_ref()).await?;
    let mut page = page(
        lang,
        "Perbedaan antarwilayah",
        "Drift across regions",
        &actor,
        &csrf,
        &uri,
    );
    page.title = format!("{} · {}", drift.title, page.title);
    render(&DriftPage {
        adopted: drift
            .rows
            .iter()
            .filter(|r| r.adoption_id.is_some())
            .count(),
        review: drift.rows.iter().filter(|r| r.review_needed).count(),
        page,
        drift,
    })
}

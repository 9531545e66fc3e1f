//! The officials' pages of the voter list: the elections an official works on, and one
//! election's list — every version (DPS, DPSHP, DPT) with its counts, the newest version's
//! counts per village, and the upload of the next version (in [`super::upload`]).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use balai_core::regions::RegionCode;
use balai_core::web::actor::Actor;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::common::{area, election_for, within, Req};
use crate::commands::authorize::require;
use crate::domain::permissions::Action;
use crate::domain::stage::Stage;
use crate::store::elections::{self, ElectionHead};
use crate::store::lists::{self, Counts, ListRow};

/// A region's name, else its code.
pub async fn region_name(ctx: &AppCtx, code: &str) -> AppResult<String> {
    let Ok(rc) = RegionCode::parse(code) else {
        return Ok(code.to_string());
    };
    Ok(balai_core::regions::get(&ctx.db, &rc)
        .await?
        .map_or_else(|| code.to_string(), |r| r.name))
}

/// One version as a page shows it.
pub struct VersionView {
    pub version: i64,
    pub stage: &'static str,
    pub imported: String,
    pub counts: Counts,
    pub villages: i64,
}

fn version_view(r: &ListRow, region: &str, lang: Lang) -> VersionView {
    VersionView {
        version: r.version,
        stage: Stage::parse(&r.stage).map_or("?", Stage::label),
        imported: format::datetime(r.imported_at, Zone::for_region(region), lang),
        counts: Counts {
            voters: r.voters,
            male: r.male,
            female: r.female,
            tps: r.tps,
        },
        villages: r.villages,
    }
}

/// An election on the officials' list.
pub struct ElectionLine {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub latest: Option<VersionView>,
}

#[derive(Template)]
#[template(path = "pemilih_petugas.html")]
struct HomePage {
    page: Page,
    elections: Vec<ElectionLine>,
}

impl HomePage {
    fn n(&self, v: &i64) -> String {
        self.page.int(*v)
    }
}

/// `/pemilih/petugas`: the elections whose list the official works on.
pub async fn home(req: Req) -> AppResult<Response> {
    let Req {
        ref ctx,
        lang,
        ref actor,
        ..
    } = req;
    let mine: Vec<ElectionHead> = elections::all(&ctx.db)
        .await?
        .into_iter()
        .filter(|e| area(actor, &e.region_code, Action::ReadRecord).is_some())
        .collect();
    if mine.is_empty() && !may_work(actor) {
        return Err(crate::errors::VoterError::Forbidden.into());
    }
    let mut out = Vec::with_capacity(mine.len());
    for e in mine {
        let latest = lists::versions(&ctx.db, e.id).await?;
        out.push(ElectionLine {
            region: region_name(ctx, &e.region_code).await?,
            latest: latest
                .first()
                .map(|r| version_view(r, &e.region_code, lang)),
            id: e.id,
            name: e.name,
        });
    }
    render(&HomePage {
        page: req.page(lang.tr("Daftar pemilih", "Voter lists")),
        elections: out,
    })
}

/// May the official work on some voter list at all (a KPU official whose role the table
/// names), whether or not an election exists yet in their area?
fn may_work(actor: &Actor) -> bool {
    actor.is_superadmin()
        || actor
            .scope
            .region_prefix()
            .is_some_and(|p| require(actor, p, Action::ReadRecord).is_ok())
}

/// A village's counts as the election page shows them.
pub struct VillageLine {
    pub code: String,
    pub name: String,
    pub counts: Counts,
}

/// What the upload form shows again after a refusal.
#[derive(Default)]
pub struct UploadOutcome {
    pub error: String,
    /// Each refused row: its line and reason.
    pub refused: Vec<(usize, String)>,
    pub stage: String,
}

#[derive(Template)]
#[template(path = "pemilih_daftar.html")]
struct ListPage {
    page: Page,
    id: i64,
    name: String,
    area_name: String,
    versions: Vec<VersionView>,
    villages: Vec<VillageLine>,
    may_import: bool,
    /// The stages the next version may have: (value, label).
    next_stages: Vec<(&'static str, &'static str)>,
    imported: Option<i64>,
    upload: UploadOutcome,
}

impl ListPage {
    fn n(&self, v: &i64) -> String {
        self.page.int(*v)
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// Set after an import: the version stored.
    #[serde(default)]
    impor: Option<i64>,
}

/// `/pemilih/petugas/{id}`.
pub async fn election(
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let mut res = list_page(&req, id, q.impor, UploadOutcome::default()).await?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}

/// The election's list page, with the upload's outcome when a refused upload is shown again.
pub async fn list_page(
    req: &Req,
    id: i64,
    imported: Option<i64>,
    upload: UploadOutcome,
) -> AppResult<Response> {
    let (e, area) = election_for(&req.ctx, &req.actor, id, Action::ReadRecord).await?;
    let rows = lists::versions(&req.ctx.db, id).await?;
    let villages = match rows.first() {
        Some(latest) => lists::villages(&req.ctx.db, latest.id)
            .await?
            .into_iter()
            .filter(|(code, _, _)| within(&area, code))
            .map(|(code, name, counts)| VillageLine { code, name, counts })
            .collect(),
        None => Vec::new(),
    };
    let current = rows.first().and_then(|r| Stage::parse(&r.stage));
    let next_stages = Stage::ALL
        .into_iter()
        .filter(|s| current.is_none_or(|c| c.may_follow_with(*s)))
        .map(|s| (s.as_str(), s.label()))
        .collect();
    render(&ListPage {
        page: req.page(e.name.clone()),
        id,
        area_name: region_name(&req.ctx, &area).await?,
        versions: rows
            .iter()
            .map(|r| version_view(r, &e.region_code, req.lang))
            .collect(),
        villages,
        may_import: require(&req.actor, &e.region_code, Action::ImportList).is_ok(),
        next_stages,
        imported,
        upload,
        name: e.name,
    })
}

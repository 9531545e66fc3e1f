//! The public archive and the per-agency statistics: JSON (`/api/v1/information-requests/search`
//! and `/stats`) and pages without JavaScript (`/informasi/arsip`, `/informasi/statistik`).

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use axum::Json;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use utoipa::IntoParams;

use super::html::status_text;
use crate::commands::today_at;
use crate::queries::archive::{self, AgencyStats, SearchPage};

/// Where "today" is counted for the statistics' overdue requests (WIB).
const STATS_REGION: &str = "31";

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words to find in the request or its answer (all must match); empty: the newest.
    #[param(max_length = 200)]
    #[serde(default)]
    q: String,
    /// Only the requests to this PPID.
    agency: Option<i64>,
    /// 1-based page of 20 hits.
    #[param(minimum = 1, maximum = 500)]
    page: Option<i64>,
}

/// Search the public archive of requests and answers (full text). Never the requester's name
/// or contact; never a request the PPID marked private.
#[utoipa::path(get, path = "/api/v1/information-requests/search", tag = "information",
    params(SearchQuery),
    responses((status = 200, body = SearchPage), (status = 422)))]
pub async fn search(
    State(ctx): State<AppCtx>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<SearchPage>> {
    let page = archive::search_archive(&ctx.db, &q.q, q.agency, q.page.unwrap_or(1)).await?;
    Ok(Json(page))
}

/// Per-agency statistics: requests, answered on time and late, overdue, extended, and the
/// refusals by art. 17 ground.
#[utoipa::path(get, path = "/api/v1/information-requests/stats", tag = "information",
    responses((status = 200, body = Vec<AgencyStats>)))]
pub async fn stats(State(ctx): State<AppCtx>) -> AppResult<Json<Vec<AgencyStats>>> {
    Ok(Json(
        archive::agency_stats(&ctx.db, today_at(STATS_REGION)).await?,
    ))
}

#[derive(Template)]
#[template(path = "kip_archive.html")]
struct ArchivePage {
    page: Page,
    q: String,
    result: Option<SearchPage>,
    error: Option<String>,
}

impl ArchivePage {
    fn status_label(&self, code: &str) -> String {
        status_text(self.page.lang, code)
    }

    fn page_link(&self, n: i64) -> String {
        let query = serde_urlencoded::to_string([("q", self.q.as_str()), ("page", &n.to_string())])
            .unwrap_or_default();
        format!("/informasi/arsip?{query}")
    }
}

#[derive(Deserialize)]
pub struct ArchiveParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

/// The archive page: a search form and the hits, twenty a page.
pub async fn archive_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(p): Query<ArchiveParams>,
) -> AppResult<Response> {
    let title = lang.tr(
        "Arsip permohonan informasi",
        "Archive of information requests",
    );
    let n = p
        .page
        .as_deref()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    let (result, error) = match archive::search_archive(&ctx.db, &p.q, None, n).await {
        Ok(r) => (Some(r), None),
        Err(crate::errors::InformationError::Core(e)) => return Err(e),
        Err(e) => (
            None,
            Some(lang.tr(&e.to_string(), &e.message_en()).to_string()),
        ),
    };
    let mut res = render(&ArchivePage {
        page: Page::new(lang, title, actor.as_ref(), &csrf.0, uri.path()),
        q: p.q,
        result,
        error: error.clone(),
    })?;
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "kip_stats.html")]
struct StatsPage {
    page: Page,
    rows: Vec<AgencyStats>,
}

impl StatsPage {
    fn ground(&self, r: &archive::RefusalCount) -> String {
        let label = self.page.tr(&r.label_id, &r.label_en);
        format!("{label}: {}", r.refused)
    }
}

/// The per-agency statistics page.
pub async fn stats_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let title = lang.tr(
        "Statistik layanan informasi",
        "Information service statistics",
    );
    render(&StatsPage {
        page: Page::new(lang, title, actor.as_ref(), &csrf.0, uri.path()),
        rows: archive::agency_stats(&ctx.db, today_at(STATS_REGION)).await?,
    })
}

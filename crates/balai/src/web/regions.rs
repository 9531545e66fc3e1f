//! Public region pages: a name search, the provinces, and one page per region.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::regions::{self, finder, Level, RegionCode, RegionRef, RegionRow};
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "regions.html")]
struct IndexPage {
    page: Page,
    q: String,
    results: Option<Vec<finder::Hit>>,
    provinces: Vec<RegionRef>,
}

impl IndexPage {
    fn level_name(&self, level: &Level) -> &'static str {
        regions::level_name(level.number(), self.page.lang)
    }
}

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
}

pub async fn index(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(p): Query<SearchParams>,
) -> AppResult<Response> {
    let q =
        p.q.unwrap_or_default()
            .trim()
            .chars()
            .take(60)
            .collect::<String>();
    let results = if q.chars().count() >= 2 {
        Some(finder::find(&finder::Query {
            text: &q,
            level: None,
            within: None,
            limit: 50,
        }))
    } else {
        None
    };
    let page = Page::new(
        lang,
        lang.tr("Wilayah", "Regions"),
        actor.as_ref(),
        &csrf.0,
        &here(&uri),
    );
    let mut res = render(&IndexPage {
        page,
        q,
        results,
        provinces: regions::provinces(&ctx.db).await?,
    })?;
    cacheable(&mut res);
    Ok(res)
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    page: Page,
    region: RegionRow,
    level_name: &'static str,
    child_level_name: &'static str,
    ancestry: Vec<RegionRef>,
    children: Vec<RegionRef>,
}

pub async fn show(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let code = RegionCode::parse(&code)?;
    let region = regions::get(&ctx.db, &code)
        .await?
        .ok_or_else(region_not_found)?;
    let ancestry = regions::ancestry(&ctx.db, &code).await?;
    let children = regions::children(&ctx.db, &code).await?;
    let page = Page::new(
        lang,
        region.name.clone(),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let level_name = regions::level_name(region.level, lang);
    let child_level_name = regions::level_name(region.level + 1, lang);
    let mut res = render(&RegionPage {
        page,
        region,
        level_name,
        child_level_name,
        ancestry,
        children,
    })?;
    cacheable(&mut res);
    Ok(res)
}

pub fn region_not_found() -> AppError {
    AppError::new(
        axum::http::StatusCode::NOT_FOUND,
        "region_not_found",
        "Kode wilayah tidak dikenal.",
        "Unknown region code.",
    )
}

/// Region pages change only with a data release, so the browser may keep them briefly; but
/// each carries its reader's CSRF token (and, signed in, their name and sign-out form), so no
/// shared cache may keep one for others.
fn cacheable(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, max-age=300"),
    );
    h.insert(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("Cookie"),
    );
}

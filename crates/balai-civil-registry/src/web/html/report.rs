//! The monthly report: printable page with an SVG chart and a table, and the CSV export.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::i18n::Lang;
use balai_core::regions::RegionCode;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::domain::stats::month_range;
use crate::errors::CivilRegistryError;
use crate::queries::stats::{self, Stats};

#[derive(Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    month: String,
}

#[derive(Template)]
#[template(path = "cr_report.html")]
struct ReportPage {
    page: Page,
    region: String,
    month: String,
    stats: Option<Stats>,
    chart: String,
}

async fn load(ctx: &AppCtx, q: &ReportQuery) -> AppResult<Option<Stats>> {
    if q.region.trim().is_empty() {
        return Ok(None);
    }
    let region = RegionCode::parse(q.region.trim())?;
    let (from, to) = month_range(&q.month)?;
    Ok(Some(stats::compute(&ctx.db, &region, from, to).await?))
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let page = Page::new(lang, "Laporan bulanan", actor.as_ref(), &csrf.0, uri.path());
    let month = if q.month.is_empty() {
        // The current month on western Indonesian time (WIB), the national default.
        let d = crate::domain::service::local_date(balai_core::db::now(), "WIB");
        format!("{}-{:02}", d.year(), u8::from(d.month()))
    } else {
        q.month.clone()
    };
    let q = ReportQuery {
        region: q.region,
        month: month.clone(),
    };
    let stats = load(&ctx, &q).await?;
    let chart = stats
        .as_ref()
        .map(|s| stats::bar_chart_svg(s, page.lang == Lang::En))
        .unwrap_or_default();
    render(&ReportPage {
        page,
        region: q.region,
        month,
        stats,
        chart,
    })
}

pub async fn csv(State(ctx): State<AppCtx>, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let Some(s) = load(&ctx, &q).await? else {
        return Err(CivilRegistryError::RegionRequired.into());
    };
    let body = stats::to_csv(&s)?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"dukcapil-{}-{}.csv\"",
        s.region, q.month
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

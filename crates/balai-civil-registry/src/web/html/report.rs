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

use crate::domain::stats::{format_hundredths, month_range};
use crate::errors::{CivilRegistryError, CrResult};
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
    Ok(Some(stats::cached(ctx, &region, from, to).await?))
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
        .map(|s| bar_chart_svg(s, page.lang == Lang::En))
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
    let body = to_csv(&s)?;
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

/// A horizontal bar chart of received applications per service, as standalone SVG markup
/// (server-rendered, no script; the same numbers are in the table beside it).
pub fn bar_chart_svg(stats: &Stats, english: bool) -> String {
    let row_h = 28;
    let label_w = 340;
    let bar_w = 300;
    let h = row_h * stats.services.len().max(1) + 10;
    let max = stats
        .services
        .iter()
        .map(|s| s.received)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cr-chart\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{title}\">",
        w = label_w + bar_w + 120,
        title = if english { "Applications received per service" } else { "Permohonan diterima per layanan" },
    );
    for (i, s) in stats.services.iter().enumerate() {
        let y = i * row_h + 5;
        let w = (s.received * bar_w as u64 / max) as usize;
        let name = if english { &s.name_en } else { &s.name_id };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" font-size=\"12\">{name}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\" fill=\"#1d4ed8\"></rect><text x=\"{tx}\" y=\"{ty}\" font-size=\"12\">{n} ({p}%)</text>",
            ty = y + 15,
            name = escape(name),
            bh = row_h - 8,
            tx = label_w + w + 6,
            n = s.received,
            p = format_hundredths(s.share_hundredths),
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The same numbers as CSV (one row per service).
pub fn to_csv(stats: &Stats) -> CrResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    w.write_record([
        "region",
        "from",
        "to",
        "service",
        "name",
        "received",
        "share_percent",
        "online",
        "counter",
        "completed",
        "rejected",
        "median_processing_working_days",
        "completed_within_standard_percent",
    ])
    .map_err(anyhow::Error::from)?;
    for s in &stats.services {
        w.write_record([
            stats.region.clone(),
            stats.from.clone(),
            stats.to.clone(),
            s.code.clone(),
            s.name_id.clone(),
            s.received.to_string(),
            format_hundredths(s.share_hundredths),
            s.online.to_string(),
            s.counter.to_string(),
            s.completed.to_string(),
            s.rejected.to_string(),
            opt(s.median_processing_working_days),
            opt(s.completed_within_standard_percent),
        ])
        .map_err(anyhow::Error::from)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!(e.to_string()))?;
    Ok(String::from_utf8(bytes).map_err(anyhow::Error::from)?)
}

//! The agency dashboard: counts by status, category and channel, medians, share within
//! deadline, the monthly trend as SVG with its numbers in a table, and a CSV export.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::Actor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use crate::domain::stats::{self, Summary};
use crate::queries::stats::load;
use crate::web::api::stats::StatsQuery;
use crate::web::page::{clocks, StatusLabel};

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn hours(x: Option<f64>, lang: Lang) -> String {
    x.map(|v| format!("{v:.1} {}", lang.tr("jam", "hours")))
        .unwrap_or_else(|| "-".into())
}

#[derive(Template)]
#[template(path = "aduan_dashboard.html")]
struct DashboardPage {
    page: Page,
    s: Summary,
    svg: String,
    to_dispatch: String,
    to_answer: String,
    dispatch_share: String,
    answer_share: String,
    dispatch_days: u32,
    follow_up_days: u32,
}

pub async fn dashboard(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let (s, _) = load(&ctx.db, &clocks(&ctx), &actor, q.agency_id).await?;
    let clocks = clocks(&ctx);
    render(&DashboardPage {
        page: Page::new(
            lang,
            lang.tr("Dasbor aduan", "Complaints dashboard"),
            Some(&actor),
            &csrf.0,
            uri.path(),
        ),
        svg: stats::monthly_svg(&s.monthly),
        to_dispatch: hours(s.median_hours_to_dispatch, lang),
        to_answer: hours(s.median_hours_to_answer, lang),
        dispatch_days: clocks.dispatch_working_days,
        follow_up_days: clocks.follow_up_working_days,
        dispatch_share: pct(s.dispatched_within_deadline),
        answer_share: pct(s.answered_within_deadline),
        s,
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV of the agency's reports (no personal data, no tracking codes).
pub async fn csv(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let (_, rows) = load(&ctx.db, &clocks(&ctx), &actor, q.agency_id).await?;
    let fmt = |t: Option<time::OffsetDateTime>| {
        t.and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
    };
    let mut out = String::from("id,status,category,channel,village_code,agency_id,submitted_at,dispatched_at,answered_at\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            r.id,
            csv_field(&r.status),
            csv_field(&r.category_code),
            csv_field(&r.channel),
            csv_field(r.village_code.as_deref().unwrap_or("")),
            r.agency_id.map(|a| a.to_string()).unwrap_or_default(),
            fmt(Some(r.submitted_at)),
            fmt(r.dispatched_at),
            fmt(r.answered_at),
        ));
    }
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"aduan.csv\""),
    );
    Ok(res)
}

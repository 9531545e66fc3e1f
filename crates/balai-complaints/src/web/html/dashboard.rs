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

/// A share (0..1) as `78,40%` / `78.40%` (two decimals, the language's separators).
fn pct(x: Option<f64>, lang: Lang) -> String {
    x.map(|v| {
        let h = (v * 10_000.0).round() as i64;
        format!("{}%", balai_core::format::hundredths(h, lang))
    })
    .unwrap_or_else(|| "–".into())
}

/// Hours with one decimal (`0,1 jam` / `0.1 hours`).
fn hours(x: Option<f64>, lang: Lang) -> String {
    x.map(|v| {
        let h = (v * 10.0).round() as i64 * 10;
        let text = balai_core::format::hundredths(h, lang);
        // One decimal is enough for hours: drop the second, always 0.
        format!("{} {}", &text[..text.len() - 1], lang.tr("jam", "hours"))
    })
    .unwrap_or_else(|| "–".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_the_languages_separators() {
        assert_eq!(pct(Some(1.0), Lang::Id), "100,00%");
        assert_eq!(pct(Some(0.784), Lang::Id), "78,40%");
        assert_eq!(pct(Some(0.784), Lang::En), "78.40%");
        assert_eq!(hours(Some(0.1), Lang::Id), "0,1 jam");
        assert_eq!(hours(Some(1234.56), Lang::Id), "1.234,6 jam");
        assert_eq!(hours(Some(2.0), Lang::En), "2.0 hours");
        assert_eq!(pct(None, Lang::Id), "–");
    }
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

impl DashboardPage {
    /// A count with the language's separators (`1.699`).
    fn n(&self, v: impl std::borrow::Borrow<u64>) -> String {
        self.page
            .int(i64::try_from(*v.borrow()).unwrap_or(i64::MAX))
    }
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
        dispatch_share: pct(s.dispatched_within_deadline, lang),
        answer_share: pct(s.answered_within_deadline, lang),
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

//! `/pemilih/statistik`: the check's own daily counts as a page — look-ups, found, not found,
//! refused and throttled, the last 31 days with look-ups, newest first. The same figures as
//! `GET /api/v1/dpt/stats`; never a NIK, a name or an address.

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use balai_core::format;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use crate::queries;

/// One day's counts, formatted for the reader's language.
pub struct DayLine {
    pub day: String,
    pub lookups: String,
    pub found: String,
    pub not_found: String,
    pub refused: String,
    pub throttled: String,
    /// Found among the answered look-ups, as a percentage (empty when none was answered).
    pub found_share: String,
}

#[derive(Template)]
#[template(path = "pemilih_statistik.html")]
struct StatsPage {
    page: Page,
    days: Vec<DayLine>,
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let p = Page::new(
        lang,
        lang.tr("Statistik cek pemilih", "Voter check statistics"),
        actor.as_ref(),
        &csrf.0,
        &here(&uri),
    );
    let days = queries::stats::daily(&ctx)
        .await?
        .into_iter()
        .map(|(day, d)| {
            let answered = u64::try_from(d.found + d.not_found).unwrap_or(0);
            let found = u64::try_from(d.found).unwrap_or(0);
            DayLine {
                day: format::date_with_weekday(day, lang),
                lookups: format::integer(d.lookups, lang),
                found: format::integer(d.found, lang),
                not_found: format::integer(d.not_found, lang),
                refused: format::integer(d.refused, lang),
                throttled: format::integer(d.throttled, lang),
                found_share: if answered == 0 {
                    String::new()
                } else {
                    format::percent(found, answered, lang)
                },
            }
        })
        .collect();
    render(&StatsPage { page: p, days })
}

//! The regional league table: a region's units ranked by improvement on the month before.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::kpi::KpiSources;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::number;
use crate::domain::ikm;
use crate::queries::kpis;

#[derive(Deserialize)]
pub struct LeagueQuery {
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub month: Option<String>,
}

pub struct LeagueView {
    pub rank: String,
    pub id: i64,
    pub name: String,
    pub ikm: String,
    pub ikm_before: String,
    pub improvement: String,
}

#[derive(Template)]
#[template(path = "perf_league.html")]
struct LeaguePage {
    page: Page,
    region_name: String,
    month: String,
    month_label: String,
    months: Vec<(String, String, bool)>,
    /// The regions to choose from: (code, name as shown, chosen).
    regions: Vec<(String, String, bool)>,
    rows: Vec<LeagueView>,
}

/// The league's region choices by name: a province as `Jawa Barat (seluruh provinsi)`, a
/// regency or city with its province, `Kota Banjar, Jawa Barat`; the asked one always there.
fn region_choices(
    rows: Vec<(String, String, i64)>,
    chosen: &str,
    chosen_name: &str,
    lang: Lang,
) -> Vec<(String, String, bool)> {
    let province = |code: &str| {
        rows.iter()
            .find(|r| r.2 == 1 && code.starts_with(&format!("{}.", r.0)))
            .map(|r| r.1.clone())
    };
    let mut out: Vec<(String, String, bool)> = rows
        .iter()
        .map(|(code, name, level)| {
            let shown = match (level, province(code)) {
                (1, _) => format!("{name} ({})", lang.tr("seluruh provinsi", "whole province")),
                (_, Some(p)) => format!("{name}, {p}"),
                (_, None) => name.clone(),
            };
            (code.clone(), shown, code == chosen)
        })
        .collect();
    if !out.iter().any(|r| r.2) {
        out.push((chosen.to_string(), chosen_name.to_string(), true));
    }
    out
}

/// The units of a region ranked by improvement over the month before.
pub async fn league(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<LeagueQuery>,
) -> AppResult<Response> {
    let region = q
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("32.79");
    let code = balai_core::regions::RegionCode::parse(region)
        .map_err(|_| crate::errors::PerformanceError::BadRegion)?;
    let wit = time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let this_month = crate::domain::period::month_key(balai_core::db::now().to_offset(wit).date());
    let month = q
        .month
        .as_deref()
        .map(str::trim)
        .filter(|m| crate::domain::period::parse_month(m).is_some())
        .map_or(this_month, str::to_string);
    let rows = kpis::league(&ctx.db, ctx.ext.get::<KpiSources>(), code.as_str(), &month)
        .await?
        .unwrap_or_default();
    let region_name = balai_core::regions::get(&ctx.db, &code)
        .await?
        .map_or_else(|| region.to_string(), |r| r.name);
    let mut rank = 0;
    let rows = rows
        .into_iter()
        .map(|r| {
            let shown = match r.improvement {
                Some(_) => {
                    rank += 1;
                    rank.to_string()
                }
                None => "–".into(),
            };
            let pts = |h: Option<ikm::Hundredths>| h.map_or("–".into(), |v| number(v, lang));
            LeagueView {
                rank: shown,
                id: r.unit.id,
                name: r.unit.name,
                ikm: pts(r.ikm),
                ikm_before: pts(r.ikm_before),
                improvement: r.improvement.map_or("–".into(), |v| {
                    let sign = if v.0 > 0 { "+" } else { "" };
                    format!("{sign}{}", number(v, lang))
                }),
            }
        })
        .collect();
    let month_label = crate::web::html::month_label(&month, lang);
    let wit_today = balai_core::db::now().to_offset(wit).date();
    let months = crate::web::html::month_choices(&month, wit_today, lang);
    let regions = region_choices(
        crate::store::targets::unit_regions(&ctx.db).await?,
        code.as_str(),
        &region_name,
        lang,
    );
    let page = Page::new(
        lang,
        lang.tr("Peringkat perbaikan", "Improvement league"),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    render(&LeaguePage {
        page,
        region_name,
        month,
        month_label,
        months,
        regions,
        rows,
    })
}

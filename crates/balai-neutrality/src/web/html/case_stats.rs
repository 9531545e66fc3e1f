//! The public statistics page of neutrality cases: anonymised counts by region, by the agency
//! holding the case, by forbidden act, by stage and by outcome, and the working days each step
//! took. No name, NIP, position or text: the query behind it reads none.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::label;
use crate::domain::case::{Outcome, Stage};
use crate::domain::vocabulary::ForbiddenAct;
use crate::queries::case_stats;

#[derive(Template)]
#[template(path = "netralitas_stats.html")]
struct StatsPage {
    page: Page,
    region: String,
    region_name: String,
    total: u32,
    by_region: Vec<(String, String, u32)>,
    by_agency: Vec<(String, u32)>,
    by_act: Vec<(String, u32)>,
    by_stage: Vec<(String, u32)>,
    by_outcome: Vec<(String, u32)>,
    /// (step, decided, median, max, late)
    step_days: Vec<(String, u32, i64, i64, u32)>,
}

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    #[serde(default)]
    region: String,
}

fn agency_label(lang: Lang, key: &str) -> String {
    match key {
        "bawaslu" => "Bawaslu".into(),
        "bkn" => "BKN".into(),
        "pemda" => lang
            .tr("Pemerintah daerah (PPK)", "Regional government (PPK)")
            .into(),
        _ => lang.tr("Selesai", "Closed").into(),
    }
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<StatsQuery>,
) -> AppResult<Response> {
    let s = case_stats::load(&ctx.db, Some(q.region.as_str())).await?;
    let t = &s.tally;
    let page = Page::new(
        lang,
        lang.tr(
            "Statistik kasus netralitas ASN",
            "ASN neutrality case statistics",
        ),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let (region, region_name) = s.region.clone().unwrap_or_default();
    render(&StatsPage {
        page,
        region,
        region_name,
        total: t.total,
        by_region: t
            .by_region
            .iter()
            .map(|(code, n)| {
                let name = s
                    .region_names
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| code.clone());
                (code.clone(), name, *n)
            })
            .collect(),
        by_agency: t
            .by_agency
            .iter()
            .map(|(k, n)| (agency_label(lang, k), *n))
            .collect(),
        by_act: t
            .by_act
            .iter()
            .map(|(k, n)| {
                let text = ForbiddenAct::parse(k).map_or_else(
                    || lang.tr("Belum ditetapkan", "Not named yet").to_string(),
                    |a| label(lang, a.label()).to_string(),
                );
                (text, *n)
            })
            .collect(),
        by_stage: t
            .by_stage
            .iter()
            .map(|(k, n)| {
                let text = Stage::parse(k).map_or("", |st| label(lang, st.label()));
                (text.to_string(), *n)
            })
            .collect(),
        by_outcome: t
            .by_outcome
            .iter()
            .map(|(k, n)| {
                let text = Outcome::parse(k).map_or_else(
                    || lang.tr("Masih berjalan", "Still open").to_string(),
                    |o| label(lang, o.label()).to_string(),
                );
                (text, *n)
            })
            .collect(),
        step_days: t
            .step_days
            .iter()
            .map(|d| {
                let text = label(lang, d.step.label()).to_string();
                (text, d.count, d.median, d.max, d.late)
            })
            .collect(),
    })
}

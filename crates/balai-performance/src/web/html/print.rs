//! The printable survey report of one unit and period, laid out for paper as PermenPANRB
//! 14/2017 asks a unit to report its SKM: the index with its sample, the table of each
//! element's total score, NRR, weight and weighted NRR, the chart with the same numbers, the
//! index per service, the respondents' profile, the unit's extra questions apart, the lowest
//! elements and the follow-up plan, and a signature block. Public, like the report itself.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::regions::RegionCode;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::follow_ups::{self, FollowUpView};
use super::public::PeriodQuery;
use super::report::{element_rows, extra_views, load, ElementRow, ExtraView};
use super::{count, day, number};
use crate::domain::elements::ELEMENTS;
use crate::domain::ikm::{Hundredths, Index};
use crate::domain::ratio::Ratio;
use crate::domain::respondent;
use crate::queries::ikm::{self as ikm_query, IkmReport};
use crate::store::responses::GroupBy;

/// One element's line of the regulation's table.
pub struct ElementLine {
    pub code: &'static str,
    pub name: &'static str,
    /// Σ of the element's scores.
    pub total: String,
    pub nrr: String,
    pub weight: String,
    /// NRR × weight, three decimals (the table's usual precision; the index used the exact).
    pub weighted: String,
    pub lowest: bool,
}

/// One line of a grouped table: the group, its respondents and share, its index and grade.
pub struct GroupLine {
    pub name: String,
    pub responses: String,
    pub share: String,
    pub ikm: String,
    pub grade: String,
}

pub struct GroupTable {
    pub id: &'static str,
    pub title: &'static str,
    pub lines: Vec<GroupLine>,
}

#[derive(Template)]
#[template(path = "perf_print.html")]
struct PrintPage {
    page: Page,
    id: i64,
    unit: String,
    region: String,
    period: String,
    service: String,
    printed: String,
    responses: String,
    users: String,
    users_from: &'static str,
    sample_needed: String,
    sample_enough: bool,
    ikm: Option<String>,
    grade: String,
    grade_label: String,
    weighted_sum: String,
    lines: Vec<ElementLine>,
    elements: Vec<ElementRow>,
    chart_height: usize,
    lowest: Vec<String>,
    by_service: Option<GroupTable>,
    profile: Vec<GroupTable>,
    extra: Vec<ExtraView>,
    follow_ups: Vec<FollowUpView>,
    from: String,
    to: String,
}

/// A ratio rounded half up to three decimals, with the language's decimal mark: `0,389`.
fn thousandths(r: Ratio, lang: Lang) -> String {
    let v = r.round_half_up(3).unwrap_or(0);
    let mark = if lang == Lang::En { '.' } else { ',' };
    format!("{}{mark}{:03}", v / 1000, v % 1000)
}

fn element_lines(r: &IkmReport, i: &Index, lang: Lang) -> Vec<ElementLine> {
    let en = lang == Lang::En;
    let rounded = i.nrr_rounded();
    let lowest = i.lowest();
    ELEMENTS
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let nrr = i.nrr.get(k).copied().unwrap_or(Ratio::ZERO);
            let w = r.weights.get().get(k).copied().unwrap_or(Ratio::ZERO);
            ElementLine {
                code: e.code,
                name: e.name(en),
                total: count(r.tally.sums.get(k).copied().unwrap_or(0), lang),
                nrr: number(rounded.get(k).copied().unwrap_or(Hundredths(0)), lang),
                weight: w.to_string(),
                weighted: thousandths(nrr.checked_mul(w).unwrap_or(Ratio::ZERO), lang),
                lowest: lowest.contains(&k),
            }
        })
        .collect()
}

fn grade_text(i: Option<&Index>, en: bool) -> String {
    i.map(|i| format!("{} ({})", i.grade.as_str(), i.grade.label(en)))
        .unwrap_or_else(|| "–".into())
}

/// A grouped table: each group's respondents, share of all respondents, index and grade.
async fn table(
    ctx: &AppCtx,
    r: &IkmReport,
    by: GroupBy,
    (id, title): (&'static str, &'static str),
    fact: Option<&respondent::Fact>,
    lang: Lang,
) -> AppResult<GroupTable> {
    let en = lang == Lang::En;
    let total = u64::try_from(r.tally.responses).unwrap_or(0);
    let mut rows = ikm_query::grouped(&ctx.db, r, by).await?;
    if let Some(f) = fact {
        rows.sort_by_key(|g| f.position(&g.key));
    }
    let lines = rows
        .into_iter()
        .map(|g| GroupLine {
            name: match fact {
                Some(f) => f.label(&g.key, en),
                None if g.key.is_empty() => {
                    lang.tr("(tanpa nama layanan)", "(no service named)").into()
                }
                None => g.key.clone(),
            },
            responses: count(g.responses, lang),
            share: balai_core::format::percent(
                u64::try_from(g.responses).unwrap_or(0),
                total,
                lang,
            ),
            ikm: g
                .index
                .as_ref()
                .map_or_else(|| "–".into(), |i| number(i.ikm, lang)),
            grade: grade_text(g.index.as_ref(), en),
        })
        .collect();
    Ok(GroupTable { id, title, lines })
}

/// `/kinerja/unit/{id}/cetak?from=&to=[&service=]`: the report for paper.
pub async fn print(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<AgencyId>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let r = load(&ctx, id, &q).await?;
    let (from, to) = (r.from, r.to);
    let en = lang == Lang::En;
    let region = match RegionCode::parse(&r.unit.region_code) {
        Ok(code) => balai_core::regions::get(&ctx.db, &code)
            .await?
            .map(|row| row.name)
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let index = r.index.as_ref();
    let lines = index.map_or_else(Vec::new, |i| element_lines(&r, i, lang));
    let weighted_sum = index.map_or_else(String::new, |i| {
        thousandths(
            i.ikm_exact
                .checked_div(Ratio::int(25))
                .unwrap_or(Ratio::ZERO),
            lang,
        )
    });
    let by_service = match (r.service.is_none(), index.is_some()) {
        (true, true) => Some(
            table(
                &ctx,
                &r,
                GroupBy::Service,
                ("per-layanan", lang.tr("Layanan", "Service")),
                None,
                lang,
            )
            .await?,
        ),
        _ => None,
    };
    let mut profile = Vec::new();
    if index.is_some() {
        for (by, id, fact) in [
            (GroupBy::AgeBand, "umur", &respondent::AGE),
            (GroupBy::Sex, "jenis-kelamin", &respondent::SEX),
            (GroupBy::Education, "pendidikan", &respondent::EDUCATION),
            (GroupBy::Occupation, "pekerjaan", &respondent::OCCUPATION),
        ] {
            profile.push(table(&ctx, &r, by, (id, fact.name(en)), Some(fact), lang).await?);
        }
    }
    let elements = element_rows(&r, lang);
    let lowest = lines
        .iter()
        .filter(|l| l.lowest)
        .map(|l| format!("{} {} ({})", l.code, l.name, l.nrr))
        .collect();
    let today = crate::commands::issue_codes::unit_today(&r.unit.region_code).0;
    let title = format!(
        "{} · {}",
        lang.tr(
            "Laporan survei kepuasan masyarakat",
            "Community satisfaction survey report"
        ),
        r.unit.name
    );
    render(&PrintPage {
        page: Page::new(lang, title, actor.as_ref(), &csrf.0, uri.path()),
        id: r.unit.id,
        unit: r.unit.name.clone(),
        region,
        period: balai_core::format::date_range(from, to, lang),
        service: r.service.clone().unwrap_or_default(),
        printed: day(today, lang),
        responses: count(r.tally.responses, lang),
        users: count(r.service_users, lang),
        users_from: r.users_source.label(lang),
        sample_needed: count(r.sample_needed, lang),
        sample_enough: r.sample_enough(),
        ikm: index.map(|i| number(i.ikm, lang)),
        grade: index.map_or_else(|| "–".into(), |i| i.grade.as_str().to_string()),
        grade_label: index.map_or_else(String::new, |i| i.grade.label(en).to_string()),
        weighted_sum,
        lines,
        chart_height: elements.len() * 28,
        elements,
        lowest,
        by_service,
        profile,
        extra: extra_views(&ctx, &r, lang).await?,
        follow_ups: follow_ups::views(&ctx, id, (from, to), lang).await?,
        from: from.to_string(),
        to: to.to_string(),
    })
}

//! Public pages: every unit's satisfaction index, and one unit's report (the regulation's
//! tables, an SVG chart with the same numbers in a table, CSV).

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use time::Date;

use super::{count, number};
use crate::commands::unit as find_unit;
use crate::domain::elements::ELEMENTS;
use crate::domain::ikm::{self, GradeBounds, Index};
use crate::domain::respondent;
use crate::queries::ikm::{self as ikm_query, IkmReport, UsersSource};
use crate::queries::kpis::{self, KpiRow, MonthKpis};
use crate::store::responses::{self, GroupBy};
use crate::web::api::surveys::parse_period;
use balai_core::kpi::{KpiSources, KpiValue};

/// A QR code as inline SVG (no script, no image request).
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .build();
            match svg.find("<svg") {
                Some(i) => svg[i..].to_string(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

/// The default period: this year so far, to today in the easternmost time zone (WIT), so
/// that today's answers of every unit are in it.
fn this_year() -> (Date, Date) {
    let wit = time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let today = balai_core::db::now().to_offset(wit).date();
    let first = Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    (first, today)
}

pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub responses: String,
    pub ikm: String,
    pub grade: String,
}

#[derive(Template)]
#[template(path = "perf_home.html")]
struct HomePage {
    page: Page,
    period: String,
    units: Vec<UnitRow>,
}

pub async fn home(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let (from, to) = this_year();
    let mut rows: Vec<(Index, UnitRow)> = Vec::new();
    for (id, t) in responses::tallies_by_unit(&ctx.db, from, to).await? {
        let Some(a) = balai_core::accounts::get_agency(&ctx.db, id.get()).await? else {
            continue;
        };
        let w = crate::store::settings::weights(&ctx.db, id).await?;
        if let Some(i) = ikm::index(&t, &w, &GradeBounds::default()) {
            rows.push((
                i.clone(),
                UnitRow {
                    id: a.id,
                    name: a.name,
                    responses: count(t.responses, lang),
                    ikm: number(i.ikm, lang),
                    grade: format!("{} ({})", i.grade.as_str(), i.grade.label(lang == Lang::En)),
                },
            ));
        }
    }
    rows.sort_by(|a, b| b.0.ikm.cmp(&a.0.ikm).then_with(|| a.1.name.cmp(&b.1.name)));
    let page = Page::new(
        lang,
        lang.tr("Kinerja unit layanan", "Service units' performance"),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    render(&HomePage {
        page,
        period: balai_core::format::date_range(from, to, lang),
        units: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
    /// The KPIs' month, YYYY-MM.
    #[serde(default)]
    pub month: Option<String>,
}

impl PeriodQuery {
    fn period(&self) -> Result<(Date, Date), crate::errors::PerformanceError> {
        match (&self.from, &self.to) {
            (Some(f), Some(t)) if !f.is_empty() || !t.is_empty() => parse_period(f, t),
            _ => Ok(this_year()),
        }
    }

    fn service(&self) -> Option<&str> {
        self.service
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

pub struct ElementRow {
    pub code: &'static str,
    pub name: &'static str,
    pub nrr: String,
    pub lowest: bool,
    /// Bar width in the chart (0–300 for NRR 0–4).
    pub bar: i64,
    pub y: usize,
}

pub struct GroupView {
    pub title: &'static str,
    pub rows: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "perf_unit.html")]
struct UnitPage {
    page: Page,
    id: i64,
    unit: String,
    from: String,
    to: String,
    period: String,
    service: String,
    services: Vec<String>,
    responses: String,
    ikm: Option<String>,
    grade: Option<String>,
    weights_default: bool,
    weights: String,
    users: String,
    users_entered: bool,
    sample_needed: String,
    sample_enough: bool,
    elements: Vec<ElementRow>,
    chart_height: usize,
    groups: Vec<GroupView>,
    kpi_month: String,
    kpi_month_label: String,
    kpis: Vec<KpiView>,
    breakdown: Vec<KpiView>,
    trend_months: Vec<String>,
    trend: Vec<(String, Vec<String>)>,
    trend_bars: Vec<TrendBar>,
}

/// One KPI as shown: its name, value, target and whether the target is met.
pub struct KpiView {
    pub key: String,
    pub label: String,
    pub value: String,
    pub target: String,
    pub met: Option<bool>,
}

/// One month's bar of the IKM trend chart.
pub struct TrendBar {
    pub x: usize,
    pub height: i64,
    pub y: i64,
    pub label: String,
    pub value: String,
}

/// A figure's value as people read it: `78,40% (49 dari 62)`, `3`, `2,50 hari kerja`, `–`.
pub fn value_text(r: &KpiRow, lang: Lang) -> String {
    let Some(level) = r.level else {
        return "–".into();
    };
    match r.figure.value {
        KpiValue::Share { part, whole } => format!(
            "{}% ({} {} {})",
            number(ikm::Hundredths(level), lang),
            count(part, lang),
            lang.tr("dari", "of"),
            count(whole, lang)
        ),
        KpiValue::Count(n) => count(n, lang),
        KpiValue::WorkingDays(_) => format!(
            "{} {}",
            number(ikm::Hundredths(level), lang),
            lang.tr("hari kerja", "working days")
        ),
    }
}

fn target_text(r: &KpiRow, lang: Lang) -> String {
    match (r.target, &r.figure.value) {
        (None, _) => String::new(),
        (Some(t), KpiValue::Share { .. }) => format!("{}%", number(ikm::Hundredths(t), lang)),
        (Some(t), _) => number(ikm::Hundredths(t), lang),
    }
}

fn kpi_view(r: &KpiRow, lang: Lang) -> KpiView {
    KpiView {
        key: r.figure.key.clone(),
        label: if lang == Lang::En {
            r.figure.label_en.clone()
        } else {
            r.figure.label_id.clone()
        },
        value: value_text(r, lang),
        target: target_text(r, lang),
        met: r.met,
    }
}

/// The trend: month labels, one row per figure (its name and a value per month), IKM bars.
type TrendViews = (Vec<String>, Vec<(String, Vec<String>)>, Vec<TrendBar>);

/// The trend table (one row per KPI, one column per month) and the IKM bars.
fn trend_views(months: &[MonthKpis], lang: Lang) -> TrendViews {
    let labels: Vec<String> = months
        .iter()
        .map(|m| {
            crate::domain::period::parse_month(&m.month)
                .map(|(d, _)| {
                    format!(
                        "{} {}",
                        balai_core::format::month_name(d.month(), lang)
                            .chars()
                            .take(3)
                            .collect::<String>(),
                        d.year() % 100
                    )
                })
                .unwrap_or_else(|| m.month.clone())
        })
        .collect();
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "IKM".into(),
        months
            .iter()
            .map(|m| m.ikm.as_ref().map_or("–".into(), |i| number(i.ikm, lang)))
            .collect(),
    )];
    if let Some(last) = months.last() {
        for k in last.kpis() {
            rows.push((
                kpi_view(k, lang).label,
                months
                    .iter()
                    .map(|m| {
                        m.rows
                            .iter()
                            .find(|r| r.figure.key == k.figure.key)
                            .and_then(|r| {
                                r.level.map(|l| match r.figure.value {
                                    KpiValue::Share { .. } => {
                                        format!("{}%", number(ikm::Hundredths(l), lang))
                                    }
                                    KpiValue::Count(n) => count(n, lang),
                                    KpiValue::WorkingDays(_) => number(ikm::Hundredths(l), lang),
                                })
                            })
                            .unwrap_or_else(|| "–".into())
                    })
                    .collect(),
            ));
        }
    }
    let bars = months
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (m, label))| {
            let v = m.ikm.as_ref().map_or(0, |x| x.ikm.0);
            let height = v * 120 / 10000;
            TrendBar {
                x: i * 56 + 8,
                height,
                y: 130 - height,
                label: label.clone(),
                value: m.ikm.as_ref().map_or("–".into(), |x| number(x.ikm, lang)),
            }
        })
        .collect();
    (labels, rows, bars)
}

fn element_rows(r: &IkmReport, lang: Lang) -> Vec<ElementRow> {
    let Some(i) = &r.index else {
        return Vec::new();
    };
    let lowest = i.lowest();
    let rounded = i.nrr_rounded();
    ELEMENTS
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let h = rounded.get(k).copied().unwrap_or(ikm::Hundredths(0));
            ElementRow {
                code: e.code,
                name: e.name(lang == Lang::En),
                nrr: number(h, lang),
                lowest: lowest.contains(&k),
                bar: h.0 * 300 / 400,
                y: k * 28,
            }
        })
        .collect()
}

async fn group_views(ctx: &AppCtx, r: &IkmReport, lang: Lang) -> AppResult<Vec<GroupView>> {
    let en = lang == Lang::En;
    let mut out = Vec::new();
    let mut groups: Vec<(GroupBy, &'static str, Option<&respondent::Fact>)> = vec![
        (
            GroupBy::AgeBand,
            respondent::AGE.name(en),
            Some(&respondent::AGE),
        ),
        (
            GroupBy::Sex,
            respondent::SEX.name(en),
            Some(&respondent::SEX),
        ),
        (
            GroupBy::Education,
            respondent::EDUCATION.name(en),
            Some(&respondent::EDUCATION),
        ),
        (
            GroupBy::Occupation,
            respondent::OCCUPATION.name(en),
            Some(&respondent::OCCUPATION),
        ),
    ];
    if r.service.is_none() {
        groups.insert(0, (GroupBy::Service, lang.tr("Layanan", "Service"), None));
    }
    for (by, title, fact) in groups {
        let rows = ikm_query::grouped(&ctx.db, r, by).await?;
        out.push(GroupView {
            title,
            rows: rows
                .into_iter()
                .map(|g| {
                    let name = match fact {
                        Some(f) => f.label(&g.key, en),
                        None if g.key.is_empty() => {
                            lang.tr("(tanpa nama layanan)", "(no service named)").into()
                        }
                        None => g.key.clone(),
                    };
                    let (ikm, grade) = g
                        .index
                        .map(|i| (number(i.ikm, lang), i.grade.as_str().to_string()))
                        .unwrap_or_default();
                    (name, count(g.responses, lang), ikm, grade)
                })
                .collect(),
        });
    }
    Ok(out)
}

pub async fn unit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<AgencyId>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = q.period()?;
    let u = find_unit(&ctx.db, id).await?;
    let r = ikm_query::report(&ctx.db, u, from, to, q.service()).await?;
    let en = lang == Lang::En;
    let elements = element_rows(&r, lang);
    let today = crate::commands::issue_codes::unit_today(&r.unit.region_code).0;
    let (kpi_from, _) = match q
        .month
        .as_deref()
        .and_then(crate::domain::period::parse_month)
    {
        Some(m) => m,
        None => crate::domain::period::parse_month(&crate::domain::period::month_key(today))
            .unwrap_or((today, today)),
    };
    let sources = ctx.ext.get::<KpiSources>();
    let months = kpis::trend(&ctx.db, sources, &r.unit, kpi_from, 6).await?;
    let (trend_months, trend, trend_bars) = trend_views(&months, lang);
    let current = months.last();
    let page = Page::new(
        lang,
        r.unit.name.clone(),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    render(&UnitPage {
        id: r.unit.id,
        unit: r.unit.name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        period: balai_core::format::date_range(from, to, lang),
        service: r.service.clone().unwrap_or_default(),
        services: responses::services(&ctx.db, id).await?,
        responses: count(r.tally.responses, lang),
        ikm: r.index.as_ref().map(|i| number(i.ikm, lang)),
        grade: r
            .index
            .as_ref()
            .map(|i| format!("{} — {}", i.grade.as_str(), i.grade.label(en))),
        weights_default: r.weights.is_default(),
        weights: r.weights.to_text().replace(',', " · "),
        users: count(r.service_users, lang),
        users_entered: r.users_source == UsersSource::Entered,
        sample_needed: count(r.sample_needed, lang),
        sample_enough: r.sample_enough(),
        chart_height: elements.len() * 28,
        elements,
        groups: group_views(&ctx, &r, lang).await?,
        kpi_month: crate::domain::period::month_key(kpi_from),
        kpi_month_label: format!(
            "{} {}",
            balai_core::format::month_name(kpi_from.month(), lang),
            kpi_from.year()
        ),
        kpis: current
            .map(|m| m.kpis().map(|k| kpi_view(k, lang)).collect())
            .unwrap_or_default(),
        breakdown: current
            .map(|m| m.breakdown().map(|k| kpi_view(k, lang)).collect())
            .unwrap_or_default(),
        trend_months,
        trend,
        trend_bars,
        page,
    })
}

/// The report's numbers as CSV: one line per element, then the index.
pub async fn csv(
    State(ctx): State<AppCtx>,
    Path(id): Path<AgencyId>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = q.period()?;
    let u = find_unit(&ctx.db, id).await?;
    let r = ikm_query::report(&ctx.db, u, from, to, q.service()).await?;
    let mut out = String::from("unsur,nama,nrr,bobot\n");
    let rounded = r.index.as_ref().map(Index::nrr_rounded);
    for (k, e) in ELEMENTS.iter().enumerate() {
        let nrr = rounded
            .and_then(|n| n.get(k).copied())
            .map(|h| h.text('.'))
            .unwrap_or_default();
        let w = r
            .weights
            .get()
            .get(k)
            .map(ToString::to_string)
            .unwrap_or_default();
        out.push_str(&format!("{},{},{nrr},{w}\n", e.code, e.name_id));
    }
    let (ikm_text, grade) = r
        .index
        .as_ref()
        .map(|i| (i.ikm.text('.'), i.grade.as_str()))
        .unwrap_or_default();
    out.push_str(&format!(
        "IKM,{},{ikm_text},{grade}\nresponden,,{},\nsampel_minimal,,{},\n",
        r.unit.name.replace(',', " "),
        r.tally.responses,
        r.sample_needed
    ));
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"ikm-{}-{from}-{to}.csv\"",
        r.unit.id
    )) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

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
    region: String,
    region_name: String,
    month: String,
    month_label: String,
    rows: Vec<LeagueView>,
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
    let page = Page::new(
        lang,
        lang.tr("Peringkat perbaikan", "Improvement league"),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    render(&LeaguePage {
        page,
        region: code.as_str().to_string(),
        region_name,
        month,
        month_label,
        rows,
    })
}

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

use super::{count, day, number};
use crate::commands::unit as find_unit;
use crate::domain::elements::ELEMENTS;
use crate::domain::ikm::{self, GradeBounds, Index};
use crate::domain::respondent;
use crate::queries::ikm::{self as ikm_query, IkmReport, UsersSource};
use crate::store::responses::{self, GroupBy};
use crate::web::api::surveys::parse_period;

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
        period: format!("{} – {}", day(from, lang), day(to, lang)),
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
        period: format!("{} – {}", day(from, lang), day(to, lang)),
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

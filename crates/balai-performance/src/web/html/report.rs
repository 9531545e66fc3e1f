//! One unit's public report: the index and grade with the regulation's tables (per element,
//! per service, per respondent fact), an SVG chart with the same numbers in a table, CSV, and
//! the unit's KPIs of a month with their trend.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::kpi::KpiSources;
use balai_core::web::actor::{Actor, MaybeActor};
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::follow_ups::{self, FollowUpView};
use super::kpi_views::{ikm_view, kpi_view, trend_views, KpiView, TrendBar};
use super::public::PeriodQuery;
use super::targets::{fields as target_fields, TargetField};
use super::unit_forms::SettingsForms;
use super::{count, number};
use crate::commands::unit as find_unit;
use crate::domain::elements::ELEMENTS;
use crate::domain::ikm::{self, Index};
use crate::domain::permissions::{acts_for, PerfAction};
use crate::domain::respondent;
use crate::queries::extra;
use crate::queries::ikm::{self as ikm_query, IkmReport};
use crate::queries::kpis;
use crate::store::responses::{self, GroupBy};

pub struct ElementRow {
    /// 1–9.
    pub number: usize,
    pub code: &'static str,
    pub name: &'static str,
    pub nrr: String,
    pub lowest: bool,
    /// Bar width in the chart (0–300 for NRR 0–4).
    pub bar: i64,
    pub y: usize,
}

/// An extra question's result: its text, answers, mean score, and whether it is still asked.
pub struct ExtraView {
    pub text: String,
    pub answers: String,
    pub mean: String,
    pub retired: bool,
}

pub(super) async fn extra_views(
    ctx: &AppCtx,
    r: &IkmReport,
    lang: Lang,
) -> AppResult<Vec<ExtraView>> {
    let id = AgencyId(r.unit.id);
    let rows = extra::results(&ctx.db, id, r.from, r.to, r.service.as_deref()).await?;
    Ok(rows
        .iter()
        .map(|q| ExtraView {
            text: q.text(lang == Lang::En).to_string(),
            answers: count(q.answers, lang),
            mean: q.mean.map_or("–".into(), |m| number(m, lang)),
            retired: !q.active,
        })
        .collect())
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
    users_from: &'static str,
    sample_needed: String,
    sample_enough: bool,
    elements: Vec<ElementRow>,
    chart_height: usize,
    groups: Vec<GroupView>,
    extra: Vec<ExtraView>,
    follow_ups: Vec<FollowUpView>,
    /// The actor records the unit's follow-up plan (its admin or supervisor).
    can_follow_up: bool,
    statuses: Vec<(&'static str, &'static str)>,
    /// The actor sets the unit's KPI targets (its admin), with these fields.
    can_set_targets: bool,
    /// The weights and service-users forms, for whoever manages the unit's settings (its admin).
    settings: Option<SettingsForms>,
    /// The confirmation after a setting is saved, or empty.
    saved: &'static str,
    target_fields: Vec<TargetField>,
    /// The element the form offers first: the lowest.
    first_lowest: usize,
    kpi_month: String,
    kpi_month_label: String,
    months: Vec<(String, String, bool)>,
    /// The month's index as a KPI row (value, grade, target).
    ikm_kpi: Option<KpiView>,
    kpis: Vec<KpiView>,
    breakdown: Vec<KpiView>,
    trend_months: Vec<String>,
    trend: Vec<(String, Vec<String>)>,
    trend_bars: Vec<TrendBar>,
}

pub(super) fn element_rows(r: &IkmReport, lang: Lang) -> Vec<ElementRow> {
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
                number: k + 1,
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
        let mut rows = ikm_query::grouped(&ctx.db, r, by).await?;
        if let Some(f) = fact {
            rows.sort_by_key(|g| f.position(&g.key));
        }
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

/// The unit and its index for the period (and service) a page of `/kinerja/unit/{id}` asks.
pub(super) async fn load(ctx: &AppCtx, id: AgencyId, q: &PeriodQuery) -> AppResult<IkmReport> {
    let (from, to) = q.period()?;
    let u = find_unit(&ctx.db, id).await?;
    Ok(ikm_query::report(
        &ctx.db,
        ctx.ext.get::<KpiSources>(),
        u,
        from,
        to,
        q.service(),
    )
    .await?)
}

/// Who sees the unit's page, in which language, from which path (for the language links).
pub struct Viewer<'a> {
    pub lang: Lang,
    pub actor: Option<&'a Actor>,
    pub csrf: &'a str,
    pub path: &'a str,
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
    let viewer = Viewer {
        lang,
        actor: actor.as_ref(),
        csrf: &csrf.0,
        path: uri.path(),
    };
    show(&ctx, &viewer, id, &q, None).await
}

/// The unit's page; `forms`: the settings forms as typed and refused (else the stored values).
pub(super) async fn show(
    ctx: &AppCtx,
    viewer: &Viewer<'_>,
    id: AgencyId,
    q: &PeriodQuery,
    forms: Option<SettingsForms>,
) -> AppResult<Response> {
    let (lang, actor) = (viewer.lang, viewer.actor);
    let r = load(ctx, id, q).await?;
    let (from, to) = (r.from, r.to);
    let en = lang == Lang::En;
    let elements = element_rows(&r, lang);
    let first_lowest = elements.iter().find(|e| e.lowest).map_or(1, |e| e.number);
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
    let settings = match forms {
        Some(f) => Some(f),
        None if actor.is_some_and(|a| acts_for(a, &r.unit, PerfAction::ManageSettings)) => {
            let month = crate::domain::period::month_key(today);
            Some(SettingsForms::current(ctx, id, &r.weights, month, lang).await?)
        }
        None => None,
    };
    let page = Page::new(lang, r.unit.name.clone(), actor, viewer.csrf, viewer.path);
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
        users_from: r.users_source.label(lang),
        sample_needed: count(r.sample_needed, lang),
        sample_enough: r.sample_enough(),
        chart_height: elements.len() * 28,
        elements,
        groups: group_views(ctx, &r, lang).await?,
        extra: extra_views(ctx, &r, lang).await?,
        follow_ups: follow_ups::views(ctx, id, (from, to), lang).await?,
        can_follow_up: actor.is_some_and(|a| acts_for(a, &r.unit, PerfAction::RecordFollowUp)),
        statuses: follow_ups::statuses(lang),
        can_set_targets: actor.is_some_and(|a| acts_for(a, &r.unit, PerfAction::SetTargets)),
        settings,
        saved: match q.saved.as_deref() {
            Some("bobot") => lang.tr("Bobot unsur disimpan.", "The element weights are saved."),
            Some("pengguna") => lang.tr(
                "Jumlah pengguna layanan disimpan.",
                "The number of service users is saved.",
            ),
            _ => "",
        },
        target_fields: target_fields(current, lang),
        first_lowest,
        months: super::month_choices(&crate::domain::period::month_key(kpi_from), today, lang),
        kpi_month: crate::domain::period::month_key(kpi_from),
        kpi_month_label: format!(
            "{} {}",
            balai_core::format::month_name(kpi_from.month(), lang),
            kpi_from.year()
        ),
        ikm_kpi: current.and_then(|m| ikm_view(m, lang)),
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
    let r = load(&ctx, id, &q).await?;
    let (from, to) = (r.from, r.to);
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

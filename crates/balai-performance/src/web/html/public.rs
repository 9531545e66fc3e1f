//! Public pages: every unit's satisfaction index (the home page of Kinerja), and what the
//! report pages share (the period asked for, QR codes).

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use time::Date;

use super::{count, number};
use crate::domain::ikm::{self, GradeBounds, Index};
use crate::store::responses;
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
pub fn this_year() -> (Date, Date) {
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
    /// What the unit's admin has just saved (`bobot`, `pengguna`): a confirmation is shown.
    #[serde(default, rename = "disimpan")]
    pub saved: Option<String>,
}

impl PeriodQuery {
    pub fn period(&self) -> Result<(Date, Date), crate::errors::PerformanceError> {
        match (&self.from, &self.to) {
            (Some(f), Some(t)) if !f.is_empty() || !t.is_empty() => parse_period(f, t),
            _ => Ok(this_year()),
        }
    }

    pub fn service(&self) -> Option<&str> {
        self.service
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

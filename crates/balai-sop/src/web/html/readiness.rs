//! The readiness page of a regency before each election stage: per district and body, the
//! share trained and who is not yet, red when a stage is near and the share is below the
//! threshold; and the lines the officials' dashboard shows.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::regions::{self, Level, RegionCode, RegionRef};
use balai_core::schedule::StageKind;
use balai_core::web::actor::Actor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::training::{page, region_of};
use crate::domain::readiness::Timing;
use crate::domain::training::Body;
use crate::queries::readiness::{self, Readiness, StageReadiness};

#[derive(Deserialize, Default)]
pub struct ReadinessQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    on: String,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct ReadinessPage {
    page: Page,
    region: String,
    on: String,
    /// A province: its regencies to choose from.
    regencies: Vec<RegionRef>,
    r: Option<Readiness>,
}

impl ReadinessPage {
    fn n<T: Copy + Into<i64>>(&self, v: &T) -> String {
        self.page.int((*v).into())
    }

    fn stage_label(&self, k: &StageKind) -> &'static str {
        k.label(self.page.lang)
    }

    fn body_label(&self, b: &Body) -> &'static str {
        b.label(self.page.lang)
    }

    fn share(&self, h: &Option<i64>) -> String {
        h.map_or_else(
            || "–".to_string(),
            |h| format!("{}%", balai_core::format::hundredths(h, self.page.lang)),
        )
    }

    fn below(&self, s: &StageReadiness) -> bool {
        self.r.as_ref().is_some_and(|r| readiness::below(r, s))
    }

    fn when(&self, s: &StageReadiness) -> String {
        let lang = self.page.lang;
        match s.timing {
            Timing::Started => lang.tr("sudah dimulai", "started").to_string(),
            Timing::Near | Timing::Later => match lang {
                Lang::Id => format!("{} hari lagi", s.days_until),
                Lang::En => format!("in {} days", s.days_until),
            },
        }
    }
}

pub async fn readiness_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<ReadinessQuery>,
) -> AppResult<Response> {
    let region = region_of(&actor, &q.region);
    let on = match q.on.trim() {
        "" => None,
        d => Some(super::super::api::parse_day(d)?),
    };
    let mut regencies = Vec::new();
    let mut r = None;
    match RegionCode::parse(&region) {
        Ok(code) if code.level() == Level::Province => {
            regencies = regions::children(&ctx.db, &code).await?;
        }
        Ok(code) if code.level() == Level::Regency => {
            r = Some(readiness::readiness(&ctx, &actor, code.as_str(), on).await?);
        }
        _ => {}
    }
    let title = match &r {
        Some(r) => format!(
            "{} · {}",
            lang.tr("Kesiapan petugas", "Staff readiness"),
            r.region_name
        ),
        None => lang.tr("Kesiapan petugas", "Staff readiness").to_string(),
    };
    render(&ReadinessPage {
        page: page(lang, title, &actor, &csrf.0, &uri),
        on: r.as_ref().map(|r| r.on.clone()).unwrap_or_default(),
        region,
        regencies,
        r,
    })
}

/// A line of the officials' dashboard: a stage ahead with its start and the share trained.
pub struct DashboardLine {
    pub text: String,
    pub href: String,
    /// Near and below the threshold.
    pub red: bool,
}

/// The next stages (at most three) that sessions prepare, for an official of a regency's or
/// city's KPU; nothing for anyone else.
pub async fn dashboard_lines(
    ctx: &AppCtx,
    actor: &Actor,
    lang: Lang,
) -> AppResult<Vec<DashboardLine>> {
    let Some(a) = actor
        .agency
        .as_ref()
        .filter(|a| a.kind == "kpu" && Level::of(&a.region_code) == Level::Regency)
    else {
        return Ok(Vec::new());
    };
    let r = readiness::readiness(ctx, actor, &a.region_code, None).await?;
    Ok(r.stages
        .iter()
        .filter(|s| s.timing != Timing::Started && !s.bodies.is_empty())
        .take(3)
        .map(|s| DashboardLine {
            text: format!(
                "{}: {} {} · {} {}",
                s.kind.label(lang),
                lang.tr("mulai", "starts"),
                balai_core::format::date_text(&s.start, lang),
                s.share_hundredths.map_or_else(
                    || "–".to_string(),
                    |h| format!("{}%", balai_core::format::hundredths(h, lang))
                ),
                lang.tr("terlatih", "trained"),
            ),
            href: format!("/kesiapan?region={}", r.region_code),
            red: s.warning,
        })
        .collect())
}

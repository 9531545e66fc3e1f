//! Officials: issue survey codes for their unit and print them as cards with a QR code; the
//! unit's admin sees its extra survey questions here (set in [`super::questions`]).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::Agency;
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::{day, with_status};
use crate::commands::issue_codes::{self, IssueInput, MAX_CODES};
use crate::commands::unit;
use crate::domain::codes::SurveyCode;
use crate::domain::permissions::{acts_for, PerfAction};
use crate::errors::PerformanceError;
use crate::store::codes;
use crate::store::extra::{self, QuestionRow};
use crate::web::survey_url;

#[derive(Template)]
#[template(path = "perf_staff.html")]
struct StaffPage {
    page: Page,
    /// The units the official may issue codes for (their own; every one for a super-admin).
    units: Vec<Agency>,
    max: u32,
    message: Option<String>,
    /// The units whose extra questions the official sets (admins), with those asked now.
    question_units: Vec<(Agency, Vec<QuestionRow>)>,
    max_questions: usize,
    /// Days a code is valid (`[performance] survey_code_days`).
    valid_days: i64,
}

async fn units_of(ctx: &AppCtx, actor: &Actor, action: PerfAction) -> AppResult<Vec<Agency>> {
    Ok(if actor.is_superadmin() {
        balai_core::accounts::list_agencies(&ctx.db, &actor.scope).await?
    } else {
        actor
            .agency
            .iter()
            .filter(|a| acts_for(actor, a, action))
            .cloned()
            .collect()
    })
}

/// The officials' page, with a refusal to show (and its status) or none.
pub async fn staff_page(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &CsrfToken,
    uri: &OriginalUri,
    refused: Option<&PerformanceError>,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.tr("Kode survei", "Survey codes"),
        Some(actor),
        &csrf.0,
        uri.path(),
    );
    let mut question_units = Vec::new();
    for u in units_of(ctx, actor, PerfAction::ManageSettings).await? {
        let asked = extra::active(&ctx.db, AgencyId(u.id)).await?;
        question_units.push((u, asked));
    }
    let message = refused.map(|e| {
        if lang == Lang::En {
            e.message_en()
        } else {
            e.to_string()
        }
    });
    let status = if refused.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    with_status(
        status,
        render(&StaffPage {
            page,
            units: units_of(ctx, actor, PerfAction::IssueCodes).await?,
            max: MAX_CODES,
            message,
            question_units,
            max_questions: crate::domain::config::config(ctx).max_extra_questions,
            valid_days: crate::domain::config::config(ctx).survey_code_days,
        }),
    )
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    staff_page(&ctx, lang, &actor, &csrf, &uri, None).await
}

pub async fn issue(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    meta: ReqMeta,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let input = IssueInput {
        agency_id: AgencyId(get("agency_id").parse().unwrap_or(0)),
        service: get("service"),
        count: get("count").parse().unwrap_or(0),
    };
    match issue_codes::issue(&ctx, &meta, &actor, &input).await {
        Ok(done) => {
            Ok(Redirect::to(&format!("/kinerja/petugas/kartu/{}", done.batch)).into_response())
        }
        Err(e @ (PerformanceError::BadCount { .. } | PerformanceError::BadService)) => {
            staff_page(&ctx, lang, &actor, &csrf, &uri, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct Card {
    pub code: String,
    pub url: String,
    pub qr: String,
    pub used: bool,
}

#[derive(Template)]
#[template(path = "perf_cards.html")]
struct CardsPage {
    page: Page,
    unit: String,
    service: String,
    day: String,
    until: String,
    base: String,
    cards: Vec<Card>,
}

/// The printable cards of a print run (its unit's officials only).
pub async fn cards(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(batch): Path<String>,
) -> AppResult<Response> {
    let rows = codes::batch(&ctx.db, &batch).await?;
    let first = rows.first().ok_or(PerformanceError::NotFound)?;
    let u = unit(&ctx.db, first.agency_id).await?;
    if !acts_for(&actor, &u, PerfAction::IssueCodes) {
        // Another unit's cards do not exist for this official.
        return Err(PerformanceError::NotFound.into());
    }
    let cards = rows
        .iter()
        .filter_map(|r| SurveyCode::parse(&r.code))
        .zip(&rows)
        .map(|(c, r)| {
            let url = survey_url(&ctx, &c);
            Card {
                qr: super::public::qr_svg(&url),
                code: c.display(),
                url,
                used: r.used,
            }
        })
        .collect();
    let offset = issue_codes::unit_offset(&u.region_code);
    let last_day = first.expires_at.to_offset(offset).date() - time::Duration::days(1);
    let page = Page::new(
        lang,
        lang.tr("Kartu survei", "Survey cards"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    render(&CardsPage {
        page,
        unit: u.name.clone(),
        service: first.service.clone(),
        day: day(first.service_day, lang),
        until: day(last_day, lang),
        base: format!("{}/survei", ctx.cfg.public_base_url()),
        cards,
    })
}

//! Officials' forms, without JavaScript: write a new SOP, add a version (steps, change note,
//! major or minor, draft), publish a draft, adopt a province's SOP, accept the parent's new
//! version after review. Each runs the same command as the API; a refused form is shown again
//! with its message and what was typed.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::common::{message, Req};
use crate::commands::adopt::{self, AdoptionInput};
use crate::commands::create::{self, SopInput};
use crate::commands::review::{self, ReviewInput};
use crate::commands::versions::{self, VersionInput};
use crate::domain::step_text;
use crate::domain::SopId;
use crate::queries::view::{self, Which};

fn checked(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty())
}

#[derive(Deserialize, Default, Clone)]
pub struct SopForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub draft: Option<String>,
}

#[derive(Template)]
#[template(path = "sop_form.html")]
struct SopFormPage {
    page: Page,
    form: SopForm,
    error: String,
}

fn form_page(lang: Lang, actor: &Actor, csrf: &str, uri: &OriginalUri) -> Page {
    Page::new(
        lang,
        lang.tr("SOP baru", "New SOP"),
        Some(actor),
        csrf,
        uri.path(),
    )
}

pub async fn new_sop(
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let form = SopForm {
        region_code: actor
            .agency
            .as_ref()
            .map(|a| a.region_code.clone())
            .unwrap_or_default(),
        ..SopForm::default()
    };
    render(&SopFormPage {
        page: form_page(lang, &actor, &csrf.0, &uri),
        form,
        error: String::new(),
    })
}

pub async fn create_sop(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<SopForm>,
) -> AppResult<Response> {
    let done = match step_text::parse(&f.steps) {
        Ok(steps) => {
            let input = SopInput {
                title: f.title.clone(),
                region_code: f.region_code.trim().to_string(),
                steps,
                purpose: f.purpose.clone(),
                legal_basis: f.legal_basis.clone(),
                documents: f.documents.clone(),
                draft: checked(&f.draft),
            };
            create::create(&ctx, &meta, &actor, &input).await
        }
        Err(e) => Err(e.into()),
    };
    match done {
        Ok((id, _)) => Ok(Redirect::to(&format!("/sop/{id}")).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            let page = form_page(lang, &actor, &csrf.0, &uri);
            let res = render(&SopFormPage {
                page,
                form: f,
                error,
            })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct VersionForm {
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub change_note: String,
    #[serde(default)]
    pub major: Option<String>,
    #[serde(default)]
    pub draft: Option<String>,
}

#[derive(Template)]
#[template(path = "sop_version_form.html")]
struct VersionPage {
    page: Page,
    id: i64,
    title: String,
    current: u32,
    form: VersionForm,
    error: String,
}

async fn version_page(
    q: &Req<'_>,
    id: SopId,
    form: Option<VersionForm>,
    error: String,
) -> AppResult<Response> {
    let Req {
        ctx,
        lang,
        actor,
        csrf,
        uri,
    } = *q;
    let sop = view::view(&ctx.db, id, Some(actor), Which::Current).await?;
    let form = form.unwrap_or_else(|| VersionForm {
        steps: step_text::render(&sop.steps.iter().map(|s| s.step.clone()).collect::<Vec<_>>()),
        ..VersionForm::default()
    });
    let page = Page::new(
        lang,
        format!("{} · {}", sop.title, lang.tr("Versi baru", "New version")),
        Some(actor),
        csrf,
        uri.path(),
    );
    render(&VersionPage {
        page,
        id: sop.id,
        title: sop.title,
        current: sop.version,
        form,
        error,
    })
}

pub async fn new_version(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<SopId>,
) -> AppResult<Response> {
    version_page(
        &Req {
            ctx: &ctx,
            lang,
            actor: &actor,
            csrf: &csrf.0,
            uri: &uri,
        },
        id,
        None,
        String::new(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub async fn add_version(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<SopId>,
    CsrfForm(f): CsrfForm<VersionForm>,
) -> AppResult<Response> {
    let done = match step_text::parse(&f.steps) {
        Ok(steps) => {
            let input = VersionInput {
                steps,
                change_note: f.change_note.clone(),
                major: checked(&f.major),
                draft: checked(&f.draft),
            };
            versions::add_version(&ctx, &meta, &actor, id, &input).await
        }
        Err(e) => Err(e.into()),
    };
    match done {
        Ok(v) => Ok(Redirect::to(&format!("/sop/{id}?version={v}")).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            let res = version_page(
                &Req {
                    ctx: &ctx,
                    lang,
                    actor: &actor,
                    csrf: &csrf.0,
                    uri: &uri,
                },
                id,
                Some(f),
                error,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
    }
}

/// Only the CSRF token.
#[derive(Deserialize)]
pub struct Empty {}

pub async fn publish(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let v = versions::publish_draft(&ctx, &meta, &actor, id).await?;
    Ok(Redirect::to(&format!("/sop/{id}?version={v}")).into_response())
}

#[derive(Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    pub region_code: String,
}

pub async fn adopt(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    CsrfForm(f): CsrfForm<AdoptForm>,
) -> AppResult<Response> {
    let input = AdoptionInput {
        region_code: f.region_code.trim().to_string(),
    };
    let new = adopt::adopt(&ctx, &meta, &actor, id, &input).await?;
    Ok(Redirect::to(&format!("/sop/{new}")).into_response())
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub keep_overrides: Option<String>,
}

pub async fn review(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<SopId>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    let input = ReviewInput {
        note: f.note,
        keep_overrides: checked(&f.keep_overrides),
    };
    review::accept_parent(&ctx, &meta, &actor, id, &input).await?;
    Ok(Redirect::to(&format!("/sop/{id}")).into_response())
}

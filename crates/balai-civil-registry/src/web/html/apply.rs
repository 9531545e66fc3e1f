//! The online application form: shown (optionally for a chosen kelurahan), submitted, and
//! shown again with the citizen's values and the message when the input is refused.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use super::public::{receipt_page, service_view, KelurahanQuery, ServiceView};
use super::MultipartForm;
use crate::commands::apply::{self as command, SubmitInput, Submitted};
use crate::queries::offerings::{not_offered, offered_at};
use crate::store::{self, settings};

#[derive(Template)]
#[template(path = "cr_apply.html")]
pub struct ApplyPage {
    pub page: Page,
    pub service: ServiceView,
    pub action: String,
    pub assisted: bool,
    pub max_kb: usize,
    /// What was typed (kept when the form comes back with an error).
    pub values: SubmitInput,
    pub error: Option<String>,
}

/// Bad input: the same form again with the submitted values and the message, HTTP 422.
/// Uploads cannot be kept (browsers never prefill file inputs). Errors other than invalid
/// input, or an unknown service, stay error pages.
pub async fn apply_again(
    ctx: &AppCtx,
    page: Page,
    assisted: bool,
    input: SubmitInput,
    err: AppError,
) -> AppResult<Response> {
    if err.status() != StatusCode::UNPROCESSABLE_ENTITY {
        return Err(err);
    }
    let Some(s) = store::service(&ctx.db, &input.service)
        .await?
        .filter(|s| s.active)
    else {
        return Err(err);
    };
    let en = page.lang == Lang::En;
    let error = Some(if en {
        err.info.message_en.clone()
    } else {
        err.info.message_id.clone()
    });
    let action = if assisted {
        format!("/dukcapil/staff/counter/{}", s.code)
    } else {
        format!("/dukcapil/apply/{}", s.code)
    };
    let mut res = render(&ApplyPage {
        service: service_view(&s, en),
        action,
        assisted,
        max_kb: settings::max_upload_bytes(&ctx.db).await? / 1024,
        values: input,
        error,
        page,
    })?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

pub async fn apply_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    Query(q): Query<KelurahanQuery>,
) -> AppResult<Response> {
    let s = store::service(&ctx.db, &code)
        .await?
        .filter(|s| s.active)
        .ok_or_else(AppError::not_found)?;
    let page = Page::new(lang, s.name_id.clone(), actor.as_ref(), &csrf.0, uri.path());
    let service = service_view(&s, page.lang == Lang::En);
    let max_kb = settings::max_upload_bytes(&ctx.db).await? / 1024;
    // Opened from the list of a chosen kelurahan: say at once if it is not offered there.
    let kelurahan = q.kelurahan.trim();
    let mut error = None;
    if !kelurahan.is_empty() {
        let refusal = match offered_at(&ctx.db, kelurahan).await.map_err(AppError::from) {
            Ok((dinas, codes)) if !codes.contains(&s.code) => {
                Some(AppError::from(not_offered(&s, &dinas)))
            }
            Ok(_) => None,
            Err(e) if e.status() == StatusCode::UNPROCESSABLE_ENTITY => Some(e),
            Err(e) => return Err(e),
        };
        error = refusal.map(|e| {
            if page.lang == Lang::En {
                e.info.message_en
            } else {
                e.info.message_id
            }
        });
    }
    render(&ApplyPage {
        page,
        service,
        action: format!("/dukcapil/apply/{code}"),
        assisted: false,
        max_kb,
        values: SubmitInput {
            kelurahan: kelurahan.to_string(),
            ..SubmitInput::default()
        },
        error,
    })
}

/// The receipt of an application just filed, with its secret (shown this once).
pub async fn after_submit(ctx: &AppCtx, page: Page, done: Submitted) -> AppResult<Response> {
    let row = store::application(&ctx.db, done.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    receipt_page(ctx, page, &row, Some(done.secret)).await
}

pub async fn apply_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    form: MultipartForm,
) -> AppResult<Response> {
    let input = form.submit_input(&code);
    match command::submit(&ctx, &meta, None, &input, &form.files).await {
        Ok(done) => {
            let page = Page::new(lang, "Tanda terima", None, &csrf.0, uri.path());
            after_submit(&ctx, page, done).await
        }
        Err(e) => {
            let page = Page::new(lang, "Formulir permohonan", None, &csrf.0, uri.path());
            apply_again(&ctx, page, false, input, e.into()).await
        }
    }
}

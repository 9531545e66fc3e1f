//! The PPID's own pages beside its queue: keeping a request, or its answers, out of public
//! view with a reason. Forms post with a CSRF token and answer with POST-redirect-GET.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::html::{page, private};
use crate::commands::privacy;
use crate::domain::access::sees;
use crate::domain::privacy::PrivatePart;
use crate::errors::InformationError;
use crate::store::{self, RequestRow};
use crate::RequestId;

#[derive(Template)]
#[template(path = "kip_private.html")]
struct PrivatePage {
    page: Page,
    r: RequestRow,
    parts: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    done: bool,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    pub(crate) selesai: Option<String>,
}

pub(crate) async fn own_request(
    ctx: &AppCtx,
    actor: &Actor,
    id: RequestId,
) -> AppResult<RequestRow> {
    let row = store::requests::get(&ctx.db, id)
        .await?
        .ok_or(InformationError::NotFound)?;
    if !sees(actor, row.agency_id) {
        return Err(InformationError::NotFound.into());
    }
    Ok(row)
}

fn private_page(p: Page, r: RequestRow, error: Option<String>, done: bool) -> AppResult<Response> {
    let lang = p.lang;
    let parts = PrivatePart::ALL
        .into_iter()
        .map(|x| (x.as_str(), lang.tr(x.label_id(), x.label_en())))
        .collect();
    let res = render(&PrivatePage {
        page: p,
        r,
        parts,
        error,
        done,
    })?;
    Ok(private(res))
}

fn title(lang: Lang) -> &'static str {
    lang.tr("Rahasiakan permohonan", "Keep a request private")
}

/// The form: which part, and why.
pub async fn private_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<RequestId>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let row = own_request(&ctx, &actor, id).await?;
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    private_page(p, row, None, q.selesai.is_some())
}

#[derive(Deserialize)]
pub struct PrivateForm {
    #[serde(default)]
    bagian: String,
    #[serde(default)]
    reason: String,
}

/// Marked: 303 back to the form, which says so; refused: the form with the reason (422).
#[allow(clippy::too_many_arguments)]
pub async fn private_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<RequestId>,
    CsrfForm(f): CsrfForm<PrivateForm>,
) -> AppResult<Response> {
    let done = match privacy::parse(Some(&f.bagian), Some(&f.reason)) {
        Ok(m) => privacy::make_private(&ctx, &meta, &actor, id, &m).await,
        Err(e) => Err(e),
    };
    let message = match done {
        Ok(_) => {
            let to = format!("/informasi/ppid/{}/rahasiakan?selesai=1", id.get());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e @ (InformationError::Core(_) | InformationError::NotFound)) => return Err(e.into()),
        Err(InformationError::Forbidden) => return Err(InformationError::Forbidden.into()),
        Err(e) => lang.tr(&e.to_string(), &e.message_en()).to_string(),
    };
    let row = own_request(&ctx, &actor, id).await?;
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    let mut res = private_page(p, row, Some(message), false)?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

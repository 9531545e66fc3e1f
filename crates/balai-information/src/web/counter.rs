//! The PPID's intake page: a request taken at the counter, from a letter, or from an e-mail
//! pasted in (Balai takes no SMTP). Pasting fills the form (the sender, the day it arrived, the
//! text) for the official to check and complete; filing is the same command as the API's, as the
//! official, dated back at most 60 days, and ends on the receipt with the code and the secret to
//! hand or send to the requester. Refused input shows the form again (422, nothing stored).

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use balai_core::accounts::{self, AgencyKind, Scope};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::html::{page, private, to_receipt, RequestForm};
use crate::commands::file::{self, FileInput};
use crate::domain::access::may_act;
use crate::domain::email_intake;
use crate::domain::permissions::StaffAction;
use crate::errors::InformationError;

pub const PATH: &str = "/informasi/ppid/loket";
pub const PASTE_PATH: &str = "/informasi/ppid/loket/email";

#[derive(Template)]
#[template(path = "kip_counter.html")]
struct CounterPage {
    page: Page,
    /// The PPIDs this official files for: (id, name).
    agencies: Vec<(i64, String)>,
    form: RequestForm,
    error: Option<String>,
    /// Set once an e-mail was pasted: what was read from it.
    pasted: bool,
}

/// The PPIDs the official may file for (their own; any, for a super-admin).
async fn own_ppids(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<(i64, String)>> {
    let all = accounts::list_agencies(&ctx.db, &Scope::All).await?;
    let mine: Vec<(i64, String)> = all
        .into_iter()
        .filter(|a| a.is(AgencyKind::Ppid))
        .filter(|a| {
            may_act(
                actor,
                balai_core::ids::AgencyId(a.id),
                StaffAction::FileAtCounter,
            )
        })
        .map(|a| (a.id, a.name))
        .collect();
    if mine.is_empty() {
        return Err(InformationError::Forbidden.into());
    }
    Ok(mine)
}

fn title(lang: Lang) -> &'static str {
    lang.tr(
        "Catat permohonan dari loket atau email",
        "Record a request from the counter or e-mail",
    )
}

async fn show(
    ctx: &AppCtx,
    p: Page,
    actor: &Actor,
    form: RequestForm,
    error: Option<String>,
    pasted: bool,
) -> AppResult<Response> {
    let agencies = own_ppids(ctx, actor).await?;
    let res = render(&CounterPage {
        page: p,
        agencies,
        form,
        error,
        pasted,
    })?;
    Ok(private(res))
}

/// The empty form.
pub async fn counter_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    let form = RequestForm {
        channel: "counter".into(),
        ..RequestForm::default()
    };
    show(&ctx, p, &actor, form, None, false).await
}

#[derive(Deserialize)]
pub struct PasteForm {
    #[serde(default)]
    agency_id: i64,
    /// The pasted e-mail (`text`: a multi-line field).
    #[serde(default)]
    text: String,
}

/// A pasted e-mail read into the form, for the official to check; nothing is stored.
pub async fn paste(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<PasteForm>,
) -> AppResult<Response> {
    let got = email_intake::read(&f.text);
    let form = RequestForm {
        agency_id: f.agency_id,
        channel: "email".into(),
        received_on: got.received_on.map(|d| d.to_string()).unwrap_or_default(),
        name: got.name,
        email: got.email,
        information: got.information.chars().take(5_000).collect(),
        delivery: "email".into(),
        ..RequestForm::default()
    };
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    show(&ctx, p, &actor, form, None, true).await
}

/// File as the official: the receipt, or the form again with the reason (422).
pub async fn counter_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> AppResult<Response> {
    let input = FileInput {
        agency_id: form.agency_id,
        request: form.raw(),
        channel: Some(form.channel.clone()),
        received_on: Some(form.received_on.clone()),
    };
    let message = match file::file(&ctx, &meta, Some(&actor), &input).await {
        Ok(done) => return Ok(to_receipt(&ctx, &done)),
        Err(e @ (InformationError::Core(_) | InformationError::NotFound)) => return Err(e.into()),
        Err(InformationError::Forbidden) => return Err(InformationError::Forbidden.into()),
        Err(e) => lang.tr(&e.to_string(), &e.message_en()).to_string(),
    };
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    let mut res = show(&ctx, p, &actor, form, Some(message), false).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

//! What the tracking form and the reporter's forms post: the lookup itself, the reporter's
//! actions (reply, confirm, reopen) and a request for a secret.

use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::Page;
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::form::{keep_lang, lookup_page, private, LookupForm, Notice};
use super::held::{to_reporter_view, Done};
use crate::commands::reporter_reply::{reporter_act, send_first_secret, ReporterCommand};
use crate::domain::settings::today;
use crate::domain::TrackingCode;
use crate::errors::ComplaintError;
use crate::queries::complaint::{find_as_reporter, find_by_code};
use crate::web::lookups::count_lookup;
use crate::web::page::{clocks, page};

/// The tracking form posted: the reporter's view (code + secret) or the public one (code of a
/// report the public may see); anything else, the form again with "not found".
pub async fn show(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<LookupForm>,
) -> AppResult<Response> {
    count_lookup(&ctx, &meta.ip)?;
    let title = lang.tr("Status laporan", "Report status");
    let p = page(lang, title, actor.as_ref(), &csrf, &uri);
    let found = if f.rahasia.trim().is_empty() {
        find_by_code(&ctx.db, &f.kode).await.map(|c| (None, c))
    } else {
        find_as_reporter(&ctx.db, &f.kode, &f.rahasia)
            .await
            .map(|(code, c)| (Some(code), c))
    };
    match found {
        Ok((Some(code), _)) => Ok(to_reporter_view(&ctx, &uri, &code, &f.rahasia, None)),
        Ok((None, c)) => Ok(private(
            Redirect::to(&keep_lang(format!("/aduan/lihat/{}", c.id), &uri)).into_response(),
        )),
        Err(ComplaintError::NotFound) => lookup_page(p, Notice::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// A reporter's action: checked against the code and secret, then the reporter's view again
/// with what was done (or the form with "not found").
async fn reporter(
    ctx: &AppCtx,
    uri: &OriginalUri,
    p: Page,
    meta: &ReqMeta,
    f: &LookupForm,
    cmd: ReporterCommand,
    done: Done,
) -> AppResult<Response> {
    count_lookup(ctx, &meta.ip)?;
    let Some(code) = TrackingCode::parse(&f.kode) else {
        return lookup_page(p, Notice::NotFound);
    };
    let acted = reporter_act(
        &ctx.db,
        &meta.audit(None),
        &code,
        &f.rahasia,
        cmd,
        &clocks(ctx),
        today(),
    )
    .await;
    match acted {
        Ok(_) => {}
        Err(ComplaintError::NotFound) => return lookup_page(p, Notice::NotFound),
        Err(e) => return Err(e.into()),
    }
    Ok(to_reporter_view(ctx, uri, &code, &f.rahasia, Some(done)))
}

/// The page a refused or unknown action comes back on (the tracking form).
fn action_page(lang: Lang, csrf: &CsrfToken, uri: &OriginalUri) -> Page {
    page(
        lang,
        lang.tr("Status laporan", "Report status"),
        None,
        csrf,
        uri,
    )
}

pub async fn reply(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<LookupForm>,
) -> AppResult<Response> {
    let cmd = ReporterCommand::Reply {
        body: f.body.clone(),
    };
    let p = action_page(lang, &csrf, &uri);
    reporter(&ctx, &uri, p, &meta, &f, cmd, Done::Replied).await
}

pub async fn confirm(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<LookupForm>,
) -> AppResult<Response> {
    let p = action_page(lang, &csrf, &uri);
    let cmd = ReporterCommand::ConfirmResolved;
    reporter(&ctx, &uri, p, &meta, &f, cmd, Done::Confirmed).await
}

pub async fn reopen(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<LookupForm>,
) -> AppResult<Response> {
    let cmd = ReporterCommand::Reopen {
        body: f.body.clone(),
    };
    let p = action_page(lang, &csrf, &uri);
    reporter(&ctx, &uri, p, &meta, &f, cmd, Done::Reopened).await
}

/// A reporter of a report filed before secrets existed asks for one: it goes to the phone or
/// e-mail given in the report. The answer is the same whatever the code.
pub async fn request_secret(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<LookupForm>,
) -> AppResult<Response> {
    count_lookup(&ctx, &meta.ip)?;
    if let Some(code) = TrackingCode::parse(&f.kode) {
        send_first_secret(&ctx.db, &meta.audit(None), &code).await?;
    }
    // The same answer whatever the code, on a page that can be reloaded without sending again.
    Ok(private(
        Redirect::to(&keep_lang("/aduan/lacak?kunci=diminta".into(), &uri)).into_response(),
    ))
}

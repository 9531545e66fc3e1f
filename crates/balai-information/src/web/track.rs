//! The requester's pages: the tracking form, and their own view of the request, which the
//! tracking form and each of their steps (objection, dispute, satisfaction) reach by
//! POST-redirect-GET. The code and secret travel from the form to the view in a short-lived
//! HttpOnly, SameSite=Strict cookie scoped to the view's path, never in a URL, so the view can
//! be reloaded and a reload files nothing twice.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::html::{page, private, requester_page};
use crate::commands::requester;
use crate::domain::status::Action;
use crate::errors::InformationError;
use crate::queries::track::requester_row;
use crate::store::RequestRow;

/// The cookie that carries the code and secret from the tracking form to the requester's view.
pub const REQUESTER_COOKIE: &str = "kip_lacak";
/// The requester's view, reloadable.
pub const REQUESTER_PATH: &str = "/informasi/permohonan-anda";
/// How long the requester's view stays open without the form again (seconds).
const HELD_SECONDS: u32 = 1800;

/// A cookie `name` holding a request's code and secret for the page at `path` only.
pub(crate) fn held_cookie(
    ctx: &AppCtx,
    name: &str,
    path: &str,
    max_age: u32,
    code: &str,
    secret: &str,
) -> Option<HeaderValue> {
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let code = balai_core::secret::normalise_code(code);
    let secret = balai_core::secret::normalise_code(secret);
    HeaderValue::from_str(&format!(
        "{name}={code}.{secret}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
}

#[derive(Template)]
#[template(path = "kip_track.html")]
struct TrackPage {
    page: Page,
    wrong: bool,
}

fn track_title(lang: Lang) -> &'static str {
    lang.tr("Lacak permohonan informasi", "Track an information request")
}

/// The tracking form.
pub async fn track_form(
    lang: Lang,
    csrf: CsrfToken,
    uri: OriginalUri,
    MaybeActor(actor): MaybeActor,
) -> AppResult<Response> {
    render(&TrackPage {
        page: page(lang, track_title(lang), actor.as_ref(), &csrf, &uri),
        wrong: false,
    })
}

#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    kode: String,
    #[serde(default)]
    rahasia: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// `ya` or `tidak`, for the satisfaction step.
    #[serde(default)]
    puas: String,
}

/// `to` with the language the form's address named, if it named one.
fn keep_lang(to: String, uri: &OriginalUri) -> String {
    match Lang::from_query(uri.query()) {
        Some(l) if to.contains('?') => format!("{to}&lang={}", l.code()),
        Some(l) => format!("{to}?lang={}", l.code()),
        None => to,
    }
}

/// 303 to the requester's view with the cookie that opens it; `done` names the step taken.
fn to_view(ctx: &AppCtx, uri: &OriginalUri, f: &TrackForm, done: Option<Action>) -> Response {
    let to = match done {
        Some(a) => format!("{REQUESTER_PATH}?selesai={}", a.as_str()),
        None => REQUESTER_PATH.to_string(),
    };
    let mut res = private(Redirect::to(&keep_lang(to, uri)).into_response());
    let cookie = held_cookie(
        ctx,
        REQUESTER_COOKIE,
        REQUESTER_PATH,
        HELD_SECONDS,
        &f.kode,
        &f.rahasia,
    );
    if let Some(v) = cookie {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The tracking form again, saying the code or secret is wrong (404).
fn wrong_code(lang: Lang, csrf: &CsrfToken, uri: &OriginalUri) -> AppResult<Response> {
    let mut res = render(&TrackPage {
        page: page(lang, track_title(lang), None, csrf, uri),
        wrong: true,
    })?;
    *res.status_mut() = StatusCode::NOT_FOUND;
    Ok(private(res))
}

/// The tracking form posted: to the requester's view (303), or the form again (404).
pub async fn track_show(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<TrackForm>,
) -> AppResult<Response> {
    match requester_row(&ctx, &meta, &f.kode, &f.rahasia).await {
        Ok(_) => Ok(to_view(&ctx, &uri, &f, None)),
        Err(InformationError::TrackingNotFound) => wrong_code(lang, &csrf, &uri),
        Err(e) => Err(e.into()),
    }
}

fn view_title(lang: Lang) -> &'static str {
    lang.tr("Permohonan informasi Anda", "Your information request")
}

/// The requester's objection, dispute or rating: taken, then 303 to their view; refused, their
/// view again with the reason (422, nothing stored).
pub async fn track_act(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<TrackForm>,
) -> AppResult<Response> {
    let satisfied = match f.puas.as_str() {
        "ya" => Some(true),
        "tidak" => Some(false),
        _ => None,
    };
    let done = match requester::parse(&f.action, Some(&f.reason), satisfied) {
        Ok(step) => requester::act(&ctx, &meta, &f.kode, &f.rahasia, &step)
            .await
            .map(|_| step.action()),
        Err(e) => Err(e),
    };
    let refused = match done {
        Ok(action) => return Ok(to_view(&ctx, &uri, &f, Some(action))),
        Err(InformationError::Core(e)) => return Err(e),
        Err(InformationError::TrackingNotFound) => return wrong_code(lang, &csrf, &uri),
        Err(e) => lang.tr(&e.to_string(), &e.message_en()).to_string(),
    };
    let row = match requester_row(&ctx, &meta, &f.kode, &f.rahasia).await {
        Ok(row) => row,
        Err(InformationError::TrackingNotFound) => return wrong_code(lang, &csrf, &uri),
        Err(e) => return Err(e.into()),
    };
    let p = page(lang, view_title(lang), None, &csrf, &uri);
    let mut res = requester_page(&ctx, p, &row, &f.rahasia, (None, Some(refused), false)).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

#[derive(Deserialize)]
pub struct ViewQuery {
    #[serde(default)]
    selesai: Option<String>,
}

/// What the view says after a step.
fn said(lang: Lang, step: &str) -> Option<String> {
    let text = match step {
        "object" => lang.tr(
            "Keberatan Anda tercatat dan diteruskan kepada Atasan PPID.",
            "Your objection is recorded and sent to the PPID's superior.",
        ),
        "dispute" => lang.tr(
            "Sengketa di Komisi Informasi tercatat.",
            "The dispute at the Information Commission is recorded.",
        ),
        "rate" => lang.tr(
            "Terima kasih atas penilaian Anda.",
            "Thank you for your rating.",
        ),
        _ => return None,
    };
    Some(text.to_string())
}

/// The request the cookie holds, with the secret as sent; `None` without a cookie that still
/// opens one.
async fn held_request(
    ctx: &AppCtx,
    meta: &ReqMeta,
    headers: &HeaderMap,
) -> AppResult<Option<(RequestRow, String)>> {
    let kept = cookie_value(headers, REQUESTER_COOKIE).and_then(|v| v.split_once('.'));
    let Some((code, secret)) = kept else {
        return Ok(None);
    };
    match requester_row(ctx, meta, code, secret).await {
        Ok(row) => Ok(Some((row, secret.to_string()))),
        Err(InformationError::TrackingNotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The requester's view, reloadable while the cookie lasts; without it, the tracking form.
pub async fn requester_view(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    headers: HeaderMap,
    Query(q): Query<ViewQuery>,
) -> AppResult<Response> {
    let Some((row, secret)) = held_request(&ctx, &meta, &headers).await? else {
        return Ok(private(
            Redirect::to(&keep_lang("/informasi/lacak".into(), &uri)).into_response(),
        ));
    };
    let message = q.selesai.as_deref().and_then(|s| said(lang, s));
    let p = page(lang, view_title(lang), None, &csrf, &uri);
    requester_page(&ctx, p, &row, &secret, (message, None, false)).await
}

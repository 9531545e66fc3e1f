//! The reporter's view and the receipt after filing, opened by a short-lived cookie that holds
//! the report's code and secret for that one page (so the page can be reloaded without posting
//! again, and neither ever travels in a URL).

use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::form::{keep_lang, private};
use super::report_page::{holder_page, Holder};
use crate::domain::TrackingCode;
use crate::errors::ComplaintError;
use crate::queries::complaint::find_as_reporter;
use crate::store::Complaint;
use crate::web::page::page;

/// The cookie that carries a just-filed report's code and secret from the filing POST to the
/// receipt page (once; `Path` limits it to that page).
pub const RECEIPT_COOKIE: &str = "aduan_baru";
pub const RECEIPT_PATH: &str = "/aduan/terkirim";
/// The cookie that carries the code and secret of a report the reporter opened (with the
/// tracking form or one of its actions) to the reporter's view, a page that can be reloaded
/// without posting anything again. `Path` limits it to that page; it lasts half an hour.
pub const REPORTER_COOKIE: &str = "aduan_lacak";
pub const REPORTER_PATH: &str = "/aduan/laporan-anda";

/// What a reporter's action did, named in the reporter's view's address after the redirect.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Done {
    Replied,
    Confirmed,
    Reopened,
}

impl Done {
    fn slug(self) -> &'static str {
        match self {
            Done::Replied => "balas",
            Done::Confirmed => "selesai",
            Done::Reopened => "buka",
        }
    }

    fn parse(slug: &str) -> Option<Done> {
        [Done::Replied, Done::Confirmed, Done::Reopened]
            .into_iter()
            .find(|d| d.slug() == slug)
    }

    fn said(self, lang: Lang) -> &'static str {
        match self {
            Done::Replied => lang.tr("Balasan Anda terkirim.", "Your reply was sent."),
            Done::Confirmed => lang.tr(
                "Terima kasih, laporan ditutup.",
                "Thank you, the report is closed.",
            ),
            Done::Reopened => lang.tr("Laporan dibuka kembali.", "The report was reopened."),
        }
    }
}

/// 303 to the reporter's view, with the cookie that lets it open the report; a language the
/// form's address named goes along.
pub(super) fn to_reporter_view(
    ctx: &AppCtx,
    uri: &OriginalUri,
    code: &TrackingCode,
    secret: &str,
    done: Option<Done>,
) -> Response {
    let to = match done {
        Some(d) => format!("{REPORTER_PATH}?selesai={}", d.slug()),
        None => REPORTER_PATH.to_string(),
    };
    let to = keep_lang(to, uri);
    let mut res = private(Redirect::to(&to).into_response());
    if let Some(v) = held_cookie(ctx, REPORTER_COOKIE, REPORTER_PATH, 1800, code, secret) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
pub struct ViewQuery {
    #[serde(default)]
    selesai: Option<String>,
}

/// The reporter's view after the tracking form or an action: the report the cookie names,
/// reloadable; without a cookie that still opens a report, the tracking form.
pub async fn reporter_view(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    headers: HeaderMap,
    Query(q): Query<ViewQuery>,
) -> AppResult<Response> {
    let Some((code, c, secret)) = held_report(&ctx, &headers, REPORTER_COOKIE).await? else {
        return Ok(private(Redirect::to("/aduan/lacak").into_response()));
    };
    let title = lang.tr("Status laporan", "Report status");
    let p = page(lang, title, actor.as_ref(), &csrf, &uri);
    let done = q.selesai.as_deref().and_then(Done::parse);
    let h = Holder {
        code: &code,
        secret: &balai_core::secret::grouped(&balai_core::secret::normalise_code(&secret)),
        fresh: false,
        done: done.map(|d| d.said(lang).to_string()).unwrap_or_default(),
    };
    holder_page(&ctx, p, &c, h).await
}

/// The receipt after filing on the web: the code and secret, shown once (the cookie that
/// brought them is cleared).
pub async fn receipt(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let Some((code, c, secret)) = held_report(&ctx, &headers, RECEIPT_COOKIE).await? else {
        return Ok(Redirect::to("/aduan/lacak").into_response());
    };
    let title = lang.tr("Laporan terkirim", "Report sent");
    let p = page(lang, title, actor.as_ref(), &csrf, &uri);
    let h = Holder {
        code: &code,
        secret: &balai_core::secret::grouped(&balai_core::secret::normalise_code(&secret)),
        fresh: true,
        done: String::new(),
    };
    let mut res = holder_page(&ctx, p, &c, h).await?;
    let clear =
        format!("{RECEIPT_COOKIE}=; Path={RECEIPT_PATH}; Max-Age=0; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&clear) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// The report whose code and secret the cookie `name` holds, with the secret as sent; `None`
/// without the cookie or when it no longer opens a report.
async fn held_report(
    ctx: &AppCtx,
    headers: &HeaderMap,
    name: &str,
) -> AppResult<Option<(TrackingCode, Complaint, String)>> {
    let Some((code, secret)) = cookie_value(headers, name).and_then(|v| v.split_once('.')) else {
        return Ok(None);
    };
    match find_as_reporter(&ctx.db, code, secret).await {
        Ok((code, c)) => Ok(Some((code, c, secret.to_string()))),
        Err(ComplaintError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The `Set-Cookie` that carries a just-filed report's code and secret to [`receipt`].
pub fn receipt_cookie(ctx: &AppCtx, code: &TrackingCode, secret: &str) -> Option<HeaderValue> {
    held_cookie(ctx, RECEIPT_COOKIE, RECEIPT_PATH, 900, code, secret)
}

/// A cookie `name` holding a report's code and secret for the page at `path` only.
fn held_cookie(
    ctx: &AppCtx,
    name: &str,
    path: &str,
    max_age: u32,
    code: &TrackingCode,
    secret: &str,
) -> Option<HeaderValue> {
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let secret = balai_core::secret::normalise_code(secret);
    HeaderValue::from_str(&format!(
        "{name}={}.{secret}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}",
        code.as_str()
    ))
    .ok()
}

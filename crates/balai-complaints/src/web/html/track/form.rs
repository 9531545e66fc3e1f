//! The tracking form (asked for, refused, a secret requested) and how every tracking answer
//! is sent: not cached, never passed on as a referrer, the request's language kept.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::AppResult;
use serde::Deserialize;

use crate::web::page::page;

/// Every tracking answer: not cached, never sent on as a referrer.
pub(super) fn private(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// `to` with the language the request's address named, if it named one.
pub(super) fn keep_lang(to: String, uri: &OriginalUri) -> String {
    match Lang::from_query(uri.query()) {
        Some(l) if to.contains('?') => format!("{to}&lang={}", l.code()),
        Some(l) => format!("{to}?lang={}", l.code()),
        None => to,
    }
}

/// What the tracking form says above itself.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Notice {
    None,
    /// Unknown code, wrong secret, or a report the code alone may not open.
    NotFound,
    /// A secret was asked for (said the same whatever happened).
    SecretRequested,
}

#[derive(Template)]
#[template(path = "aduan_lookup.html")]
struct LookupPage {
    page: Page,
    notice: Notice,
}

impl LookupPage {
    fn wrong(&self) -> bool {
        self.notice == Notice::NotFound
    }
    fn requested(&self) -> bool {
        self.notice == Notice::SecretRequested
    }
}

pub(super) fn lookup_page(p: Page, notice: Notice) -> AppResult<Response> {
    let mut res = render(&LookupPage { page: p, notice })?;
    if notice == Notice::NotFound {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(private(res))
}

#[derive(Deserialize)]
pub struct LookupQuery {
    #[serde(default)]
    kunci: Option<String>,
}

pub async fn lookup(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<LookupQuery>,
) -> AppResult<Response> {
    let title = lang.tr("Lacak laporan", "Track a report");
    let notice = if q.kunci.as_deref() == Some("diminta") {
        Notice::SecretRequested
    } else {
        Notice::None
    };
    lookup_page(page(lang, title, actor.as_ref(), &csrf, &uri), notice)
}

/// Links from before codes left URLs (old SMS and e-mails): to the form, code not looked up.
pub async fn old_link(Path(_code): Path<String>) -> Redirect {
    Redirect::to("/aduan/lacak")
}

/// The tracking form: `kode`, and `rahasia` for the reporter's view.
#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    pub(super) kode: String,
    #[serde(default)]
    pub(super) rahasia: String,
    #[serde(default)]
    pub(super) body: String,
}

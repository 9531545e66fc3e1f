//! `/pemilih/cek`: the registration check as a page that works without JavaScript, and the
//! printable "where do I vote" card. The answer is shown in reply to the POST (a read: a NIK
//! never goes into a URL); it goes through the same command, budgets and counts as the API.

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

use crate::commands::lookup;
use crate::errors::VoterError;

#[derive(Default)]
pub struct Shown {
    pub nik: String,
    pub name: String,
    pub error: String,
    /// Asked and answered (found or not).
    pub answered: bool,
    pub registrations: Vec<RegView>,
}

/// One registration as the page shows it.
pub struct RegView {
    pub election: String,
    pub tps: String,
    pub village: String,
    pub address: String,
    pub name_masked: String,
    /// The form to respond to this TPS's list.
    pub respond: String,
}

#[derive(Template)]
#[template(path = "pemilih_cek.html")]
struct CheckPage {
    page: Page,
    shown: Shown,
}

#[derive(Template)]
#[template(path = "pemilih_kartu.html")]
struct CardPage {
    page: Page,
    shown: Shown,
}

#[derive(Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    nik: String,
    #[serde(default)]
    name: String,
    /// `1`: the printable card instead of the page.
    #[serde(default)]
    card: String,
}

fn page(lang: Lang, actor: Option<&balai_core::web::actor::Actor>, csrf: &str, path: &str) -> Page {
    Page::new(
        lang,
        lang.tr("Cek pemilih", "Voter registration check"),
        actor,
        csrf,
        path,
    )
}

pub async fn form(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    render(&CheckPage {
        page: page(lang, actor.as_ref(), &csrf.0, uri.path()),
        shown: Shown::default(),
    })
}

pub async fn submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<CheckForm>,
) -> AppResult<Response> {
    let p = page(lang, actor.as_ref(), &csrf.0, uri.path());
    let mut shown = Shown {
        nik: f.nik.trim().to_string(),
        name: f.name.trim().to_string(),
        ..Shown::default()
    };
    let mut status = StatusCode::OK;
    let mut retry = None;
    match lookup::lookup(&ctx, &meta.ip, &shown.nik, &shown.name).await {
        Ok(a) => {
            shown.answered = true;
            shown.registrations = a
                .registrations
                .into_iter()
                .map(|r| RegView {
                    respond: format!(
                        "/pemilih/tanggapan/baru?pemilihan={}&village_code={}&tps={}",
                        r.election_id, r.village_code, r.tps_number
                    ),
                    election: r.election_name,
                    tps: format!("TPS {:03}", r.tps_number),
                    village: r.village_name,
                    address: r.address,
                    name_masked: r.name_masked,
                })
                .collect();
        }
        Err(e @ (VoterError::Impossible(_) | VoterError::TooMany { .. })) => {
            if let VoterError::TooMany { retry_after } = &e {
                retry = Some(*retry_after);
                status = StatusCode::TOO_MANY_REQUESTS;
            } else {
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            let err = AppError::from(e);
            shown.error = err.info.message(lang).to_string();
        }
        Err(e) => return Err(e.into()),
    }
    let mut res = if f.card == "1" && !shown.registrations.is_empty() {
        render(&CardPage { page: p, shown })?
    } else {
        render(&CheckPage { page: p, shown })?
    };
    *res.status_mut() = status;
    if let Some(s) = retry {
        if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    // The answer names a person's TPS: not for shared caches or the back-forward cache.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res.into_response())
}

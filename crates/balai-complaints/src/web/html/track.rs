//! Following a report: the tracking page (by code), the public page of a non-confidential
//! report, photos, and the reporter's reply, confirmation or reopening.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::commands::reporter_reply::{reporter_act, ReporterCommand};
use crate::domain::settings::today;
use crate::domain::{Status, TrackingCode};
use crate::errors::ComplaintError;
use crate::queries::complaint::{self as view, find_by_code, find_public, PublicComplaint};
use crate::store;
use crate::web::page::{clocks, page, StatusLabel};
use crate::web::photos::photo_response;

#[derive(Template)]
#[template(path = "aduan_lookup.html")]
struct LookupPage {
    page: Page,
    wrong: bool,
}

#[derive(Deserialize)]
pub struct LookupParams {
    kode: Option<String>,
}

pub async fn lookup(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<LookupParams>,
) -> AppResult<Response> {
    if let Some(k) = q.kode.as_deref().filter(|k| !k.trim().is_empty()) {
        if let Some(code) = TrackingCode::parse(k) {
            return Ok(Redirect::to(&format!("/aduan/lacak/{}", code.as_str())).into_response());
        }
        return render(&LookupPage {
            page: page(
                lang,
                lang.tr("Lacak laporan", "Track a report"),
                actor.as_ref(),
                &csrf,
                &uri,
            ),
            wrong: true,
        });
    }
    render(&LookupPage {
        page: page(
            lang,
            lang.tr("Lacak laporan", "Track a report"),
            actor.as_ref(),
            &csrf,
            &uri,
        ),
        wrong: false,
    })
}

#[derive(Template)]
#[template(path = "aduan_track.html")]
struct TrackPage {
    page: Page,
    c: PublicComplaint,
    code: String,
    fresh: bool,
    holder: bool,
    can_confirm: bool,
    can_reopen: bool,
    can_reply: bool,
    photo_base: String,
}

#[derive(Deserialize)]
pub struct TrackParams {
    baru: Option<String>,
}

/// The tracking page: the code's holder sees everything public about the report, even when
/// it is confidential, and can reply, confirm or reopen.
pub async fn track(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    Query(q): Query<TrackParams>,
) -> AppResult<Response> {
    let c = find_by_code(&ctx.db, &code).await?;
    let v = view::public(&ctx.db, &c).await?;
    let st = Status::parse(&v.status);
    let mut res = render(&TrackPage {
        page: page(
            lang,
            lang.tr("Status laporan", "Report status"),
            actor.as_ref(),
            &csrf,
            &uri,
        ),
        can_confirm: st == Some(Status::Answered),
        can_reopen: matches!(st, Some(Status::Answered | Status::Closed)),
        can_reply: !matches!(
            st,
            Some(Status::Rejected | Status::Duplicate | Status::Closed)
        ),
        code: c.tracking_code.clone(),
        photo_base: format!("/aduan/lacak/{}/foto", c.tracking_code),
        c: v,
        fresh: q.baru.is_some(),
        holder: true,
    })?;
    // The URL holds the code: keep it out of caches and referrers.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// A public page of a report that is neither confidential nor hidden (no tracking code, no
/// actions): what the "similar open reports" list links to.
pub async fn public_view(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<ComplaintId>,
) -> AppResult<Response> {
    let c = find_public(&ctx.db, id).await?;
    let mut v = view::public(&ctx.db, &c).await?;
    v.tracking_code = String::new();
    render(&TrackPage {
        page: page(
            lang,
            lang.tr("Laporan warga", "Citizen report"),
            actor.as_ref(),
            &csrf,
            &uri,
        ),
        c: v,
        code: String::new(),
        fresh: false,
        holder: false,
        can_confirm: false,
        can_reopen: false,
        can_reply: false,
        photo_base: format!("/aduan/lihat/{id}/foto"),
    })
}

pub async fn track_photo(
    State(ctx): State<AppCtx>,
    Path((code, pid)): Path<(String, i64)>,
) -> AppResult<Response> {
    let c = find_by_code(&ctx.db, &code).await?;
    let (ct, bytes) = store::photo(&ctx.db, c.id, pid)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    Ok(photo_response(ct, bytes))
}

pub async fn public_photo(
    State(ctx): State<AppCtx>,
    Path((id, pid)): Path<(ComplaintId, i64)>,
) -> AppResult<Response> {
    let c = find_public(&ctx.db, id).await?;
    let (ct, bytes) = store::photo(&ctx.db, c.id, pid)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    Ok(photo_response(ct, bytes))
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    body: String,
}

async fn reporter(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    cmd: ReporterCommand,
) -> AppResult<Response> {
    let code = TrackingCode::parse(code).ok_or(ComplaintError::NotFound)?;
    reporter_act(
        &ctx.db,
        &meta.audit(None),
        &code,
        cmd,
        &clocks(ctx),
        today(),
    )
    .await?;
    Ok(Redirect::to(&format!("/aduan/lacak/{}", code.as_str())).into_response())
}

pub async fn reply(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<TextForm>,
) -> AppResult<Response> {
    reporter(&ctx, &meta, &code, ReporterCommand::Reply { body: f.body }).await
}

pub async fn confirm(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    Path(code): Path<String>,
    CsrfForm(_f): CsrfForm<TextForm>,
) -> AppResult<Response> {
    reporter(&ctx, &meta, &code, ReporterCommand::ConfirmResolved).await
}

pub async fn reopen(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<TextForm>,
) -> AppResult<Response> {
    reporter(&ctx, &meta, &code, ReporterCommand::Reopen { body: f.body }).await
}

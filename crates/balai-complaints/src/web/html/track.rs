//! Following a report: the tracking form, the reporter's view and actions (reply, confirm,
//! reopen), the receipt after filing, and the public page of a non-confidential report.
//!
//! The tracking form is posted: the code and the reporter's secret never travel in a URL
//! (they would land in logs, proxies and browser history). The code alone opens only what the
//! public may see; code + secret open the reporter's view, confidential and hidden reports too.
//! A wrong code, a wrong secret and a report the code alone may not open get the same answer.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::format::Zone;
use balai_core::i18n::Lang;
use balai_core::ids::ComplaintId;
use balai_core::regions::finder;
use balai_core::survey::Receipt;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use base64::Engine;
use serde::Deserialize;

use crate::commands::reporter_reply::{reporter_act, send_first_secret, ReporterCommand};
use crate::domain::settings::today;
use crate::domain::{Status, TrackingCode};
use crate::errors::ComplaintError;
use crate::queries::complaint::PublicComplaint;
use crate::queries::complaint::{self as view, find_as_reporter, find_by_code, find_public};
use crate::store::{self, Complaint};
use crate::web::lookups::count_lookup;
use crate::web::page::{actor_label, clocks, page, system_text, StatusLabel as _};
use crate::web::photos::photo_response;

/// The cookie that carries a just-filed report's code and secret from the filing POST to the
/// receipt page (once; `Path` limits it to that page).
pub const RECEIPT_COOKIE: &str = "aduan_baru";
pub const RECEIPT_PATH: &str = "/aduan/terkirim";
/// The cookie that carries the code and secret of a report the reporter opened (with the
/// tracking form or one of its actions) to the reporter's view, a page that can be reloaded
/// without posting anything again. `Path` limits it to that page; it lasts half an hour.
pub const REPORTER_COOKIE: &str = "aduan_lacak";
pub const REPORTER_PATH: &str = "/aduan/laporan-anda";

/// What the tracking form says above itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Notice {
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

/// Every tracking answer: not cached, never sent on as a referrer.
fn private(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

fn lookup_page(p: Page, notice: Notice) -> AppResult<Response> {
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

#[derive(Template)]
#[template(path = "aduan_track.html")]
struct TrackPage {
    page: Page,
    c: PublicComplaint,
    /// The reporter's code and secret (hidden fields of the action forms); empty for the public.
    code: String,
    secret: String,
    /// Just filed: show the code and secret with the note to keep them.
    fresh: bool,
    /// What the last action did, if anything.
    done: String,
    holder: bool,
    can_confirm: bool,
    can_reopen: bool,
    can_reply: bool,
    /// The public page's photo links; the reporter's view has its photos inline instead.
    photo_base: String,
    inline_photos: Vec<String>,
    /// The category's and the village's names (`Mekarsari — Kec. Banjar, …`).
    category_name: String,
    village_name: String,
    /// The reporter's satisfaction-survey code, once a unit handles the report.
    survey: Option<balai_core::survey::ReceiptSurvey>,
}

impl TrackPage {
    /// A timeline moment in the report's region's zone (`5 Desember 2026 14.05 WIB`).
    fn when(&self, t: &time::OffsetDateTime) -> String {
        let region = self.c.village_code.as_deref().unwrap_or("");
        balai_core::format::datetime(*t, Zone::for_region(region), self.page.lang)
    }

    fn actor<'a>(&self, by: &'a str) -> &'a str {
        actor_label(self.page.lang, by)
    }

    fn text<'a>(&self, t: &'a str) -> std::borrow::Cow<'a, str> {
        system_text(self.page.lang, t)
    }
}

/// The names a report's page shows instead of its codes.
async fn names(ctx: &AppCtx, lang: Lang, c: &PublicComplaint) -> AppResult<(String, String)> {
    let village = c.village_code.as_deref();
    let category = store::categories_for(&ctx.db, village)
        .await?
        .into_iter()
        .find(|k| k.code == c.category)
        .map(|k| {
            if lang == Lang::En {
                k.name_en
            } else {
                k.name_id
            }
        })
        .unwrap_or_else(|| c.category.clone());
    let place = village
        .and_then(finder::get)
        .map(|h| h.label())
        .unwrap_or_default();
    Ok((category, place))
}

/// The tracking form: `kode`, and `rahasia` for the reporter's view.
#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    kode: String,
    #[serde(default)]
    rahasia: String,
    #[serde(default)]
    body: String,
}

/// Photos of the reporter's view as `data:` URIs: no URL that opens them without the secret.
async fn inline_photos(ctx: &AppCtx, c: &Complaint, ids: &[i64]) -> AppResult<Vec<String>> {
    let mut out = Vec::with_capacity(ids.len());
    for pid in ids {
        if let Some((ct, bytes)) = store::photo(&ctx.db, c.id, *pid).await? {
            let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.push(format!("data:{ct};base64,{b64}"));
        }
    }
    Ok(out)
}

struct Holder<'a> {
    code: &'a TrackingCode,
    secret: &'a str,
    fresh: bool,
    done: String,
}

async fn holder_page(ctx: &AppCtx, p: Page, c: &Complaint, h: Holder<'_>) -> AppResult<Response> {
    let v = view::for_reporter(&ctx.db, h.code, c).await?;
    let st = Status::parse(&v.status);
    let inline = inline_photos(ctx, c, &v.photos).await?;
    let (category_name, village_name) = names(ctx, p.lang, &v).await?;
    let res = render(&TrackPage {
        category_name,
        village_name,
        page: p,
        can_confirm: st == Some(Status::Answered),
        can_reopen: matches!(st, Some(Status::Answered | Status::Closed)),
        can_reply: !matches!(
            st,
            Some(Status::Rejected | Status::Duplicate | Status::Closed)
        ),
        code: h.code.display(),
        secret: h.secret.to_string(),
        photo_base: String::new(),
        inline_photos: inline,
        c: v,
        fresh: h.fresh,
        done: h.done,
        holder: true,
        survey: match c.agency_id {
            Some(a) => {
                let receipt = Receipt::new("complaint", c.id.get(), a, "Pengaduan");
                balai_core::survey::receipt_code(ctx, receipt).await
            }
            None => None,
        },
    })?;
    Ok(private(res))
}

async fn public_page(ctx: &AppCtx, p: Page, c: &Complaint) -> AppResult<Response> {
    let v = view::public(&ctx.db, c).await?;
    let (category_name, village_name) = names(ctx, p.lang, &v).await?;
    let res = render(&TrackPage {
        category_name,
        village_name,
        page: p,
        code: String::new(),
        secret: String::new(),
        fresh: false,
        done: String::new(),
        holder: false,
        can_confirm: false,
        can_reopen: false,
        can_reply: false,
        photo_base: format!("/aduan/lihat/{}/foto", c.id),
        inline_photos: Vec::new(),
        c: v,
        survey: None,
    })?;
    Ok(private(res))
}

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

/// What a reporter's action did, named in the reporter's view's address after the redirect.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Done {
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

/// `to` with the language the request's address named, if it named one.
fn keep_lang(to: String, uri: &OriginalUri) -> String {
    match Lang::from_query(uri.query()) {
        Some(l) if to.contains('?') => format!("{to}&lang={}", l.code()),
        Some(l) => format!("{to}?lang={}", l.code()),
        None => to,
    }
}

/// 303 to the reporter's view, with the cookie that lets it open the report; a language the
/// form's address named goes along.
fn to_reporter_view(
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
    let title = lang.tr("Laporan warga", "Citizen report");
    public_page(&ctx, page(lang, title, actor.as_ref(), &csrf, &uri), &c).await
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

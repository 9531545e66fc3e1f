//! The citizens' pages (file a request without an account, the receipt shown once, tracking
//! with code + secret, objection and dispute, the public record) and the PPID's queue. No
//! JavaScript; every form posts with a CSRF token; the code and secret never travel in a URL.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::{self, Agency, AgencyKind, Scope};
use balai_core::calendar;
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::commands::file::{self, FileInput};
use crate::commands::today_at;
use crate::domain::access::may_act;
use crate::domain::intake::RawRequest;
use crate::domain::permissions::StaffAction;
use crate::domain::status::{Action, Status};
use crate::errors::InformationError;
use crate::queries::archive::{self, SearchHit};
use crate::queries::request::{public_view, requester_view, RequestView, RequesterView};
use crate::queries::track::requester_row;
use crate::store;
use crate::RequestId;

/// The cookie that carries a just-filed request's code and secret to the receipt (once).
pub const RECEIPT_COOKIE: &str = "kip_baru";
pub const RECEIPT_PATH: &str = "/informasi/terkirim";

pub(crate) fn page(
    lang: Lang,
    title: &str,
    actor: Option<&Actor>,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, title, actor, &csrf.0, uri.path())
}

pub(crate) fn status_text(lang: Lang, code: &str) -> String {
    Status::parse(code).map_or_else(
        || code.to_string(),
        |s| lang.tr(s.label_id(), s.label_en()).to_string(),
    )
}

fn action_text(lang: Lang, code: &str) -> String {
    let known = Action::OFFICIAL
        .into_iter()
        .chain([Action::Object, Action::Dispute, Action::Rate])
        .find(|a| a.as_str() == code);
    match known {
        Some(a) => lang.tr(a.label_id(), a.label_en()).to_string(),
        None => lang
            .tr("Permohonan diterima", "Request received")
            .to_string(),
    }
}

/// The request form's fields, kept to show again after a refusal.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub agency_id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub information: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub delivery: String,
    /// The intake page's (officials): `counter` or `email`; the public form has none.
    #[serde(default)]
    pub channel: String,
    /// The intake page's: the day received, YYYY-MM-DD (empty: today).
    #[serde(default)]
    pub received_on: String,
}

impl RequestForm {
    /// The requester's fields as typed, for the filing command.
    pub fn raw(&self) -> RawRequest {
        RawRequest {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            information: self.information.clone(),
            purpose: self.purpose.clone(),
            delivery: self.delivery.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "kip_new.html")]
struct NewPage {
    page: Page,
    agencies: Vec<Agency>,
    form: RequestForm,
    error: Option<String>,
    /// Requests like the one being written, once the citizen looked for them.
    similar: Option<Vec<SearchHit>>,
}

impl NewPage {
    fn status_label(&self, code: &str) -> String {
        status_text(self.page.lang, code)
    }
}

async fn ppids(ctx: &AppCtx) -> AppResult<Vec<Agency>> {
    let all = accounts::list_agencies(&ctx.db, &Scope::All).await?;
    Ok(all.into_iter().filter(|a| a.is(AgencyKind::Ppid)).collect())
}

#[derive(Deserialize)]
pub struct NewQuery {
    agency: Option<i64>,
    /// The text of the request to come, searched against the archive first (no JavaScript).
    serupa: Option<String>,
}

/// The request form.
pub async fn new_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    axum::extract::Query(q): axum::extract::Query<NewQuery>,
) -> AppResult<Response> {
    let title = lang.tr("Permohonan informasi publik", "Request public information");
    let text = q.serupa.unwrap_or_default();
    let similar = if text.trim().is_empty() {
        None
    } else {
        Some(archive::similar(&ctx.db, &text).await?)
    };
    render(&NewPage {
        page: page(lang, title, actor.as_ref(), &csrf, &uri),
        agencies: ppids(&ctx).await?,
        form: RequestForm {
            agency_id: q.agency.unwrap_or_default(),
            information: text.chars().take(5_000).collect(),
            ..RequestForm::default()
        },
        error: None,
        similar,
    })
}

/// 303 to the receipt, with the one-time cookie that carries the code and the secret there.
pub(crate) fn to_receipt(ctx: &AppCtx, done: &file::Filed) -> Response {
    let mut res = Redirect::to(RECEIPT_PATH).into_response();
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{RECEIPT_COOKIE}={}.{}; Path={RECEIPT_PATH}; Max-Age=900; HttpOnly; SameSite=Strict{secure}",
        done.tracking_code, done.secret
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// File from the form: refused input shows the form again with the message (422, nothing
/// stored); a filed request redirects to the receipt, which the cookie reaches once.
pub async fn new_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> AppResult<Response> {
    let input = FileInput {
        agency_id: form.agency_id,
        request: form.raw(),
        channel: None,
        received_on: None,
    };
    // The web form files as the public does, whoever is signed in.
    match file::file(&ctx, &meta, None, &input).await {
        Ok(done) => Ok(to_receipt(&ctx, &done)),
        Err(InformationError::Core(e)) => Err(e),
        Err(e @ (InformationError::Forbidden | InformationError::NotFound)) => Err(e.into()),
        Err(e) => {
            let message = lang.tr(&e.to_string(), &e.message_en()).to_string();
            let title = lang.tr("Permohonan informasi publik", "Request public information");
            let mut res = render(&NewPage {
                page: page(lang, title, None, &csrf, &uri),
                agencies: ppids(&ctx).await?,
                form,
                error: Some(message),
                similar: None,
            })?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}

/// What the request page shows: the public record and, for the requester, their own part.
pub struct Shown {
    pub view: RequestView,
    pub mine: Option<RequesterView>,
    /// The secret, kept in the page's own forms (posted, never in a URL).
    pub secret_kept: String,
}

impl Shown {
    pub fn tracking_code_or_blank(&self) -> &str {
        self.mine.as_ref().map_or("", |m| m.tracking_code.as_str())
    }
}

#[derive(Template)]
#[template(path = "kip_request.html")]
struct RequestPage {
    page: Page,
    v: Shown,
    message: Option<String>,
    error: Option<String>,
    /// Shown once, on the receipt.
    secret: Option<String>,
    /// The satisfaction-survey code of this request.
    survey: Option<balai_core::survey::ReceiptSurvey>,
}

impl RequestPage {
    fn status_label(&self, code: &str) -> String {
        status_text(self.page.lang, code)
    }
    fn action_label(&self, code: &str) -> String {
        action_text(self.page.lang, code)
    }
}

/// Every page with a requester's details: not cached, no referrer.
pub(crate) fn private(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

pub(crate) async fn requester_page(
    ctx: &AppCtx,
    p: Page,
    row: &store::RequestRow,
    secret: &str,
    notes: (Option<String>, Option<String>, bool),
) -> AppResult<Response> {
    let events = store::events::events(&ctx.db, row.id).await?;
    let cal = calendar::load(&ctx.db).await?;
    let mine = requester_view(
        &crate::domain::settings::clocks(ctx),
        row,
        &events,
        &cal,
        today_at(&row.agency_region),
    );
    let (message, error, fresh) = notes;
    let grouped = balai_core::secret::grouped(&balai_core::secret::normalise_code(secret));
    let service = "Permohonan informasi publik";
    let visit =
        balai_core::survey::Receipt::new("information", row.id.get(), row.agency_id.get(), service);
    let res = render(&RequestPage {
        page: p,
        v: Shown {
            view: mine.request.clone(),
            mine: Some(mine),
            secret_kept: grouped.clone(),
        },
        message,
        error,
        secret: fresh.then_some(grouped),
        survey: balai_core::survey::receipt_code(ctx, visit).await,
    })?;
    Ok(private(res))
}

/// The receipt after filing on the web: the code and secret, shown once.
pub async fn receipt(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let kept = cookie_value(&headers, RECEIPT_COOKIE).and_then(|v| v.split_once('.'));
    let Some((code, secret)) = kept else {
        return Ok(Redirect::to("/informasi/lacak").into_response());
    };
    let row = match requester_row(&ctx, &meta, code, secret).await {
        Ok(row) => row,
        Err(InformationError::TrackingNotFound) => {
            return Ok(Redirect::to("/informasi/lacak").into_response())
        }
        Err(e) => return Err(e.into()),
    };
    let title = lang.tr("Permohonan terkirim", "Request sent");
    let p = page(lang, title, None, &csrf, &uri);
    let mut res = requester_page(&ctx, p, &row, secret, (None, None, true)).await?;
    let clear =
        format!("{RECEIPT_COOKIE}=; Path={RECEIPT_PATH}; Max-Age=0; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&clear) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// The public record of a request (never the requester).
pub async fn public_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<RequestId>,
) -> AppResult<Response> {
    let row = store::requests::get(&ctx.db, id)
        .await?
        .filter(|r| r.private_reason.is_none())
        .ok_or(InformationError::NotFound)?;
    let events = store::events::events(&ctx.db, id).await?;
    let view = public_view(&row, &events, today_at(&row.agency_region));
    let title = format!(
        "{} {}",
        lang.tr("Permohonan informasi", "Information request"),
        row.registration_number
    );
    render(&RequestPage {
        page: page(lang, &title, actor.as_ref(), &csrf, &uri),
        v: Shown {
            view,
            mine: None,
            secret_kept: String::new(),
        },
        message: None,
        error: None,
        secret: None,
        survey: None,
    })
}

#[derive(Template)]
#[template(path = "kip_queue.html")]
struct QueuePage {
    page: Page,
    rows: Vec<RequestView>,
}

impl QueuePage {
    fn status_label(&self, code: &str) -> String {
        status_text(self.page.lang, code)
    }
}

/// The PPID's queue: its requests with their due days, the open ones first by due day.
pub async fn queue(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let agency = match (&actor.scope, actor.is_superadmin()) {
        (_, true) => None,
        (Scope::Region { agency_id, .. }, _) => Some(AgencyId(*agency_id)),
        _ => return Err(InformationError::Forbidden.into()),
    };
    if let Some(a) = agency {
        let is_ppid = actor
            .agency
            .as_ref()
            .is_some_and(|g| g.is(AgencyKind::Ppid));
        if !is_ppid || !may_act(&actor, a, StaffAction::ReadQueue) {
            return Err(InformationError::Forbidden.into());
        }
    }
    let rows = store::requests::of_agency(&ctx.db, agency, 500, false).await?;
    let mut views: Vec<RequestView> = rows
        .iter()
        .map(|r| public_view(r, &[], today_at(&r.agency_region)))
        .collect();
    // Open requests first, the earliest due day first.
    views.sort_by_key(|v| {
        let open = Status::parse(&v.status).is_some_and(Status::awaits_answer)
            || v.status == Status::Objected.as_str();
        (!open, v.due_day.clone().unwrap_or_default())
    });
    let name = actor.agency.as_ref().map_or("PPID", |a| a.name.as_str());
    let title = format!(
        "{} · {name}",
        lang.tr("Antrean permohonan informasi", "Information request queue")
    );
    let res = render(&QueuePage {
        page: page(lang, &title, Some(&actor), &csrf, &uri),
        rows: views,
    })?;
    Ok(private(res))
}

//! Citizens' pages: the services, the online form, the receipt, tracking and correction, and
//! the public check of a receipt.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::format::date;
use balai_core::i18n::Lang;
use balai_core::regions::picker::{Picker, PickerInput};
use balai_core::secret::normalise_code;
use balai_core::survey::Receipt;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{here, render, Page};
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{file_response, qr_svg, MultipartForm};
use crate::commands::{resubmit, reveal};
use crate::crypto;
use crate::domain::service::{Channel, Requirement};
use crate::domain::tracking::grouped_code;
use crate::domain::workflow::Status;
use crate::errors::CivilRegistryError;
use crate::queries::applications::applicant_row;
use crate::queries::offerings::offered_at;
use crate::store::{self, settings, ApplicationRow, ServiceRow};
use crate::web::verify_url;

pub struct ServiceView {
    pub code: String,
    pub name: String,
    pub standard_days: i64,
    pub fee: String,
    pub requirements: Vec<Requirement>,
    pub event_kind: Option<String>,
    pub late_after_days: Option<i64>,
}

pub fn service_view(s: &ServiceRow, en: bool) -> ServiceView {
    ServiceView {
        code: s.code.clone(),
        name: if en {
            s.name_en.clone()
        } else {
            s.name_id.clone()
        },
        standard_days: s.standard_days,
        fee: match (s.fee_rupiah, en) {
            (0, true) => "Free".into(),
            (0, false) => "Gratis".into(),
            (n, _) => rupiah(n),
        },
        requirements: s.checklist(),
        event_kind: s.event_kind.clone(),
        late_after_days: s.late_after_days,
    }
}

/// The day of an instant on the application's regional calendar (WIB/WITA/WIT).
fn local_day(row: &ApplicationRow, t: time::OffsetDateTime) -> time::Date {
    crate::domain::service::local_date(t, row.region_tz.as_deref().unwrap_or("WIB"))
}

/// `Rp 15.000` (Indonesian thousands separator).
pub fn rupiah(n: i64) -> String {
    let rev: Vec<char> = n.abs().to_string().chars().rev().collect();
    let groups: Vec<String> = rev
        .chunks(3)
        .map(|c| c.iter().rev().collect::<String>())
        .rev()
        .collect();
    let out = groups.join(".");
    format!("Rp {out}")
}

#[derive(Template)]
#[template(path = "cr_home.html")]
struct HomePage {
    page: Page,
    services: Vec<ServiceView>,
    kelurahan: String,
    /// The village finder (to list the services offered in one's village).
    picker: Picker,
    /// Who serves the chosen kelurahan, or why the choice is not usable.
    note: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct KelurahanQuery {
    #[serde(default)]
    pub kelurahan: String,
    /// The village finder's search words, narrowing and buttons.
    #[serde(flatten)]
    pub finder: PickerInput,
}

pub async fn home(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<KelurahanQuery>,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.tr("Dokumen kependudukan", "Population documents"),
        actor.as_ref(),
        &csrf.0,
        &here(&uri),
    );
    let en = page.lang == Lang::En;
    let picker = Picker::new("kelurahan", &q.kelurahan, &q.finder);
    let kelurahan = if q.finder.is_search_step() {
        String::new()
    } else {
        picker.chosen_code().unwrap_or("").to_string()
    };
    let (offered, note) = if kelurahan.is_empty() {
        (None, None)
    } else {
        match offered_at(&ctx.db, &kelurahan)
            .await
            .map_err(AppError::from)
        {
            Ok((dinas, codes)) => (Some(codes), Some(dinas.name)),
            Err(e) if e.status() == StatusCode::UNPROCESSABLE_ENTITY => {
                let msg = if en {
                    e.info.message_en
                } else {
                    e.info.message_id
                };
                (Some(Vec::new()), Some(msg))
            }
            Err(e) => return Err(e),
        }
    };
    let services = store::list_services(&ctx.db)
        .await?
        .iter()
        .filter(|s| s.active && offered.as_ref().is_none_or(|o| o.contains(&s.code)))
        .map(|s| service_view(s, en))
        .collect();
    render(&HomePage {
        page,
        services,
        kelurahan,
        picker,
        note,
    })
}

#[derive(Template)]
#[template(path = "cr_receipt.html")]
pub struct ReceiptPage {
    pub page: Page,
    pub code: String,
    pub secret: Option<String>,
    pub service: String,
    pub submitted: String,
    pub due: String,
    pub late: bool,
    /// Filed at a counter (assisted).
    pub counter: bool,
    pub status: String,
    pub qr: String,
    pub url: String,
    /// The satisfaction-survey code of this visit.
    pub survey: Option<balai_core::survey::ReceiptSurvey>,
}

/// The printable receipt of a stored application.
pub async fn receipt_page(
    ctx: &AppCtx,
    page: Page,
    row: &ApplicationRow,
    secret: Option<String>,
) -> AppResult<Response> {
    let keys = crypto::keys_db(&ctx.db).await?;
    let mac = keys.receipt_mac(&row.tracking_code, row.submitted_at.unix_timestamp());
    let url = verify_url(ctx, &row.tracking_code, &mac);
    let s = store::service(&ctx.db, &row.service_code)
        .await?
        .ok_or_else(AppError::not_found)?;
    let en = page.lang == Lang::En;
    let lang = page.lang;
    let status = row.state();
    let visit = Receipt::new(
        "civil_registry",
        row.id,
        row.disdukcapil_agency_id.get(),
        &s.name_id,
    );
    let survey = balai_core::survey::receipt_code(ctx, visit).await;
    render(&ReceiptPage {
        survey,
        code: grouped_code(&row.tracking_code),
        secret,
        service: if en { s.name_en } else { s.name_id },
        submitted: date(local_day(row, row.submitted_at), lang),
        due: date(row.due_day, lang),
        late: row.late,
        counter: Channel::parse(&row.channel) == Channel::Counter,
        status: if en {
            status.label_en()
        } else {
            status.label_id()
        }
        .to_string(),
        qr: qr_svg(&url),
        url,
        page,
    })
}

#[derive(Template)]
#[template(path = "cr_track.html")]
struct TrackPage {
    page: Page,
    found: Option<TrackView>,
    message: Option<String>,
    /// A refusal of the code or secret typed (the form comes back with it).
    error: Option<String>,
    /// The code typed, kept when the form comes back.
    code: String,
}

struct TrackView {
    code: String,
    secret: String,
    service: String,
    status: String,
    needs_correction: bool,
    reason: Option<String>,
    due: String,
    history: Vec<(String, String, String)>,
    uploads: Vec<Requirement>,
    /// `(id, what it is, file name, uploaded on)`.
    documents: Vec<(i64, String, String, String)>,
    max_kb: usize,
}

/// The cookie that keeps the code and secret of the application being tracked, for the
/// tracking pages only (HttpOnly, SameSite=Strict, 30 minutes): the status page is a GET that
/// can be reloaded, and the secret never appears in a URL.
const TRACK_COOKIE: &str = "dukcapil_lacak";
const TRACK_PATH: &str = "/dukcapil/track";
const STATUS_PATH: &str = "/dukcapil/track/status";

fn track_cookie(ctx: &AppCtx, code: &str, secret: &str) -> Option<HeaderValue> {
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let (code, secret) = (normalise_code(code), normalise_code(secret));
    let ok =
        |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !ok(&code) || !ok(&secret) {
        return None;
    }
    HeaderValue::from_str(&format!(
        "{TRACK_COOKIE}={code}.{secret}; Path={TRACK_PATH}; Max-Age=1800; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
}

fn tracked(headers: &HeaderMap) -> Option<(&str, &str)> {
    cookie_value(headers, TRACK_COOKIE).and_then(|v| v.split_once('.'))
}

fn track_page(
    page: Page,
    found: Option<TrackView>,
    error: Option<String>,
    code: String,
) -> AppResult<Response> {
    let mut res = render(&TrackPage {
        page,
        found,
        message: None,
        error,
        code,
    })?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn track_form(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let title = lang.tr("Lacak permohonan", "Track an application");
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, &here(&uri));
    track_page(page, None, None, String::new())
}

#[derive(Deserialize)]
pub struct TrackInput {
    code: String,
    secret: String,
}

async fn track_view(
    ctx: &AppCtx,
    lang: Lang,
    row: &ApplicationRow,
    secret: &str,
) -> AppResult<TrackView> {
    let en = lang == Lang::En;
    let s = store::service(&ctx.db, &row.service_code)
        .await?
        .ok_or_else(AppError::not_found)?;
    let status = row.state();
    let history = store::history(&ctx.db, row.app_id())
        .await?
        .into_iter()
        .map(|h| {
            let st = Status::parse(&h.to_status).unwrap_or(Status::Submitted);
            (
                date(local_day(row, h.at), lang),
                if en { st.label_en() } else { st.label_id() }.to_string(),
                h.note.unwrap_or_default(),
            )
        })
        .collect();
    let checklist = s.checklist();
    let documents = store::documents(&ctx.db, row.app_id())
        .await?
        .into_iter()
        .map(|d| {
            let what = checklist
                .iter()
                .find(|r| r.key == d.requirement_key)
                .map(|r| lang.tr(&r.label_id, &r.label_en).to_string())
                .unwrap_or_else(|| d.requirement_key.clone());
            let on = date(local_day(row, d.uploaded_at), lang);
            (d.id, what, d.filename, on)
        })
        .collect();
    Ok(TrackView {
        code: grouped_code(&row.tracking_code),
        secret: secret.to_string(),
        service: if en {
            s.name_en.clone()
        } else {
            s.name_id.clone()
        },
        status: if en {
            status.label_en()
        } else {
            status.label_id()
        }
        .to_string(),
        needs_correction: status == Status::NeedsCorrection,
        reason: row
            .reason
            .clone()
            .filter(|_| matches!(status, Status::NeedsCorrection | Status::Rejected)),
        due: date(row.due_day, lang),
        history,
        uploads: checklist.into_iter().filter(|r| r.upload).collect(),
        documents,
        max_kb: settings::max_upload_bytes(&ctx.db).await? / 1024,
    })
}

/// Code and secret typed: right, a redirect to the status page (the pair kept in a cookie of
/// the tracking pages); wrong, the form again with the message and the code typed.
pub async fn track_show(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(input): CsrfForm<TrackInput>,
) -> AppResult<Response> {
    match applicant_row(&ctx, &meta, &input.code, &input.secret).await {
        Ok(_) => {
            let mut res = Redirect::to(STATUS_PATH).into_response();
            if let Some(v) = track_cookie(&ctx, &input.code, &input.secret) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        Err(e @ (CivilRegistryError::TrackingNotFound | CivilRegistryError::TooManyAttempts)) => {
            let status = if matches!(e, CivilRegistryError::TooManyAttempts) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let title = lang.tr("Lacak permohonan", "Track an application");
            let page = Page::new(lang, title, actor.as_ref(), &csrf.0, uri.path());
            let msg = AppError::from(e).info.message(lang).to_string();
            let code: String = input.code.trim().chars().take(20).collect();
            let mut res = track_page(page, None, Some(msg), code)?;
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct StatusQuery {
    /// `perbaikan=1` after a correction was sent.
    #[serde(default)]
    perbaikan: Option<String>,
}

/// The status of the application being tracked (its code and secret in the tracking cookie);
/// without them, the tracking form.
pub async fn track_status(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    headers: HeaderMap,
    Query(q): Query<StatusQuery>,
) -> AppResult<Response> {
    let Some((code, secret)) = tracked(&headers) else {
        return Ok(Redirect::to(TRACK_PATH).into_response());
    };
    let Ok(row) = applicant_row(&ctx, &meta, code, secret).await else {
        return Ok(Redirect::to(TRACK_PATH).into_response());
    };
    let title = lang.tr("Lacak permohonan", "Track an application");
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, STATUS_PATH);
    let found = Some(track_view(&ctx, lang, &row, secret).await?);
    let message = q.perbaikan.map(|_| {
        lang.tr(
            "Perbaikan terkirim. Permohonan kembali ke antrean verifikasi.",
            "Correction sent. The application is back in the verification queue.",
        )
        .to_string()
    });
    let mut res = render(&TrackPage {
        page,
        found,
        message,
        error: None,
        code: String::new(),
    })?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// A correction sent: a redirect to the status page, which says so.
pub async fn track_correct(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    form: MultipartForm,
) -> AppResult<Response> {
    let (code, secret) = (form.get("code"), form.get("secret"));
    resubmit::resubmit(&ctx, &meta, &code, &secret, &form.files).await?;
    let mut res = Redirect::to(&format!("{STATUS_PATH}?perbaikan=1")).into_response();
    if let Some(v) = track_cookie(&ctx, &code, &secret) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "cr_verify.html")]
struct VerifyPage {
    page: Page,
    genuine: bool,
    code: String,
    service: String,
    submitted: String,
    status: String,
}

/// Anyone holding a receipt can check it was issued by this server (no personal data shown).
pub async fn verify(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path((code, mac)): Path<(String, String)>,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        "Cek keaslian tanda terima",
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let en = page.lang == Lang::En;
    let row = store::by_tracking_code(&ctx.db, &code).await?;
    let keys = crypto::keys_db(&ctx.db).await?;
    let ok_row = row.filter(|r| {
        let expected = keys.receipt_mac(&r.tracking_code, r.submitted_at.unix_timestamp());
        bool::from(expected.as_bytes().ct_eq(mac.as_bytes()))
    });
    let Some(r) = ok_row else {
        return render(&VerifyPage {
            page,
            genuine: false,
            code,
            service: String::new(),
            submitted: String::new(),
            status: String::new(),
        });
    };
    let s = store::service(&ctx.db, &r.service_code).await?;
    let status = r.state();
    render(&VerifyPage {
        genuine: true,
        code: grouped_code(&r.tracking_code),
        service: s
            .map(|s| if en { s.name_en } else { s.name_id })
            .unwrap_or_default(),
        submitted: date(local_day(&r, r.submitted_at), lang),
        status: if en {
            status.label_en()
        } else {
            status.label_id()
        }
        .to_string(),
        page,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn rupiah_format() {
        assert_eq!(super::rupiah(15_000), "Rp 15.000");
        assert_eq!(super::rupiah(1_250_000), "Rp 1.250.000");
        assert_eq!(super::rupiah(500), "Rp 500");
        assert_eq!(super::rupiah(0), "Rp 0");
    }
}

#[derive(Deserialize)]
pub struct DocumentInput {
    code: String,
    secret: String,
    doc: i64,
}

/// The applicant downloads their own upload (needs the tracking code and its secret).
pub async fn track_document(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    CsrfForm(input): CsrfForm<DocumentInput>,
) -> AppResult<Response> {
    let row = applicant_row(&ctx, &meta, &input.code, &input.secret).await?;
    let (m, data) = store::document_data(&ctx.db, row.app_id(), input.doc)
        .await?
        .ok_or_else(AppError::not_found)?;
    reveal::document_read(&ctx, &meta, None, &row, &m).await?;
    Ok(file_response(&m, data))
}

/// The receipt again, from the tracking page (the secret is not shown again): a page of its
/// own that can be reloaded and printed.
pub async fn track_receipt(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    headers: HeaderMap,
) -> AppResult<Response> {
    let Some((code, secret)) = tracked(&headers) else {
        return Ok(Redirect::to(TRACK_PATH).into_response());
    };
    let Ok(row) = applicant_row(&ctx, &meta, code, secret).await else {
        return Ok(Redirect::to(TRACK_PATH).into_response());
    };
    let title = lang.tr("Tanda terima", "Receipt");
    let page = Page::new(
        lang,
        title,
        actor.as_ref(),
        &csrf.0,
        "/dukcapil/track/receipt",
    );
    receipt_page(&ctx, page, &row, None).await
}

//! The online application form: shown (optionally for a chosen kelurahan), searched for a
//! village (a search step that keeps everything typed), submitted, and shown again with the
//! citizen's values and the message when the input is refused. A filing answers with a
//! redirect to its receipt, so a reload never files twice.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::regions::picker::{Picker, PickerInput};
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, render, Page};
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use super::public::{receipt_page, service_view, KelurahanQuery, ServiceView};
use super::MultipartForm;
use crate::commands::apply::{self as command, SubmitInput, Submitted};
use crate::queries::applications::applicant_row;
use crate::queries::offerings::{not_offered, offered_at};
use crate::store::{self, settings};

/// Where a just-filed application's receipt is shown, and the cookie that carries its code
/// and secret there from the filing POST (never in the URL, so never in a log).
pub const RECEIPT_PATH: &str = "/dukcapil/tanda-terima";
const RECEIPT_COOKIE: &str = "dukcapil_baru";

#[derive(Template)]
#[template(path = "cr_apply.html")]
pub struct ApplyPage {
    pub page: Page,
    pub service: ServiceView,
    pub action: String,
    pub assisted: bool,
    pub max_kb: usize,
    /// What was typed (kept when the form comes back with an error or a search step).
    pub values: SubmitInput,
    /// The village finder.
    pub picker: Picker,
    pub error: Option<String>,
    /// The form came back (error or search step): files must be chosen again.
    pub again: bool,
    /// The refusal names an open application: link to the tracking page.
    pub track_link: bool,
}

impl ApplyPage {
    /// The form for a service, empty or with what was typed.
    pub async fn build(
        ctx: &AppCtx,
        page: Page,
        s: &store::ServiceRow,
        assisted: bool,
        values: SubmitInput,
        finder: &PickerInput,
    ) -> AppResult<ApplyPage> {
        let action = if assisted {
            format!("/dukcapil/staff/counter/{}", s.code)
        } else {
            format!("/dukcapil/apply/{}", s.code)
        };
        Ok(ApplyPage {
            service: service_view(s, page.lang == Lang::En),
            action,
            assisted,
            max_kb: settings::max_upload_bytes(&ctx.db).await? / 1024,
            picker: Picker::new("kelurahan", &values.kelurahan, finder),
            values,
            error: None,
            again: false,
            track_link: false,
            page,
        })
    }
}

/// Bad input, or an open application of the same NIK: the same form again with the submitted
/// values and the message (HTTP 422 or 409). Uploads cannot be kept (browsers never prefill
/// file inputs). Other errors, or an unknown service, stay error pages.
pub async fn apply_again(
    ctx: &AppCtx,
    page: Page,
    assisted: bool,
    input: SubmitInput,
    err: AppError,
) -> AppResult<Response> {
    let status = err.status();
    let shown = status == StatusCode::UNPROCESSABLE_ENTITY
        || (status == StatusCode::CONFLICT && err.info.code == "application_open");
    if !shown {
        return Err(err);
    }
    let Some(s) = store::service(&ctx.db, &input.service)
        .await?
        .filter(|s| s.active)
    else {
        return Err(err);
    };
    let error = Some(err.info.message(page.lang).to_string());
    let mut t = ApplyPage::build(ctx, page, &s, assisted, input, &PickerInput::default()).await?;
    t.error = error;
    t.again = true;
    t.track_link = status == StatusCode::CONFLICT;
    let mut res = render(&t)?;
    *res.status_mut() = status;
    Ok(res)
}

/// A search step of the village finder: the form again with everything typed and the
/// villages found (HTTP 200: nothing was refused).
pub async fn search_again(
    ctx: &AppCtx,
    page: Page,
    assisted: bool,
    form: &MultipartForm,
    code: &str,
) -> AppResult<Response> {
    let s = store::service(&ctx.db, code)
        .await?
        .filter(|s| s.active)
        .ok_or_else(AppError::not_found)?;
    let input = form.submit_input(code);
    let mut t = ApplyPage::build(ctx, page, &s, assisted, input, &form.picker_input()).await?;
    t.again = !form.files.is_empty();
    render(&t)
}

pub async fn apply_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    Query(q): Query<KelurahanQuery>,
) -> AppResult<Response> {
    let s = store::service(&ctx.db, &code)
        .await?
        .filter(|s| s.active)
        .ok_or_else(AppError::not_found)?;
    let title = if lang == Lang::En {
        s.name_en.clone()
    } else {
        s.name_id.clone()
    };
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, &here(&uri));
    // Opened from the list of a chosen kelurahan: say at once if it is not offered there.
    let kelurahan = q.kelurahan.trim();
    let mut error = None;
    if !kelurahan.is_empty() {
        let refusal = match offered_at(&ctx.db, kelurahan).await.map_err(AppError::from) {
            Ok((dinas, codes)) if !codes.contains(&s.code) => {
                Some(AppError::from(not_offered(&s, &dinas)))
            }
            Ok(_) => None,
            Err(e) if e.status() == StatusCode::UNPROCESSABLE_ENTITY => Some(e),
            Err(e) => return Err(e),
        };
        error = refusal.map(|e| e.info.message(lang).to_string());
    }
    let values = SubmitInput {
        kelurahan: kelurahan.to_string(),
        ..SubmitInput::default()
    };
    let mut t = ApplyPage::build(&ctx, page, &s, false, values, &q.finder).await?;
    t.error = error;
    render(&t)
}

/// After a filing: a redirect to its receipt, the code and secret in a cookie of that page
/// only (HttpOnly, SameSite=Strict, 15 minutes), so the receipt can be reloaded and printed
/// and a reload never files again.
pub fn after_submit(ctx: &AppCtx, done: &Submitted) -> Response {
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

/// The receipt of an application just filed, with its secret, while its cookie lasts; else
/// the tracking form.
pub async fn receipt(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    headers: HeaderMap,
) -> AppResult<Response> {
    let kept = cookie_value(&headers, RECEIPT_COOKIE).and_then(|v| v.split_once('.'));
    let Some((code, secret)) = kept else {
        return Ok(Redirect::to("/dukcapil/track").into_response());
    };
    let Ok(row) = applicant_row(&ctx, &meta, code, secret).await else {
        return Ok(Redirect::to("/dukcapil/track").into_response());
    };
    let title = lang.tr("Tanda terima", "Receipt");
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, RECEIPT_PATH);
    let mut res = receipt_page(&ctx, page, &row, Some(secret.to_string())).await?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn apply_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    form: MultipartForm,
) -> AppResult<Response> {
    let title = lang.tr("Formulir permohonan", "Application form");
    if form.picker_input().is_search_step() {
        let page = Page::new(lang, title, None, &csrf.0, uri.path());
        return search_again(&ctx, page, false, &form, &code).await;
    }
    let input = form.submit_input(&code);
    match command::submit(&ctx, &meta, None, &input, &form.files).await {
        Ok(done) => Ok(after_submit(&ctx, &done)),
        Err(e) => {
            let page = Page::new(lang, title, None, &csrf.0, uri.path());
            apply_again(&ctx, page, false, input, e.into()).await
        }
    }
}

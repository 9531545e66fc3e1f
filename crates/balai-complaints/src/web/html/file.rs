//! Public pages: file a report (no account, no JavaScript needed) and follow it by tracking code.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, OriginalUri, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::regions::picker::{Picker, PickerInput};
use balai_core::regions::{self, RegionCode};
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{self, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::commands::file_report::{self, channel_for, Submission};
use crate::domain::{Channel, ReportType};
use crate::errors::ComplaintError;
use crate::queries::lists::{self, ListRow};
use crate::store::{self, Category};
use crate::web::html::{offline, track};
use crate::web::page::{clocks, page, StatusLabel as _};

#[derive(Deserialize, Default)]
pub struct NewParams {
    village_code: Option<String>,
    category: Option<String>,
    /// The village finder's search words, narrowing and buttons.
    #[serde(flatten)]
    finder: PickerInput,
}

#[derive(Template)]
#[template(path = "aduan_new.html")]
struct NewPage {
    page: Page,
    categories: Vec<Category>,
    village_code: String,
    /// `Mekarsari — Kec. Banjar, Kota Banjar, Jawa Barat`.
    village_name: String,
    category: String,
    picker: Picker,
    chosen: Option<Category>,
    election: bool,
    similar: Vec<ListRow>,
    is_official: bool,
    /// What the reporter typed, kept when the form comes back with an error.
    form: HashMap<String, String>,
    error: String,
    /// Days to report an election violation formally (a setting).
    window_days: u32,
    /// The offline outbox's scripts (not for officials filing at the counter).
    scripts: Vec<String>,
}

impl NewPage {
    fn val(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }

    fn checked(&self, k: &str) -> bool {
        self.form.contains_key(k)
    }
}

/// Step 1 picks the village and category; step 2 shows open reports like it, then the form.
pub async fn new_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(p): Query<NewParams>,
) -> AppResult<Response> {
    let page = page(
        lang,
        lang.tr("Sampaikan laporan", "File a report"),
        actor.as_ref(),
        &csrf,
        &uri,
    );
    let t = new_page(
        &ctx,
        page,
        actor.is_some(),
        p,
        HashMap::new(),
        String::new(),
    )
    .await?;
    render(&t)
}

async fn new_page(
    ctx: &AppCtx,
    page: Page,
    is_official: bool,
    p: NewParams,
    form: HashMap<String, String>,
    error: String,
) -> AppResult<NewPage> {
    let picker = Picker::new(
        "village_code",
        p.village_code.as_deref().unwrap_or(""),
        &p.finder,
    );
    let village_code = picker.chosen_code().unwrap_or("").to_string();
    let village_name = picker.chosen.clone().map(|c| c.1).unwrap_or_default();
    let mut valid_village = false;
    if let Ok(code) = RegionCode::parse(&village_code) {
        valid_village = regions::get(&ctx.db, &code)
            .await?
            .is_some_and(|r| r.level == 4);
    }
    let categories =
        store::categories_for(&ctx.db, valid_village.then_some(village_code.as_str())).await?;
    let category = p.category.unwrap_or_default();
    // A search step stays on step 1, whatever was chosen before.
    let chosen = if valid_village && !p.finder.is_search_step() {
        categories.iter().find(|c| c.code == category).cloned()
    } else {
        None
    };
    let similar = match &chosen {
        Some(c) => lists::open_in_village(&ctx.db, &village_code, &c.code).await?,
        None => Vec::new(),
    };
    let election = chosen
        .as_ref()
        .and_then(|c| ReportType::parse(&c.report_type))
        .is_some_and(ReportType::is_election);
    Ok(NewPage {
        page,
        categories,
        village_code,
        village_name,
        category,
        picker,
        chosen,
        election,
        similar,
        is_official,
        form,
        error,
        window_days: clocks(ctx).election_filing_window_days,
        scripts: if is_official {
            Vec::new()
        } else {
            offline::script_urls().to_vec()
        },
    })
}

/// Read a multipart form, checking its CSRF token first.
async fn read_multipart(
    ctx: &AppCtx,
    headers: HeaderMap,
    mut mp: Multipart,
) -> AppResult<(HashMap<String, String>, Vec<Vec<u8>>)> {
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    let bad = |_| ComplaintError::BadForm;
    while let Some(f) = mp.next_field().await.map_err(bad)? {
        let name = f.name().unwrap_or("").to_string();
        if name == "photos" {
            let bytes = f.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                files.push(bytes.to_vec());
            }
        } else {
            let text = f.text().await.map_err(bad)?;
            fields.insert(name, text);
        }
    }
    let (mut parts, _) = axum::http::Request::new(()).into_parts();
    parts.headers = headers;
    csrf::check(
        ctx,
        &parts,
        fields.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    Ok((fields, files))
}

fn opt(fields: &HashMap<String, String>, k: &str) -> Option<String> {
    fields
        .get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn num(fields: &HashMap<String, String>, k: &str) -> Result<Option<f64>, ComplaintError> {
    match opt(fields, k) {
        None => Ok(None),
        Some(v) => v
            .replace(',', ".")
            .parse()
            .map(Some)
            .map_err(|_| ComplaintError::CoordinatesNotNumbers),
    }
}

/// File the report from the HTML form (multipart, for photos).
pub async fn create(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    meta: ReqMeta,
    csrf: CsrfToken,
    headers: HeaderMap,
    mp: Multipart,
) -> AppResult<Response> {
    let (f, photos) = read_multipart(&ctx, headers, mp).await?;
    let channel = channel_for(actor.as_ref(), opt(&f, "channel").as_deref(), Channel::Web)?;
    let s = Submission {
        category: opt(&f, "category").unwrap_or_default(),
        title: opt(&f, "title"),
        description: opt(&f, "description").unwrap_or_default(),
        village_code: opt(&f, "village_code"),
        address: opt(&f, "address"),
        lat: num(&f, "lat")?,
        lon: num(&f, "lon")?,
        contact_name: opt(&f, "contact_name"),
        contact_phone: opt(&f, "contact_phone"),
        contact_email: opt(&f, "contact_email"),
        anonymous: f.contains_key("anonymous"),
        confidential: f.contains_key("confidential"),
        reported_party: opt(&f, "reported_party"),
        incident_time: opt(&f, "incident_time"),
        incident_place: opt(&f, "incident_place"),
        evidence: opt(&f, "evidence"),
        known_on: opt(&f, "known_on"),
        photos,
        unstructured: false,
        sms_from: None,
    };
    let ip = if actor.is_some() {
        None
    } else {
        Some(meta.ip.as_str())
    };
    let result = file_report::submit(
        &ctx,
        &meta.audit(actor.as_ref()),
        channel,
        ip,
        s,
        &clocks(&ctx),
    )
    .await;
    let done = match result {
        Ok(done) => done,
        // A refusal of what was typed: give the form back with it (photos must be chosen
        // again). Anything else (flood limit, server trouble) is an error page.
        Err(e @ (ComplaintError::Invalid(_) | ComplaintError::UnknownCategory)) => {
            let e = balai_core::AppError::from(e);
            let msg = format!(
                "{} {}",
                e.info.message(lang),
                lang.tr("Foto perlu dipilih ulang.", "Choose the photos again.")
            );
            let params = NewParams {
                village_code: f.get("village_code").cloned(),
                category: f.get("category").cloned(),
                finder: PickerInput::default(),
            };
            let page = Page::new(
                lang,
                lang.tr("Sampaikan laporan", "File a report"),
                actor.as_ref(),
                &csrf.0,
                "/aduan/baru",
            );
            let mut f = f;
            f.remove("csrf");
            let t = new_page(&ctx, page, actor.is_some(), params, f, msg).await?;
            let mut res = render(&t)?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    // The code and secret go to the receipt page in a short-lived cookie of that page only,
    // never in the URL.
    let mut res = Redirect::to(track::RECEIPT_PATH).into_response();
    if let Some(v) = track::receipt_cookie(&ctx, &done.tracking_code, &done.secret) {
        res.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    Ok(res)
}

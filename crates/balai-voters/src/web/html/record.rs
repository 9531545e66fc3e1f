//! One voter's full record for an official: one NIK typed in, one record shown, each opening
//! audited ([`crate::commands::view`]) and the official told so, with their own recent
//! openings from the audit log. The record is shown in reply to the POST (a NIK never goes
//! into a URL) and is not kept by any cache.

use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::audit::{self, Filter};
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use balai_core::web::actor::ReqMeta;
use balai_core::web::csrf::CsrfForm;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::common::{election_for, message, status_of, Req};
use super::lists::region_name;
use crate::commands::view;
use crate::domain::audit as actions;
use crate::domain::permissions::Action;
use crate::domain::report::{written, Invalid};
use crate::errors::VoterError;

/// The record's fields as the page lists them: (label, value).
pub type Fields = Vec<(&'static str, String)>;

/// One of the official's own openings, from the audit log.
pub struct Opening {
    pub when: String,
    pub nik_masked: String,
    pub purpose: String,
}

#[derive(Template)]
#[template(path = "pemilih_data.html")]
struct RecordPage {
    page: Page,
    id: i64,
    election: String,
    purpose: String,
    error: String,
    record: Option<Fields>,
    openings: Vec<Opening>,
}

#[derive(Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    nik: String,
    #[serde(default)]
    purpose: String,
}

async fn show(
    req: &Req,
    id: i64,
    purpose: String,
    error: String,
    record: Option<Fields>,
) -> AppResult<Response> {
    let (e, _) = election_for(&req.ctx, &req.actor, id, Action::ReadRecord).await?;
    let openings = openings(req, id, &e.region_code).await?;
    let mut res = render(&RecordPage {
        page: req.page(req.lang.tr("Data satu pemilih", "One voter's record")),
        id,
        election: e.name,
        purpose,
        error,
        record,
        openings,
    })?;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The official's last openings of records of this election (newest first).
async fn openings(req: &Req, id: i64, region: &str) -> AppResult<Vec<Opening>> {
    let filter = Filter {
        actor: req.actor.user.username.clone(),
        action: actions::PERSONAL_DATA_READ.into(),
        target_kind: actions::TARGET_VOTER.into(),
        target_id: String::new(),
    };
    let rows = audit::list_filtered(&req.ctx.db, &req.actor.scope, &filter, None, 50).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let s: serde_json::Value = serde_json::from_str(&r.summary).ok()?;
            (s["election_id"].as_i64() == Some(id)).then(|| Opening {
                when: format::datetime(r.occurred_at, Zone::for_region(region), req.lang),
                nik_masked: s["nik_masked"].as_str().unwrap_or_default().to_string(),
                purpose: s["purpose"].as_str().unwrap_or_default().to_string(),
            })
        })
        .take(10)
        .collect())
}

/// `GET /pemilih/petugas/{id}/data`: the form.
pub async fn form(req: Req, Path(id): Path<i64>) -> AppResult<Response> {
    show(&req, id, String::new(), String::new(), None).await
}

/// `POST /pemilih/petugas/{id}/data`: open the record (audited) and show it.
pub async fn open(
    req: Req,
    meta: ReqMeta,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RecordForm>,
) -> AppResult<Response> {
    let Req {
        ref ctx,
        lang,
        ref actor,
        ..
    } = req;
    let purpose = f.purpose.trim().to_string();
    let opened = if written(&purpose, 3, 300) {
        view::view(ctx, &meta, actor, id, f.nik.trim(), &purpose).await
    } else {
        election_for(ctx, actor, id, Action::ReadRecord).await?;
        Err(VoterError::Report(Invalid::Purpose))
    };
    match opened {
        Ok(record) => {
            let fields = fields(ctx, lang, &record).await?;
            show(&req, id, String::new(), String::new(), Some(fields)).await
        }
        Err(e) => {
            let status = status_of(&e);
            let error = message(e, lang)?;
            let res = show(&req, id, purpose, error, None).await?;
            Ok((status, res).into_response())
        }
    }
}

/// The record's fields in the page's language, names not codes.
async fn fields(ctx: &AppCtx, lang: Lang, r: &serde_json::Value) -> AppResult<Fields> {
    let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
    let village = text("village_code");
    let sex = match r["sex"].as_str() {
        Some("L") => lang.tr("Laki-laki", "Male"),
        Some("P") => lang.tr("Perempuan", "Female"),
        _ => "–",
    };
    let or_dash = |s: String| {
        if s.trim().is_empty() {
            "–".to_string()
        } else {
            s
        }
    };
    Ok(vec![
        ("NIK", text("nik")),
        (lang.tr("Nomor KK", "Family card number"), text("nkk")),
        (lang.tr("Nama", "Name"), text("name")),
        (
            lang.tr("Tempat, tanggal lahir", "Place and date of birth"),
            format!(
                "{}, {}",
                text("birth_place"),
                format::date_text(&text("birth_date"), lang)
            ),
        ),
        (lang.tr("Jenis kelamin", "Sex"), sex.to_string()),
        (lang.tr("Alamat", "Address"), text("address")),
        (
            lang.tr("Desa/kelurahan", "Village"),
            region_name(ctx, &village).await?,
        ),
        (
            "TPS",
            format!("TPS {:03}", r["tps_number"].as_i64().unwrap_or_default()),
        ),
        (
            lang.tr("Status perkawinan", "Marital status"),
            or_dash(text("marital_status")),
        ),
        (
            lang.tr("Disabilitas", "Disability"),
            or_dash(text("disability")),
        ),
    ])
}

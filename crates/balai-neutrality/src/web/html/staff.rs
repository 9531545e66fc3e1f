//! The agencies' page: the register of an appointing government with the officials' NIP, the
//! form to record one appointment and the CSV import. Pemda (BKD/BKPSDM) officials of the region
//! and BKN officials covering it only; viewing the NIP is audited as a personal-data read.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::audit::{self, AuditEvent};
use balai_core::i18n::Lang;
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;
use serde_json::json;

use super::{day, message};
use crate::commands::authorize::require;
use crate::commands::{import, record};
use crate::domain::appointment::{Draft, SignedBy};
use crate::domain::audit as actions;
use crate::domain::permissions::Action;
use crate::errors::NeutralityError;
use crate::queries::register;
use crate::store::appointments::{self, Source};

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    recorded: Option<usize>,
    #[serde(default)]
    flagged: Option<usize>,
}

/// One row of the agencies' register.
pub struct StaffRow {
    pub name: String,
    pub nip: String,
    pub move_text: String,
    pub decree: String,
    pub flags: usize,
    pub unapproved: bool,
}

#[derive(Template)]
#[template(path = "netralitas_staff.html")]
struct StaffPage {
    page: Page,
    region: String,
    region_name: String,
    rows: Vec<StaffRow>,
    form: FormValues,
    csv_text: String,
    error: String,
    notice: String,
    may_import: bool,
    signers: Vec<(&'static str, &'static str)>,
}

/// The record form as sent (kept when it is refused, so nothing has to be typed again).
#[derive(Deserialize, Default, Clone)]
pub struct FormValues {
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub official_name: String,
    #[serde(default)]
    pub nip: String,
    #[serde(default)]
    pub from_position: String,
    #[serde(default)]
    pub to_position: String,
    #[serde(default)]
    pub decree_number: String,
    #[serde(default)]
    pub decree_date: String,
    #[serde(default)]
    pub effective_date: String,
    #[serde(default)]
    pub signed_by: String,
    #[serde(default)]
    pub minister_approval_ref: String,
}

impl FormValues {
    fn draft(&self) -> Draft {
        Draft {
            region_code: self.region_code.clone(),
            kind: self.kind.clone(),
            official_name: self.official_name.clone(),
            nip: self.nip.clone(),
            from_position: self.from_position.clone(),
            to_position: self.to_position.clone(),
            decree_number: self.decree_number.clone(),
            decree_date: self.decree_date.clone(),
            effective_date: self.effective_date.clone(),
            signed_by: self.signed_by.clone(),
            minister_approval_ref: self.minister_approval_ref.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    region: String,
    #[serde(default)]
    csv: String,
}

/// The region the page is about: the one asked for, else the official's agency's.
fn region_of(actor: &Actor, asked: &str) -> String {
    if asked.trim().is_empty() {
        actor
            .agency
            .as_ref()
            .map(|a| a.region_code.clone())
            .unwrap_or_default()
    } else {
        asked.trim().to_string()
    }
}

struct Shown {
    region: String,
    form: FormValues,
    csv_text: String,
    error: String,
    notice: String,
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    meta: &ReqMeta,
    csrf: &str,
    path: &str,
    shown: Shown,
) -> AppResult<(StatusCode, Response)> {
    let code = RegionCode::parse(&shown.region).map_err(|_| {
        AppError::from(NeutralityError::Invalid(
            crate::domain::appointment::Invalid::BadRegion,
        ))
    })?;
    require(actor, &code, Action::ReadRegister)?;
    let reg = register::load(&ctx.db, code.as_str()).await?;
    let nips: std::collections::HashMap<i64, Option<String>> =
        appointments::with_nip_in(&ctx.db, code.as_str())
            .await?
            .into_iter()
            .collect();
    let mut tx = ctx.begin().await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::PERSONAL_DATA_READ,
            target_kind: actions::TARGET_REGION,
            target_id: code.as_str().to_string(),
            region_code: Some(code.as_str().to_string()),
            summary: json!({ "what": "appointments_nip", "rows": nips.len() }),
        },
    )
    .await?;
    tx.commit().await?;
    let rows = reg
        .entries
        .iter()
        .rev()
        .map(|e| StaffRow {
            name: e.row.official_name.clone(),
            nip: nips.get(&e.row.id).cloned().flatten().unwrap_or_default(),
            move_text: format!("{} → {}", e.row.from_position, e.row.to_position),
            decree: format!("{} · {}", e.row.decree_number, day(e.row.decree_date, lang)),
            flags: e.flags.len(),
            unapproved: e.unapproved(),
        })
        .collect();
    let page = Page::new(
        lang,
        lang.tr(
            "Daftar pengangkatan (petugas)",
            "Appointments register (officials)",
        ),
        Some(actor),
        csrf,
        path,
    );
    let mut form = shown.form;
    if form.region_code.is_empty() {
        form.region_code = reg.region_code.clone();
    }
    let status = if shown.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&StaffPage {
        may_import: require(actor, &code, Action::ImportAppointments).is_ok(),
        signers: SignedBy::ALL
            .iter()
            .map(|s| (s.as_str(), lang.tr(s.label().0, s.label().1)))
            .collect(),
        page,
        region: reg.region_code.clone(),
        region_name: reg.region_name.clone(),
        rows,
        form,
        csv_text: shown.csv_text,
        error: shown.error,
        notice: shown.notice,
    })?;
    Ok((status, body))
}

fn notice(q: &StaffQuery, lang: Lang) -> String {
    match (q.recorded, q.flagged) {
        (Some(n), Some(f)) => {
            if lang == Lang::En {
                format!("{n} appointment(s) recorded; {f} inside a restricted period.")
            } else {
                format!("{n} pengangkatan tercatat; {f} dalam masa larangan.")
            }
        }
        _ => String::new(),
    }
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<StaffQuery>,
) -> AppResult<Response> {
    let region = region_of(&actor, &q.region);
    let shown = Shown {
        region,
        form: FormValues::default(),
        csv_text: String::new(),
        error: String::new(),
        notice: notice(&q, lang),
    };
    let (status, res) = show(&ctx, lang, &actor, &meta, &csrf.0, uri.path(), shown).await?;
    Ok((status, res).into_response())
}

/// The agencies' page again, after a refused form, with its message and what was sent.
async fn again(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    meta: &ReqMeta,
    csrf: &str,
    shown: Shown,
) -> AppResult<Response> {
    let (status, res) = show(ctx, lang, actor, meta, csrf, "/netralitas/petugas", shown).await?;
    Ok((status, res).into_response())
}

fn after(region: &str, recorded: usize, flagged: usize) -> Response {
    Redirect::to(&format!(
        "/netralitas/petugas?region={region}&recorded={recorded}&flagged={flagged}"
    ))
    .into_response()
}

pub async fn record_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<FormValues>,
) -> AppResult<Response> {
    match record::record(&ctx, &meta, &actor, &f.draft(), Source::Form).await {
        Ok(done) => Ok(after(
            f.region_code.trim(),
            1,
            usize::from(!done.flags.is_empty()),
        )),
        Err(e) => {
            let shown = Shown {
                region: region_of(&actor, &f.region_code),
                error: message(e, lang)?,
                form: f,
                csv_text: String::new(),
                notice: String::new(),
            };
            again(&ctx, lang, &actor, &meta, &csrf.0, shown).await
        }
    }
}

pub async fn import_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ImportForm>,
) -> AppResult<Response> {
    match import::import(&ctx, &meta, &actor, &f.region, &f.csv).await {
        Ok(done) => Ok(after(
            f.region.trim(),
            done.len(),
            done.iter().filter(|r| !r.flags.is_empty()).count(),
        )),
        Err(e) => {
            let error = match e {
                NeutralityError::Csv(ref p) => {
                    let lines: Vec<&str> = p
                        .iter()
                        .map(|(i, en)| {
                            if lang == Lang::En {
                                en.as_str()
                            } else {
                                i.as_str()
                            }
                        })
                        .collect();
                    lines.join(" ")
                }
                other => message(other, lang)?,
            };
            let shown = Shown {
                region: region_of(&actor, &f.region),
                form: FormValues::default(),
                csv_text: f.csv,
                error,
                notice: String::new(),
            };
            again(&ctx, lang, &actor, &meta, &csrf.0, shown).await
        }
    }
}

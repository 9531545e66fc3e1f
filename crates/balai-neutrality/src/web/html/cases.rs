//! The handling agencies' list of neutrality cases and the form to open one (Bawaslu: from a
//! complaint by its number, or its own finding; BKN: its own entry). Reading the list reads
//! the officials' names, so it is audited.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppResult, Db};
use serde::Deserialize;

use super::{day, label, message};
use crate::commands::cases::open;
use crate::domain::case::{Outcome, Stage};
use crate::domain::case_access::CaseAction;
use crate::domain::case_input::CaseDraft;
use crate::domain::vocabulary::ForbiddenAct;
use crate::queries::case_scope::{part, Part};
use crate::queries::cases;

/// One case in the list.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub position: String,
    pub region: String,
    pub stage: String,
    pub act: String,
    pub opened: String,
}

#[derive(Template)]
#[template(path = "netralitas_cases.html")]
struct CasesPage {
    page: Page,
    rows: Vec<Row>,
    may_open: bool,
    form: OpenForm,
    error: String,
}

/// The opening form as sent (kept when refused).
#[derive(Deserialize, Default, Clone)]
pub struct OpenForm {
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub complaint_id: String,
    #[serde(default)]
    pub official_name: String,
    #[serde(default)]
    pub nip: String,
    #[serde(default)]
    pub official_position: String,
    #[serde(default)]
    pub allegation: String,
}

/// Region names for codes, looked up once each.
pub async fn region_names(db: &Db, codes: Vec<String>) -> AppResult<HashMap<String, String>> {
    let mut names = HashMap::new();
    for code in codes {
        if names.contains_key(&code) {
            continue;
        }
        let name = match balai_core::regions::RegionCode::parse(&code) {
            Ok(r) => balai_core::regions::get(db, &r).await?.map(|r| r.name),
            Err(_) => None,
        };
        names.insert(code.clone(), name.unwrap_or(code));
    }
    Ok(names)
}

/// May this official open cases at all (Bawaslu or BKN over their own region)?
fn may_open(actor: &Actor) -> bool {
    let Some(agency) = actor.agency.as_ref() else {
        return actor.is_superadmin();
    };
    matches!(
        part(actor, &agency.region_code, CaseAction::OpenCase),
        Some(Part::Agency(k)) if k != balai_core::accounts::AgencyKind::Pemda
    ) && actor.require_writer().is_ok()
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    meta: &ReqMeta,
    csrf: &str,
    form: OpenForm,
    error: String,
) -> AppResult<Response> {
    let list = cases::list(ctx, meta, actor).await?;
    let codes: Vec<String> = list.iter().map(|l| l.row.region_code.clone()).collect();
    let names = region_names(&ctx.db, codes).await?;
    let rows = list
        .iter()
        .map(|l| {
            let stage = l.row.stage();
            let stage_text = match (stage, l.row.outcome()) {
                (Stage::Closed, Some(o)) => label(lang, Outcome::label(o)).to_string(),
                _ => label(lang, stage.label()).to_string(),
            };
            Row {
                id: l.row.id,
                name: l
                    .identity
                    .as_ref()
                    .map(|i| i.official_name.clone())
                    .unwrap_or_default(),
                position: l
                    .identity
                    .as_ref()
                    .map(|i| i.official_position.clone())
                    .unwrap_or_default(),
                region: names.get(&l.row.region_code).cloned().unwrap_or_default(),
                stage: stage_text,
                act: l
                    .row
                    .forbidden_act
                    .as_deref()
                    .and_then(ForbiddenAct::parse)
                    .map(|a| label(lang, a.label()).to_string())
                    .unwrap_or_default(),
                opened: day(l.row.opened_on, lang),
            }
        })
        .collect();
    let mut form = form;
    if form.region_code.is_empty() {
        form.region_code = actor
            .agency
            .as_ref()
            .map(|a| a.region_code.clone())
            .unwrap_or_default();
    }
    let status = if error.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Page::new(
        lang,
        lang.tr("Kasus netralitas ASN", "ASN neutrality cases"),
        Some(actor),
        csrf,
        "/netralitas/kasus",
    );
    let body = render(&CasesPage {
        page,
        rows,
        may_open: may_open(actor),
        form,
        error,
    })?;
    Ok((status, body).into_response())
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    _uri: OriginalUri,
) -> AppResult<Response> {
    show(
        &ctx,
        lang,
        &actor,
        &meta,
        &csrf.0,
        OpenForm::default(),
        String::new(),
    )
    .await
}

pub async fn open_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<OpenForm>,
) -> AppResult<Response> {
    let complaint_id = match f.complaint_id.trim() {
        "" => Ok(None),
        s => s.parse::<i64>().map(Some),
    };
    let result = match complaint_id {
        Ok(complaint_id) => {
            let draft = CaseDraft {
                region_code: f.region_code.clone(),
                origin: None,
                complaint_id,
                official_name: f.official_name.clone(),
                nip: f.nip.clone(),
                official_position: f.official_position.clone(),
                allegation: f.allegation.clone(),
            };
            open::open(&ctx, &meta, &actor, &draft).await
        }
        Err(_) => Err(crate::errors::NeutralityError::UnknownComplaint),
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/netralitas/kasus/{}", done.id)).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            show(&ctx, lang, &actor, &meta, &csrf.0, f, error).await
        }
    }
}

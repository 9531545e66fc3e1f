//! One neutrality case for its handling agencies: the official's identity (the read is
//! audited), the steps decided with their documents, who and when and the working days they
//! took, the running step's due day, the same official's appointments, and the form of the
//! current step for the agency that decides it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::cases::region_names;
use super::{day, label, message};
use crate::commands::cases::decide;
use crate::domain::case::{decision_label, decisions_of, Origin, Outcome, Stage};
use crate::domain::case_input::{given, StepDraft};
use crate::domain::vocabulary::{ForbiddenAct, Sanction};
use crate::queries::cases::{self, CaseView};
use crate::CaseId;

/// One decided step, as the page shows it.
pub struct StepView {
    pub title: String,
    pub decision: String,
    pub detail: String,
    pub reference: String,
    pub note: String,
    pub documents: Vec<String>,
    pub who: String,
    pub when: String,
    pub timing: String,
    pub late: bool,
}

/// One linked appointment.
pub struct LinkView {
    pub text: String,
    pub region_code: String,
}

#[derive(Template)]
#[template(path = "netralitas_case.html")]
struct CasePage {
    page: Page,
    id: i64,
    name: String,
    nip: String,
    position: String,
    region: String,
    origin: String,
    complaint: String,
    complaint_id: String,
    allegation: String,
    stage: String,
    step_code: String,
    due: String,
    overdue: bool,
    steps: Vec<StepView>,
    links: Vec<LinkView>,
    may_decide: bool,
    decisions: Vec<(&'static str, &'static str)>,
    acts: Vec<(&'static str, &'static str)>,
    sanctions: Vec<(&'static str, &'static str)>,
    wants_act: bool,
    wants_sanction: bool,
    recommended: String,
    form: StepForm,
    error: String,
}

/// The step form as sent (kept when refused).
#[derive(Deserialize, Default, Clone)]
pub struct StepForm {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub forbidden_act: String,
    #[serde(default)]
    pub sanction: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub note: String,
    /// Up to three document references, one per field (one line each).
    #[serde(default)]
    pub document_1: String,
    #[serde(default)]
    pub document_2: String,
    #[serde(default)]
    pub document_3: String,
    #[serde(default)]
    pub decided_on: String,
}

fn step_view(s: &crate::store::cases::StepRow, lang: Lang) -> StepView {
    let stage = Stage::parse(&s.step).unwrap_or(Stage::Closed);
    let act = s.forbidden_act.as_deref().and_then(ForbiddenAct::parse);
    let sanction = s.sanction.as_deref().and_then(Sanction::parse);
    let detail = [
        act.map(|a| label(lang, a.label())),
        sanction.map(|x| label(lang, x.label())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let late = s.decided_on > s.due_on;
    let timing = if lang == Lang::En {
        format!(
            "{} working day(s) from {}; due {}",
            s.working_days,
            day(s.started_on, lang),
            day(s.due_on, lang)
        )
    } else {
        format!(
            "{} hari kerja sejak {}; batas {}",
            s.working_days,
            day(s.started_on, lang),
            day(s.due_on, lang)
        )
    };
    StepView {
        title: label(lang, stage.label()).to_string(),
        decision: label(lang, decision_label(&s.decision)).to_string(),
        detail,
        reference: s.reference.clone().unwrap_or_default(),
        note: s.note.clone(),
        documents: s.documents(),
        who: match &s.agency_name {
            Some(a) => format!("{} · {a}", s.user_name),
            None => s.user_name.clone(),
        },
        when: day(s.decided_on, lang),
        timing,
        late,
    }
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    meta: &ReqMeta,
    csrf: &str,
    id: i64,
    (form, error): (StepForm, String),
) -> AppResult<Response> {
    let v: CaseView = cases::one(ctx, meta, actor, id).await?;
    let stage = v.row.stage();
    let mut codes: Vec<String> = v
        .appointments
        .iter()
        .map(|a| a.region_code.clone())
        .collect();
    codes.push(v.row.region_code.clone());
    let names = region_names(&ctx.db, codes).await?;
    let stage_text = match (stage, v.row.outcome()) {
        (Stage::Closed, Some(o)) => format!(
            "{} — {}",
            label(lang, stage.label()),
            label(lang, Outcome::label(o))
        ),
        _ => label(lang, stage.label()).to_string(),
    };
    let origin = Origin::parse(&v.row.origin).map_or("", |o| label(lang, o.label()));
    let complaint = v.row.complaint_id.map_or_else(String::new, |c| {
        format!(
            "{} {c}",
            lang.tr("Pengaduan Aduan nomor", "Aduan complaint number")
        )
    });
    let links = v
        .appointments
        .iter()
        .map(|a| LinkView {
            text: format!(
                "{} → {} · {} {} · {}",
                a.from_position,
                a.to_position,
                lang.tr("SK", "Decree"),
                a.decree_number,
                day(a.decree_date, lang)
            ),
            region_code: a.region_code.clone(),
        })
        .collect();
    let page = Page::new(
        lang,
        lang.tr("Kasus netralitas ASN", "ASN neutrality case"),
        Some(actor),
        csrf,
        &format!("/netralitas/kasus/{id}"),
    );
    let status = if error.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&CasePage {
        page,
        id,
        name: v.identity.official_name.clone(),
        nip: v.identity.nip.clone().unwrap_or_default(),
        position: v.identity.official_position.clone(),
        region: names.get(&v.row.region_code).cloned().unwrap_or_default(),
        origin: origin.to_string(),
        complaint,
        complaint_id: v
            .row
            .complaint_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
        allegation: v.identity.allegation.clone(),
        stage: stage_text,
        step_code: stage.as_str().to_string(),
        due: v.due_on.map(|d| day(d, lang)).unwrap_or_default(),
        overdue: v.due_on.is_some_and(|d| d < crate::commands::today()),
        steps: v.steps.iter().map(|s| step_view(s, lang)).collect(),
        links,
        may_decide: v.may_decide,
        decisions: decisions_of(stage)
            .iter()
            .map(|c| (*c, label(lang, decision_label(c))))
            .collect(),
        acts: ForbiddenAct::ALL
            .iter()
            .map(|a| (a.as_str(), label(lang, a.label())))
            .collect(),
        sanctions: Sanction::ALL
            .iter()
            .map(|s| (s.as_str(), label(lang, s.label())))
            .collect(),
        wants_act: stage == Stage::BawasluExamination,
        wants_sanction: matches!(stage, Stage::BknExamination | Stage::Sanction),
        recommended: v
            .row
            .recommended_sanction
            .as_deref()
            .and_then(Sanction::parse)
            .map(|s| label(lang, s.label()).to_string())
            .unwrap_or_default(),
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
    Path(id): Path<CaseId>,
) -> AppResult<Response> {
    let form = StepForm::default();
    show(
        &ctx,
        lang,
        &actor,
        &meta,
        &csrf.0,
        id.get(),
        (form, String::new()),
    )
    .await
}

pub async fn step_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<CaseId>,
    CsrfForm(f): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let draft = StepDraft {
        step: f.step.clone(),
        decision: f.decision.clone(),
        forbidden_act: given(&f.forbidden_act),
        sanction: given(&f.sanction),
        reference: given(&f.reference),
        note: f.note.clone(),
        documents: [&f.document_1, &f.document_2, &f.document_3]
            .into_iter()
            .cloned()
            .collect(),
        decided_on: given(&f.decided_on),
    };
    match decide::decide(&ctx, &meta, &actor, id.get(), &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/netralitas/kasus/{}", id.get())).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            show(&ctx, lang, &actor, &meta, &csrf.0, id.get(), (f, error)).await
        }
    }
}

//! The officials' page of one activity: its draft minutes (seen only by the organiser and
//! the attending agencies) with the approvals given so far, and the forms to write the draft,
//! approve it, add a follow-up action and update a follow-up's progress.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::staff::Fields;
use super::staff_agreement::DocQuery;
use super::views::{self, ActivityView};
use crate::commands::authorize::acts_for;
use crate::commands::{followup, minutes};
use crate::domain::activity::FollowUpDraft;
use crate::domain::document::DocKind;
use crate::domain::minutes::{approvers, MinutesStatus};
use crate::domain::permissions::{may, Action};
use crate::domain::settings::settings;
use crate::domain::size::size_words;
use crate::domain::target_group::TargetGroup;
use crate::errors::ParticipationError;
use crate::queries::record;
use crate::store::activities;

#[derive(Template)]
#[template(path = "kolaborasi_staff_activity.html")]
struct ActivityPage {
    page: Page,
    a: ActivityView,
    /// The draft (or published) text, for the organiser and attending agencies.
    text: String,
    may_see: bool,
    may_write: bool,
    may_approve: bool,
    approvals: Vec<String>,
    /// While a draft awaits approvals: how many agencies still have to approve, in words.
    waiting: String,
    error: String,
    docs: Vec<super::documents::DocView>,
    may_upload: bool,
    upload_path: String,
    /// The largest file accepted, as people read it (`2 MB`).
    upload_max: String,
    notice: String,
    e: Fields,
    groups: Vec<(&'static str, &'static str)>,
    /// The province's agencies: who may own a follow-up action (and update its progress).
    agencies: Vec<(i64, String)>,
    /// The places to choose in the edit form: `(code, name)`.
    places: Vec<(String, String)>,
    /// For each follow-up, in order: may the official update its progress (the organiser, or
    /// the owning agency)?
    updatable: Vec<bool>,
}

/// The edit form's fields as recorded (the attendance stays as recorded).
fn recorded(r: &crate::store::activities::ActivityRow) -> Fields {
    Fields {
        title: r.title.clone(),
        region_code: r.region_code.clone(),
        date: r.day.to_string(),
        target_group: r.target_group.clone(),
        participants: r.participants.to_string(),
        agenda: r.agenda.clone().unwrap_or_default(),
        clause: r.clause_number.map(|c| c.to_string()).unwrap_or_default(),
        ..Fields::default()
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ActivityFields {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub owner_agency_id: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub followup_id: String,
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &str,
    id: i64,
    (notice, error): (String, String),
    typed: Option<Fields>,
) -> AppResult<Response> {
    let a = record::activity(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    let attending: Vec<Option<i64>> = a.attendance.iter().map(|t| t.agency_id).collect();
    let required = approvers(a.row.organiser_agency_id, &attending);
    let mine = actor.agency.as_ref().map(|g| g.id);
    let may_see = actor.is_superadmin() || mine.is_some_and(|m| required.contains(&m));
    let status = MinutesStatus::parse(&a.row.minutes_status);
    // A withdrawn activity takes no change: its forms are not offered.
    let open = !a.row.withdrawn();
    let approvals = activities::approvals_shown(&ctx.db, id, a.row.minutes_version).await?;
    let waiting = required
        .iter()
        .filter(|r| !approvals.iter().any(|(g, _)| g == *r))
        .count();
    let places = views::names(&ctx.db, vec![a.row.region_code.clone()]).await;
    let view = views::activity(&a, &places, crate::domain::today(), lang);
    let page = Page::new(
        lang,
        view.title.clone(),
        Some(actor),
        csrf,
        "/kolaborasi/petugas",
    );
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let docs = super::documents::versions(&ctx.db, DocKind::Attendance, id, lang).await?;
    let province = a.row.region_code.get(..2).unwrap_or("").to_string();
    let agencies = crate::store::agencies::all(&ctx.db)
        .await?
        .into_iter()
        .filter(|g| g.region_code.starts_with(&province))
        .map(|g| (g.id, g.name))
        .collect();
    let shown_place = typed
        .as_ref()
        .map_or(a.row.region_code.as_str(), |f| f.region_code.as_str())
        .to_string();
    let regency = a.row.region_code.get(..5).unwrap_or(&a.row.region_code);
    let places = super::places::under(&ctx.db, regency, &shown_place).await;
    let updatable = a
        .followups
        .iter()
        .map(|f| {
            open && (acts_for(actor, a.row.organiser_agency_id)
                || acts_for(actor, f.owner_agency_id))
        })
        .collect();
    let body = render(&ActivityPage {
        agencies,
        places,
        updatable,
        e: typed.unwrap_or_else(|| recorded(&a.row)),
        groups: TargetGroup::ALL
            .iter()
            .map(|g| (g.as_str(), lang.tr(g.label().0, g.label().1)))
            .collect(),
        page,
        docs,
        may_upload: open && acts_for(actor, a.row.organiser_agency_id),
        upload_path: format!("/kolaborasi/petugas/kegiatan/{id}/daftar-hadir"),
        upload_max: size_words(settings(ctx).max_document_bytes, lang == Lang::En),
        notice,
        text: if may_see {
            a.row.minutes_text.clone().unwrap_or_default()
        } else {
            String::new()
        },
        may_see,
        may_write: open
            && acts_for(actor, a.row.organiser_agency_id)
            && status != MinutesStatus::Published,
        // Approving binds the agency: its admin or supervisor (an officer gets no button).
        may_approve: open
            && may_see
            && status == MinutesStatus::Draft
            && (actor.is_superadmin() || may(actor.role, Action::ApproveMinutes)),
        approvals: approvals.into_iter().map(|(_, n)| n).collect(),
        waiting: match (status, waiting) {
            (MinutesStatus::Draft, n) if n > 0 => match lang {
                Lang::En if n == 1 => "awaiting 1 agency".to_string(),
                Lang::En => format!("awaiting {n} agencies"),
                _ => format!("menunggu {n} instansi"),
            },
            _ => String::new(),
        },
        a: view,
        error,
    })?;
    Ok((code, body).into_response())
}

pub async fn activity_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DocQuery>,
) -> AppResult<Response> {
    let shown = q.shown(DocKind::Attendance, settings(&ctx).max_document_bytes, lang);
    show(&ctx, lang, &actor, &csrf.0, id, shown, None).await
}

async fn after(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &str,
    id: i64,
    done: Result<(), ParticipationError>,
) -> AppResult<Response> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/kolaborasi/petugas/kegiatan/{id}")).into_response()),
        Err(e) => {
            let shown = (String::new(), super::typed_refusal(e, lang)?);
            show(ctx, lang, actor, csrf, id, shown, None).await
        }
    }
}

pub async fn minutes_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActivityFields>,
) -> AppResult<Response> {
    let done = minutes::draft(&ctx, &meta, &actor, id, &f.text)
        .await
        .map(|_| ());
    after(&ctx, lang, &actor, &csrf.0, id, done).await
}

pub async fn approve_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(_f): CsrfForm<ActivityFields>,
) -> AppResult<Response> {
    let done = minutes::approve(&ctx, &meta, &actor, id).await.map(|_| ());
    after(&ctx, lang, &actor, &csrf.0, id, done).await
}

pub async fn followup_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ActivityFields>,
) -> AppResult<Response> {
    let progress = f.progress.trim().parse::<i64>().unwrap_or(-1);
    let done = if let Ok(fid) = f.followup_id.trim().parse::<i64>() {
        followup::update(&ctx, &meta, &actor, id, fid, progress, &f.note).await
    } else {
        let draft = FollowUpDraft {
            action: f.action.clone(),
            owner: f.owner.clone(),
            owner_agency_id: f.owner_agency_id.trim().parse().ok(),
            due_on: f.due_on.clone(),
            progress: if f.progress.trim().is_empty() {
                0
            } else {
                progress
            },
            note: f.note.clone(),
        };
        followup::add(&ctx, &meta, &actor, id, &draft)
            .await
            .map(|_| ())
    };
    after(&ctx, lang, &actor, &csrf.0, id, done).await
}

/// Edit the activity from its officials' page (the organiser); the attendance stays as recorded.
pub async fn edit_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let a = record::activity(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    let draft = crate::domain::activity::Draft {
        agreement_id: a.row.agreement_id,
        clause: f.clause.trim().parse().ok(),
        title: f.title.clone(),
        region_code: f.region_code.clone(),
        date: f.date.clone(),
        target_group: f.target_group.clone(),
        participants: f.participants.trim().parse().unwrap_or(-1),
        organisations: Vec::new(),
        agenda: f.agenda.clone(),
        attendance: a
            .attendance
            .iter()
            .map(|t| crate::domain::activity::Attendance {
                institution: t.institution.clone(),
                agency_id: t.agency_id,
                attendees: t.attendees,
                signed_list: t.signed_list,
            })
            .collect(),
    };
    match crate::commands::edit::activity(&ctx, &meta, &actor, id, &draft).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/kolaborasi/petugas/kegiatan/{id}?ubah=1")).into_response())
        }
        Err(e) => {
            let shown = (String::new(), super::typed_refusal(e, lang)?);
            show(&ctx, lang, &actor, &csrf.0, id, shown, Some(f)).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct WithdrawFields {
    #[serde(default)]
    pub reason: String,
}

/// Withdraw (cancel) the activity from its officials' page (the organiser), with a reason.
pub async fn withdraw_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<WithdrawFields>,
) -> AppResult<Response> {
    let done = crate::commands::withdraw::withdraw(&ctx, &meta, &actor, id, &f.reason).await;
    after(&ctx, lang, &actor, &csrf.0, id, done).await
}

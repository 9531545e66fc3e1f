//! Officials' pages: work queues per agency and the handling page of one report.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::Agency;
use balai_core::i18n::Lang;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::commands::act::act;
use crate::domain::replies::RESPONSE_TEMPLATES;
use crate::domain::settings::today;
use crate::domain::ReportType;
use crate::errors::ComplaintError;
use crate::queries::complaint::{find_readable, official_view, AgencyComplaint};
use crate::queries::lists::{load_queue, queue_agency, ListRow, Queue};
use crate::store;
use crate::web::api::complaints::ActionInput;
use crate::web::page::{clocks, StatusLabel};
use crate::web::photos::photo_response;

/// (code, Indonesian, English) of each work queue.
pub const QUEUES: [(&str, &str, &str); 5] = [
    ("new", "Baru", "New"),
    ("due_soon", "Segera jatuh tempo", "Due soon"),
    ("overdue", "Terlambat", "Overdue"),
    ("mine", "Tugas saya", "Mine"),
    ("all", "Semua", "All"),
];

#[derive(Template)]
#[template(path = "aduan_queue.html")]
struct QueuePage {
    page: Page,
    current: String,
    queues: Vec<(&'static str, &'static str, &'static str)>,
    rows: Vec<ListRow>,
    agency: String,
}

#[derive(Deserialize)]
pub struct QueueParams {
    antrian: Option<String>,
    agency_id: Option<i64>,
}

pub async fn queue(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(p): Query<QueueParams>,
) -> AppResult<Response> {
    let current = p.antrian.unwrap_or_else(|| "new".into());
    let q = Queue::parse(&current).ok_or(ComplaintError::NotFound)?;
    let agency = queue_agency(&actor, p.agency_id)?;
    let rows = load_queue(&ctx.db, &clocks(&ctx), &actor, q, agency).await?;
    let agency = match &actor.agency {
        Some(a) if agency == Some(a.id) => a.name.clone(),
        _ if agency.is_none() => lang
            .tr(
                "Belum ada instansi (perlu klasifikasi)",
                "No agency yet (to be classified)",
            )
            .into(),
        _ => format!(
            "{} #{}",
            lang.tr("Instansi", "Agency"),
            agency.unwrap_or_default()
        ),
    };
    render(&QueuePage {
        page: Page::new(
            lang,
            lang.tr("Antrian aduan", "Complaint queue"),
            Some(&actor),
            &csrf.0,
            uri.path(),
        ),
        current,
        queues: QUEUES.to_vec(),
        rows,
        agency,
    })
}

#[derive(Template)]
#[template(path = "aduan_detail.html")]
struct DetailPage {
    page: Page,
    c: AgencyComplaint,
    agencies: Vec<Agency>,
    categories: Vec<store::Category>,
    templates: Vec<(&'static str, &'static str)>,
    can_act: bool,
    election: bool,
    more_info_days: u32,
}

pub async fn detail(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<ComplaintId>,
) -> AppResult<Response> {
    let c = official_view(&ctx.db, &actor, &meta, id).await?;
    let agencies = store::agencies_for_reroute(&ctx.db, c.public.village_code.as_deref()).await?;
    let can_act = actor.role != balai_core::accounts::Role::Viewer
        && (actor.is_superadmin()
            || (c.agency_id.is_some() && actor.agency.as_ref().map(|a| a.id) == c.agency_id));
    let election = ReportType::parse(&c.public.report_type).is_some_and(|t| t.is_election());
    let categories = store::categories_for(&ctx.db, c.public.village_code.as_deref()).await?;
    render(&DetailPage {
        page: Page::new(
            lang,
            lang.tr("Penanganan aduan", "Complaint handling"),
            Some(&actor),
            &csrf.0,
            uri.path(),
        ),
        c,
        agencies,
        categories,
        templates: RESPONSE_TEMPLATES
            .iter()
            .map(|(k, t, _)| (*k, *t))
            .collect(),
        can_act,
        election,
        more_info_days: clocks(&ctx).bawaslu_more_info_days,
    })
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    to_agency_id: String,
    #[serde(default)]
    original_id: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    village_code: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    photo_id: String,
}

pub async fn action(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<ComplaintId>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let parse = |s: &str| s.trim().parse::<i64>().ok();
    let user_id = if f.action == "assign" && f.user_id.trim() == "me" {
        Some(actor.user.id)
    } else {
        parse(&f.user_id)
    };
    let input = ActionInput {
        action: f.action,
        body: f.body,
        to_agency_id: parse(&f.to_agency_id),
        original_id: parse(&f.original_id),
        user_id,
        category: Some(f.category).filter(|s| !s.trim().is_empty()),
        village_code: Some(f.village_code).filter(|s| !s.trim().is_empty()),
        template: Some(f.template).filter(|s| !s.trim().is_empty()),
        photo_id: parse(&f.photo_id),
    };
    act(
        &ctx,
        &actor,
        &meta.audit(Some(&actor)),
        id,
        input.into_command()?,
        &clocks(&ctx),
        today(),
    )
    .await?;
    Ok(Redirect::to(&format!("/petugas/aduan/{id}")).into_response())
}

pub async fn photo(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Path((id, pid)): Path<(ComplaintId, i64)>,
) -> AppResult<Response> {
    let c = find_readable(&ctx.db, &actor, id).await?;
    let (ct, bytes) = store::photo(&ctx.db, c.id, pid)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    Ok(photo_response(ct, bytes))
}

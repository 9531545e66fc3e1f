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
use crate::domain::permissions::{offered, StaffAction};
use crate::domain::replies::RESPONSE_TEMPLATES;
use crate::domain::settings::today;
use crate::domain::ReportType;
use crate::domain::{timeline, Status};
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
    /// Per report, the other reports of the list that may be the same (same village and
    /// category, still open).
    duplicates: std::collections::HashMap<i64, Vec<i64>>,
}

impl QueuePage {
    fn duplicates_of(&self, id: &i64) -> &[i64] {
        self.duplicates.get(id).map(Vec::as_slice).unwrap_or(&[])
    }
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
    let duplicates = suggest_duplicates(&rows);
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
        duplicates,
    })
}

/// The official's complaint work for the dashboard (the "new", "due soon" and "overdue" queues
/// of the own agency); `None` for someone without a complaint queue.
pub async fn work_counts(
    ctx: &AppCtx,
    actor: &Actor,
) -> AppResult<Option<balai_core::web::page::WorkCounts>> {
    if actor.is_superadmin() || actor.role == balai_core::accounts::Role::CounterOperator {
        return Ok(None);
    }
    let Ok(agency) = queue_agency(actor, None) else {
        return Ok(None);
    };
    let cfg = clocks(ctx);
    let count = |q| load_queue(&ctx.db, &cfg, actor, q, agency);
    Ok(Some(balai_core::web::page::WorkCounts {
        new: count(Queue::New).await?.len(),
        due_soon: count(Queue::DueSoon).await?.len(),
        overdue: count(Queue::Overdue).await?.len(),
    }))
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
    /// The actions this official may take on the report in its current state.
    offered: Vec<StaffAction>,
    /// The agency's officials a supervisor may assign the report to (empty for an officer).
    colleagues: Vec<(i64, String)>,
    assignee: Option<String>,
    me: i64,
    /// Why the last action was refused (the page is shown again with it).
    refusal: Option<String>,
}

impl DetailPage {
    fn offers(&self, action: &str) -> bool {
        self.can_act && self.offered.iter().any(|a| a.as_str() == action)
    }

    /// Any of the actions of the main form (with a text)?
    fn offers_main(&self) -> bool {
        [
            "dispatch",
            "start_follow_up",
            "answer",
            "note",
            "hide",
            "redact",
            "request_more_info",
        ]
        .iter()
        .any(|a| self.offers(a))
    }

    /// A moment in the zone of the report's village (`5 Desember 2026 14.05 WIB`).
    fn when(&self, t: &time::OffsetDateTime) -> String {
        let zone = balai_core::format::Zone::for_region(
            self.c.public.village_code.as_deref().unwrap_or(""),
        );
        balai_core::format::datetime(*t, zone, self.page.lang)
    }

    fn kind_label(&self, kind: &str) -> String {
        let (id, en) = timeline::kind_label(kind);
        self.page.tr(id, en).to_string()
    }
}

pub async fn detail(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<ComplaintId>,
) -> AppResult<Response> {
    detail_page(&ctx, lang, &actor, &meta, &csrf, id, None).await
}

/// The handling page of report `id`, with the refusal of the last action if there was one.
async fn detail_page(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    meta: &ReqMeta,
    csrf: &CsrfToken,
    id: ComplaintId,
    refusal: Option<(axum::http::StatusCode, String)>,
) -> AppResult<Response> {
    let c = official_view(&ctx.db, actor, meta, id).await?;
    let mut agencies =
        store::agencies_for_reroute(&ctx.db, c.public.village_code.as_deref()).await?;
    // Re-routing goes to another agency: never the report's own.
    agencies.retain(|a| Some(a.id) != c.agency_id);
    let can_act = actor.role != balai_core::accounts::Role::Viewer
        && (actor.is_superadmin()
            || (c.agency_id.is_some() && actor.agency.as_ref().map(|a| a.id) == c.agency_id));
    let election = ReportType::parse(&c.public.report_type).is_some_and(|t| t.is_election());
    let categories = store::categories_for(&ctx.db, c.public.village_code.as_deref()).await?;
    let status = Status::parse(&c.public.status).unwrap_or(Status::Closed);
    let role = if actor.is_superadmin() {
        balai_core::accounts::Role::Admin
    } else {
        actor.role
    };
    let offered: Vec<StaffAction> = StaffAction::ALL
        .into_iter()
        .filter(|a| offered(role, status, *a))
        .collect();
    let staff = match c.agency_id {
        Some(agency) => store::colleagues(&ctx.db, agency).await?,
        None => Vec::new(),
    };
    let assignee = c.assigned_user_id.and_then(|u| {
        staff
            .iter()
            .find(|(id, _)| *id == u)
            .map(|(_, n)| n.clone())
    });
    // Assigning someone else is a supervisor's (or admin's) decision; an officer takes it.
    let colleagues = if matches!(
        role,
        balai_core::accounts::Role::Admin | balai_core::accounts::Role::Supervisor
    ) {
        staff
    } else {
        Vec::new()
    };
    let mut page = render(&DetailPage {
        page: Page::new(
            lang,
            lang.tr("Penanganan aduan", "Complaint handling"),
            Some(actor),
            &csrf.0,
            &format!("/petugas/aduan/{id}"),
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
        more_info_days: clocks(ctx).bawaslu_more_info_days,
        offered,
        colleagues,
        assignee,
        me: actor.user.id,
        refusal: refusal.as_ref().map(|r| r.1.clone()),
    })?;
    if let Some((status, _)) = refusal {
        *page.status_mut() = status;
    }
    Ok(page)
}

#[derive(Template)]
#[template(path = "aduan_confirm.html")]
struct ConfirmPage {
    page: Page,
    id: ComplaintId,
    title: String,
    reason: String,
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
    /// "ya" once the official confirmed a rejection on the confirmation page.
    #[serde(default)]
    confirm: String,
}

pub async fn action(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<ComplaintId>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    // Rejecting refuses the reporter for good: a confirmation step first (a page, no script).
    if f.action == "reject" && f.confirm != "ya" && !f.body.trim().is_empty() {
        let c = official_view(&ctx.db, &actor, &meta, id).await?;
        return render(&ConfirmPage {
            page: Page::new(
                lang,
                lang.tr("Tolak laporan?", "Reject the report?"),
                Some(&actor),
                &csrf.0,
                &format!("/petugas/aduan/{id}"),
            ),
            id,
            title: c.public.title,
            reason: f.body,
        });
    }
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
    let done = match input.into_command() {
        Ok(cmd) => {
            act(
                &ctx,
                &actor,
                &meta.audit(Some(&actor)),
                id,
                cmd,
                &clocks(&ctx),
                today(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/petugas/aduan/{id}")).into_response()),
        Err(e) => {
            let e = balai_core::AppError::from(e);
            // A refusal of the action (its state, its input) comes back on the record itself,
            // with the reason; anything else (not found, forbidden, storage) is an error page.
            // It keeps its own status (403, 409 or 422).
            if matches!(
                e.status(),
                axum::http::StatusCode::FORBIDDEN
                    | axum::http::StatusCode::CONFLICT
                    | axum::http::StatusCode::UNPROCESSABLE_ENTITY
            ) {
                let why = (e.status(), e.info.message(lang).to_string());
                detail_page(&ctx, lang, &actor, &meta, &csrf, id, Some(why)).await
            } else {
                Err(e)
            }
        }
    }
}

/// The reports of a list that may be the same as another one of it: same village and category,
/// both still open. Per report id, the others' ids.
pub fn suggest_duplicates(rows: &[ListRow]) -> std::collections::HashMap<i64, Vec<i64>> {
    let open = |r: &ListRow| Status::parse(&r.status).is_some_and(|s| !s.is_terminal());
    let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for a in rows.iter().filter(|r| open(r) && r.village_code.is_some()) {
        for b in rows.iter().filter(|r| open(r)) {
            if a.id != b.id
                && a.village_code == b.village_code
                && a.category_code == b.category_code
            {
                out.entry(a.id).or_default().push(b.id);
            }
        }
    }
    out
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

//! Officials' pages: work queues, the full record, workflow actions, documents, the assisted
//! (counter) form and the services catalogue.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::ApplicationId;
use balai_core::regions::picker::PickerInput;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

use super::apply::ApplyPage;
use super::{day, file_response, MultipartForm};
use crate::commands::apply::{self as apply_command, SubmitInput};
use crate::commands::services::{self as services_command, ServiceForm};
use crate::commands::{act, reveal};
use crate::domain::access::{is_supervisor, sees, works_stage};
use crate::domain::birth::BirthDetails;
use crate::domain::nik::{mask, Nik};
use crate::domain::service::{format_checklist, is_overdue, Channel};
use crate::domain::workflow::{Stage, Status};
use crate::errors::CivilRegistryError;
use crate::queries::applications::visible;
use crate::store::{self, ApplicationRow, DocumentMeta, HistoryRow};

pub struct QueueRow {
    pub id: i64,
    pub code: String,
    pub service: String,
    pub name: String,
    pub nik: String,
    pub kelurahan: String,
    pub status: String,
    pub due: String,
    pub overdue: bool,
    pub late: bool,
    /// Filed at a counter (assisted).
    pub counter: bool,
    pub assignee: String,
}

#[derive(Template)]
#[template(path = "cr_queues.html")]
struct QueuesPage {
    page: Page,
    queues: Vec<(&'static str, String, Vec<QueueRow>)>,
    services: Vec<(String, String)>,
}

fn queue_row(
    r: &ApplicationRow,
    names: &[(String, String)],
    now: time::OffsetDateTime,
    en: bool,
) -> QueueRow {
    let st = r.state();
    QueueRow {
        id: r.id,
        code: r.tracking_code.clone(),
        service: names
            .iter()
            .find(|(c, _)| *c == r.service_code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| r.service_code.clone()),
        name: r.applicant_name.clone(),
        nik: mask(&r.nik_masked),
        kelurahan: r.kelurahan_code.clone(),
        status: if en { st.label_en() } else { st.label_id() }.to_string(),
        due: day(r.due_day),
        overdue: overdue(r, st, now),
        late: r.late,
        counter: Channel::parse(&r.channel) == Channel::Counter,
        assignee: r.assignee_name.clone().unwrap_or_default(),
    }
}

/// Past its due day on the region's local calendar (WIB/WITA/WIT), and not waiting for the
/// applicant.
fn overdue(r: &ApplicationRow, st: Status, now: time::OffsetDateTime) -> bool {
    st != Status::NeedsCorrection
        && is_overdue(r.due_day, now, r.region_tz.as_deref().unwrap_or("WIB"))
}

/// The official's document work for the dashboard: new (to verify or process at the own
/// stage), due within two days, overdue; `None` for someone who sees no application.
pub async fn work_counts(
    ctx: &AppCtx,
    actor: &Actor,
) -> AppResult<Option<balai_core::web::page::WorkCounts>> {
    if actor.is_superadmin() {
        return Ok(None);
    }
    let rows: Vec<ApplicationRow> = store::open_in_region(&ctx.db, actor.scope.region_prefix())
        .await?
        .into_iter()
        .filter(|r| sees(actor, r.routing()))
        .collect();
    if rows.is_empty()
        && !actor
            .agency
            .as_ref()
            .is_some_and(|a| matches!(a.kind.as_str(), "disdukcapil" | "kelurahan"))
    {
        return Ok(None);
    }
    let now = balai_core::db::now();
    let mut c = balai_core::web::page::WorkCounts::default();
    for r in &rows {
        let st = r.state();
        let mine = match st {
            Status::Submitted | Status::Verification => {
                works_stage(actor, r.routing(), Stage::Verification)
            }
            Status::Processing => works_stage(actor, r.routing(), Stage::Processing),
            _ => false,
        };
        if !mine {
            continue;
        }
        if overdue(r, st, now) {
            c.overdue += 1;
        } else if is_overdue(
            r.due_day - time::Duration::days(2),
            now,
            r.region_tz.as_deref().unwrap_or("WIB"),
        ) {
            c.due_soon += 1;
        }
        if r.assignee_user_id.is_none() {
            c.new += 1;
        }
    }
    Ok(Some(c))
}

#[derive(Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    nik: String,
}

pub async fn queues(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let page = Page::new(lang, "Antrean kerja", Some(&actor), &csrf.0, uri.path());
    let en = page.lang == Lang::En;
    let services: Vec<(String, String)> = store::list_services(&ctx.db)
        .await?
        .into_iter()
        .map(|s| (s.code, if en { s.name_en } else { s.name_id }))
        .collect();
    let rows: Vec<ApplicationRow> = store::open_in_region(&ctx.db, actor.scope.region_prefix())
        .await?
        .into_iter()
        .filter(|r| sees(&actor, r.routing()))
        .collect();
    let now = balai_core::db::now();
    let pick = |f: &dyn Fn(&ApplicationRow, Status) -> bool| -> Vec<QueueRow> {
        rows.iter()
            .filter(|r| f(r, r.state()))
            .map(|r| queue_row(r, &services, now, en))
            .collect()
    };
    let mut queues = Vec::new();
    if !q.nik.trim().is_empty() {
        queues.push((
            "search",
            page.tr("Hasil pencarian NIK", "NIK search results")
                .to_string(),
            nik_search(&ctx, &meta, &actor, q.nik.trim(), &services, now, en).await?,
        ));
    }
    queues.extend([
        (
            "verify",
            page.tr("Perlu diverifikasi", "To verify").to_string(),
            pick(&|r, s| {
                matches!(s, Status::Submitted | Status::Verification)
                    && works_stage(&actor, r.routing(), Stage::Verification)
            }),
        ),
        (
            "process",
            page.tr("Perlu diproses", "To process").to_string(),
            pick(&|r, s| {
                s == Status::Processing && works_stage(&actor, r.routing(), Stage::Processing)
            }),
        ),
        (
            "ready",
            page.tr("Siap diambil", "Ready").to_string(),
            pick(&|_, s| s == Status::Ready),
        ),
        (
            "overdue",
            page.tr("Melewati standar waktu", "Overdue").to_string(),
            pick(&|r, s| overdue(r, s, now)),
        ),
    ]);
    render(&QueuesPage {
        page,
        queues,
        services,
    })
}

/// Look a NIK up by its keyed hash; every search is an audited access to personal data.
async fn nik_search(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    nik: &str,
    services: &[(String, String)],
    now: time::OffsetDateTime,
    en: bool,
) -> AppResult<Vec<QueueRow>> {
    let nik = Nik::parse(nik, now.date()).map_err(CivilRegistryError::from)?;
    let rows = reveal::nik_search(ctx, meta, actor, &nik).await?;
    Ok(rows
        .iter()
        .map(|r| queue_row(r, services, now, en))
        .collect())
}

#[derive(Template)]
#[template(path = "cr_detail.html")]
struct DetailPage {
    page: Page,
    row: ApplicationRow,
    service: String,
    status: String,
    nik: String,
    kk: String,
    documents: Vec<DocumentMeta>,
    history: Vec<HistoryRow>,
    actions: Vec<(&'static str, String, bool)>,
    due: String,
    /// A birth registration's child and parents (decrypted with the NIK above, under the same
    /// audited personal-data access).
    birth: Option<BirthDetails>,
    /// Why the last action was refused (the page is shown again with it).
    refusal: Option<String>,
}

impl DetailPage {
    /// The reason or note that still applies: the correction asked for, or why it was rejected
    /// (not a note of a step that is over).
    fn current_reason(&self) -> Option<&str> {
        match self.row.state() {
            Status::NeedsCorrection | Status::Rejected => self.row.reason.as_deref(),
            _ => None,
        }
    }

    fn action_label(&self, action: &str) -> String {
        let (id, en) = crate::domain::workflow::history_label(action);
        self.page.tr(id, en).to_string()
    }

    fn status_label(&self, status: &str) -> String {
        Status::parse(status).map_or_else(
            || status.to_string(),
            |s| self.page.tr(s.label_id(), s.label_en()).to_string(),
        )
    }

    /// A moment in the zone of the application's kelurahan.
    fn when(&self, t: &time::OffsetDateTime) -> String {
        let zone = balai_core::format::Zone::for_region(&self.row.kelurahan_code);
        balai_core::format::datetime(*t, zone, self.page.lang)
    }
}

pub async fn detail(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<ApplicationId>,
) -> AppResult<Response> {
    detail_page(&ctx, lang, &actor, &meta, &csrf, id, None).await
}

/// The application page for staff, with the refusal of the last action if there was one.
async fn detail_page(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    meta: &ReqMeta,
    csrf: &CsrfToken,
    id: ApplicationId,
    refusal: Option<(axum::http::StatusCode, String)>,
) -> AppResult<Response> {
    let row = visible(ctx, actor, id).await?;
    let (nik, kk) = reveal::reveal(ctx, meta, actor, &row).await?;
    let page = Page::new(
        lang,
        row.tracking_code.clone(),
        Some(actor),
        &csrf.0,
        &format!("/dukcapil/staff/applications/{id}"),
    );
    let en = page.lang == Lang::En;
    let st = row.state();
    let svc = store::service(&ctx.db, &row.service_code).await?;
    let mut actions: Vec<(&'static str, String, bool)> = Vec::new();
    let mut add = |name: &'static str, id: &str, en_label: &str, needs_reason: bool| {
        actions.push((
            name,
            if en { en_label } else { id }.to_string(),
            needs_reason,
        ));
    };
    let stage_ok = st
        .stage()
        .is_some_and(|s| works_stage(actor, row.routing(), s));
    let mine = row.assignee_user_id == Some(actor.user.id);
    match st {
        Status::Submitted | Status::Verification | Status::Processing
            if stage_ok && row.assignee_user_id.is_none() =>
        {
            add("take", "Ambil untuk dikerjakan", "Take", false)
        }
        Status::Verification if stage_ok && mine => {
            add(
                "approve",
                "Berkas lengkap, teruskan ke Disdukcapil",
                "Approve",
                false,
            );
            add(
                "request_correction",
                "Kembalikan untuk perbaikan",
                "Return for correction",
                true,
            );
            add("reject", "Tolak", "Reject", true);
        }
        Status::Processing if stage_ok && mine => {
            add("mark_ready", "Dokumen siap", "Mark ready", false);
            add("reject", "Tolak", "Reject", true);
        }
        Status::Ready => add(
            "complete",
            "Sudah diserahkan (selesai)",
            "Handed over (complete)",
            false,
        ),
        _ => {}
    }
    if row.assignee_user_id.is_some() && (mine || is_supervisor(actor)) {
        add("release", "Lepaskan", "Release", false);
    }
    let mut out = render(&DetailPage {
        refusal: refusal.as_ref().map(|r| r.1.clone()),
        service: svc
            .map(|s| if en { s.name_en } else { s.name_id })
            .unwrap_or_default(),
        status: if en { st.label_en() } else { st.label_id() }.to_string(),
        nik,
        kk,
        documents: store::documents(&ctx.db, id).await?,
        history: store::history(&ctx.db, id).await?,
        actions,
        due: day(row.due_day),
        birth: birth_details(ctx, &row).await?,
        row,
        page,
    })?;
    if let Some((status, _)) = refusal {
        *out.status_mut() = status;
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "cr_confirm.html")]
struct ConfirmPage {
    page: Page,
    id: ApplicationId,
    code: String,
    service: String,
    reason: String,
}

/// The child and parents of a birth registration, if it has them.
async fn birth_details(ctx: &AppCtx, row: &ApplicationRow) -> AppResult<Option<BirthDetails>> {
    let Some(blob) = store::details_enc(&ctx.db, row.app_id()).await? else {
        return Ok(None);
    };
    let keys = crate::crypto::keys_db(&ctx.db).await?;
    Ok(keys
        .decrypt(&blob)
        .ok()
        .and_then(|json| serde_json::from_str(&json).ok()))
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    reason: String,
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
    Path(id): Path<ApplicationId>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    // Rejecting ends the application: a confirmation step first (a page, no script).
    if f.action == "reject" && f.confirm != "ya" && !f.reason.trim().is_empty() {
        let row = visible(&ctx, &actor, id).await?;
        let svc = store::service(&ctx.db, &row.service_code).await?;
        return render(&ConfirmPage {
            page: Page::new(
                lang,
                lang.tr("Tolak permohonan?", "Reject the application?"),
                Some(&actor),
                &csrf.0,
                &format!("/dukcapil/staff/applications/{id}"),
            ),
            id,
            service: svc
                .map(|s| lang.tr(&s.name_id, &s.name_en).to_string())
                .unwrap_or_default(),
            code: row.tracking_code,
            reason: f.reason,
        });
    }
    let done = match act::parse_action(&f.action, Some(&f.reason)) {
        Ok(a) => act::act(&ctx, &meta, &actor, id, a).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/dukcapil/staff/applications/{id}")).into_response()),
        Err(e) => {
            let e = AppError::from(e);
            // A refusal of the action (the application's state, a missing reason) comes back on
            // the application itself; anything else is an error page.
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

/// An uploaded document, for staff who may see the application (an audited read).
pub async fn document(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path((id, doc)): Path<(ApplicationId, i64)>,
) -> AppResult<Response> {
    let row = visible(&ctx, &actor, id).await?;
    let (m, data) = store::document_data(&ctx.db, id, doc)
        .await?
        .ok_or_else(AppError::not_found)?;
    reveal::document_read(&ctx, &meta, Some(&actor), &row, &m).await?;
    Ok(file_response(&m, data))
}

/// The assisted channel: a counter operator files for a citizen.
pub async fn counter_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
) -> AppResult<Response> {
    actor.require_writer()?;
    let s = store::service(&ctx.db, &code)
        .await?
        .filter(|s| s.active)
        .ok_or_else(AppError::not_found)?;
    let page = Page::new(lang, s.name_id.clone(), Some(&actor), &csrf.0, uri.path());
    let t = ApplyPage::build(
        &ctx,
        page,
        &s,
        true,
        SubmitInput::default(),
        &PickerInput::default(),
    )
    .await?;
    render(&t)
}

pub async fn counter_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(code): Path<String>,
    form: MultipartForm,
) -> AppResult<Response> {
    let path = format!("/dukcapil/staff/counter/{code}");
    if form.picker_input().is_search_step() {
        let page = Page::new(lang, "Formulir loket", Some(&actor), &csrf.0, &path);
        return super::apply::search_again(&ctx, page, true, &form, &code).await;
    }
    let input = form.submit_input(&code);
    let done = match apply_command::submit(&ctx, &meta, Some(&actor), &input, &form.files).await {
        Ok(done) => done,
        Err(e) => {
            let page = Page::new(lang, "Formulir loket", Some(&actor), &csrf.0, &path);
            return super::apply::apply_again(&ctx, page, true, input, e.into()).await;
        }
    };
    Ok(super::apply::after_submit(&ctx, &done))
}

#[derive(Template)]
#[template(path = "cr_services_admin.html")]
struct ServicesAdminPage {
    page: Page,
    services: Vec<(store::ServiceRow, String)>,
}

pub async fn services_admin(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    actor.require_admin()?;
    let page = Page::new(lang, "Katalog layanan", Some(&actor), &csrf.0, uri.path());
    let services = store::list_services(&ctx.db)
        .await?
        .into_iter()
        .map(|s| {
            let text = format_checklist(&s.checklist());
            (s, text)
        })
        .collect();
    render(&ServicesAdminPage { page, services })
}

/// The catalogue is shared by every region, so only a super-admin edits it.
pub async fn service_save(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<ServiceForm>,
) -> AppResult<Response> {
    services_command::update(&ctx, &meta, &actor, &code, &f).await?;
    Ok(Redirect::to("/dukcapil/admin/services").into_response())
}

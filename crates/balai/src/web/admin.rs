//! Administration pages: audit log, users, agencies and the working-day calendar.
//! Every list is filtered by the actor's scope; a record outside it is "not found".

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::{self, Agency, User};
use balai_core::audit::{self, AuditEvent, AuditRow};
use balai_core::calendar::{self, Holiday, HOLIDAY_KINDS};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use super::audit_view;
use serde::Deserialize;
use serde_json::json;

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: Page,
    rows: Vec<audit_view::Entry>,
    f: AuditParams,
    /// The link to the next (older) page, with the same filters.
    older: Option<String>,
}

/// The audit page's filters (a GET form) and its cursor.
#[derive(Deserialize, Default, Clone)]
pub struct AuditParams {
    before: Option<i64>,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    target_kind: String,
    #[serde(default)]
    target_id: String,
    /// Local dates `YYYY-MM-DD` (the event's zone), both included.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// A query-string value, percent-encoded (letters, digits and `-._~` as they are).
fn query_value(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Lines on one page of the audit log.
const AUDIT_PAGE_LINES: usize = 100;
/// Events read per query, and at most this many queries per page (the date filter and the
/// folding of reads happen on what they return).
const AUDIT_BATCH: i64 = 500;
const AUDIT_BATCHES: usize = 20;

pub async fn audit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(p): Query<AuditParams>,
) -> AppResult<Response> {
    actor.require_admin()?;
    let filter = audit::Filter {
        actor: p.actor.clone(),
        action: p.action.clone(),
        target_kind: p.target_kind.clone(),
        target_id: p.target_id.clone(),
    };
    let from = balai_core::format::parse_iso_date(&p.from);
    let to = balai_core::format::parse_iso_date(&p.to);
    // Newest first, batch by batch, until a page of lines is full or the dates are passed.
    let mut events: Vec<AuditRow> = Vec::new();
    let mut cursor = p.before;
    let mut more = false;
    for _ in 0..AUDIT_BATCHES {
        let batch =
            audit::list_filtered(&ctx.db, &actor.scope, &filter, cursor, AUDIT_BATCH).await?;
        let full = batch.len() as i64 == AUDIT_BATCH;
        let mut past_from = false;
        for r in batch {
            cursor = Some(r.seq);
            let day = audit_view::local_day(&r);
            if from.is_some_and(|f| day < f) {
                past_from = true;
                break;
            }
            if to.is_some_and(|t| day > t) {
                continue;
            }
            events.push(r);
        }
        more = full && !past_from;
        if !more || audit_view::fold(&events, lang).len() > AUDIT_PAGE_LINES {
            break;
        }
    }
    let mut rows = audit_view::fold(&events, lang);
    let older_seq = if rows.len() > AUDIT_PAGE_LINES {
        rows.truncate(AUDIT_PAGE_LINES);
        rows.last().map(|e| e.seq_first)
    } else if more {
        cursor
    } else {
        None
    };
    let older = older_seq.map(|seq| {
        let q = [
            ("actor", p.actor.as_str()),
            ("action", p.action.as_str()),
            ("target_kind", p.target_kind.as_str()),
            ("target_id", p.target_id.as_str()),
            ("from", p.from.as_str()),
            ("to", p.to.as_str()),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("&{k}={}", query_value(v.trim())))
        .collect::<String>();
        format!("/admin/audit?before={seq}{q}")
    });
    let page = Page::new(
        lang,
        lang.tr("Log audit", "Audit log"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    render(&AuditPage {
        page,
        rows,
        f: p,
        older,
    })
}

/// Reading account records (names, emails) is reading personal data: it is audited.
pub async fn audit_personal_read(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    what: &str,
    count: usize,
) -> AppResult<()> {
    audit::record_now(
        &ctx.db,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit::actions::PERSONAL_DATA_READ,
            target_kind: what,
            target_id: "list".into(),
            region_code: actor.agency.as_ref().map(|a| a.region_code.clone()),
            summary: json!({ "records": count }),
        },
    )
    .await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    page: Page,
    users: Vec<(User, Option<Agency>)>,
}

pub async fn users(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    actor.require_admin()?;
    let users = accounts::list_users(&ctx.db, &actor.scope).await?;
    audit_personal_read(&ctx, &meta, &actor, "users", users.len()).await?;
    let page = Page::new(
        lang,
        lang.tr("Pengguna", "Users"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    render(&UsersPage { page, users })
}

#[derive(Template)]
#[template(path = "admin_agencies.html")]
struct AgenciesPage {
    page: Page,
    agencies: Vec<Agency>,
}

pub async fn agencies(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    // Colleagues' names and roles are an admin's business (docs/ROLES.md).
    actor.require_admin()?;
    let agencies = accounts::list_agencies(&ctx.db, &actor.scope).await?;
    let page = Page::new(
        lang,
        lang.tr("Instansi", "Agencies"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    render(&AgenciesPage { page, agencies })
}

#[derive(Template)]
#[template(path = "admin_agency.html")]
struct AgencyPage {
    page: Page,
    agency: Agency,
    members: Vec<User>,
}

/// An agency outside the actor's scope is reported as not found, not forbidden, so its
/// existence does not leak.
pub async fn visible_agency(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Agency> {
    let a = accounts::get_agency(&ctx.db, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !actor.scope.covers(&a.region_code, &a.kind) {
        return Err(AppError::not_found());
    }
    Ok(a)
}

pub async fn agency(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    actor.require_admin()?;
    let agency = visible_agency(&ctx, &actor, id).await?;
    let members: Vec<User> = accounts::list_users(&ctx.db, &actor.scope)
        .await?
        .into_iter()
        .filter(|(u, _)| u.agency_id == Some(agency.id))
        .map(|(u, _)| u)
        .collect();
    audit_personal_read(&ctx, &meta, &actor, "agency_members", members.len()).await?;
    let page = Page::new(lang, agency.name.clone(), Some(&actor), &csrf.0, uri.path());
    render(&AgencyPage {
        page,
        agency,
        members,
    })
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    page: Page,
    holidays: Vec<Holiday>,
    can_edit: bool,
    kinds: &'static [&'static str],
}

pub async fn calendar(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.tr("Kalender hari kerja", "Working-day calendar"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    render(&CalendarPage {
        page,
        holidays: calendar::list_holidays(&ctx.db).await?,
        can_edit: actor.is_superadmin(),
        kinds: HOLIDAY_KINDS,
    })
}

#[derive(Deserialize)]
pub struct HolidayForm {
    day: String,
    kind: String,
    name_id: String,
    name_en: Option<String>,
    confirmed: Option<String>,
    source: String,
}

/// Validate a holiday from a form or the API into the domain type.
pub fn holiday_from_input(
    day: &str,
    kind: &str,
    name_id: &str,
    name_en: Option<&str>,
    confirmed: bool,
    source: &str,
) -> AppResult<Holiday> {
    let day = calendar::parse_iso_day(day).ok_or_else(|| {
        AppError::unprocessable(
            "bad_date",
            "Tanggal harus berbentuk TTTT-BB-HH.",
            "The date must be YYYY-MM-DD.",
        )
    })?;
    if !HOLIDAY_KINDS.contains(&kind) {
        return Err(AppError::unprocessable(
            "bad_kind",
            "Jenis hari libur tidak dikenal.",
            "Unknown holiday kind.",
        ));
    }
    let name_id = name_id.trim();
    if name_id.is_empty()
        || name_id.chars().count() > 200
        || source.trim().is_empty()
        || source.chars().count() > 200
    {
        return Err(AppError::unprocessable(
            "missing_fields",
            "Nama dan dasar hukum wajib diisi (maks. 200 karakter).",
            "Name and source are required (at most 200 characters).",
        ));
    }
    Ok(Holiday {
        day,
        kind: kind.to_string(),
        name_id: name_id.to_string(),
        name_en: name_en
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(name_id)
            .to_string(),
        confirmed,
        source: source.trim().to_string(),
    })
}

/// Store a holiday, recompute deadlines and audit it, in one transaction.
pub async fn save_holiday(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    h: &Holiday,
) -> AppResult<u64> {
    actor.require_superadmin()?;
    let mut tx = ctx.begin().await?;
    let moved = calendar::upsert_holiday(&mut tx, h).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: audit::actions::HOLIDAY_SAVED,
            target_kind: "holiday",
            target_id: h.day.to_string(),
            region_code: None,
            summary: json!({ "kind": h.kind, "name": h.name_id, "confirmed": h.confirmed, "deadlines_moved": moved }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(moved)
}

pub async fn remove_holiday(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    day: time::Date,
) -> AppResult<bool> {
    actor.require_superadmin()?;
    let mut tx = ctx.begin().await?;
    let existed = calendar::delete_holiday(&mut tx, day).await?;
    if existed {
        audit::record(
            &mut tx,
            &meta.audit(Some(actor)),
            AuditEvent {
                action: audit::actions::HOLIDAY_REMOVED,
                target_kind: "holiday",
                target_id: day.to_string(),
                region_code: None,
                summary: json!({}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(existed)
}

pub async fn calendar_save(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    CsrfForm(f): CsrfForm<HolidayForm>,
) -> AppResult<Response> {
    let h = holiday_from_input(
        &f.day,
        &f.kind,
        &f.name_id,
        f.name_en.as_deref(),
        f.confirmed.is_some(),
        &f.source,
    )?;
    save_holiday(&ctx, &actor, &meta, &h).await?;
    Ok(Redirect::to("/admin/calendar").into_response())
}

#[derive(Deserialize)]
pub struct DeleteForm {
    day: String,
}

pub async fn calendar_delete(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    CsrfForm(f): CsrfForm<DeleteForm>,
) -> AppResult<Response> {
    let day = calendar::parse_iso_day(&f.day).ok_or_else(|| {
        AppError::unprocessable(
            "bad_date",
            "Tanggal harus berbentuk TTTT-BB-HH.",
            "The date must be YYYY-MM-DD.",
        )
    })?;
    remove_holiday(&ctx, &actor, &meta, day).await?;
    Ok(Redirect::to("/admin/calendar").into_response())
}

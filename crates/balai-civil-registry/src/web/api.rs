//! The JSON API: open statistics, the services catalogue and workflow actions for officials.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, MaybeActor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use balai_core::ids::ApplicationId;

use super::verify_url;
use crate::commands::act;
use crate::commands::apply::{self as apply_command, SubmitInput};
use crate::crypto;
use crate::domain::birth::BirthInput;
use crate::domain::intake::{self, parse_date, Upload};
use crate::domain::service::Requirement;
use crate::domain::stats::check_period;
use crate::errors::{CivilRegistryError, CrResult};
use crate::queries::offerings::offered_at;
use crate::queries::stats::{self, Stats};
use crate::store;

#[derive(Deserialize, IntoParams)]
pub struct StatsQuery {
    /// Region code: PP, PP.KK, PP.KK.CC or PP.KK.CC.NNNN.
    #[param(pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")]
    region: String,
    /// First day, YYYY-MM-DD.
    #[param(format = Date)]
    from: String,
    /// Last day (inclusive), YYYY-MM-DD; at most five years after `from`.
    #[param(format = Date)]
    to: String,
}

/// Applications received per service in a region and period (open data, no personal data).
#[utoipa::path(get, path = "/api/v1/civil-registry/stats", tag = "civil-registry", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 400), (status = 422)))]
pub async fn get_stats(
    State(ctx): State<AppCtx>,
    Query(q): Query<StatsQuery>,
) -> AppResult<Json<Stats>> {
    let region = RegionCode::parse(q.region.trim())?;
    let from = parse_date(&q.from, "Parameter from", "Parameter from")?;
    let to = parse_date(&q.to, "Parameter to", "Parameter to")?;
    check_period(from, to)?;
    Ok(Json(stats::cached(&ctx, &region, from, to).await?))
}

#[derive(Serialize, ToSchema)]
pub struct ServiceInfo {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
    pub standard_working_days: i64,
    pub fee_rupiah: i64,
    pub late_after_days: Option<i64>,
    pub requirements: Vec<Requirement>,
    pub active: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct ServicesQuery {
    /// Kelurahan/desa code (PP.KK.CC.NNNN): only the services offered there, by the
    /// Disdukcapil serving it and its counters. Empty: every service.
    #[param(pattern = r"^([0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})?$")]
    kelurahan: Option<String>,
}

/// The services catalogue with requirement checklists, service standards and fees; with
/// `kelurahan`, only the services offered there.
#[utoipa::path(get, path = "/api/v1/civil-registry/services", tag = "civil-registry",
    params(ServicesQuery), responses((status = 200, body = Vec<ServiceInfo>), (status = 422)))]
pub async fn list_services(
    State(ctx): State<AppCtx>,
    Query(q): Query<ServicesQuery>,
) -> AppResult<Json<Vec<ServiceInfo>>> {
    let offered = match q.kelurahan.as_deref().map(str::trim) {
        Some(k) if !k.is_empty() => Some(offered_at(&ctx.db, k).await?.1),
        _ => None,
    };
    let list = store::list_services(&ctx.db).await?;
    Ok(Json(
        list.into_iter()
            .filter(|s| offered.as_ref().is_none_or(|o| o.contains(&s.code)))
            .map(|s| ServiceInfo {
                requirements: s.checklist(),
                code: s.code,
                name_id: s.name_id,
                name_en: s.name_en,
                standard_working_days: s.standard_days,
                fee_rupiah: s.fee_rupiah,
                late_after_days: s.late_after_days,
                active: s.active,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    #[schema(schema_with = cr_actions)]
    pub action: String,
    /// Required for request_correction and reject.
    pub reason: Option<String>,
}

fn cr_actions() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of([
        "take",
        "release",
        "request_correction",
        "approve",
        "mark_ready",
        "complete",
        "reject",
    ])
}

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    pub status: String,
}

/// A workflow step on an application (officials of the routed agencies).
#[utoipa::path(post, path = "/api/v1/civil-registry/applications/{id}/actions", tag = "civil-registry",
    security(("bearer" = [])), request_body = ActionInput,
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ActionResult), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn post_action(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<ApplicationId>,
    Json(input): Json<ActionInput>,
) -> AppResult<Json<ActionResult>> {
    let a = act::parse_action(&input.action, input.reason.as_deref())?;
    let status = act::act(&ctx, &meta, &actor, id, a).await?;
    Ok(Json(ActionResult {
        status: status.as_str().to_string(),
    }))
}

/// One uploaded document of a JSON application.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// Checklist item key of the service (e.g. `kk`).
    pub key: String,
    pub filename: String,
    /// `application/pdf`, `image/jpeg` or `image/png`; must match the content.
    pub content_type: String,
    /// The file, base64 (standard alphabet, padded).
    pub data_base64: String,
}

/// An application from a field app: the online form's fields plus the documents.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    /// Service code, e.g. `ktp_baru`.
    pub service: String,
    /// Kelurahan/desa region code, PP.KK.CC.NNNN.
    pub kelurahan: String,
    pub name: String,
    pub nik: String,
    pub kk: String,
    /// YYYY-MM-DD.
    pub birth_date: String,
    /// `L` or `P`.
    pub sex: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Date of the birth or death (YYYY-MM-DD) for those services.
    #[serde(default)]
    pub event_date: Option<String>,
    /// For a birth registration (`akta_kelahiran`): the child (name, place and time of birth;
    /// the date is `event_date`) and the parents. Required there, ignored otherwise.
    #[serde(default)]
    pub birth: Option<BirthInput>,
    #[serde(default)]
    pub documents: Vec<DocumentInput>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationCreated {
    pub tracking_code: String,
    /// Shown once: needed with the tracking code to track, correct and download.
    pub secret: String,
    /// The receipt's public check (the URL of its QR code).
    pub receipt_url: String,
    pub due_day: String,
    pub late: bool,
}

/// Decode the documents; the declared content type must be allowed and match the bytes.
fn decode_documents(docs: &[DocumentInput]) -> CrResult<Vec<Upload>> {
    use base64::Engine;
    let mut out = Vec::new();
    for d in docs {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(d.data_base64.trim())
            .map_err(|_| CivilRegistryError::BadBase64 { key: d.key.clone() })?;
        let sniffed = intake::sniff(&bytes).map(|k| k.content_type());
        let declared = d.content_type.trim().to_ascii_lowercase();
        if !["application/pdf", "image/jpeg", "image/png"].contains(&declared.as_str())
            || sniffed.is_some_and(|s| s != declared)
        {
            return Err(CivilRegistryError::DeclaredTypeMismatch { key: d.key.clone() });
        }
        out.push(Upload {
            key: d.key.clone(),
            filename: d.filename.clone(),
            bytes,
        });
    }
    Ok(out)
}

/// File an application from a field app, without an account (online channel), or as an
/// official with a bearer token (counter channel, assisted). Same validation and size limits
/// as the online form; bad input stores nothing. Send `Idempotency-Key` so a retry returns the
/// same receipt instead of filing twice.
#[utoipa::path(post, path = "/api/v1/civil-registry/applications", tag = "civil-registry",
    security((), ("bearer" = [])), request_body = ApplicationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = ApplicationCreated), (status = 403),
        (status = 409, description = "`application_open`: the NIK already has an open application for this service (for a birth: for the same child); nothing was filed, and `details` names it: `application_id`, `tracking_code`, `status`. Also `idempotency_in_progress` while the same Idempotency-Key is still running"),
        (status = 413), (status = 422), (status = 429)))]
pub async fn post_application(
    MaybeActor(actor): MaybeActor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<ApplicationInput>,
) -> AppResult<(StatusCode, Json<ApplicationCreated>)> {
    let files = decode_documents(&input.documents)?;
    let form = SubmitInput {
        service: input.service,
        kelurahan: input.kelurahan,
        name: input.name,
        nik: input.nik,
        kk: input.kk,
        birth_date: input.birth_date,
        sex: input.sex,
        phone: input.phone.unwrap_or_default(),
        email: input.email.unwrap_or_default(),
        event_date: input.event_date.unwrap_or_default(),
        birth: input.birth.unwrap_or_default(),
    };
    let done = apply_command::submit(&ctx, &meta, actor.as_ref(), &form, &files).await?;
    let row = store::application(&ctx.db, done.id)
        .await?
        .ok_or_else(balai_core::AppError::not_found)?;
    let keys = crypto::keys_db(&ctx.db).await?;
    let mac = keys.receipt_mac(&row.tracking_code, row.submitted_at.unix_timestamp());
    Ok((
        StatusCode::CREATED,
        Json(ApplicationCreated {
            receipt_url: verify_url(&ctx, &row.tracking_code, &mac),
            tracking_code: done.tracking_code,
            secret: done.secret,
            due_day: done.due_day.to_string(),
            late: done.late,
        }),
    ))
}

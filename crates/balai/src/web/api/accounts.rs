//! Accounts, agencies and the audit log over the API; every answer is scoped to the caller.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::accounts::{self, Agency};
use balai_core::audit::{self, AuditEvent};
use balai_core::regions;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use crate::web::admin::{audit_personal_read, visible_agency};

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub is_superadmin: bool,
    pub agency: Option<Agency>,
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(actor: Actor) -> Json<Me> {
    Json(Me {
        id: actor.user.id,
        username: actor.user.username.clone(),
        display_name: actor.user.display_name.clone(),
        role: actor.user.role.clone(),
        is_superadmin: actor.user.is_superadmin,
        agency: actor.agency.clone(),
    })
}

/// Agencies in the caller's scope.
#[utoipa::path(get, path = "/api/v1/agencies", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<Agency>), (status = 401, body = ApiError)))]
pub async fn list_agencies(
    State(ctx): State<AppCtx>,
    actor: Actor,
) -> AppResult<Json<Vec<Agency>>> {
    Ok(Json(accounts::list_agencies(&ctx.db, &actor.scope).await?))
}

/// One agency; outside the caller's scope it does not exist.
#[utoipa::path(get, path = "/api/v1/agencies/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The agency's id.")),
    responses((status = 200, body = Agency), (status = 404, body = ApiError)))]
pub async fn get_agency(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Agency>> {
    Ok(Json(visible_agency(&ctx, &actor, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgency {
    #[schema(schema_with = agency_kinds)]
    pub kind: String,
    /// At most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(schema_with = balai_core::web::schema::region_code)]
    pub region_code: String,
}

fn agency_kinds() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(accounts::AGENCY_KINDS.iter().map(|(k, _)| *k))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Create an agency inside the caller's scope (admins) or anywhere (super-admin).
#[utoipa::path(post, path = "/api/v1/agencies", tag = "accounts", security(("bearer" = [])),
    request_body = NewAgency,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_agency(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<NewAgency>,
) -> AppResult<Response> {
    actor.require_admin()?;
    if !accounts::agency_kind_valid(&input.kind) {
        return Err(AppError::unprocessable(
            "bad_kind",
            "Jenis instansi tidak dikenal.",
            "Unknown agency kind.",
        ));
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::unprocessable(
            "bad_name",
            "Nama instansi wajib diisi (maks. 200 karakter).",
            "The agency name is required (at most 200 characters).",
        ));
    }
    let code = regions::RegionCode::parse(&input.region_code)?;
    if !actor.scope.covers(code.as_str(), &input.kind) {
        return Err(AppError::forbidden());
    }
    let mut tx = ctx.begin().await?;
    if !regions::exists_in_tx(&mut tx, code.as_str()).await? {
        return Err(AppError::unprocessable(
            "unknown_region",
            "Kode wilayah tidak dikenal.",
            "Unknown region code.",
        ));
    }
    if accounts::find_agency(&ctx.db, &input.kind, code.as_str(), name)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "agency_exists",
            "Instansi ini sudah ada.",
            "This agency already exists.",
        ));
    }
    let id = accounts::create_agency(&mut tx, &input.kind, name, code.as_str()).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: audit::actions::AGENCY_CREATED,
            target_kind: "agency",
            target_id: id.to_string(),
            region_code: Some(code.to_string()),
            summary: json!({ "kind": input.kind, "name": name }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
    pub agency_id: Option<i64>,
}

/// Accounts in the caller's scope (admins). Reading them is logged as a personal-data access.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = ApiError)))]
pub async fn list_users(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
) -> AppResult<Json<Vec<UserView>>> {
    actor.require_admin()?;
    let users = accounts::list_users(&ctx.db, &actor.scope).await?;
    audit_personal_read(&ctx, &meta, &actor, "users", users.len()).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|(u, _)| UserView {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                role: u.role,
                disabled: u.disabled,
                agency_id: u.agency_id,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Return events with a sequence number below this.
    before: Option<i64>,
    /// Default 100; values outside 1–500 are taken as the nearest bound.
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub occurred_at: String,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub region_code: Option<String>,
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub request_id: String,
    pub hash: String,
}

/// Audit events in the caller's region (admins), newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ApiError)))]
pub async fn list_audit(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    actor.require_admin()?;
    let rows = audit::list(
        &ctx.db,
        &actor.scope,
        q.before,
        q.limit.unwrap_or(100).clamp(1, 500),
    )
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                occurred_at: r
                    .occurred_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                actor: r.actor_label,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                region_code: r.region_code,
                summary: serde_json::from_str(&r.summary).unwrap_or(serde_json::Value::Null),
                request_id: r.request_id,
                hash: r.hash,
            })
            .collect(),
    ))
}

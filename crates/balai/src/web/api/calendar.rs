//! The working-day calendar over the API.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::calendar::{self, Holiday};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use crate::web::admin::{holiday_from_input, remove_holiday, save_holiday};

/// National holidays and cuti bersama (public).
#[utoipa::path(get, path = "/api/v1/calendar/holidays", tag = "calendar",
    responses((status = 200, body = Vec<Holiday>)))]
pub async fn list_holidays(State(ctx): State<AppCtx>) -> AppResult<Json<Vec<Holiday>>> {
    Ok(Json(calendar::list_holidays(&ctx.db).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayInput {
    #[schema(schema_with = balai_core::web::schema::date)]
    pub day: String,
    #[schema(schema_with = holiday_kinds)]
    pub kind: String,
    /// At most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name_id: String,
    pub name_en: Option<String>,
    #[serde(default)]
    pub confirmed: bool,
    /// Legal basis, e.g. an SKB or Keppres number; at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub source: String,
}

fn holiday_kinds() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(calendar::HOLIDAY_KINDS.iter().copied())
}

#[derive(Serialize, ToSchema)]
pub struct HolidaySaved {
    pub day: String,
    /// How many running deadlines moved because of this change.
    pub deadlines_moved: u64,
}

/// Add or change a holiday (super-admin); running deadlines are recomputed at once.
#[utoipa::path(post, path = "/api/v1/calendar/holidays", tag = "calendar", security(("bearer" = [])),
    request_body = HolidayInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = HolidaySaved), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn put_holiday(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<HolidayInput>,
) -> AppResult<Response> {
    actor.require_superadmin()?;
    let h = holiday_from_input(
        &input.day,
        &input.kind,
        &input.name_id,
        input.name_en.as_deref(),
        input.confirmed,
        &input.source,
    )?;
    let moved = save_holiday(&ctx, &actor, &meta, &h).await?;
    Ok((
        StatusCode::CREATED,
        Json(HolidaySaved {
            day: h.day.to_string(),
            deadlines_moved: moved,
        }),
    )
        .into_response())
}

fn parse_day(s: &str) -> AppResult<time::Date> {
    calendar::parse_iso_day(s).ok_or_else(|| {
        AppError::bad_request(
            "bad_date",
            "Tanggal harus berbentuk TTTT-BB-HH.",
            "The date must be YYYY-MM-DD.",
        )
    })
}

/// Remove a holiday (super-admin).
#[utoipa::path(delete, path = "/api/v1/calendar/holidays/{day}", tag = "calendar", security(("bearer" = [])),
    params(("day" = String, Path, format = Date, description = "YYYY-MM-DD")),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn delete_holiday(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(day): Path<String>,
) -> AppResult<Response> {
    let day = parse_day(&day)?;
    if remove_holiday(&ctx, &actor, &meta, day).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::not_found())
    }
}

#[derive(Deserialize, IntoParams)]
pub struct AddQuery {
    /// YYYY-MM-DD
    #[param(format = Date)]
    start: String,
    /// Working days to add, 0–365.
    #[param(minimum = 0, maximum = 365)]
    n: u32,
}

#[derive(Serialize, ToSchema)]
pub struct AddResult {
    pub start: String,
    pub n: u32,
    pub due: String,
}

/// The day that is `n` working days after `start`.
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "calendar", params(AddQuery),
    responses((status = 200, body = AddResult), (status = 400, body = ApiError)))]
pub async fn add_working_days(
    State(ctx): State<AppCtx>,
    Query(q): Query<AddQuery>,
) -> AppResult<Json<AddResult>> {
    let start = parse_day(&q.start)?;
    if q.n > 365 {
        return Err(AppError::bad_request(
            "bad_n",
            "n paling banyak 365.",
            "n must be at most 365.",
        ));
    }
    let cal = calendar::load(&ctx.db).await?;
    Ok(Json(AddResult {
        start: start.to_string(),
        n: q.n,
        due: cal.add_working_days(start, q.n).to_string(),
    }))
}

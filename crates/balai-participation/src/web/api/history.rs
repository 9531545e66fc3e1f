//! `GET /api/v1/agreements/{id}/history` and `GET /api/v1/activities/{id}/history` (public):
//! the change history the record's page shows, as JSON: when, which agency (never which
//! official), and each changed field with its value before and after, the newest change first.

use axum::extract::{Path, State};
use axum::Json;
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::domain::audit::{TARGET_ACTIVITY, TARGET_AGREEMENT};
use crate::domain::change::label;
use crate::errors::ParticipationError;
use crate::store::{activities, agreements, changes};

/// One changed field.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationChangedField)]
pub struct ChangedFieldOut {
    /// The field's key (`valid_until`, `parties`, `ended_on`, …).
    pub field: String,
    /// The field's name as the page shows it: Indonesian, then English.
    pub label_id: String,
    pub label_en: String,
    /// The value as shown before the change ("" for none); lists are joined.
    pub before: String,
    pub after: String,
}

/// One change: an edit, or the agreement's early end.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationChange)]
pub struct ChangeOut {
    #[schema(value_type = String, format = DateTime)]
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    /// The agency whose official made it ("Balai" for a super-admin).
    pub agency: String,
    pub fields: Vec<ChangedFieldOut>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationHistory)]
pub struct HistoryOut {
    pub id: i64,
    /// The changes since the record was recorded, the newest first (empty when none).
    pub changes: Vec<ChangeOut>,
}

fn fields(before: &str, after: &str) -> Vec<ChangedFieldOut> {
    let b: serde_json::Value = serde_json::from_str(before).unwrap_or_default();
    let a: serde_json::Value = serde_json::from_str(after).unwrap_or_default();
    let Some(after) = a.as_object() else {
        return Vec::new();
    };
    after
        .iter()
        .map(|(k, v)| {
            let (id, en) = label(k);
            ChangedFieldOut {
                field: k.clone(),
                label_id: id.to_string(),
                label_en: en.to_string(),
                before: b[k].as_str().unwrap_or("").to_string(),
                after: v.as_str().unwrap_or("").to_string(),
            }
        })
        .collect()
}

async fn history(ctx: &AppCtx, kind: &str, id: i64) -> AppResult<Json<HistoryOut>> {
    let changes = changes::of(&ctx.db, kind, id)
        .await?
        .into_iter()
        .map(|c| ChangeOut {
            changed_at: c.changed_at,
            agency: c.agency_name,
            fields: fields(&c.before_json, &c.after_json),
        })
        .collect();
    Ok(Json(HistoryOut { id, changes }))
}

/// The change history of an agreement (public): its edits and its early end.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/history", tag = "participation",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = HistoryOut), (status = 400), (status = 404)))]
pub async fn agreement_history(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
) -> AppResult<Json<HistoryOut>> {
    if agreements::get(&ctx.db, id).await?.is_none() {
        return Err(ParticipationError::NotFound.into());
    }
    history(&ctx, TARGET_AGREEMENT, id).await
}

/// The change history of an activity or meeting (public): its edits.
#[utoipa::path(get, path = "/api/v1/activities/{id}/history", tag = "participation",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = HistoryOut), (status = 400), (status = 404)))]
pub async fn activity_history(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
) -> AppResult<Json<HistoryOut>> {
    if activities::get(&ctx.db, id).await?.is_none() {
        return Err(ParticipationError::NotFound.into());
    }
    history(&ctx, TARGET_ACTIVITY, id).await
}

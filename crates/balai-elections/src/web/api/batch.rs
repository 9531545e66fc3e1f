//! API for many result forms at once: a JSON batch or a CSV import.

use axum::extract::Path;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::Keyed;
use balai_core::AppResult;

use crate::commands::bad_lines;
use crate::commands::submit_batch::{self as batch, BatchInput, BatchOutcome};

/// Submit up to 1000 result forms in one transaction; each item gets the answer a single
/// submission would (201, or the 4xx with its rule list), and refused items change nothing.
#[utoipa::path(post, path = "/api/v1/elections/{id}/results/batch", tag = "elections",
    security(("bearer" = [])), request_body = BatchInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = BatchOutcome), (status = 422)))]
pub async fn submit_batch(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<BatchInput>,
) -> AppResult<Json<BatchOutcome>> {
    Ok(Json(
        batch::submit_batch(&ctx, &actor, &meta, id, &input).await?,
    ))
}

/// Import result forms from CSV (one form per line, columns named like the form's dotted
/// fields; see `parse_results_csv`), then submit them as one batch.
#[utoipa::path(post, path = "/api/v1/elections/{id}/results/import", tag = "elections",
    security(("bearer" = [])), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = BatchOutcome), (status = 422)))]
pub async fn import_results(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: String,
) -> AppResult<Json<BatchOutcome>> {
    let items = batch::parse_results_csv(&body).map_err(|p| bad_lines("bad_csv", p))?;
    let input = BatchInput { items };
    Ok(Json(
        batch::submit_batch(&ctx, &actor, &meta, id, &input).await?,
    ))
}

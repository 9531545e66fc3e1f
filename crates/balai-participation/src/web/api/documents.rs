//! The signed documents through the API: `PUT /api/v1/agreements/{id}/document` (the signed
//! PDF, by an official of a party) and `PUT /api/v1/activities/{id}/attendance-list` (PDF,
//! JPEG or PNG, by an official of the organiser). The body is the file itself; its type is
//! read from its first bytes. Each upload is a new version; earlier ones are kept and listed.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::Keyed;
use balai_core::AppResult;
use serde::Serialize;
use utoipa::ToSchema;

use crate::commands::document::{self, Stored};
use crate::domain::document::DocKind;
use crate::store::documents::DocumentRow;
use crate::web::html::documents::href;

/// A version of a signed document.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationDocument)]
pub struct DocumentOut {
    /// 1 for the first upload; the highest is the current one.
    pub version: i64,
    /// Hex SHA-256 of the file, for anyone to check a copy against.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    #[schema(schema_with = content_types)]
    pub content_type: String,
    pub size: i64,
    /// Where the file is downloaded (public).
    pub url: String,
}

fn content_types() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(["application/pdf", "image/jpeg", "image/png"])
}

impl DocumentOut {
    pub fn of(kind: DocKind, d: &DocumentRow) -> DocumentOut {
        DocumentOut {
            version: d.version,
            sha256: d.sha256.clone(),
            content_type: d.content_type.clone(),
            size: d.size,
            url: href(kind, d.owner_id, d.version),
        }
    }

    fn stored(kind: DocKind, id: i64, s: &Stored) -> DocumentOut {
        DocumentOut {
            version: s.version,
            sha256: s.sha256.clone(),
            content_type: s.file_type.content_type().to_string(),
            size: s.size as i64,
            url: href(kind, id, s.version),
        }
    }
}

async fn put(
    ctx: &balai_core::web::AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    (kind, id): (DocKind, i64),
    body: &[u8],
) -> AppResult<(StatusCode, Json<DocumentOut>)> {
    let s = document::upload(ctx, meta, actor, (kind, id), body).await?;
    Ok((StatusCode::CREATED, Json(DocumentOut::stored(kind, id, &s))))
}

/// Upload the signed agreement (body: the PDF, at most `[participation] max_document_bytes`,
/// 2 MB unless set). A new version; the old ones are kept. Anything but a PDF (by its content) is refused with 422 and nothing is stored.
#[utoipa::path(put, path = "/api/v1/agreements/{id}/document", tag = "participation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body(description = "The signed agreement as a PDF file.",
        content((Vec<u8> = "application/pdf"))),
    responses((status = 201, body = DocumentOut), (status = 401), (status = 403),
        (status = 404), (status = 409), (status = 413), (status = 422)))]
pub async fn put_agreement_document(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<(StatusCode, Json<DocumentOut>)> {
    put(&ctx, &meta, &actor, (DocKind::Agreement, id), &body).await
}

/// Upload an activity's signed attendance list (body: a PDF, or a JPEG or PNG scan, at most
/// `[participation] max_document_bytes`, 2 MB unless set). A new version; the old ones are
/// kept. Anything else is refused with 422.
#[utoipa::path(put, path = "/api/v1/activities/{id}/attendance-list", tag = "participation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body(description = "The signed attendance list: PDF, JPEG or PNG.",
        content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
    responses((status = 201, body = DocumentOut), (status = 401), (status = 403),
        (status = 404), (status = 409), (status = 413), (status = 422)))]
pub async fn put_attendance_list(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<(StatusCode, Json<DocumentOut>)> {
    put(&ctx, &meta, &actor, (DocKind::Attendance, id), &body).await
}

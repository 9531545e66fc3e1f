//! The signed documents on the pages: every version with its SHA-256 (public), the download of
//! one version (served as an attachment of its checked type, under a policy that lets nothing
//! in it run), and the officials' upload forms (multipart, checked CSRF token, POST then
//! redirect; a refused file is named on the page it came from).

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult, Db};

use crate::commands::document;
use crate::domain::document::{DocKind, FileType};
use crate::errors::ParticipationError;
use crate::store::documents::{self, DocumentRow};

/// One version as a page lists it.
pub struct DocView {
    pub version: i64,
    pub uploaded: String,
    pub sha256: String,
    pub size: String,
    pub kind: &'static str,
    pub href: String,
}

/// The path of one version's download.
pub fn href(kind: DocKind, owner_id: i64, version: i64) -> String {
    match kind {
        DocKind::Agreement => format!("/kolaborasi/perjanjian/{owner_id}/dokumen/{version}"),
        DocKind::Attendance => format!("/kolaborasi/kegiatan/{owner_id}/daftar-hadir/{version}"),
    }
}

pub fn view(kind: DocKind, d: &DocumentRow, lang: Lang) -> DocView {
    let kb = (d.size + 1023) / 1024;
    DocView {
        version: d.version,
        uploaded: balai_core::format::date(
            d.uploaded_at
                .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
                .date(),
            lang,
        ),
        sha256: d.sha256.clone(),
        size: format!("{kb} KB"),
        kind: match FileType::parse(&d.content_type) {
            Some(FileType::Jpeg) => "JPEG",
            Some(FileType::Png) => "PNG",
            _ => "PDF",
        },
        href: href(kind, d.owner_id, d.version),
    }
}

/// Every version of one record's document, the newest first.
pub async fn versions(db: &Db, kind: DocKind, id: i64, lang: Lang) -> AppResult<Vec<DocView>> {
    Ok(documents::versions(db, kind, id)
        .await?
        .iter()
        .map(|d| view(kind, d, lang))
        .collect())
}

/// One version as a download: its checked type, never rendered in the page's origin.
async fn download(ctx: &AppCtx, kind: DocKind, id: i64, version: i64) -> AppResult<Response> {
    let (ct, data) = documents::data(&ctx.db, kind, id, version)
        .await?
        .ok_or_else(AppError::not_found)?;
    let t = FileType::parse(&ct).ok_or_else(AppError::not_found)?;
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(t.content_type()),
    );
    let name = format!("{}-{id}-v{version}.{}", kind.file_stem(), t.extension());
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
    );
    // A version never changes once stored.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(res)
}

pub async fn agreement_file(
    State(ctx): State<AppCtx>,
    Path((id, version)): Path<(i64, i64)>,
) -> AppResult<Response> {
    download(&ctx, DocKind::Agreement, id, version).await
}

pub async fn attendance_file(
    State(ctx): State<AppCtx>,
    Path((id, version)): Path<(i64, i64)>,
) -> AppResult<Response> {
    download(&ctx, DocKind::Attendance, id, version).await
}

/// The file of an upload form (field `file`), after its CSRF token is checked.
async fn read_upload(ctx: &AppCtx, headers: HeaderMap, mut mp: Multipart) -> AppResult<Vec<u8>> {
    let bad = |_| AppError::from(ParticipationError::BadForm);
    let (mut token, mut file) = (String::new(), Vec::new());
    while let Some(f) = mp.next_field().await.map_err(bad)? {
        match f.name().unwrap_or("") {
            "csrf" => token = f.text().await.map_err(bad)?,
            "file" => file = f.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    let (mut parts, _) = axum::http::Request::new(()).into_parts();
    parts.headers = headers;
    csrf::check(ctx, &parts, &token)?;
    Ok(file)
}

/// Upload from a form, then back to the page it came from (`?dok=1` stored, `?dok=<code>` refused).
async fn upload_form(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    (kind, id): (DocKind, i64),
    bytes: &[u8],
    back: &str,
) -> AppResult<Response> {
    match document::upload(ctx, meta, actor, (kind, id), bytes).await {
        Ok(_) => Ok(Redirect::to(&format!("{back}?dok=1")).into_response()),
        Err(ParticipationError::Invalid(i)) => {
            Ok(Redirect::to(&format!("{back}?dok={}", i.code())).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn agreement_upload(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mp: Multipart,
) -> AppResult<Response> {
    let bytes = read_upload(&ctx, headers, mp).await?;
    let back = format!("/kolaborasi/petugas/perjanjian/{id}");
    upload_form(&ctx, &meta, &actor, (DocKind::Agreement, id), &bytes, &back).await
}

pub async fn attendance_upload(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mp: Multipart,
) -> AppResult<Response> {
    let bytes = read_upload(&ctx, headers, mp).await?;
    let back = format!("/kolaborasi/petugas/kegiatan/{id}");
    upload_form(
        &ctx,
        &meta,
        &actor,
        (DocKind::Attendance, id),
        &bytes,
        &back,
    )
    .await
}

/// The message for `?dok=…` after an upload form (empty when there is none).
pub fn upload_notice(dok: &str, kind: DocKind, max: usize, lang: Lang) -> (String, String) {
    use crate::domain::invalid::Invalid;
    let refused = match dok {
        "" => return (String::new(), String::new()),
        "1" => {
            return (
                lang.tr("Dokumen tersimpan.", "Document stored.").into(),
                String::new(),
            )
        }
        "document_too_large" => Invalid::DocumentTooLarge(max),
        _ => Invalid::DocumentType(kind.pdf_only()),
    };
    let (id, en) = refused.messages();
    (String::new(), if lang == Lang::En { en } else { id })
}

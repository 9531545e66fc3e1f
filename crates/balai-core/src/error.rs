//! One error type for every handler, mapped to HTTP in one place.
//!
//! The user sees a stable `code`, a message in their language and the request id; internal detail
//! (SQL errors, IO errors) goes to the log only. The final body (JSON for `/api`, an HTML page
//! otherwise) is written by [`crate::web::errors::render`] (from the frame middleware), which
//! knows the request id.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::i18n::Lang;

/// What an error response carries to the rendering middleware.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_id: String,
    pub message_en: String,
    /// Extra machine-readable detail safe to show (e.g. which fields failed).
    pub details: Option<serde_json::Value>,
    /// For a 429: seconds until a retry can succeed, sent as `Retry-After` (a default
    /// otherwise, see [`crate::web::errors`]).
    pub retry_after: Option<u32>,
}

impl ErrorInfo {
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.message_id,
            Lang::En => &self.message_en,
        }
    }
}

#[derive(Debug)]
pub struct AppError {
    pub info: ErrorInfo,
    internal: Option<anyhow::Error>,
}

pub type AppResult<T> = Result<T, AppError>;

/// `Retry-After` of a 503: about the time the disk monitor takes to notice room again.
pub const RETRY_AFTER_SECONDS: u32 = 5;

impl AppError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        id: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        AppError {
            info: ErrorInfo {
                status,
                code,
                message_id: id.into(),
                message_en: en.into(),
                details: None,
                retry_after: None,
            },
            internal: None,
        }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.info.details = Some(details);
        self
    }

    /// Tell the client when to retry (a 429's `Retry-After`).
    pub fn with_retry_after(mut self, seconds: u32) -> Self {
        self.info.retry_after = Some(seconds);
        self
    }

    pub fn bad_request(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, id, en)
    }

    pub fn unprocessable(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, id, en)
    }

    pub fn conflict(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, id, en)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Halaman atau data tidak ditemukan.",
            "Not found.",
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Silakan masuk terlebih dahulu.",
            "Please sign in first.",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Anda tidak berwenang melakukan tindakan ini.",
            "You are not allowed to do this.",
        )
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
            "The form expired or is invalid. Reload the page and try again.",
        )
    }

    pub fn too_many(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", id, en)
    }

    /// A write the storage refused (full or read-only disk, an IO error): 503 with
    /// `Retry-After`, so that clients keep what they sent and send it again.
    pub fn storage_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "Penyimpanan server sedang penuh atau tidak dapat ditulis, jadi data Anda belum \
             tersimpan. Kirim ulang beberapa saat lagi.",
            "The server's storage is full or cannot be written, so your data was not saved. \
             Send it again in a little while.",
        )
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        let e = e.into();
        if let Some(fault) = crate::disk::classify(&e) {
            crate::disk::note_fault(fault);
            let mut err = Self::storage_unavailable();
            err.internal = Some(e);
            return err;
        }
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Terjadi kesalahan pada server. Sebutkan kode permintaan ini kepada admin.",
            "Something went wrong on the server. Quote this request id to an administrator.",
        );
        err.internal = Some(e);
        err
    }

    pub fn status(&self) -> StatusCode {
        self.info.status
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.info.code, self.info.message_en)?;
        if let Some(e) = &self.internal {
            write!(f, " ({e:#})")?;
        }
        Ok(())
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal(e)
    }
}

/// Log an internal error at the level its cause deserves: a request answered from its
/// Idempotency-Key's record is no error at all, a database that cannot be reached for a
/// moment (a restart) is a warning the client's retry deals with, and a stopped writer, a full
/// or read-only disk, or anything unexpected is an error, each said plainly.
fn log_internal(e: &anyhow::Error, code: &'static str) {
    use crate::db::fault::{classify, classify_message, Fault};
    let text = format!("{e:#}");
    if e.chain().any(|c| {
        c.downcast_ref::<sqlx::Error>()
            .is_some_and(crate::idempotency::is_lost_claim)
    }) || text.contains(crate::idempotency::LOST_CLAIM)
    {
        tracing::debug!("Idempotency-Key held by another request: answered from its record");
        return;
    }
    let fault = e
        .chain()
        .find_map(|c| c.downcast_ref::<sqlx::Error>().and_then(classify))
        .or_else(|| classify_message(&text));
    match fault {
        Some(Fault::Unreachable) => tracing::warn!(
            error = %text, code, fault = "unreachable",
            "request failed: the database cannot be reached (restarting?); a retry may succeed"
        ),
        Some(Fault::WriterStopped) => tracing::error!(
            error = %text, code, fault = "writer_stopped",
            "request failed: the group-commit writer has stopped; writes fail until a restart"
        ),
        Some(f @ (Fault::DiskFull | Fault::ReadOnly | Fault::Io)) => tracing::error!(
            error = %text, code, fault = f.as_str(),
            "request failed: the database cannot write to its disk"
        ),
        None => tracing::error!(error = %text, code, "request failed"),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(e) = &self.internal {
            log_internal(e, self.info.code);
        }
        let mut res = self.info.status.into_response();
        let retry_after = match self.info.retry_after {
            Some(secs) => Some(secs),
            None if self.info.status == StatusCode::SERVICE_UNAVAILABLE => {
                Some(RETRY_AFTER_SECONDS)
            }
            None => None,
        };
        if let Some(secs) = retry_after {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        res.extensions_mut().insert(self.info);
        res
    }
}

//! CSV downloads of the feature (UTF-8, a header row, one record a line).

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::{AppError, AppResult};

/// A CSV attachment named `filename` with `header` and `rows`.
pub fn attachment(filename: &str, header: &[&str], rows: &[Vec<String>]) -> AppResult<Response> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(AppError::internal)?;
    for r in rows {
        w.write_record(r).map_err(AppError::internal)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

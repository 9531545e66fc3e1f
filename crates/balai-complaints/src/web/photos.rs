//! A report photo as an HTTP answer (the tracking page, the public page and officials share it).

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

pub fn photo_response(ct: String, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&ct) {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    res
}

//! What a request carries that several web modules read: its id header and its cookies.

use axum::http::header;

/// The request id header, set on every request and response.
pub const REQUEST_ID: &str = "x-request-id";

/// The value of cookie `name`, if the request has it.
pub fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().find_map(|v| {
        v.to_str().ok()?.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    })
}

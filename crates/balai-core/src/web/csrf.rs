//! CSRF protection for every HTML form: a signed double-submit token.
//!
//! Each browser gets a random `balai_csrf` cookie (HttpOnly, SameSite=Strict). Forms carry
//! `HMAC(server secret, cookie, session)` in a hidden `csrf` field, bound to the sign-in
//! session (a token seen in one session, or planted with a tossed cookie, is no good in
//! another); [`CsrfForm`] rejects a POST whose field does not match, and any cross-site POST
//! announced by `Sec-Fetch-Site`. A JSON API call signed in by the session cookie (not by a
//! bearer token) carries the same token in the `X-CSRF-Token` header ([`check_api`]).

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::Form;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::actor::SESSION_COOKIE;
use super::request::cookie_value;
use super::AppCtx;
use crate::error::AppError;

pub const CSRF_COOKIE: &str = "balai_csrf";

/// The token to embed in forms on this page.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// The header a cookie-authenticated API call carries its token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The token for a CSRF cookie in the session whose cookie is `session` (empty when signed
/// out): the session enters as its hash, so the token says nothing about it.
fn sign(secret: &[u8], cookie: &str, session: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(cookie.as_bytes());
            mac.update(b"\0");
            mac.update(crate::auth::sha256_hex(session).as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

fn valid_cookie(v: &str) -> bool {
    (20..=100).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Before a handler (see [`super::layers::guard`]): give it the CSRF token of the browser's
/// cookie, or of a fresh cookie, which is returned to be set on the response.
pub fn prepare(ctx: &AppCtx, req: &mut Request) -> Option<String> {
    // Reads of the JSON API carry no forms; a Set-Cookie there would only stop shared caches
    // (CDNs) from storing public responses.
    if req.method() == axum::http::Method::GET && req.uri().path().starts_with("/api/v1/") {
        return None;
    }
    let existing = cookie_value(req.headers(), CSRF_COOKIE)
        .filter(|v| valid_cookie(v))
        .map(str::to_string);
    let (cookie, fresh) = match existing {
        Some(c) => (c, None),
        None => {
            let c = crate::auth::random_token(24);
            (c.clone(), Some(c))
        }
    };
    let session = cookie_value(req.headers(), SESSION_COOKIE).unwrap_or("");
    let token = sign(&ctx.secret, &cookie, session);
    req.extensions_mut().insert(CsrfToken(token));
    fresh
}

/// Set a fresh CSRF cookie made by [`prepare`].
pub fn set_cookie(ctx: &AppCtx, res: &mut Response, cookie: &str) {
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let c = format!("{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{secure}");
    if let Ok(v) = HeaderValue::from_str(&c) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("csrf middleware missing")))
    }
}

/// Check the token a form carried against the browser's cookie.
pub fn check(ctx: &AppCtx, parts: &Parts, submitted: &str) -> Result<(), AppError> {
    if parts
        .headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        == Some("cross-site")
    {
        return Err(AppError::csrf());
    }
    let Some(cookie) = cookie_value(&parts.headers, CSRF_COOKIE).filter(|v| valid_cookie(v)) else {
        return Err(AppError::csrf());
    };
    let session = cookie_value(&parts.headers, SESSION_COOKIE).unwrap_or("");
    let expected = sign(&ctx.secret, cookie, session);
    if expected.is_empty() || !bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())) {
        return Err(AppError::csrf());
    }
    Ok(())
}

/// A write to the JSON API signed in by the session cookie must carry the session's token in
/// [`CSRF_HEADER`] (the cookie goes with any request the browser sends, the header only with
/// the page's own); a bearer-token call, or one with no session cookie, needs none.
pub fn check_api(ctx: &AppCtx, parts: &Parts) -> Result<(), AppError> {
    let unsafe_method = !matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if !unsafe_method
        || !parts.uri.path().starts_with("/api/")
        || parts.headers.contains_key(header::AUTHORIZATION)
        || cookie_value(&parts.headers, SESSION_COOKIE).is_none()
    {
        return Ok(());
    }
    let submitted = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    check(ctx, parts, submitted)
}

/// Field every form posts.
#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form whose CSRF token has been checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppCtx> for CsrfForm<T> {
    type Rejection = AppError;
    async fn from_request(req: Request<Body>, ctx: &AppCtx) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, ctx.cfg.max_body_bytes)
            .await
            .map_err(|_| {
                AppError::bad_request(
                    "body_too_large",
                    "Isian terlalu besar.",
                    "The form is too large.",
                )
            })?;
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes).unwrap_or(CsrfField {
            csrf: String::new(),
        });
        check(ctx, &parts, &field.csrf)?;
        let req = Request::from_parts(parts, Body::from(bytes));
        let Form(v) = Form::<T>::from_request(req, ctx).await.map_err(|e| {
            AppError::bad_request(
                "bad_form",
                format!("Isian formulir tidak sah: {e}"),
                format!("Invalid form: {e}"),
            )
        })?;
        Ok(CsrfForm(v))
    }
}

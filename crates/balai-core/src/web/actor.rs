//! Who is asking: the [`Actor`] resolved from a bearer token (API) or the session cookie
//! (pages), and the request's audit metadata.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::request::{cookie_value, REQUEST_ID};
use super::AppCtx;
use crate::audit::AuditContext;
use crate::auth;
use crate::error::AppError;
use crate::identity::actor_of;
pub use crate::identity::{Actor, AuthVia};

pub const SESSION_COOKIE: &str = "balai_session";

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
        .map(str::trim)
}

/// Build an actor for a user id (shared by session, token and tests).
pub async fn actor_for_user(
    ctx: &AppCtx,
    user_id: i64,
    via: AuthVia,
) -> Result<Option<Actor>, AppError> {
    Ok(crate::identity::actor_for_user(&ctx.db, user_id, via).await?)
}

async fn resolve(parts: &Parts, ctx: &AppCtx) -> Result<Option<Actor>, AppError> {
    if let Some(token) = bearer(parts) {
        // A bad token is an error, not a fallback to anonymous.
        let (user, agency) = ctx
            .tokens
            .user_by_token_hash(auth::sha256_hex(token))
            .await?
            .ok_or_else(AppError::unauthorized)?;
        return Ok(actor_of(user, agency, AuthVia::Token));
    }
    if let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) {
        if let Some(s) = auth::find_session(&ctx.db, token).await? {
            return actor_for_user(ctx, s.user_id, AuthVia::Session(s.id_hash)).await;
        }
    }
    Ok(None)
}

/// Cached per request so several extractors do not repeat the look-up.
#[derive(Clone)]
struct Resolved(Option<Actor>);

async fn cached(parts: &mut Parts, ctx: &AppCtx) -> Result<Option<Actor>, AppError> {
    if let Some(Resolved(a)) = parts.extensions.get::<Resolved>() {
        return Ok(a.clone());
    }
    let a = resolve(parts, ctx).await?;
    parts.extensions.insert(Resolved(a.clone()));
    Ok(a)
}

impl FromRequestParts<AppCtx> for Actor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, ctx: &AppCtx) -> Result<Self, Self::Rejection> {
        cached(parts, ctx).await?.ok_or_else(AppError::unauthorized)
    }
}

/// The actor if signed in, else `None` (public pages).
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppCtx> for MaybeActor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, ctx: &AppCtx) -> Result<Self, Self::Rejection> {
        Ok(MaybeActor(cached(parts, ctx).await?))
    }
}

/// Request id, client IP and user agent, for the audit log.
#[derive(Clone, Debug)]
pub struct ReqMeta {
    pub request_id: String,
    pub ip: String,
    pub user_agent: String,
}

impl ReqMeta {
    pub fn audit(&self, actor: Option<&Actor>) -> AuditContext {
        AuditContext {
            actor_user_id: actor.map(|a| a.user.id),
            actor_label: actor
                .map(|a| a.user.username.clone())
                .unwrap_or_else(|| "anonim".into()),
            request_id: self.request_id.clone(),
            ip: self.ip.clone(),
            user_agent: self.user_agent.clone(),
            agency_kind: actor
                .and_then(|a| a.agency.as_ref())
                .map(|a| a.kind.clone()),
        }
    }
}

/// The client's address: the peer's, or behind `proxies` reverse proxies the entry of
/// `X-Forwarded-For` written by the outermost of them, counted from the right (each proxy
/// appends what it saw; anything to the left of that came from the client and proves nothing).
pub fn client_ip(parts: &Parts, proxies: usize) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string());
    if proxies > 0 {
        let hops: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let from_right = hops.len().checked_sub(proxies).and_then(|i| hops.get(i));
        if let Some(ip) = from_right.and_then(|h| h.parse::<std::net::IpAddr>().ok()) {
            return ip.to_string();
        }
    }
    peer.unwrap_or_else(|| "unknown".into())
}

impl FromRequestParts<AppCtx> for ReqMeta {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, ctx: &AppCtx) -> Result<Self, Self::Rejection> {
        Ok(ReqMeta {
            request_id: parts
                .headers
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string(),
            ip: client_ip(parts, ctx.cfg.proxies()),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
        })
    }
}

//! Who is asking: resolved from a bearer token (API) or the session cookie (pages).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::AppCtx;
use crate::accounts::{self, Agency, Role, Scope, User};
use crate::audit::AuditContext;
use crate::auth;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "balai_session";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthVia {
    /// Holds the session token's hash, to keep this session on a password change.
    Session(String),
    Token,
}

/// An authenticated official.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: User,
    pub agency: Option<Agency>,
    pub role: Role,
    pub scope: Scope,
    pub via: AuthVia,
}

impl Actor {
    pub fn is_superadmin(&self) -> bool {
        self.user.is_superadmin
    }

    pub fn is_admin(&self) -> bool {
        self.is_superadmin() || self.role == Role::Admin
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn require_superadmin(&self) -> Result<(), AppError> {
        if self.is_superadmin() {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// Roles that may change records (not viewers).
    pub fn require_writer(&self) -> Result<(), AppError> {
        if self.is_superadmin() || self.role != Role::Viewer {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

pub fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().find_map(|v| {
        v.to_str().ok()?.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    })
}

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
    Ok(accounts::user_with_agency(&ctx.db, user_id)
        .await?
        .and_then(|(user, agency)| actor_of(user, agency, via)))
}

/// The actor of a user read with its agency (none for a disabled user).
fn actor_of(user: accounts::User, agency: Option<Agency>, via: AuthVia) -> Option<Actor> {
    if user.disabled {
        return None;
    }
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    let scope = if user.is_superadmin {
        Scope::All
    } else if let Some(a) = &agency {
        Scope::Region {
            prefix: a.region_code.clone(),
            agency_id: a.id,
            agency_kind: a.kind.clone(),
        }
    } else {
        Scope::Nothing
    };
    Some(Actor {
        user,
        agency,
        role,
        scope,
        via,
    })
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
        }
    }
}

pub fn client_ip(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return ip.trim().to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

impl FromRequestParts<AppCtx> for ReqMeta {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, ctx: &AppCtx) -> Result<Self, Self::Rejection> {
        Ok(ReqMeta {
            request_id: parts
                .headers
                .get(super::layers::REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string(),
            ip: client_ip(parts, ctx.cfg.trust_proxy),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
        })
    }
}

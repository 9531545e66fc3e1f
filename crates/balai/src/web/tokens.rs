//! An official's own API tokens, from a page: the list (name, when made and last used,
//! revoked), a new one, revoking one. A new token's text is shown once: the POST stores only its
//! hash and hands the text to the next page in a short-lived cookie scoped to this page, which
//! that page shows and clears, so the POST still ends in a redirect and a refresh makes nothing.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::audit::{self, actions, AuditEvent};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::Page;
use balai_core::web::AppCtx;
use balai_core::{auth, with_db, with_tx, AppError, AppResult};
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;

const NEW_TOKEN_COOKIE: &str = "balai_new_token";
const PATH: &str = "/account/tokens";

struct TokenRow {
    id: i64,
    name: String,
    created_at: String,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    page: Page,
    tokens: Vec<TokenRow>,
    /// The token just made, shown this once.
    new_token: Option<String>,
    error: Option<String>,
    revoked: bool,
}

impl TokensPage {
    fn when(&self, rfc3339: &str) -> String {
        self.page.datetime(rfc3339, "")
    }
}

fn text(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

async fn tokens_of(ctx: &AppCtx, user: i64) -> AppResult<Vec<TokenRow>> {
    type R = (
        i64,
        String,
        OffsetDateTime,
        Option<OffsetDateTime>,
        Option<OffsetDateTime>,
    );
    let rows: Vec<R> = with_db!(&ctx.db, |c| sqlx::query_as(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens
         WHERE user_id = $1 ORDER BY id DESC"
    )
    .bind(user)
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, c, u, r)| TokenRow {
            id,
            name,
            created_at: text(c),
            last_used_at: u.map(text),
            revoked_at: r.map(text),
        })
        .collect())
}

fn cookie(ctx: &AppCtx, value: &str, max_age: u32) -> AppResult<HeaderValue> {
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{NEW_TOKEN_COOKIE}={value}; Path={PATH}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .map_err(AppError::internal)
}

async fn page_for(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> AppResult<TokensPage> {
    Ok(TokensPage {
        page: Page::new(
            lang,
            lang.tr("Token API saya", "My API tokens"),
            Some(actor),
            &csrf.0,
            uri.path(),
        ),
        tokens: tokens_of(ctx, actor.user.id).await?,
        new_token: None,
        error: None,
        revoked: uri.query().is_some_and(|q| q.contains("dicabut")),
    })
}

fn html(p: &TokensPage) -> AppResult<Response> {
    let mut res = p.render()?.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The token text must not stay in a cache.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn list(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let mut p = page_for(&ctx, lang, &actor, &csrf, &uri).await?;
    p.new_token = balai_core::web::request::cookie_value(&headers, NEW_TOKEN_COOKIE)
        .filter(|t| t.starts_with("balai_") && t.len() < 100)
        .map(str::to_string);
    let mut res = html(&p)?;
    if p.new_token.is_some() {
        res.headers_mut()
            .append(header::SET_COOKIE, cookie(&ctx, "", 0)?);
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
}

pub async fn create(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<NewToken>,
) -> AppResult<Response> {
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        let mut p = page_for(&ctx, lang, &actor, &csrf, &uri).await?;
        p.error = Some(
            lang.tr(
                "Beri nama token (1–100 karakter), mis. aplikasi yang memakainya.",
                "Name the token (1–100 characters), e.g. the application that uses it.",
            )
            .to_string(),
        );
        let mut res = html(&p)?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let mut tx = ctx.begin().await?;
    let token = auth::create_api_token(&mut tx, actor.user.id, name).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: actions::TOKEN_CREATED,
            target_kind: "user",
            target_id: actor.user.id.to_string(),
            region_code: None,
            summary: json!({ "name": name, "via": "page" }),
        },
    )
    .await?;
    tx.commit().await?;
    let mut res = Redirect::to(PATH).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, cookie(&ctx, &token, 300)?);
    Ok(res)
}

pub async fn revoke(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::session::Empty>,
) -> AppResult<Response> {
    let mut tx = ctx.begin().await?;
    // Only one's own live token; anything else is not found.
    let n = with_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL"
    )
    .bind(balai_core::db::now())
    .bind(id)
    .bind(actor.user.id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: actions::TOKEN_REVOKED,
            target_kind: "user",
            target_id: actor.user.id.to_string(),
            region_code: None,
            summary: json!({ "token_id": id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{PATH}?dicabut=1")).into_response())
}

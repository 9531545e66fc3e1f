//! Sign-in, sign-out and password change.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::audit::{self, AuditEvent};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, AuthVia, MaybeActor, ReqMeta, SESSION_COOKIE};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::Page;
use balai_core::web::request::cookie_value;
use balai_core::web::AppCtx;
use balai_core::{accounts, auth, AppError, AppResult};
use serde::Deserialize;
use serde_json::json;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    next: String,
    username: String,
    error: Option<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

/// Only a path on this site is followed after sign-in: one leading `/` and no second
/// (`//host` is another site), no backslash (browsers read `/\host` as `//host`), no
/// control character or space (browsers drop tab and newline, so `/\t/host` is `//host` too),
/// and nothing a URI parser reads as a scheme or host. Anything else goes to the dashboard.
fn safe_next(next: Option<&str>) -> String {
    let local = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n
                .chars()
                .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
            && n.parse::<axum::http::Uri>()
                .is_ok_and(|u| u.scheme().is_none() && u.authority().is_none())
    };
    match next {
        Some(n) if local(n) => n.to_string(),
        _ => "/dashboard".to_string(),
    }
}

fn login_page(
    status: StatusCode,
    page: Page,
    next: String,
    username: String,
    error: Option<(&'static str, &'static str)>,
) -> AppResult<Response> {
    let html = LoginPage {
        page,
        next,
        username,
        error,
    }
    .render()?;
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(res)
}

pub async fn login_form(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    Query(q): Query<NextParam>,
) -> AppResult<Response> {
    if actor.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let page = Page::new(
        lang,
        lang.tr("Masuk petugas", "Officials' sign-in"),
        None,
        &csrf.0,
        "/login",
    );
    login_page(
        StatusCode::OK,
        page,
        safe_next(q.next.as_deref()),
        String::new(),
        None,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// A failed sign-in, audited (its throttling slot was reserved before the check).
async fn record_failure(ctx: &AppCtx, meta: &ReqMeta, username: &str) -> AppResult<()> {
    let mut tx = ctx.db.begin().await?;
    audit::record(
        &mut tx,
        &meta.audit(None),
        AuditEvent {
            action: audit::actions::LOGIN_FAILED,
            target_kind: "user",
            target_id: username.to_string(),
            region_code: None,
            summary: json!({ "username": username }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn login(
    State(ctx): State<AppCtx>,
    lang: Lang,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let username = form.username.trim().to_lowercase();
    let next = safe_next(form.next.as_deref());
    let page = Page::new(
        lang,
        lang.tr("Masuk petugas", "Officials' sign-in"),
        None,
        &csrf.0,
        "/login",
    );
    // The failure is counted before the password is checked: parallel guesses cannot
    // outrun the budget.
    let Some(slot) = auth::reserve_failure(&ctx.db, &username, &meta.ip, &ctx.cfg.login).await?
    else {
        return login_page(
            StatusCode::TOO_MANY_REQUESTS,
            page,
            next,
            username,
            Some((
                "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit.",
                "Too many failed attempts. Try again in 15 minutes.",
            )),
        );
    };
    let user = accounts::user_by_name(&ctx.db, &username).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_string());
    let ok = match auth::verify_password_gated(&form.password, &hash).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked, so not a guess.
            auth::release_failure(&ctx.db, slot).await?;
            return Err(e.into());
        }
    };
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            record_failure(&ctx, &meta, &username).await?;
            return login_page(
                StatusCode::UNAUTHORIZED,
                page,
                next,
                username,
                Some((
                    "Nama pengguna atau kata sandi salah.",
                    "Wrong username or password.",
                )),
            );
        }
    };
    // A success clears the account's failures, the slot of this attempt among them.
    let _ = slot;
    let mut tx = ctx.begin().await?;
    auth::clear_login_failures(&mut tx, &username).await?;
    let token = auth::create_session(
        &mut tx,
        user.id,
        ctx.cfg.session_hours,
        &meta.ip,
        &meta.user_agent,
    )
    .await?;
    let mut audit_ctx = meta.audit(None);
    audit_ctx.actor_user_id = Some(user.id);
    audit_ctx.actor_label = user.username.clone();
    audit::record(
        &mut tx,
        &audit_ctx,
        AuditEvent {
            action: audit::actions::LOGIN,
            target_kind: "user",
            target_id: user.id.to_string(),
            region_code: None,
            summary: json!({ "via": "password" }),
        },
    )
    .await?;
    tx.commit().await?;
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        ctx.cfg.session_hours * 3600
    );
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(ctx): State<AppCtx>,
    MaybeActor(actor): MaybeActor,
    meta: ReqMeta,
    headers: axum::http::HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let token = cookie_value(&headers, SESSION_COOKIE).map(str::to_string);
    if let Some(t) = token {
        auth::delete_session(&ctx.db, &t).await?;
    }
    if let Some(a) = &actor {
        audit::record_now(
            &ctx.db,
            &meta.audit(Some(a)),
            AuditEvent {
                action: audit::actions::LOGOUT,
                target_kind: "user",
                target_id: a.user.id.to_string(),
                region_code: None,
                summary: json!({}),
            },
        )
        .await?;
    }
    let mut res = Redirect::to("/").into_response();
    let secure = if ctx.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}");
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&clear).map_err(AppError::internal)?,
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    page: Page,
    error: Option<(&'static str, &'static str)>,
    done: bool,
}

fn password_page(
    status: StatusCode,
    page: Page,
    error: Option<(&'static str, &'static str)>,
    done: bool,
) -> AppResult<Response> {
    let html = PasswordPage { page, error, done }.render()?;
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(res)
}

pub async fn password_form(
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.tr("Ganti kata sandi", "Change password"),
        Some(&actor),
        &csrf.0,
        uri.path(),
    );
    password_page(StatusCode::OK, page, None, false)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let page = Page::new(
        lang,
        lang.tr("Ganti kata sandi", "Change password"),
        Some(&actor),
        &csrf.0,
        "/account/password",
    );
    if form.new.chars().count() < 10 || form.new.len() > auth::MAX_PASSWORD_BYTES {
        return password_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            page,
            Some((
                "Kata sandi baru 10 sampai 1.024 karakter.",
                "The new password needs 10 to 1,024 characters.",
            )),
            false,
        );
    }
    if form.new != form.confirm {
        return password_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            page,
            Some((
                "Kedua kata sandi baru tidak sama.",
                "The two new passwords differ.",
            )),
            false,
        );
    }
    // Guesses at the current password (a session left open) count like failed sign-ins.
    let key = format!("password-change:{}", actor.user.username);
    let Some(slot) = auth::reserve_failure(&ctx.db, &key, &meta.ip, &ctx.cfg.login).await? else {
        return Err(AppError::too_many(
            "Terlalu banyak percobaan gagal. Coba lagi dalam 15 menit.",
            "Too many failed attempts. Try again in 15 minutes.",
        ));
    };
    let checked = auth::verify_password_gated(&form.current, &actor.user.password_hash).await;
    if !matches!(checked, Ok(false)) {
        // Right, or never checked (busy): not a failure.
        auth::release_failure(&ctx.db, slot).await?;
    }
    if !checked? {
        return password_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            page,
            Some((
                "Kata sandi sekarang salah.",
                "The current password is wrong.",
            )),
            false,
        );
    }
    let new_hash = auth::hash_password_gated(&form.new).await?;
    let keep = match &actor.via {
        AuthVia::Session(h) => Some(h.as_str()),
        AuthVia::Token | AuthVia::Command => None,
    };
    let mut tx = ctx.begin().await?;
    accounts::set_password_hash(&mut tx, actor.user.id, &new_hash, keep).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: audit::actions::PASSWORD_CHANGED,
            target_kind: "user",
            target_id: actor.user.id.to_string(),
            region_code: actor.agency.as_ref().map(|a| a.region_code.clone()),
            summary: json!({ "other_sessions_ended": true }),
        },
    )
    .await?;
    tx.commit().await?;
    password_page(StatusCode::OK, page, None, true)
}

//! What the officials' pages share: the request a page is made from, the election an official
//! may work on (the same check as the API's, [`crate::commands::authorize::require`]), the
//! area of it they serve, and the message of a refusal in the page's language.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use balai_core::i18n::Lang;
use balai_core::web::actor::Actor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use crate::commands::authorize::require;
use crate::domain::permissions::Action;
use crate::errors::VoterError;
use crate::store::elections::{self, ElectionHead};

/// What an official's page needs from its request: the signed-in official (or the sign-in
/// page), the language, the CSRF token of its forms and the path for the language switch.
pub struct Req {
    pub ctx: AppCtx,
    pub lang: Lang,
    pub actor: Actor,
    pub csrf: String,
    pub uri: OriginalUri,
}

impl FromRequestParts<AppCtx> for Req {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, ctx: &AppCtx) -> Result<Self, AppError> {
        let actor = Actor::from_request_parts(parts, ctx).await?;
        let csrf = CsrfToken::from_request_parts(parts, ctx).await?.0;
        let Ok(uri) = OriginalUri::from_request_parts(parts, ctx).await;
        Ok(Req {
            ctx: ctx.clone(),
            lang: Lang::from_parts(parts),
            actor,
            csrf,
            uri,
        })
    }
}

impl Req {
    pub fn page(&self, title: impl Into<String>) -> Page {
        Page::new(
            self.lang,
            title,
            Some(&self.actor),
            &self.csrf,
            &here(&self.uri),
        )
    }
}

/// The part of an election's region an official works on for `action`: the whole region when
/// their KPU's area covers it, else their own area inside it (a PPK or PPS). `None`: not this
/// official's election.
pub fn area(actor: &Actor, election_region: &str, action: Action) -> Option<String> {
    if require(actor, election_region, action).is_ok() {
        return Some(election_region.to_string());
    }
    let own = actor.scope.region_prefix()?;
    let inside = own.starts_with(election_region)
        && own.as_bytes().get(election_region.len()) == Some(&b'.');
    (inside && require(actor, own, action).is_ok()).then(|| own.to_string())
}

/// The election `id` and the area of it the official works on for `action` (404 when there is
/// no such election, 403 when it is not theirs).
pub async fn election_for(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    action: Action,
) -> AppResult<(ElectionHead, String)> {
    let e = elections::get(&ctx.db, id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let area = area(actor, &e.region_code, action).ok_or(VoterError::Forbidden)?;
    Ok((e, area))
}

/// Is `code` the area itself or inside it?
pub fn within(area: &str, code: &str) -> bool {
    code == area || (code.starts_with(area) && code.as_bytes().get(area.len()) == Some(&b'.'))
}

/// The message of a refusal a form shows again; permission and internal errors go to the
/// error page.
pub fn message(e: VoterError, lang: Lang) -> Result<String, AppError> {
    match e {
        VoterError::Forbidden | VoterError::Core(_) | VoterError::ElectionNotFound => Err(e.into()),
        other => Ok(match lang {
            Lang::En => other.message_en(),
            Lang::Id => other.to_string(),
        }),
    }
}

/// The HTTP status a refused form is shown again with.
pub fn status_of(e: &VoterError) -> axum::http::StatusCode {
    use axum::http::StatusCode;
    match e {
        VoterError::StageOrder(..) | VoterError::ReportAnswered | VoterError::ListClosed => {
            StatusCode::CONFLICT
        }
        VoterError::NotListed | VoterError::ReportNotFound => StatusCode::NOT_FOUND,
        VoterError::BadForm => StatusCode::BAD_REQUEST,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A `YYYY-MM-DD` date of a moment on western Indonesian time, for [`Page::date`].
pub fn day_of(t: time::OffsetDateTime) -> time::Date {
    t.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date()
}

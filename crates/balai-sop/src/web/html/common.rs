//! What the officials' forms share: the request a refused form is shown again with, and the
//! message of a refusal in the page's language.

use axum::extract::OriginalUri;
use balai_core::i18n::Lang;
use balai_core::identity::Actor;
use balai_core::web::AppCtx;
use balai_core::AppError;

use crate::errors::SopError;

/// What a page shown again after a form needs from its request.
pub struct Req<'a> {
    pub ctx: &'a AppCtx,
    pub lang: Lang,
    pub actor: &'a Actor,
    pub csrf: &'a str,
    pub uri: &'a OriginalUri,
}

/// The message of a refusal the form shows again; permission and internal errors go to the
/// error page.
pub fn message(e: SopError, lang: Lang) -> Result<String, AppError> {
    match e {
        SopError::Forbidden | SopError::NotFound | SopError::Core(_) => Err(e.into()),
        other => Ok(match lang {
            Lang::En => other.message_en(),
            Lang::Id => other.to_string(),
        }),
    }
}

//! The requester's credentials: tracking code plus secret, checked against the stored hash in
//! constant time, wrong attempts counted like failed logins.

use balai_core::auth;
use balai_core::secret::{normalise_code, same_secret, secret_hash};
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;

use crate::commands::file::SECRET_DOMAIN;
use crate::errors::{InfoResult, InformationError};
use crate::store::{self, RequestRow};

/// The request whose tracking code and secret these are.
pub async fn requester_row(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    secret: &str,
) -> InfoResult<RequestRow> {
    let code = normalise_code(code);
    let secret = normalise_code(secret);
    let key = format!("kip-track:{}", code.chars().take(20).collect::<String>());
    // Counted as failed until the secret is shown right: parallel guesses cannot outrun it.
    let Some(slot) = auth::reserve_failure(&ctx.db, &key, &meta.ip, &ctx.cfg.login).await? else {
        return Err(InformationError::TooManyAttempts);
    };
    let Some(row) = store::requests::by_tracking_code(&ctx.db, &code).await? else {
        return Err(InformationError::TrackingNotFound);
    };
    let expected = secret_hash(SECRET_DOMAIN, &row.tracking_code, &secret);
    if !same_secret(expected.as_bytes(), row.secret_hash.as_bytes()) {
        return Err(InformationError::TrackingNotFound);
    }
    auth::release_failure(&ctx.db, slot).await?;
    Ok(row)
}

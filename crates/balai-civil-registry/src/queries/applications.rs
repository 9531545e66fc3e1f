//! Reading one application: as an official who may see it, or as the applicant holding the
//! receipt.

use balai_core::auth;
use balai_core::ids::ApplicationId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;

use crate::crypto;
use crate::domain::access::sees;
use crate::domain::intake::{normalise_code, same_secret};
use crate::errors::{CivilRegistryError, CrResult};
use crate::store::{self, ApplicationRow};

/// Load an application the actor may see (else "not found", so its existence does not leak).
pub async fn visible(ctx: &AppCtx, actor: &Actor, id: ApplicationId) -> CrResult<ApplicationRow> {
    let row = store::application(&ctx.db, id)
        .await?
        .ok_or(CivilRegistryError::NotFound)?;
    if !sees(actor, row.routing()) {
        return Err(CivilRegistryError::NotFound);
    }
    Ok(row)
}

/// The applicant proves they hold the receipt: tracking code and its secret. Failed attempts
/// are throttled per code and per client address like failed logins (DOMAIN §9).
pub async fn applicant_row(
    ctx: &AppCtx,
    meta: &ReqMeta,
    code: &str,
    secret: &str,
) -> CrResult<ApplicationRow> {
    let code = normalise_code(code);
    let secret = normalise_code(secret);
    let throttle_key = format!(
        "dukcapil-track:{}",
        code.chars().take(20).collect::<String>()
    );
    // The attempt counts as failed until the secret is shown right: parallel guesses cannot
    // outrun the budget.
    let Some(slot) =
        auth::reserve_failure(&ctx.db, &throttle_key, &meta.ip, &ctx.cfg.login).await?
    else {
        return Err(CivilRegistryError::TooManyAttempts);
    };
    let Some(row) = store::by_tracking_code(&ctx.db, &code).await? else {
        return Err(CivilRegistryError::TrackingNotFound);
    };
    let keys = crypto::keys_db(&ctx.db).await?;
    let expected = keys.secret_hash(&row.tracking_code, &secret);
    if !same_secret(expected.as_bytes(), row.secret_hash.as_bytes()) {
        return Err(CivilRegistryError::TrackingNotFound);
    }
    auth::release_failure(&ctx.db, slot).await?;
    Ok(row)
}

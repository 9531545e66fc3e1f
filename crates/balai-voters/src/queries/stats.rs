//! The check's daily counts, open data: what is written, plus what this instance has not
//! written yet.

use balai_core::web::AppCtx;
use time::Date;

use crate::commands::shield::LookupShield;
use crate::errors::VResult;
use crate::store::stats::{self, Day};

/// The last 31 days with look-ups, newest first.
pub async fn daily(ctx: &AppCtx) -> VResult<Vec<(Date, Day)>> {
    if let Some(s) = ctx.ext.get::<LookupShield>() {
        s.flush(ctx).await;
    }
    Ok(stats::recent(&ctx.db, 31).await?)
}

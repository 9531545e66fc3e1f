//! Shared web plumbing: application state, the actor extractor, CSRF, security headers, error
//! pages, request ids, static assets and the page layout. Feature crates build their routers
//! on [`AppCtx`].

pub mod actor;
pub mod assets;
pub mod csrf;
pub mod errors;
pub mod layers;
pub mod page;

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;

/// Everything a handler needs. A clone is one reference count: the router clones the state of
/// the matched route for every request, and the parts (pools, writer queue) each hold shared
/// counters of their own.
#[derive(Clone)]
pub struct AppCtx(Arc<AppState>);

/// The parts of [`AppCtx`].
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<Config>,
    /// Server secret shared by every instance (kept in the database), for CSRF tokens.
    pub secret: Arc<Vec<u8>>,
    /// The shared writer for small, frequent writes (see [`crate::group_commit`]).
    pub writer: crate::group_commit::GroupCommit,
    /// API token look-ups (coalesced on PostgreSQL, see [`crate::coalesce`]).
    pub tokens: crate::accounts::TokenLookups,
}

impl AppCtx {
    pub fn new(state: AppState) -> Self {
        AppCtx(Arc::new(state))
    }
}

impl std::ops::Deref for AppCtx {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

/// Load or create the shared server secret.
pub async fn ensure_secret(db: &Db) -> Result<Vec<u8>, sqlx::Error> {
    let fresh = crate::auth::random_token(32);
    let mut tx = db.begin().await?;
    crate::with_tx!(&mut tx, |c| {
        sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('server_secret', $1) ON CONFLICT (key) DO NOTHING"
    )
    .bind(&fresh)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    })?;
    let v: String = crate::with_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = 'server_secret'"
    )
    .fetch_one(&mut *c)
    .await)?;
    tx.commit().await?;
    Ok(v.into_bytes())
}

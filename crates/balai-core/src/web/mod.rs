//! Shared web plumbing: application state, the actor extractor, CSRF, security headers, error
//! pages, request ids, static assets and the page layout. Feature crates build their routers
//! on [`AppCtx`].

pub mod actor;
pub mod assets;
pub mod csrf;
pub mod errors;
pub mod idempotency;
pub mod input;
pub mod json_int;
pub mod layers;
pub mod page;
pub mod request;
pub mod schema;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::config::Config;
use crate::db::group_commit::{BatchWrite, GroupCommit};
use crate::db::{Db, Tx};
use crate::idempotency::Slot;

/// Everything a handler needs. A clone is one reference count (two with a claim): the router
/// clones the state of the matched route for every request, and the parts (pools, writer
/// queue) each hold shared counters of their own.
///
/// An API handler that writes takes it as [`Keyed`]: then it carries the request's
/// Idempotency-Key claim, which the request's first write takes in its own transaction
/// ([`AppCtx::begin`], [`AppCtx::run_batched`], [`AppCtx::run_batched_on`]).
#[derive(Clone)]
pub struct AppCtx {
    state: Arc<AppState>,
    claim: Option<Arc<Slot>>,
}

/// The application state with the request's Idempotency-Key claim, if it has a key: what an
/// API handler that writes extracts instead of `State<AppCtx>`, and passes on to its writes.
/// It refuses a malformed Idempotency-Key (400); a handler takes it after its [`Actor`](actor::Actor),
/// so a request without credentials is told so (401) first.
pub struct Keyed(pub AppCtx);

impl FromRequestParts<AppCtx> for Keyed {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppCtx,
    ) -> Result<Self, Self::Rejection> {
        refuse_malformed_key(parts)?;
        let claim = parts.extensions.get::<Arc<Slot>>().cloned();
        if let Some(slot) = &claim {
            slot.mark_taken_by_handler();
        }
        Ok(Keyed(AppCtx {
            state: state.state.clone(),
            claim,
        }))
    }
}

/// The application state for an API handler that reads but is sent as a POST, so that what
/// it reads by (a NIK, a tracking code) stays out of URLs and access logs. Like [`Keyed`] it
/// refuses a malformed Idempotency-Key (400), as the document declares for every POST; a
/// well-formed key is accepted but its answer is never stored (the answer may hold personal
/// data, and a retry must be throttled and audited as a new read). It carries no claim, so
/// nothing the handler writes (counters, audit rows) takes the key.
pub struct ReadPost(pub AppCtx);

impl FromRequestParts<AppCtx> for ReadPost {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppCtx,
    ) -> Result<Self, Self::Rejection> {
        refuse_malformed_key(parts)?;
        if let Some(slot) = parts.extensions.get::<Arc<Slot>>() {
            slot.mark_read();
        }
        Ok(ReadPost(state.clone()))
    }
}

/// 400 for a request whose Idempotency-Key the middleware found malformed.
fn refuse_malformed_key(parts: &Parts) -> Result<(), crate::error::AppError> {
    match parts.extensions.get::<idempotency::MalformedKey>() {
        Some(_) => Err(idempotency::malformed_key()),
        None => Ok(()),
    }
}

/// The parts of [`AppCtx`].
pub struct AppState {
    pub db: Db,
    pub cfg: Arc<Config>,
    /// Server secret shared by every instance (kept in the database), for CSRF tokens.
    pub secret: Arc<Vec<u8>>,
    /// The shared writer for small, frequent writes (see [`crate::group_commit`]).
    pub writer: GroupCommit,
    /// API token look-ups (coalesced on PostgreSQL, see [`crate::coalesce`]).
    pub tokens: crate::accounts::TokenLookups,
    /// What `/readyz` reports (see [`crate::health`]).
    pub health: crate::health::Health,
    /// What feature crates keep for the application's lifetime, by type (their settings,
    /// read and checked once at startup).
    pub ext: axum::http::Extensions,
}

impl AppCtx {
    pub fn new(state: AppState) -> Self {
        AppCtx {
            state: Arc::new(state),
            claim: None,
        }
    }

    /// Begin a write transaction that takes the request's claim first, if it has one not
    /// taken yet (see [`crate::idempotency::begin`]).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        crate::idempotency::begin(&self.db, self.claim.as_ref()).await
    }

    /// [`GroupCommit::run_batched`] that takes the request's claim first.
    pub async fn run_batched<I, T, E>(&self, item: I, write: BatchWrite<I, T, E>) -> Result<T, E>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.run_batched_on(0, item, write).await
    }

    /// [`GroupCommit::run_batched_on`] that takes the request's claim first.
    pub async fn run_batched_on<I, T, E>(
        &self,
        key: u64,
        item: I,
        write: BatchWrite<I, T, E>,
    ) -> Result<T, E>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let claim = self.claim.as_ref().and_then(Slot::take);
        self.writer
            .run_batched_claimed_on(key, claim, item, write)
            .await
    }

    /// Declare how the request answers once its write returns a `T`, so the answer is stored
    /// with the write (see [`Slot::respond_with`]); nothing without an Idempotency-Key.
    pub fn respond_with<T: 'static>(
        &self,
        render: impl Fn(&T) -> crate::idempotency::Rendered + Send + Sync + 'static,
    ) {
        if let Some(slot) = &self.claim {
            slot.respond_with(render);
        }
    }
}

impl std::ops::Deref for AppCtx {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.state
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

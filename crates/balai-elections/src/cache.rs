//! The serialised bodies of public results responses, kept in memory so election-night reads
//! cost a hash-map look-up.
//!
//! An entry is valid for one *generation*. A write in this process starts a new generation
//! when it commits ([`changed`]). Writes by other app instances (or the CLI) on the same
//! database are noticed by comparing a fingerprint of the `elections` table
//! ([`totals::fingerprint`]), which every results change moves, at most every
//! [`CHECK_EVERY`]; so a response is never staler than that plus one small query.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::store::totals;

/// How often a read checks whether another instance changed the results.
pub const CHECK_EVERY: Duration = Duration::from_millis(250);
/// Beyond this many entries, or this many bytes of bodies, the cache starts over (a bound on
/// memory, not a policy).
const MAX_ENTRIES: usize = 200_000;
const MAX_BYTES: usize = 256 * 1024 * 1024;

/// One cached response.
pub struct Cached {
    pub body: Bytes,
    pub etag: HeaderValue,
    pub last_modified: Option<(OffsetDateTime, HeaderValue)>,
    /// Built in the same second as the last change: a later change in that second would get the
    /// same `Last-Modified`, so none is sent and the entry is rebuilt after the second.
    rebuild_after: Option<Instant>,
}

type Key = (i64, String);

struct Instance {
    generation: AtomicU64,
    started: Instant,
    /// Milliseconds after `started` of the last fingerprint check.
    checked_ms: AtomicU64,
    fingerprint: tokio::sync::Mutex<Option<(i64, i64)>>,
    entries: RwLock<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<Key, (u64, Arc<Cached>)>,
    /// The bodies' bytes.
    bytes: usize,
}

/// One value per application context, keyed by the context's server secret (so two databases
/// never share one) and its address (so two instances in one process stay separate, as they
/// would be in two processes).
pub(crate) type PerContext<T> = OnceLock<RwLock<HashMap<usize, (Vec<u8>, Arc<T>)>>>;

/// Looked up on every cached read: a shared lock and no allocation unless the context is new
/// (an address that a dropped context used before gets a fresh value when its secret differs).
pub(crate) fn per_context<T: Default>(all: &'static PerContext<T>, ctx: &AppCtx) -> Arc<T> {
    let all = all.get_or_init(Default::default);
    let at = Arc::as_ptr(&ctx.secret) as usize;
    if let Some((secret, v)) = all
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&at)
    {
        if *secret == *ctx.secret {
            return v.clone();
        }
    }
    let mut map = all
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let slot = map
        .entry(at)
        .or_insert_with(|| (ctx.secret.to_vec(), Arc::default()));
    if slot.0 != *ctx.secret {
        *slot = (ctx.secret.to_vec(), Arc::default());
    }
    slot.1.clone()
}

impl Default for Instance {
    fn default() -> Self {
        Instance {
            generation: AtomicU64::new(0),
            started: Instant::now(),
            checked_ms: AtomicU64::new(0),
            fingerprint: tokio::sync::Mutex::new(None),
            entries: RwLock::new(Entries::default()),
        }
    }
}

fn instance(ctx: &AppCtx) -> Arc<Instance> {
    static ALL: PerContext<Instance> = OnceLock::new();
    per_context(&ALL, ctx)
}

/// Results changed in this process (call after the commit).
pub fn changed(ctx: &AppCtx) {
    instance(ctx).generation.fetch_add(1, Ordering::SeqCst);
}

impl Instance {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The current generation, after checking the database if the last check is too old.
    async fn generation(&self, ctx: &AppCtx) -> AppResult<u64> {
        let every = u64::try_from(CHECK_EVERY.as_millis()).unwrap_or(250);
        let due = |s: &Self| {
            s.now_ms()
                .saturating_sub(s.checked_ms.load(Ordering::SeqCst))
                >= every
        };
        let never = self.checked_ms.load(Ordering::SeqCst) == 0;
        if never || due(self) {
            let mut fp = self.fingerprint.lock().await;
            if fp.is_none() || due(self) {
                let now = totals::fingerprint(&ctx.db).await?;
                if fp.is_some_and(|old| old != now) {
                    self.generation.fetch_add(1, Ordering::SeqCst);
                }
                *fp = Some(now);
                self.checked_ms
                    .store(self.now_ms().max(1), Ordering::SeqCst);
            }
        }
        Ok(self.generation.load(Ordering::SeqCst))
    }
}

/// The cached response for `key`, or build it with `build` (body and the time the results
/// last changed) and keep it for this generation.
pub async fn get_or_build<F, Fut>(ctx: &AppCtx, key: Key, build: F) -> AppResult<Arc<Cached>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<(Vec<u8>, Option<OffsetDateTime>)>>,
{
    let inst = instance(ctx);
    let generation = inst.generation(ctx).await?;
    if let Some((g, c)) = inst
        .entries
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .map
        .get(&key)
    {
        if *g == generation && c.rebuild_after.is_none_or(|t| Instant::now() < t) {
            return Ok(c.clone());
        }
    }
    let (body, changed_at) = build().await?;
    let tag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let built = OffsetDateTime::now_utc();
    let second = |t: OffsetDateTime| t.unix_timestamp();
    let same_second = changed_at.is_some_and(|t| second(t) >= second(built));
    let cached = Arc::new(Cached {
        etag: HeaderValue::from_str(&tag).map_err(balai_core::AppError::internal)?,
        last_modified: changed_at.filter(|_| !same_second).and_then(|t| {
            let t = t.replace_nanosecond(0).ok()?;
            Some((t, HeaderValue::from_str(&http_date(t)?).ok()?))
        }),
        rebuild_after: same_second.then(|| {
            Instant::now() + Duration::from_nanos(1_000_000_000 - u64::from(built.nanosecond()))
        }),
        body: Bytes::from(body),
    });
    let mut entries = inst
        .entries
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let size = cached.body.len();
    if entries.map.len() >= MAX_ENTRIES || entries.bytes + size > MAX_BYTES {
        entries.map.clear();
        entries.bytes = 0;
    }
    if let Some((_, old)) = entries.map.insert(key, (generation, cached.clone())) {
        entries.bytes = entries.bytes.saturating_sub(old.body.len());
    }
    entries.bytes += size;
    Ok(cached)
}

const HTTP_DATE: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// An IMF-fixdate (RFC 9110 §5.6.7).
pub fn http_date(t: OffsetDateTime) -> Option<String> {
    t.to_offset(time::UtcOffset::UTC).format(HTTP_DATE).ok()
}

pub fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(s.trim(), HTTP_DATE)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// Answer with the cached body, or `304 Not Modified` when the client's validators match:
/// `If-None-Match` decides when present, otherwise `If-Modified-Since` (RFC 9110 §13.2.2).
pub fn respond(req: &HeaderMap, c: &Cached) -> Response {
    let not_modified = match req.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(v) => v.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/").as_bytes() == c.etag.as_bytes()
        }),
        None => req
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
            .zip(c.last_modified.as_ref())
            .is_some_and(|(since, (lm, _))| *lm <= since),
    };
    let mut res = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = c.body.clone().into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    let h = res.headers_mut();
    h.insert(header::ETAG, c.etag.clone());
    if let Some((_, v)) = &c.last_modified {
        h.insert(header::LAST_MODIFIED, v.clone());
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=1, stale-while-revalidate=30"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_round_trip() {
        let t = time::macros::datetime!(2026-11-29 10:05:09 UTC);
        let s = http_date(t).unwrap();
        assert_eq!(s, "Sun, 29 Nov 2026 10:05:09 GMT");
        assert_eq!(parse_http_date(&s), Some(t));
        assert_eq!(parse_http_date("yesterday"), None);
    }
}

//! The offline outbox of the new-report form: a page script and a service worker (scope
//! `/aduan/`) that keep a report written without signal in IndexedDB and send it later to
//! `POST /api/v1/complaints` with its own `Idempotency-Key`. The form works without them.

use axum::http::HeaderMap;
use axum::response::Response;
use balai_core::web::assets::{self, IMMUTABLE};

const STORE_JS: &[u8] = include_bytes!("../../../static/outbox-store.js");
const PAGE_JS: &[u8] = include_bytes!("../../../static/outbox.js");
const WORKER_JS: &str = include_str!("../../../static/sw.js");
const JS: &str = "text/javascript; charset=utf-8";

/// The scripts the form page loads, with versioned URLs (served as immutable).
pub fn script_urls() -> [String; 2] {
    [
        format!("/aduan/outbox-store.js?v={}", assets::version(STORE_JS)),
        format!("/aduan/outbox.js?v={}", assets::version(PAGE_JS)),
    ]
}

pub async fn store_js(headers: HeaderMap) -> Response {
    assets::respond(STORE_JS, JS, &headers, IMMUTABLE)
}

pub async fn page_js(headers: HeaderMap) -> Response {
    assets::respond(PAGE_JS, JS, &headers, IMMUTABLE)
}

/// The worker imports the store by its versioned URL, so a new store is a new worker; browsers
/// re-check a worker at most daily whatever the cache says, `no-cache` makes it every load.
pub async fn service_worker(headers: HeaderMap) -> Response {
    let [store, _] = script_urls();
    let body = format!("importScripts({store:?});\n{WORKER_JS}");
    assets::respond(body, JS, &headers, "no-cache")
}

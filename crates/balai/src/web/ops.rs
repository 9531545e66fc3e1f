//! Operations endpoints: liveness, readiness and Prometheus metrics, and the process-wide
//! metrics recorder they render.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub fn router() -> Router<AppCtx> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when every part the server needs works (see [`balai_core::health`]); the JSON body
/// says which check failed, e.g. `{"ready":false,"checks":{"database":"ok","writer":"stopped",…}}`.
async fn readyz(State(ctx): State<AppCtx>) -> Response {
    let report = ctx.health.report(&ctx.db, &ctx.writer).await;
    let status = if report.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(report)).into_response()
}

/// Prometheus metrics, by default for the loopback address only (`metrics_public` opens them):
/// they tell an outsider the traffic and error rates of every route family.
async fn metrics(State(ctx): State<AppCtx>, meta: ReqMeta) -> Response {
    let local = meta
        .ip
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if !ctx.cfg.metrics_public && !local {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Ok(counts) = balai_core::jobs::counts(&ctx.db).await {
        for (status, n) in counts {
            metrics::gauge!("balai_jobs", "status" => status).set(n as f64);
        }
    }
    metrics::counter!("balai_log_lines_dropped_total").absolute(crate::logging::dropped_lines());
    let mut res = metrics_handle().render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    res
}

/// The process-wide Prometheus recorder (installed once, shared by every router in tests).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| match prometheus().install_recorder() {
            Ok(h) => h,
            Err(_) => prometheus().build_recorder().handle(),
        })
        .clone()
}

/// Histograms as fixed buckets: cheap to record, and summable across app instances.
fn prometheus() -> PrometheusBuilder {
    const SECONDS: &[f64] = &[
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ];
    const BATCH: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];
    let full = |name: &str| Matcher::Full(name.to_string());
    PrometheusBuilder::new()
        .set_buckets_for_metric(full("balai_http_request_duration_seconds"), SECONDS)
        .and_then(|b| b.set_buckets_for_metric(full("balai_group_commit_batch_size"), BATCH))
        // Only empty bucket lists are refused; these are not.
        .unwrap_or_else(|_| PrometheusBuilder::new())
}

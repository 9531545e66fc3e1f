//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::{get, post};
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::html::{check, lists, public, record, respond, responses, stats, tps, upload};

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/pemilih/cek", get(check::form).post(check::submit))
        .route("/pemilih/statistik", get(stats::page))
        .route("/pemilih/tanggapan", get(public::page))
        .route(
            "/pemilih/tanggapan/baru",
            get(respond::form).post(respond::submit),
        )
        .route("/pemilih/tanggapan/kasus/{code}", get(respond::case))
        .route("/pemilih/petugas", get(lists::home))
        .route("/pemilih/petugas/{id}", get(lists::election))
        .route("/pemilih/petugas/{id}/impor", post(upload::submit))
        .route("/pemilih/petugas/{id}/desa/{village}", get(tps::village))
        .route("/pemilih/petugas/{id}/tps/{tps}", get(tps::tps))
        .route(
            "/pemilih/petugas/{id}/data",
            get(record::form).post(record::open),
        )
        .route("/pemilih/petugas/{id}/tanggapan", get(responses::queue))
        .route(
            "/pemilih/petugas/tanggapan/{code}",
            get(responses::case).post(responses::answer),
        )
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(json::put_list, json::get_versions))
        .routes(routes!(json::post_record))
        .routes(routes!(json::post_lookup))
        .routes(routes!(json::get_stats))
        .routes(routes!(
            json::reports::post_report,
            json::reports::list_reports
        ))
        .routes(routes!(json::reports::get_report))
        .routes(routes!(json::reports::answer_report))
}

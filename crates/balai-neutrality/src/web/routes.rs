//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::{get, post};
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::cases_api;
use super::html::{case_page, case_stats, cases, public, staff};

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/netralitas", get(public::home))
        .route("/netralitas/wilayah/{code}", get(public::region))
        .route(
            "/netralitas/wilayah/{code}/pengangkatan.csv",
            get(public::csv),
        )
        .route("/netralitas/petugas", get(staff::page))
        .route(
            "/netralitas/petugas/pengangkatan",
            post(staff::record_submit),
        )
        .route("/netralitas/petugas/impor", post(staff::import_submit))
        .route("/netralitas/statistik", get(case_stats::page))
        .route(
            "/netralitas/kasus",
            get(cases::page).post(cases::open_submit),
        )
        .route("/netralitas/kasus/{id}", get(case_page::page))
        .route(
            "/netralitas/kasus/{id}/langkah",
            post(case_page::step_submit),
        )
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(json::post_appointment, json::list_appointments))
        .routes(routes!(json::import_appointments))
        .routes(routes!(cases_api::post_case, cases_api::list_cases))
        .routes(routes!(cases_api::case_stats))
        .routes(routes!(cases_api::get_case))
        .routes(routes!(cases_api::post_step))
}

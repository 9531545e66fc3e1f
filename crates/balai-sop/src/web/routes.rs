//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::{get, post};
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::html;
use super::html::{forms, readiness, roster, training};
use super::training_api as training_json;

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/sop", get(html::list))
        .route("/sop/{id}", get(html::show))
        .route("/sop/{id}/diff", get(html::diff))
        .route("/sop/{id}/drift", get(html::drift))
        .route("/sop/baru", get(forms::new_sop).post(forms::create_sop))
        .route(
            "/sop/{id}/versi",
            get(forms::new_version).post(forms::add_version),
        )
        .route("/sop/{id}/terbitkan", post(forms::publish))
        .route("/sop/{id}/adopsi", post(forms::adopt))
        .route("/sop/{id}/tinjau", post(forms::review))
        .route("/kesiapan", get(readiness::readiness_page))
        .route(
            "/kesiapan/pelatihan",
            get(training::trainings_page).post(training::create_training),
        )
        .route("/kesiapan/pelatihan/{id}", get(training::training_page))
        .route("/kesiapan/pelatihan/{id}/hadir", post(training::tick))
        .route("/kesiapan/pelatihan/{id}/impor", post(training::import))
        .route(
            "/kesiapan/petugas",
            get(roster::roster).post(roster::add_roster),
        )
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(json::post_sop))
        .routes(routes!(json::get_sop))
        .routes(routes!(json::post_version))
        .routes(routes!(json::post_publish))
        .routes(routes!(json::post_adoption))
        .routes(routes!(json::post_overrides))
        .routes(routes!(json::post_review))
        .routes(routes!(json::get_drift))
        .routes(routes!(
            training_json::post_training,
            training_json::get_trainings
        ))
        .routes(routes!(training_json::get_training))
        .routes(routes!(training_json::put_attendance))
        .routes(routes!(training_json::import_attendance))
        .routes(routes!(training_json::post_officers))
        .routes(routes!(training_json::get_readiness))
}

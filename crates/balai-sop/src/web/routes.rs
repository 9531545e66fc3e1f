//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::get;
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::html;
use super::training_api as training;

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/sop", get(html::list))
        .route("/sop/{id}", get(html::show))
        .route("/sop/{id}/diff", get(html::diff))
        .route("/sop/{id}/drift", get(html::drift))
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
        .routes(routes!(training::post_training, training::get_trainings))
        .routes(routes!(training::get_training))
        .routes(routes!(training::put_attendance))
        .routes(routes!(training::import_attendance))
        .routes(routes!(training::post_officers))
        .routes(routes!(training::get_readiness))
}

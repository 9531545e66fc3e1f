//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::{get, post};
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::html::{apply, offerings, public, report, staff};

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/dukcapil", get(public::home))
        .route(
            "/dukcapil/apply/{service}",
            get(apply::apply_form).post(apply::apply_submit),
        )
        .route(
            "/dukcapil/track",
            get(public::track_form).post(public::track_show),
        )
        .route(apply::RECEIPT_PATH, get(apply::receipt))
        .route("/dukcapil/track/status", get(public::track_status))
        .route("/dukcapil/track/correct", post(public::track_correct))
        .route("/dukcapil/track/document", post(public::track_document))
        .route("/dukcapil/track/receipt", get(public::track_receipt))
        .route("/dukcapil/verify/{code}/{mac}", get(public::verify))
        .route("/dukcapil/report", get(report::page))
        .route("/dukcapil/report.csv", get(report::csv))
        .route("/dukcapil/staff", get(staff::queues))
        .route("/dukcapil/staff/applications/{id}", get(staff::detail))
        .route(
            "/dukcapil/staff/applications/{id}/action",
            post(staff::action),
        )
        .route(
            "/dukcapil/staff/applications/{id}/documents/{doc}",
            get(staff::document),
        )
        .route(
            "/dukcapil/staff/counter/{service}",
            get(staff::counter_form).post(staff::counter_submit),
        )
        .route("/dukcapil/admin/services", get(staff::services_admin))
        .route("/dukcapil/admin/services/{code}", post(staff::service_save))
        .route("/dukcapil/admin/offerings", get(offerings::page))
        .route("/dukcapil/admin/offerings/{agency}", post(offerings::save))
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(json::get_stats))
        .routes(routes!(json::list_services))
        .routes(routes!(json::post_action))
        .routes(routes!(json::post_application))
}

//! Every route of the feature.

use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::{archive, html};

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/informasi/permohonan",
            get(html::new_form).post(html::new_submit),
        )
        .route(html::RECEIPT_PATH, get(html::receipt))
        .route(
            "/informasi/lacak",
            get(html::track_form).post(html::track_show),
        )
        .route("/informasi/lacak/tindakan", post(html::track_act))
        .route("/informasi/permohonan/{id}", get(html::public_page))
        .route("/informasi/ppid", get(html::queue))
        .route("/informasi/arsip", get(archive::archive_page))
        .route("/informasi/statistik", get(archive::stats_page))
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(json::list_requests, json::post_request))
        .routes(routes!(archive::search))
        .routes(routes!(archive::stats))
        .routes(routes!(json::get_request))
        .routes(routes!(json::post_action))
        .routes(routes!(json::post_track))
        .routes(routes!(json::post_requester_action))
}

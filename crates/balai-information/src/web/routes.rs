//! Every route of the feature.

use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(json::list_requests, json::post_request))
        .routes(routes!(json::get_request))
        .routes(routes!(json::post_action))
        .routes(routes!(json::post_track))
        .routes(routes!(json::post_requester_action))
}

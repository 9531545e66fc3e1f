//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::get;
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::html::check;

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new().route("/pemilih/cek", get(check::form).post(check::submit))
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

//! Every route of the feature.

use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api as json;
use super::{archive, counter, html, lists_api, lists_html, report, staff, staff_act, track};

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
            get(track::track_form).post(track::track_show),
        )
        .route("/informasi/lacak/tindakan", post(track::track_act))
        .route(track::REQUESTER_PATH, get(track::requester_view))
        .route("/informasi/permohonan/{id}", get(html::public_page))
        .route("/informasi/ppid", get(html::queue))
        .route(
            counter::PATH,
            get(counter::counter_form).post(counter::counter_submit),
        )
        .route(counter::PASTE_PATH, post(counter::paste))
        .route(
            "/informasi/ppid/{id}/tindakan",
            get(staff_act::act_form).post(staff_act::act_submit),
        )
        .route(
            "/informasi/ppid/{id}/rahasiakan",
            get(staff::private_form).post(staff::private_submit),
        )
        .route("/informasi/arsip", get(archive::archive_page))
        .route("/informasi/statistik", get(archive::stats_page))
        .route("/informasi/laporan/{id}", get(report::report_page))
        .route("/informasi/laporan/{id}/cetak", get(report::report_print))
        .route("/informasi/laporan/{id}/csv", get(report::report_csv))
        .route("/informasi/dip", get(lists_html::index))
        .route("/informasi/dip/{id}", get(lists_html::public_list))
        .route("/informasi/dip/{id}/csv", get(lists_html::list_csv))
        .route(
            "/informasi/ppid/dip",
            get(lists_html::staff_form).post(lists_html::staff_submit),
        )
        .route(
            "/informasi/ppid/dip/{entry}",
            get(lists_html::staff_form).post(lists_html::staff_submit),
        )
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
        .routes(routes!(lists_api::get_list))
        .routes(routes!(lists_api::post_entry))
        .routes(routes!(lists_api::put_entry))
}

//! Every route of the complaints feature: the HTML pages (public and officials'), Open311,
//! and the JSON API under `/api/v1` (with its OpenAPI description).

use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use balai_core::web::AppCtx;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::{complaints, open311, sms, stats};
use super::html::{dashboard, file, officials, offline, track};

/// `POST` routes that take photos: they get `complaints.max_upload_body_bytes` instead of the
/// global body limit.
pub const UPLOAD_PATHS: &[&str] = &["/aduan", "/api/v1/complaints"];

/// HTML pages (filing, tracking, the officials' work queues) and Open311.
pub fn router() -> Router<AppCtx> {
    Router::new()
        .route(
            "/aduan",
            get(|| async { Redirect::to("/aduan/baru") }).post(file::create),
        )
        .route("/aduan/baru", get(file::new_form))
        .route("/aduan/outbox-store.js", get(offline::store_js))
        .route("/aduan/outbox.js", get(offline::page_js))
        .route("/aduan/sw.js", get(offline::service_worker))
        .route("/aduan/lacak", get(track::lookup).post(track::show))
        .route(track::REPORTER_PATH, get(track::reporter_view))
        .route("/aduan/lacak/balas", post(track::reply))
        .route("/aduan/lacak/selesai", post(track::confirm))
        .route("/aduan/lacak/buka", post(track::reopen))
        .route("/aduan/lacak/kunci", post(track::request_secret))
        .route("/aduan/lacak/{code}", get(track::old_link))
        .route(track::RECEIPT_PATH, get(track::receipt))
        .route("/aduan/lihat/{id}", get(track::public_view))
        .route("/aduan/lihat/{id}/foto/{pid}", get(track::public_photo))
        .route("/petugas/aduan", get(officials::queue))
        .route("/petugas/aduan/dasbor", get(dashboard::dashboard))
        .route("/petugas/aduan/dasbor.csv", get(dashboard::csv))
        .route("/petugas/aduan/{id}", get(officials::detail))
        .route("/petugas/aduan/{id}/tindakan", post(officials::action))
        .route("/petugas/aduan/{id}/foto/{pid}", get(officials::photo))
        .merge(open311_routes())
        .route(
            "/open311/v2/services/{file}",
            get(open311::service_definition),
        )
        .route("/open311/v2/requests/{file}", get(open311::one_request))
        .route("/open311/v2/tokens/{file}", get(open311::token))
}

/// Open311's lists, each as `NAME`, `NAME.json` and `NAME.xml` (the router has no suffix
/// patterns); one resource's routes are below, under `NAME/`.
fn open311_routes() -> Router<AppCtx> {
    let mut r = Router::new();
    for suffix in ["", ".json", ".xml"] {
        r = r
            .route(
                &format!("/open311/v2/discovery{suffix}"),
                get(open311::discovery),
            )
            .route(
                &format!("/open311/v2/services{suffix}"),
                get(open311::services),
            )
            .route(
                &format!("/open311/v2/requests{suffix}"),
                get(open311::list_requests).post(open311::post_request),
            );
    }
    r
}

/// The JSON API under `/api/v1`.
pub fn api() -> OpenApiRouter<AppCtx> {
    OpenApiRouter::new()
        .routes(routes!(complaints::create_complaint))
        .routes(routes!(complaints::get_complaint))
        .routes(routes!(complaints::track_complaint))
        .routes(routes!(complaints::list_categories))
        .routes(routes!(complaints::work_queue))
        .routes(routes!(complaints::work_get))
        .routes(routes!(complaints::work_action))
        .routes(routes!(stats::stats_api))
        .routes(routes!(sms::inbound))
        .routes(routes!(sms::block))
        .routes(routes!(sms::unblock))
}

/// Open311 GeoReport v2 in the API document (its routes are in [`router`]).
pub fn open311_openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    open311::doc::Open311Doc::openapi()
}

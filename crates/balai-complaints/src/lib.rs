//! Aduan: public complaints from the web, SMS, the assisted counter and the API, routed to the
//! agency that can act, with working-day deadlines and public tracking.

pub mod domain;
pub mod handling;
pub mod photo;
pub mod store;
pub mod submit;
pub mod sweep;
pub mod view;
pub mod web;

use balai_core::web::AppCtx;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use sweep::register_jobs;

/// `POST` routes that take photos: they get `complaints.max_upload_body_bytes` instead of the
/// global body limit.
pub const UPLOAD_PATHS: &[&str] = &["/aduan", "/api/v1/complaints"];

/// HTML pages: filing, tracking, and the officials' work queues.
pub fn router() -> axum::Router<AppCtx> {
    web::html::router()
}

/// The JSON API under `/api/v1`.
pub fn api() -> OpenApiRouter<AppCtx> {
    OpenApiRouter::new()
        .routes(routes!(web::api::create_complaint))
        .routes(routes!(web::api::get_complaint))
        .routes(routes!(web::api::list_categories))
        .routes(routes!(web::api::work_queue))
        .routes(routes!(web::api::work_get))
        .routes(routes!(web::api::work_action))
        .routes(routes!(web::dashboard::stats_api))
        .routes(routes!(web::sms::inbound))
        .routes(routes!(web::sms::block))
        .routes(routes!(web::sms::unblock))
}

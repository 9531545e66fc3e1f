//! Every route of the elections feature: the HTML pages and the JSON API (with its exports).

use axum::routing::{get, post};
use axum::Router;
use balai_core::web::AppCtx;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::{batch, elections, photos, recaps, resolutions, results};
use super::export::{cdf, csv};
use super::html::{disputes, entry, pages, setup, setup_forms};

/// The HTML pages.
pub fn router() -> Router<AppCtx> {
    Router::new()
        .route("/elections", get(pages::list))
        .route("/elections/baru", get(setup::new_form).post(setup::create))
        .route("/elections/{id}", get(pages::show))
        .route("/elections/{id}/kelola", get(setup::manage))
        .route(
            "/elections/{id}/kelola/paslon",
            post(setup_forms::add_candidate),
        )
        .route(
            "/elections/{id}/kelola/paslon/status",
            post(setup_forms::candidate_status),
        )
        .route(
            "/elections/{id}/kelola/jadwal",
            post(setup_forms::set_schedule),
        )
        .route(
            "/elections/{id}/kelola/status",
            post(setup_forms::set_status),
        )
        .route("/elections/{id}/kelola/tps", post(setup_forms::import_tps))
        .route("/elections/{id}/stages.ics", get(pages::ics))
        .route("/elections/{id}/results", get(pages::results))
        .route("/elections/{id}/tps/{tps_id}", get(pages::tps))
        .route(
            "/elections/{id}/tps/{tps_id}/entry",
            get(entry::form).post(entry::save),
        )
        .route(
            "/elections/{id}/tps/{tps_id}/photos",
            post(entry::upload_photo),
        )
        .route("/elections/{id}/disputes", get(disputes::disputes))
        .route(
            "/elections/{id}/tps/{tps_id}/resolve",
            post(disputes::resolve_form),
        )
}

/// The JSON API under `/api/v1/elections`, documented in the OpenAPI description.
pub fn api() -> OpenApiRouter<AppCtx> {
    OpenApiRouter::new()
        .routes(routes!(
            elections::list_elections,
            elections::create_election
        ))
        .routes(routes!(elections::get_election))
        .routes(routes!(elections::put_status))
        .routes(routes!(elections::put_schedule))
        .routes(routes!(elections::add_candidate))
        .routes(routes!(elections::put_candidate_status))
        .routes(routes!(elections::add_tps))
        .routes(routes!(elections::import_tps))
        .routes(routes!(elections::put_totals))
        .routes(routes!(results::submit_result, results::get_results))
        .routes(routes!(results::get_tps))
        .routes(routes!(results::list_disputes))
        .routes(routes!(resolutions::resolve_dispute))
        .routes(routes!(results::get_log))
        .routes(routes!(csv::results_csv))
        .routes(routes!(cdf::results_cdf))
        .routes(routes!(photos::upload_photo))
        .routes(routes!(photos::get_photo))
        .routes(routes!(recaps::record_recap))
        .routes(routes!(recaps::reopen_recap))
        .routes(routes!(batch::submit_batch))
        .routes(routes!(batch::import_results))
}

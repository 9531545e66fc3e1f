//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::{get, post};
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api::{follow_ups, kpis, questions, surveys};
use super::html::follow_ups as follow_up_pages;
use super::html::questions as question_pages;
use super::html::{league, print, public, report, staff, survey, targets, unit_settings};

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/survei", get(survey::enter))
        .route("/survei/buka", get(survey::open))
        .route("/survei/terima-kasih", get(survey::thanks))
        .route("/survei/{code}", get(survey::form).post(survey::submit))
        .route("/kinerja", get(public::home))
        .route("/kinerja/unit/{id}", get(report::unit))
        .route("/kinerja/unit/{id}/ikm.csv", get(report::csv))
        .route("/kinerja/unit/{id}/cetak", get(print::print))
        .route("/kinerja/unit/{id}/target", post(targets::set))
        .route("/kinerja/unit/{id}/bobot", post(unit_settings::set_weights))
        .route(
            "/kinerja/unit/{id}/pengguna",
            post(unit_settings::set_service_users),
        )
        .route(
            "/kinerja/unit/{id}/tindak-lanjut",
            post(follow_up_pages::record),
        )
        .route(
            "/kinerja/unit/{id}/tindak-lanjut/{action}",
            post(follow_up_pages::update),
        )
        .route("/kinerja/peringkat", get(league::league))
        .route("/kinerja/petugas", get(staff::page))
        .route("/kinerja/petugas/kode", post(staff::issue))
        .route("/kinerja/petugas/kartu/{batch}", get(staff::cards))
        .route("/kinerja/petugas/pertanyaan", post(question_pages::add))
        .route(
            "/kinerja/petugas/pertanyaan/{id}/hentikan",
            post(question_pages::retire),
        )
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(surveys::post_codes))
        .routes(routes!(surveys::post_response))
        .routes(routes!(surveys::get_ikm))
        .routes(routes!(surveys::put_weights))
        .routes(routes!(surveys::put_service_users))
        .routes(routes!(questions::get_questions, questions::post_question))
        .routes(routes!(questions::delete_question))
        .routes(routes!(kpis::get_kpis))
        .routes(routes!(kpis::put_target))
        .routes(routes!(kpis::get_league))
        .routes(routes!(
            follow_ups::get_follow_ups,
            follow_ups::post_follow_up
        ))
        .routes(routes!(follow_ups::put_follow_up))
}

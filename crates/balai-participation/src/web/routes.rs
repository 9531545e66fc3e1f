//! Every route of the feature: the HTML pages and the JSON API.

use axum::routing::{get, post};
use balai_core::web::AppCtx;
use utoipa_axum::routes;

use super::api::{
    activities as act, agreements as agr, documents as doc, forums as fo, history as hist,
    participation as part,
};
use super::html::{documents, exports, public, staff, staff_activity, staff_agreement, turnout};

/// HTML pages of the feature.
pub fn router() -> axum::Router<AppCtx> {
    axum::Router::new()
        .route("/kolaborasi", get(public::home))
        .route("/kolaborasi/wilayah/{code}", get(public::region))
        .route(
            "/kolaborasi/wilayah/{code}/kegiatan.ics",
            get(exports::ical),
        )
        .route(
            "/kolaborasi/wilayah/{code}/kegiatan.csv",
            get(exports::activities_csv),
        )
        .route(
            "/kolaborasi/wilayah/{code}/perjanjian.csv",
            get(exports::agreements_csv),
        )
        .route("/kolaborasi/perjanjian/{id}", get(public::agreement))
        .route("/kolaborasi/kegiatan/{id}", get(public::activity))
        .route(
            "/kolaborasi/perjanjian/{id}/dokumen/{version}",
            get(documents::agreement_file),
        )
        .route(
            "/kolaborasi/kegiatan/{id}/daftar-hadir/{version}",
            get(documents::attendance_file),
        )
        .route(
            "/kolaborasi/petugas/perjanjian/{id}",
            get(staff_agreement::page),
        )
        .route(
            "/kolaborasi/petugas/perjanjian/{id}/ubah",
            post(staff_agreement::edit_submit),
        )
        .route(
            "/kolaborasi/petugas/perjanjian/{id}/akhiri",
            post(staff_agreement::end_submit),
        )
        .route(
            "/kolaborasi/petugas/kegiatan/{id}/ubah",
            post(staff_activity::edit_submit),
        )
        .route(
            "/kolaborasi/petugas/kegiatan/{id}/batalkan",
            post(staff_activity::withdraw_submit),
        )
        .route(
            "/kolaborasi/petugas/perjanjian/{id}/dokumen",
            post(documents::agreement_upload),
        )
        .route(
            "/kolaborasi/petugas/kegiatan/{id}/daftar-hadir",
            post(documents::attendance_upload),
        )
        .route("/partisipasi/{id}", get(turnout::page))
        .route("/kolaborasi/petugas", get(staff::page))
        .route(
            "/kolaborasi/petugas/perjanjian",
            post(staff::agreement_submit),
        )
        .route("/kolaborasi/petugas/kegiatan", post(staff::activity_submit))
        .route(
            "/kolaborasi/petugas/kegiatan/{id}",
            get(staff_activity::activity_page),
        )
        .route(
            "/kolaborasi/petugas/kegiatan/{id}/notulen",
            post(staff_activity::minutes_submit),
        )
        .route(
            "/kolaborasi/petugas/kegiatan/{id}/setujui",
            post(staff_activity::approve_submit),
        )
        .route(
            "/kolaborasi/petugas/kegiatan/{id}/tindak-lanjut",
            post(staff_activity::followup_submit),
        )
        .route("/kolaborasi/petugas/forum", post(staff::forum_submit))
        .route(
            "/kolaborasi/petugas/forum/{id}/anggota",
            post(staff::member_submit),
        )
        .route("/kolaborasi/petugas/target", post(staff::targets_submit))
}

/// JSON API of the feature.
pub fn api() -> utoipa_axum::router::OpenApiRouter<AppCtx> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(agr::post_agreement, agr::list_agreements))
        .routes(routes!(agr::put_agreement))
        .routes(routes!(act::put_activity))
        .routes(routes!(act::post_withdrawal))
        .routes(routes!(agr::post_renewal))
        .routes(routes!(agr::post_termination))
        .routes(routes!(hist::agreement_history))
        .routes(routes!(hist::activity_history))
        .routes(routes!(doc::put_agreement_document))
        .routes(routes!(doc::put_attendance_list))
        .routes(routes!(act::post_activity, act::list_activities))
        .routes(routes!(act::put_minutes))
        .routes(routes!(act::approve_minutes))
        .routes(routes!(act::post_followup))
        .routes(routes!(act::put_progress))
        .routes(routes!(fo::post_forum, fo::list_forums))
        .routes(routes!(fo::post_member))
        .routes(routes!(part::put_targets))
        .routes(routes!(part::get_participation))
}

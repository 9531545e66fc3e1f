//! The HTML routes.

use axum::routing::{get, post};
use axum::Router;
use balai_core::web::{assets, AppCtx};

pub fn router() -> Router<AppCtx> {
    Router::new()
        .route("/", get(super::home::home))
        .route("/static/{name}", get(assets::serve))
        .route(
            "/login",
            get(super::session::login_form).post(super::session::login),
        )
        .route("/logout", post(super::session::logout))
        .route(
            "/account/password",
            get(super::session::password_form).post(super::session::change_password),
        )
        .route(
            "/account/tokens",
            get(super::tokens::list).post(super::tokens::create),
        )
        .route("/account/tokens/{id}/revoke", post(super::tokens::revoke))
        .route("/dashboard", get(super::home::dashboard))
        .route("/regions", get(super::regions::index))
        .route("/regions/{code}", get(super::regions::show))
        .route("/api/docs", get(super::api::docs_page))
        .route("/admin/audit", get(super::admin::audit))
        .route("/admin/users", get(super::admin::users))
        .route("/admin/agencies", get(super::admin::agencies))
        .route("/admin/agencies/{id}", get(super::admin::agency))
        .route(
            "/admin/calendar",
            get(super::admin::calendar).post(super::admin::calendar_save),
        )
        .route(
            "/admin/calendar/delete",
            post(super::admin::calendar_delete),
        )
}

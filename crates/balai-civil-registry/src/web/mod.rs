//! HTTP: every route in `routes`, the citizens' and officials' pages in `html`, the JSON API in
//! `api`.

pub mod api;
pub mod html;
pub mod routes;

use balai_core::web::AppCtx;

/// The public check of a receipt (the URL in its QR code).
pub fn verify_url(ctx: &AppCtx, code: &str, mac: &str) -> String {
    format!("{}/dukcapil/verify/{code}/{mac}", ctx.cfg.public_base_url())
}

//! HTTP: every route in `routes`, the pages in `html`, the JSON API in `api`.

pub mod api;
pub mod html;
pub mod routes;

use balai_core::web::AppCtx;

use crate::domain::codes::SurveyCode;

/// The survey page of a code (printed on receipts and in the QR code of a card).
pub fn survey_url(ctx: &AppCtx, code: &SurveyCode) -> String {
    format!("{}/survei/{}", ctx.cfg.public_base_url(), code.as_str())
}

//! The unit's admin adds an extra survey question, or stops asking one, from the officials'
//! page (POST, then back to it).

use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::staff::staff_page;
use crate::commands::questions;
use crate::errors::PerformanceError;

const BACK: &str = "/kinerja/petugas#pertanyaan";

fn field(form: &HashMap<String, String>, k: &str) -> String {
    form.get(k).cloned().unwrap_or_default()
}

fn agency(form: &HashMap<String, String>) -> AgencyId {
    AgencyId(field(form, "agency_id").trim().parse().unwrap_or(0))
}

pub async fn add(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    meta: ReqMeta,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let (text, text_en) = (field(&form, "text"), field(&form, "text_en"));
    match questions::add(&ctx, &meta, &actor, agency(&form), &text, &text_en).await {
        Ok(_) => Ok(Redirect::to(BACK).into_response()),
        Err(e @ (PerformanceError::BadQuestion | PerformanceError::TooManyQuestions { .. })) => {
            staff_page(&ctx, lang, &actor, &csrf, &uri, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn retire(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(question): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    questions::retire(&ctx, &meta, &actor, agency(&form), question).await?;
    Ok(Redirect::to(BACK).into_response())
}

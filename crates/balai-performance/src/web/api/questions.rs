//! `/api/v1/surveys/units/{id}/questions`: a unit's own extra survey questions (its admin adds
//! and retires them) and their results, reported apart from the index.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::surveys::parse_period;
use crate::commands::{questions, unit};
use crate::queries::extra::{self, ExtraResult};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SurveyQuestionInput)]
pub struct QuestionInput {
    /// The question in Bahasa Indonesia, answered on the 1–4 scale (Tidak baik … Sangat baik).
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub text: String,
    /// The question in English (optional).
    #[schema(max_length = 300)]
    #[serde(default)]
    pub text_en: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = SurveyQuestionOut)]
pub struct QuestionOut {
    pub id: i64,
    pub text: String,
    pub text_en: String,
    /// Still asked on the survey.
    pub active: bool,
    /// Answers in the period.
    pub answers: i64,
    /// The mean score (1–4), rounded half up to two decimals; null without answers.
    pub mean: Option<f64>,
}

impl From<&ExtraResult> for QuestionOut {
    fn from(r: &ExtraResult) -> Self {
        QuestionOut {
            id: r.id,
            text: r.text_id.clone(),
            text_en: r.text_en.clone(),
            active: r.active,
            answers: r.answers,
            mean: r.mean.map(|m| m.as_f64()),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = SurveyQuestionsOut)]
pub struct QuestionsOut {
    pub agency_id: AgencyId,
    pub from: String,
    pub to: String,
    /// Always false: extra questions are never part of the IKM.
    pub in_index: bool,
    pub questions: Vec<QuestionOut>,
}

#[derive(Deserialize, IntoParams)]
pub struct QuestionsQuery {
    /// First day of the period, YYYY-MM-DD.
    #[param(format = Date)]
    pub from: String,
    /// Last day (inclusive), YYYY-MM-DD; at most five years after `from`.
    #[param(format = Date)]
    pub to: String,
    /// One service only (as named on its codes); absent: the whole unit.
    #[serde(default)]
    pub service: Option<String>,
}

/// A unit's extra questions (those asked now, and retired ones answered in the period) with
/// their answers in the period (public). Outside the index.
#[utoipa::path(get, path = "/api/v1/surveys/units/{agency_id}/questions", tag = "performance",
    params(("agency_id" = i64, Path, description = "The service unit"), QuestionsQuery),
    responses((status = 200, body = QuestionsOut), (status = 404), (status = 422)))]
pub async fn get_questions(
    State(ctx): State<AppCtx>,
    Path(agency_id): Path<AgencyId>,
    Query(q): Query<QuestionsQuery>,
) -> AppResult<Json<QuestionsOut>> {
    let (from, to) = parse_period(&q.from, &q.to)?;
    unit(&ctx.db, agency_id).await?;
    let service = q
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let rows = extra::results(&ctx.db, agency_id, from, to, service).await?;
    Ok(Json(QuestionsOut {
        agency_id,
        from: from.to_string(),
        to: to.to_string(),
        in_index: false,
        questions: rows.iter().map(QuestionOut::from).collect(),
    }))
}

/// Add an extra question to the unit's survey (its admin; at most `[performance] max_extra_questions` asked at once, 5 unless set).
#[utoipa::path(post, path = "/api/v1/surveys/units/{agency_id}/questions", tag = "performance",
    security(("bearer" = [])), request_body = QuestionInput,
    params(("agency_id" = i64, Path, description = "The service unit")),
    responses((status = 201, body = QuestionOut), (status = 403), (status = 404), (status = 422)))]
pub async fn post_question(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(agency_id): Path<AgencyId>,
    Json(input): Json<QuestionInput>,
) -> AppResult<(StatusCode, Json<QuestionOut>)> {
    let text_en = input.text_en.unwrap_or_default();
    let id = questions::add(&ctx, &meta, &actor, agency_id, &input.text, &text_en).await?;
    Ok((
        StatusCode::CREATED,
        Json(QuestionOut {
            id,
            text: input.text.trim().to_string(),
            text_en: text_en.trim().to_string(),
            active: true,
            answers: 0,
            mean: None,
        }),
    ))
}

/// Stop asking an extra question (its admin); its answers stay in the reports.
#[utoipa::path(delete, path = "/api/v1/surveys/units/{agency_id}/questions/{question_id}",
    tag = "performance", security(("bearer" = [])),
    params(("agency_id" = i64, Path, description = "The service unit"),
        ("question_id" = i64, Path, description = "The question")),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_question(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((agency_id, question)): Path<(AgencyId, i64)>,
) -> AppResult<StatusCode> {
    questions::retire(&ctx, &meta, &actor, agency_id, question).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! The public's responses to a TPS's published list (tanggapan masyarakat) and the PPS's
//! public answers.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;
use crate::commands::report;
use crate::domain::report::{self as report_rules, Draft, Kind, Status};
use crate::errors::VoterError;
use crate::store::{elections, reports};

fn statuses() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Status::ALL.map(Status::as_str))
}

fn decisions() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of([Status::Accepted.as_str(), Status::Rejected.as_str()])
}

fn kinds() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Kind::ALL.map(Kind::as_str))
}

/// A response to a TPS's published list.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    #[schema(minimum = 1)]
    pub election_id: i64,
    #[schema(schema_with = balai_core::web::schema::village_code)]
    pub village_code: String,
    #[serde(deserialize_with = "balai_core::web::json_int::u32")]
    #[schema(minimum = 1, maximum = 9999)]
    pub tps_number: u32,
    #[schema(schema_with = kinds)]
    pub kind: String,
    /// What is wrong (kept for the officials, never published): 10–2000 characters, not all
    /// blank.
    #[schema(min_length = 10, max_length = 2000, pattern = r"\S")]
    pub details: String,
    /// The evidence (a certificate's number, a letter): 3–500 characters, not all blank.
    #[schema(min_length = 3, max_length = 500, pattern = r"\S")]
    pub evidence: String,
    /// How the PPS may reach the reporter (never published).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub contact: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportFiled {
    /// Follow the case at `/api/v1/dpt/reports/{code}`.
    pub code: String,
    /// RFC 3339: when the PPS's answer is due (the end of `due_day` in the village's time
    /// zone).
    pub due_at: String,
    /// The last working day of the PPS's answer (YYYY-MM-DD), on the holiday calendar.
    #[schema(format = Date)]
    pub due_day: String,
}

/// Respond to a TPS's published list (anyone, no account): a listed voter deceased or moved,
/// someone not registered, someone listed twice. It becomes a case for the PPS, answered
/// publicly (without personal data). Taken while the list is DPS or DPSHP.
#[utoipa::path(post, path = "/api/v1/dpt/reports", tag = "voters", request_body = ReportInput,
    responses((status = 201, body = ReportFiled), (status = 404), (status = 409),
        (status = 422)))]
pub async fn post_report(
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<ReportInput>,
) -> AppResult<(StatusCode, Json<ReportFiled>)> {
    let draft = Draft {
        kind: input.kind,
        tps_number: input.tps_number,
        details: input.details,
        evidence: input.evidence,
        contact: input.contact.unwrap_or_default(),
    };
    let f = report::file(
        &ctx,
        &meta,
        input.election_id,
        &input.village_code,
        &draft,
        None,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ReportFiled {
            code: f.code,
            due_at: rfc3339(f.due),
            due_day: f.due_day.to_string(),
        }),
    ))
}

/// A response as published: no details, no contact.
#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub code: String,
    pub election_id: i64,
    pub village_code: String,
    pub tps_number: i64,
    #[schema(schema_with = kinds)]
    pub kind: String,
    pub filed_at: String,
    /// The end of `due_day` in the village's time zone.
    pub due_at: String,
    /// The last working day of the PPS's answer (YYYY-MM-DD); moves when the holidays change.
    #[schema(format = Date)]
    pub due_day: String,
    /// Open and past its due day.
    pub overdue: bool,
    #[schema(schema_with = statuses)]
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

impl From<&reports::PublicRow> for ReportOut {
    fn from(r: &reports::PublicRow) -> Self {
        let status = Status::parse(&r.status).unwrap_or(Status::Open);
        let due = r.due();
        let today = report_rules::filed_day(balai_core::db::now(), &r.village_code);
        ReportOut {
            code: r.code.clone(),
            election_id: r.election_id,
            village_code: r.village_code.clone(),
            tps_number: r.tps_number,
            kind: r.kind.clone(),
            filed_at: rfc3339(r.filed_at),
            due_at: rfc3339(report_rules::due_moment(due, &r.village_code)),
            due_day: due.to_string(),
            overdue: report_rules::overdue(status, due, today),
            status: r.status.clone(),
            answer: r.answer.clone(),
            answered_at: r.answered_at.map(rfc3339),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ReportsQuery {
    #[param(minimum = 1)]
    pub election_id: i64,
    /// Only this village's TPS.
    #[serde(default)]
    #[param(schema_with = balai_core::web::schema::village_code)]
    pub village_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportsOut {
    pub reports: Vec<ReportOut>,
}

/// The public's responses to an election's list and their answers (newest first, at most 500).
#[utoipa::path(get, path = "/api/v1/dpt/reports", tag = "voters", params(ReportsQuery),
    responses((status = 200, body = ReportsOut), (status = 400), (status = 404), (status = 422)))]
pub async fn list_reports(
    State(ctx): State<AppCtx>,
    Query(q): Query<ReportsQuery>,
) -> AppResult<Json<ReportsOut>> {
    elections::get(&ctx.db, q.election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    if let Some(v) = &q.village_code {
        if balai_core::regions::RegionCode::parse(v)
            .map_or(true, |c| c.level() != balai_core::regions::Level::Village)
        {
            return Err(VoterError::Report(crate::domain::report::Invalid::Village).into());
        }
    }
    let rows = reports::public_for(&ctx.db, q.election_id, q.village_code.as_deref()).await?;
    Ok(Json(ReportsOut {
        reports: rows.iter().map(ReportOut::from).collect(),
    }))
}

/// One response, as published.
#[utoipa::path(get, path = "/api/v1/dpt/reports/{code}", tag = "voters",
    params(("code" = String, Path, max_length = 40)),
    responses((status = 200, body = ReportOut), (status = 404)))]
pub async fn get_report(
    State(ctx): State<AppCtx>,
    Path(code): Path<String>,
) -> AppResult<Json<ReportOut>> {
    let row = reports::public_by_code(&ctx.db, code.trim())
        .await?
        .ok_or(VoterError::ReportNotFound)?;
    Ok(Json(ReportOut::from(&row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    #[schema(schema_with = decisions)]
    pub status: String,
    /// Published as written: 10–2000 characters, not all blank, no personal data (no NIK).
    #[schema(min_length = 10, max_length = 2000, pattern = r"\S")]
    pub answer: String,
}

/// The PPS's public answer to a response (a KPU official whose area covers the TPS's village).
#[utoipa::path(post, path = "/api/v1/dpt/reports/{code}/answer", tag = "voters",
    security(("bearer" = [])),
    params(("code" = String, Path, max_length = 40),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body = AnswerInput,
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422)))]
pub async fn answer_report(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(code): Path<String>,
    Json(input): Json<AnswerInput>,
) -> AppResult<StatusCode> {
    report::answer(&ctx, &meta, &actor, &code, &input.status, &input.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

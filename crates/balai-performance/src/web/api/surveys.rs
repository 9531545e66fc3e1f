//! `/api/v1/surveys/…`: codes for officials, answers without an account, the public index.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::answer::{self, AnswerInput};
use crate::commands::issue_codes::{self, IssueInput};
use crate::commands::{settings, unit};
use crate::domain::period;
use crate::errors::PerformanceError;
use crate::queries::ikm::{self, IkmReport};
use crate::web::survey_url;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodesInput {
    /// The service unit (agency) the codes are for: the caller's own.
    #[serde(deserialize_with = "balai_core::web::json_int::id")]
    pub agency_id: AgencyId,
    /// The service the visits were for (free text, at most 100 characters); empty or absent:
    /// the unit as a whole.
    #[serde(default)]
    pub service: Option<String>,
    /// How many codes, 1–500.
    #[schema(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "balai_core::web::json_int::u32")]
    pub count: u32,
}

#[derive(Serialize, ToSchema)]
pub struct CodesIssued {
    /// The codes, each usable once (ten characters; printed as `XXXXX-XXXXX`).
    pub codes: Vec<String>,
    /// The survey page of each code (the URL of its QR code), in the same order.
    pub urls: Vec<String>,
    pub agency_id: AgencyId,
    pub service: String,
    /// The visit's day in the unit's time zone, YYYY-MM-DD.
    pub service_day: String,
    /// When the codes stop being accepted (RFC 3339).
    pub expires_at: String,
    /// The print run, for the printable cards at `/kinerja/petugas/kartu/{batch}`.
    pub batch: String,
}

/// Issue single-use survey codes for a unit (its officials, not viewers): each binds the unit,
/// the service and today's date, and expires after `[performance] survey_code_days` (30 by
/// default).
#[utoipa::path(post, path = "/api/v1/surveys/codes", tag = "performance",
    security(("bearer" = [])), request_body = CodesInput,
    responses((status = 201, body = CodesIssued), (status = 403), (status = 404), (status = 422)))]
pub async fn post_codes(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<CodesInput>,
) -> AppResult<(StatusCode, Json<CodesIssued>)> {
    let done = issue_codes::issue(
        &ctx,
        &meta,
        &actor,
        &IssueInput {
            agency_id: input.agency_id,
            service: input.service.unwrap_or_default(),
            count: input.count,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CodesIssued {
            urls: done.codes.iter().map(|c| survey_url(&ctx, c)).collect(),
            codes: done.codes.iter().map(|c| c.as_str().to_string()).collect(),
            agency_id: input.agency_id,
            service: done.service,
            service_day: done.service_day.to_string(),
            expires_at: done
                .expires_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            batch: done.batch,
        }),
    ))
}

/// Nine scores, each 1–4.
fn nine_scores() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(4)),
        )
        .min_items(Some(9))
        .max_items(Some(9))
        .build()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    /// The survey code from the receipt or card (case, spaces and dashes do not matter).
    pub code: String,
    /// The nine elements' scores in the regulation's order (U1 persyaratan … U9 sarana dan
    /// prasarana), each 1–4.
    #[schema(schema_with = nine_scores)]
    #[serde(deserialize_with = "balai_core::web::json_int::vec_i64")]
    pub answers: Vec<i64>,
    /// `lt20`, `20_29`, `30_39`, `40_49`, `50_59`, `60plus`.
    #[serde(default)]
    pub age_band: Option<String>,
    /// `L` or `P`.
    #[serde(default)]
    pub sex: Option<String>,
    /// `sd`, `smp`, `sma`, `diploma`, `s1`, `s2plus`.
    #[serde(default)]
    pub education: Option<String>,
    /// `pns`, `tni`, `polri`, `swasta`, `wirausaha`, `pelajar`, `lainnya`.
    #[serde(default)]
    pub occupation: Option<String>,
    /// At most 2,000 characters; seen by the unit's officials only.
    #[serde(default)]
    pub comment: Option<String>,
    /// Answers to the unit's own extra questions (`GET …/units/{id}/questions`), each 1–4,
    /// optional; reported apart, never part of the index. At most as many as the unit asks
    /// (`[performance] max_extra_questions`, 5 unless set, never more than 10).
    #[serde(default)]
    #[schema(max_items = 10)]
    pub extra: Option<Vec<ExtraAnswer>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SurveyExtraAnswer)]
pub struct ExtraAnswer {
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    pub question_id: i64,
    #[schema(minimum = 1, maximum = 4)]
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    pub score: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ResponseReceived {
    pub received: bool,
    pub agency_id: AgencyId,
    pub service: String,
    pub service_day: String,
}

/// Answer the survey with a code (no account). A used code is refused with 409, an unknown or
/// expired one with 422; a refused answer stores nothing. The answer is anonymous: it keeps
/// the unit, service and day of the code, not the code.
#[utoipa::path(post, path = "/api/v1/surveys/responses", tag = "performance",
    request_body = ResponseInput,
    responses((status = 201, body = ResponseReceived), (status = 409), (status = 422), (status = 429)))]
pub async fn post_response(
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<ResponseInput>,
) -> AppResult<(StatusCode, Json<ResponseReceived>)> {
    let done = answer::answer(
        &ctx,
        &meta,
        &AnswerInput {
            code: input.code,
            answers: input.answers,
            age_band: input.age_band.unwrap_or_default(),
            sex: input.sex.unwrap_or_default(),
            education: input.education.unwrap_or_default(),
            occupation: input.occupation.unwrap_or_default(),
            comment: input.comment.unwrap_or_default(),
            extra: input
                .extra
                .unwrap_or_default()
                .iter()
                .map(|a| (a.question_id, a.score))
                .collect(),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ResponseReceived {
            received: true,
            agency_id: done.agency_id,
            service: done.service,
            service_day: done.service_day.to_string(),
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct IkmQuery {
    /// The service unit (agency id).
    pub agency: i64,
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

/// The index of a unit for a period: exactly the fields issue #29 names, no more.
#[derive(Serialize, ToSchema)]
pub struct IkmOut {
    /// Answers in the period.
    pub responses: i64,
    /// Each element's mean score (U1–U9, nine numbers), rounded half up to two decimals for
    /// display; the index is computed from the exact means. Empty without answers.
    pub nrr: Vec<f64>,
    /// Σ NRR × weight × 25 (weights 1/9 each unless the unit set its own), computed exactly
    /// on fractions and rounded half up to two decimals; null without answers.
    pub ikm: Option<f64>,
    /// `A` (≥ 88.31), `B` (≥ 76.61), `C` (≥ 65.00) or `D`, on the two-decimal value; null
    /// without answers.
    pub grade: Option<String>,
    /// The grade's words in the regulation (`Sangat Baik`, `Baik`, `Kurang Baik`, `Tidak
    /// Baik`); null without answers.
    pub grade_label: Option<String>,
    /// Krejcie & Morgan's sample for the period's service users (entered by the unit for its
    /// months, else the survey codes issued for visits in the period).
    pub sample_needed: i64,
    /// Whether the answers reach that sample.
    pub sample_enough: bool,
}

impl From<&IkmReport> for IkmOut {
    fn from(r: &IkmReport) -> IkmOut {
        let idx = r.index.as_ref();
        IkmOut {
            responses: r.tally.responses,
            nrr: idx
                .map(|i| i.nrr_rounded().iter().map(|h| h.as_f64()).collect())
                .unwrap_or_default(),
            ikm: idx.map(|i| i.ikm.as_f64()),
            grade: idx.map(|i| i.grade.as_str().to_string()),
            grade_label: idx.map(|i| i.grade.label_id().to_string()),
            sample_needed: r.sample_needed,
            sample_enough: r.sample_enough(),
        }
    }
}

/// Parse a report period.
pub fn parse_period(from: &str, to: &str) -> Result<(time::Date, time::Date), PerformanceError> {
    match (period::parse_day(from), period::parse_day(to)) {
        (Some(f), Some(t)) if period::check(f, t) => Ok((f, t)),
        _ => Err(PerformanceError::BadPeriod),
    }
}

/// A unit's satisfaction index (IKM) for a period, exactly as PermenPANRB 14/2017 computes it,
/// with the sample it rests on (public).
#[utoipa::path(get, path = "/api/v1/surveys/ikm", tag = "performance", params(IkmQuery),
    responses((status = 200, body = IkmOut), (status = 404), (status = 422)))]
pub async fn get_ikm(
    State(ctx): State<AppCtx>,
    Query(q): Query<IkmQuery>,
) -> AppResult<Json<IkmOut>> {
    let (from, to) = parse_period(&q.from, &q.to)?;
    let service = q
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let u = unit(&ctx.db, AgencyId(q.agency)).await?;
    let r = ikm::report(
        &ctx.db,
        ctx.ext.get::<balai_core::kpi::KpiSources>(),
        u,
        from,
        to,
        service,
    )
    .await?;
    Ok(Json(IkmOut::from(&r)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsInput {
    /// Nine weights (U1–U9) as fractions or decimals (`1/9`, `0.2`, `0,2`), each at least 0,
    /// summing to exactly 1.
    #[schema(
        min_items = 9,
        max_items = 9,
        pattern = r"^ *[0-9]{1,18}( */ *[0-9]{1,18}| *[.,][0-9]{1,12})? *$"
    )]
    pub weights: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WeightsOut {
    pub weights: Vec<String>,
}

/// Set a unit's element weights (the unit's admin).
#[utoipa::path(put, path = "/api/v1/surveys/units/{agency_id}/weights", tag = "performance",
    security(("bearer" = [])), request_body = WeightsInput,
    params(("agency_id" = i64, Path, description = "The service unit")),
    responses((status = 200, body = WeightsOut), (status = 403), (status = 404), (status = 422)))]
pub async fn put_weights(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(agency_id): Path<AgencyId>,
    Json(input): Json<WeightsInput>,
) -> AppResult<Json<WeightsOut>> {
    let w = settings::set_weights(&ctx, &meta, &actor, agency_id, &input.weights).await?;
    Ok(Json(WeightsOut {
        weights: w.get().iter().map(ToString::to_string).collect(),
    }))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsersInput {
    /// Service users of the month (0–10,000,000).
    #[schema(minimum = 0, maximum = 10_000_000)]
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    pub users: i64,
}

/// Enter a unit's number of service users for a month, where Balai does not see each visit
/// (the unit's admin); used for the sample size.
#[utoipa::path(put, path = "/api/v1/surveys/units/{agency_id}/service-users/{month}", tag = "performance",
    security(("bearer" = [])), request_body = UsersInput,
    params(("agency_id" = i64, Path, description = "The service unit"),
        ("month" = String, Path, description = "YYYY-MM", pattern = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$")),
    responses((status = 200, body = UsersInput), (status = 403), (status = 404), (status = 422)))]
pub async fn put_service_users(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((agency_id, month)): Path<(AgencyId, String)>,
    Json(input): Json<UsersInput>,
) -> AppResult<Json<UsersInput>> {
    settings::set_service_users(&ctx, &meta, &actor, agency_id, &month, input.users).await?;
    Ok(Json(input))
}

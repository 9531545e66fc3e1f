//! The JSON API of neutrality cases: open a case (Bawaslu, BKN), decide its current step (the
//! step's own agency), read the list and one case (the handling agencies, every read of the
//! official's identity audited), and the public anonymised statistics.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cases_out::{CaseDetail, CaseSummary, StatsOut};
use super::cases_schema::{acts, decisions, origins_or_null, outcomes, sanctions, stages, steps};
use crate::commands::cases::{decide, open};
use crate::domain::case_input::{CaseDraft, StepDraft};
use crate::queries::{case_stats, cases};
use crate::CaseId;

/// The opening of a case.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    /// The official's appointing government: a province (PP) or regency/city (PP.KK) code.
    #[schema(pattern = r"^[0-9]{2}(\.[0-9]{2})?$")]
    pub region_code: String,
    /// The Aduan report (category ASN neutrality) routed to the opening Bawaslu, by its id.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub complaint_id: Option<i64>,
    /// Default: `complaint` when a complaint is named, else the opening agency's own
    /// (`bawaslu_finding` for Bawaslu, `bkn_entry` for BKN).
    #[serde(default)]
    #[schema(schema_with = origins_or_null)]
    pub origin: Option<String>,
    /// Not blank. Seen only by the agencies handling the case.
    #[schema(min_length = 1, max_length = 200)]
    pub official_name: String,
    /// 18 digits; links the case to the same official's appointments. Never published.
    #[serde(default)]
    #[schema(pattern = r"^([0-9]{18})?$")]
    pub nip: Option<String>,
    /// Not blank.
    #[schema(min_length = 1, max_length = 300)]
    pub official_position: String,
    /// What the official is said to have done. Not blank.
    #[schema(min_length = 1, max_length = 4000)]
    pub allegation: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseOpened {
    pub id: i64,
    #[schema(schema_with = stages)]
    pub stage: String,
    /// YYYY-MM-DD: the first step's due day, in working days.
    pub due_on: String,
}

/// Open a neutrality case: Bawaslu over the official's region, from a complaint Aduan routed
/// to it or from its own finding; or BKN over it, from its own entry (starting at BKN's
/// examination). Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/neutrality-cases", tag = "neutrality",
    security(("bearer" = [])), request_body = CaseInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = CaseOpened), (status = 401), (status = 403),
        (status = 409), (status = 422)))]
pub async fn post_case(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<CaseInput>,
) -> AppResult<(StatusCode, Json<CaseOpened>)> {
    let draft = CaseDraft {
        region_code: input.region_code,
        origin: input.origin,
        complaint_id: input.complaint_id,
        official_name: input.official_name,
        nip: input.nip.unwrap_or_default(),
        official_position: input.official_position,
        allegation: input.allegation,
    };
    let done = open::open(&ctx, &meta, &actor, &draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(CaseOpened {
            id: done.id,
            stage: done.stage.as_str().into(),
            due_on: done.due_on.to_string(),
        }),
    ))
}

/// A step's decision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// The step decided: must be the case's current one (else `409 stale_step`).
    #[schema(schema_with = steps)]
    pub step: String,
    /// Examinations: `violation` or `no_violation`; the sanction step: `sanction`; the
    /// follow-up: `complied` or `not_complied`.
    #[schema(schema_with = decisions)]
    pub decision: String,
    /// Bawaslu's recommendation of a violation names the act (SKB 2022 list).
    #[serde(default)]
    #[schema(schema_with = acts)]
    pub forbidden_act: Option<String>,
    /// BKN's recommendation and the PPK's decision name the sanction (PP 42/2004, PP 94/2021).
    #[serde(default)]
    #[schema(schema_with = sanctions)]
    pub sanction: Option<String>,
    /// The letter or decree number.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reference: Option<String>,
    /// The examination's result or the decision's grounds. Not blank.
    #[schema(min_length = 1, max_length = 4000)]
    pub note: String,
    /// References of the step's documents (minutes, letters, decrees), each at most 300
    /// characters; blank ones are left out.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub documents: Option<Vec<String>>,
    /// YYYY-MM-DD, default today; not after today, not before the step started.
    #[serde(default)]
    #[schema(format = Date)]
    pub decided_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StepDecided {
    pub case_id: i64,
    /// Where the case is now.
    #[schema(schema_with = stages)]
    pub stage: String,
    /// Set once the case is closed.
    #[schema(schema_with = outcomes)]
    pub outcome: Option<String>,
    /// YYYY-MM-DD: the next step's due day (null once closed).
    pub due_on: Option<String>,
    /// Working days the decided step took.
    pub working_days: i64,
}

/// Decide the case's current step: Bawaslu its recommendation, BKN its recommendation, the
/// region's Pemda (the PPK) the sanction, BKN the follow-up check. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/neutrality-cases/{id}/steps", tag = "neutrality",
    security(("bearer" = [])), request_body = StepInput,
    params(("id" = i64, Path, description = "Case id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = StepDecided), (status = 401), (status = 403),
        (status = 404), (status = 409), (status = 422)))]
pub async fn post_step(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<CaseId>,
    Json(input): Json<StepInput>,
) -> AppResult<(StatusCode, Json<StepDecided>)> {
    let draft = StepDraft {
        step: input.step,
        decision: input.decision,
        forbidden_act: input.forbidden_act,
        sanction: input.sanction,
        reference: input.reference,
        note: input.note,
        documents: input.documents.unwrap_or_default(),
        decided_on: input.decided_on,
    };
    let done = decide::decide(&ctx, &meta, &actor, id.get(), &draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(StepDecided {
            case_id: id.get(),
            stage: done.stage.as_str().into(),
            outcome: done.outcome.map(|o| o.as_str().into()),
            due_on: done.due_on.map(|d| d.to_string()),
            working_days: done.working_days,
        }),
    ))
}

/// The cases the official's agency handles (Bawaslu, BKN, the region's Pemda), newest first,
/// with the officials' identities (the read is audited). A Pemda and BKN see a case once
/// Bawaslu has made its recommendation.
#[utoipa::path(get, path = "/api/v1/neutrality-cases", tag = "neutrality",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<CaseSummary>), (status = 401), (status = 403)))]
pub async fn list_cases(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
) -> AppResult<Json<Vec<CaseSummary>>> {
    let list = cases::list(&ctx, &meta, &actor).await?;
    Ok(Json(list.iter().map(CaseSummary::from).collect()))
}

/// One case with the official's identity, every step with its documents, who and when, the
/// running step's due day and the same official's appointments (matched by NIP). The read is
/// audited. A case the official may not see is `404`.
#[utoipa::path(get, path = "/api/v1/neutrality-cases/{id}", tag = "neutrality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseDetail), (status = 401), (status = 404)))]
pub async fn get_case(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<CaseId>,
) -> AppResult<Json<CaseDetail>> {
    let view = cases::one(&ctx, &meta, &actor, id.get()).await?;
    Ok(Json(CaseDetail::from(&view)))
}

#[derive(Deserialize, IntoParams)]
pub struct StatsQuery {
    /// A province (PP) or regency/city (PP.KK): its cases and those of the regions inside it.
    /// Empty or left out: every region.
    #[param(pattern = r"^([0-9]{2}(\.[0-9]{2})?)?$")]
    pub region: Option<String>,
}

/// Public, anonymised statistics of neutrality cases: by region, by the agency holding the
/// case, by forbidden act, by stage and by outcome, and the working days each step took. No
/// name, NIP, position or text.
#[utoipa::path(get, path = "/api/v1/neutrality-cases/stats", tag = "neutrality",
    params(StatsQuery),
    responses((status = 200, body = StatsOut), (status = 400), (status = 422)))]
pub async fn case_stats(
    State(ctx): State<AppCtx>,
    Query(q): Query<StatsQuery>,
) -> AppResult<Json<StatsOut>> {
    let s = case_stats::load(&ctx.db, q.region.as_deref()).await?;
    Ok(Json(StatsOut::from(&s)))
}

//! `POST /api/v1/agreements` (an admin, supervisor or officer of one of the agencies),
//! `GET /api/v1/agreements?region=CODE` (public) and renewals.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ids, texts, RegionQuery};
use crate::commands::agreement;
use crate::domain::agreement::{Draft, RenewalDraft};
use crate::domain::ending::EndDraft;
use crate::queries::record::{self, Agreement};

/// An agreement (nota kesepahaman / perjanjian kerja sama).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub number: String,
    /// The Balai agencies that are parties (the caller's own among them).
    #[serde(deserialize_with = "balai_core::web::json_int::vec_i64")]
    #[schema(schema_with = agency_ids)]
    pub agency_ids: Vec<i64>,
    /// Outside organisations that are parties, by name.
    #[schema(schema_with = other_parties)]
    pub other_parties: Vec<String>,
    #[schema(format = Date)]
    pub signed_on: String,
    #[schema(format = Date)]
    pub valid_from: String,
    /// On or after `valid_from`.
    #[schema(format = Date)]
    pub valid_until: String,
    /// The clauses in order; activities name them by number (1, 2, …).
    #[schema(schema_with = clauses)]
    pub clauses: Vec<String>,
    #[serde(default)]
    #[schema(min_length = 1, max_length = 500)]
    pub legal_basis: Option<String>,
}

impl From<AgreementInput> for Draft {
    fn from(i: AgreementInput) -> Draft {
        Draft {
            title: i.title,
            number: i.number,
            agency_ids: i.agency_ids,
            other_parties: i.other_parties,
            signed_on: i.signed_on,
            valid_from: i.valid_from,
            valid_until: i.valid_until,
            clauses: i.clauses,
            legal_basis: i.legal_basis.unwrap_or_default(),
        }
    }
}

fn agency_ids() -> utoipa::openapi::schema::Array {
    ids(10)
}

fn other_parties() -> utoipa::openapi::schema::Array {
    texts(10, 200)
}

fn clauses() -> utoipa::openapi::schema::Array {
    texts(100, 2000)
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Record an agreement. The caller's agency must be among `agency_ids`; the agreement's region
/// is the smallest region covering every agency party. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/agreements", tag = "participation",
    security(("bearer" = [])), request_body = AgreementInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 409),
        (status = 422)))]
pub async fn post_agreement(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(i): Json<AgreementInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let id = agreement::record(&ctx, &meta, &actor, &i.into()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Edit an agreement: the whole record as it should now be (an official of one of its
/// agencies, whose agency stays a party). The checks of recording it hold, and every activity
/// already carrying it out must still fit its period, region and clauses. The changed fields,
/// before and after, are audited and shown in the agreement's public history. Send
/// `Idempotency-Key`.
#[utoipa::path(put, path = "/api/v1/agreements/{id}", tag = "participation",
    security(("bearer" = [])), request_body = AgreementInput,
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn put_agreement(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<AgreementInput>,
) -> AppResult<Json<Created>> {
    crate::commands::edit::agreement(&ctx, &meta, &actor, id, &i.into()).await?;
    Ok(Json(Created { id }))
}

#[derive(Serialize, ToSchema)]
pub struct PartyOut {
    /// Set for a Balai agency; null for an outside organisation.
    pub agency_id: Option<i64>,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClauseOut {
    pub number: i64,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct AgreementOut {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub region_code: String,
    pub signed_on: String,
    pub valid_from: String,
    /// The current end of validity (after any renewal).
    pub valid_until: String,
    /// `upcoming`, `in_force`, `expired` or `ended` (ended early, from its end date on) today.
    #[schema(schema_with = standings)]
    pub standing: String,
    /// Its early end (pengakhiran), once recorded; null otherwise.
    pub termination: Option<TerminationOut>,
    pub legal_basis: Option<String>,
    pub parties: Vec<PartyOut>,
    pub clauses: Vec<ClauseOut>,
    /// The current version of the signed agreement (null until uploaded).
    pub document: Option<super::documents::DocumentOut>,
}

fn standings() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(["upcoming", "in_force", "expired", "ended"])
}

/// An agreement's early end.
#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationTermination)]
pub struct TerminationOut {
    /// The first day it is no longer in force.
    #[schema(format = Date)]
    pub ended_on: String,
    pub reason: String,
    /// The agency whose official recorded it.
    pub recorded_by: String,
}

impl From<&Agreement> for AgreementOut {
    fn from(a: &Agreement) -> Self {
        let r = &a.row;
        AgreementOut {
            id: r.id,
            number: r.number.clone(),
            title: r.title.clone(),
            region_code: r.region_code.clone(),
            signed_on: r.signed_on.to_string(),
            valid_from: r.valid_from.to_string(),
            valid_until: r.valid_until.to_string(),
            standing: a.standing.as_str().to_string(),
            termination: r.ended_on.map(|d| TerminationOut {
                ended_on: d.to_string(),
                reason: r.end_reason.clone().unwrap_or_default(),
                recorded_by: r.ended_agency_name.clone().unwrap_or_default(),
            }),
            legal_basis: r.legal_basis.clone(),
            parties: a
                .parties
                .iter()
                .map(|p| PartyOut {
                    agency_id: p.agency_id,
                    name: p.name.clone(),
                })
                .collect(),
            clauses: a
                .clauses
                .iter()
                .map(|c| ClauseOut {
                    number: c.number,
                    text: c.text.clone(),
                })
                .collect(),
            document: a.document.as_ref().map(|d| {
                super::documents::DocumentOut::of(crate::domain::document::DocKind::Agreement, d)
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgreementsOut {
    pub region_code: String,
    pub region_name: String,
    /// The region's agreements and those of every region under it, the latest ending first.
    pub agreements: Vec<AgreementOut>,
}

/// The agreements of a region and of every region under it (public).
#[utoipa::path(get, path = "/api/v1/agreements", tag = "participation", params(RegionQuery),
    responses((status = 200, body = AgreementsOut), (status = 400), (status = 404)))]
pub async fn list_agreements(
    State(ctx): State<AppCtx>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<AgreementsOut>> {
    let (region, name) = crate::queries::region(&ctx.db, &q.region).await?;
    let list = record::agreements_under(&ctx.db, region.as_str(), crate::domain::today()).await?;
    Ok(Json(AgreementsOut {
        region_code: region.to_string(),
        region_name: name,
        agreements: list.iter().map(AgreementOut::from).collect(),
    }))
}

/// A renewal: a new document that moves the end of validity later.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalInput {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub number: String,
    #[schema(format = Date)]
    pub signed_on: String,
    /// Later than the current end of validity.
    #[schema(format = Date)]
    pub valid_until: String,
}

/// Renew an agreement (an official of one of its agencies). Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/renewals", tag = "participation",
    security(("bearer" = [])), request_body = RenewalInput,
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_renewal(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<RenewalInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let draft = RenewalDraft {
        number: i.number,
        signed_on: i.signed_on,
        valid_until: i.valid_until,
    };
    agreement::renew(&ctx, &meta, &actor, id, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// An early end (pengakhiran): the first day the agreement is no longer in force, and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ParticipationTerminationInput)]
pub struct TerminationInput {
    /// From the signing date to the end of validity (`valid_until`), both included.
    #[schema(format = Date)]
    pub ended_on: String,
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

/// End an agreement before its validity runs out (an official of one of its agencies), once.
/// From `ended_on` on its standing is `ended`; no activity may carry it out on or after that
/// day (one already recorded there: `422 activities_after_end`), it is no longer renewed or
/// edited (`422 already_ended`) and its expiry reminder is not sent. The end is audited and
/// shown in its public history. `ended_on` before the signing date: `422
/// end_before_signing`; after `valid_until`: `422 end_after_validity`. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/termination", tag = "participation",
    security(("bearer" = [])), request_body = TerminationInput,
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_termination(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<TerminationInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let draft = EndDraft {
        ended_on: i.ended_on,
        reason: i.reason,
    };
    agreement::end(&ctx, &meta, &actor, id, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

//! The JSON API: the import of a list version (KPU of the region), its public counts, the
//! registration check (no account), its daily counts, the public's responses and their
//! answers ([`reports`]), and an official's single-record view.

pub mod reports;

use axum::extract::{Path, Query, State};
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed, ReadPost};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::import::{self, By};
use crate::commands::{lookup, view};
use crate::domain::stage::Stage;
use crate::errors::VoterError;
use crate::queries;
use crate::store::elections;
use crate::store::lists::{self, Counts};

fn stages() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Stage::ALL.map(Stage::as_str))
}

#[derive(Deserialize, IntoParams)]
pub struct StageQuery {
    /// The stage of the new version: `dps` (default), `dpshp` or `dpt`.
    #[serde(default)]
    #[param(schema_with = stages)]
    pub stage: Option<String>,
    /// Replace only this province's part of the list (`PP`, e.g. 32): the other provinces'
    /// voters and counts stay as they are.
    #[serde(default)]
    #[param(minimum = 11, maximum = 99)]
    pub province: Option<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    pub voters: i64,
    pub male: i64,
    pub female: i64,
    pub tps: i64,
}

impl From<&Counts> for CountsOut {
    fn from(c: &Counts) -> Self {
        CountsOut {
            voters: c.voters,
            male: c.male,
            female: c.female,
            tps: c.tps,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VillageCounts {
    pub village_code: String,
    pub village_name: String,
    #[serde(flatten)]
    pub counts: CountsOut,
}

#[derive(Serialize, ToSchema)]
pub struct RefusedRow {
    pub line: usize,
    pub code: String,
    pub message_id: String,
    pub message_en: String,
}

#[derive(Serialize, ToSchema)]
pub struct ListImported {
    pub list_id: i64,
    pub version: i64,
    #[schema(schema_with = stages)]
    pub stage: String,
    #[serde(flatten)]
    pub total: CountsOut,
    /// TPS the list named that did not exist yet (created, DPT set).
    pub tps_created: usize,
    pub villages: Vec<VillageCounts>,
    /// Always empty on success: a list with a refused row is not imported (422, the rows in
    /// `details.refused`, each with its line and reason).
    pub refused: Vec<RefusedRow>,
}

/// Import a version of the election's voter list (KPU of the election's region). CSV with a
/// header row: `nik,nkk,name,birth_place,birth_date,sex,village_code,tps_number,address`,
/// optionally `disability,marital_status`. All or nothing: one refused row (a NIK that cannot
/// exist, a NIK twice, a village outside the region, a TPS over the maximum) refuses the file
/// with 422 and every refused row's line and reason. The TPS named are created if missing and
/// their DPT L/P set from the list. A new version may not go back a stage; a DPT is final.
#[utoipa::path(put, path = "/api/v1/elections/{id}/dpt", tag = "voters",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The election."), StageQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ListImported), (status = 401), (status = 403),
        (status = 404), (status = 409), (status = 422)))]
pub async fn put_list(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Query(q): Query<StageQuery>,
    body: String,
) -> AppResult<Json<ListImported>> {
    let opts = import::Options {
        stage: q.stage.as_deref().unwrap_or(""),
        province: q.province,
    };
    let source = Box::new(std::io::Cursor::new(body.into_bytes()));
    let done = import::import_from(&ctx, &meta, By::Official(&actor), id, opts, source).await?;
    Ok(Json(ListImported {
        list_id: done.list_id,
        version: done.version,
        stage: done.stage.as_str().into(),
        total: CountsOut::from(&done.total),
        tps_created: done.tps_created,
        villages: done
            .villages
            .iter()
            .map(|(code, name, c)| VillageCounts {
                village_code: code.clone(),
                village_name: name.clone(),
                counts: CountsOut::from(c),
            })
            .collect(),
        refused: Vec::new(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ListVersion {
    pub version: i64,
    #[schema(schema_with = stages)]
    pub stage: String,
    /// RFC 3339.
    pub imported_at: String,
    #[serde(flatten)]
    pub total: CountsOut,
    pub villages: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ListVersions {
    pub election_id: i64,
    pub election_name: String,
    /// Newest first.
    pub versions: Vec<ListVersion>,
}

/// The versions of an election's voter list with their counts (public; never a voter).
#[utoipa::path(get, path = "/api/v1/elections/{id}/dpt", tag = "voters",
    params(("id" = i64, Path, description = "The election.")),
    responses((status = 200, body = ListVersions), (status = 404)))]
pub async fn get_versions(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
) -> AppResult<Json<ListVersions>> {
    let e = elections::get(&ctx.db, id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let rows = lists::versions(&ctx.db, id).await?;
    Ok(Json(ListVersions {
        election_id: e.id,
        election_name: e.name,
        versions: rows
            .iter()
            .map(|r| ListVersion {
                version: r.version,
                stage: r.stage.clone(),
                imported_at: rfc3339(r.imported_at),
                total: CountsOut {
                    voters: r.voters,
                    male: r.male,
                    female: r.female,
                    tps: r.tps,
                },
                villages: r.villages,
            })
            .collect(),
    }))
}

/// A registration check.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupInput {
    /// The NIK on the KTP-el: 16 digits.
    #[schema(pattern = r"^[0-9]{16}$")]
    pub nik: String,
    /// The name as on the KTP-el (case, spacing, punctuation and titles do not matter).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TpsOut {
    pub number: i64,
    pub village_code: String,
    pub village_name: String,
    pub address: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    pub election_id: i64,
    pub election_name: String,
    pub tps: TpsOut,
    /// The registered name, each word's first letter only (`S*** W******`).
    pub name_masked: String,
}

/// The check's answer: the same keys whether found or not.
#[derive(Serialize, ToSchema)]
pub struct LookupOut {
    pub found: bool,
    pub registrations: Vec<RegistrationOut>,
}

impl From<lookup::Answer> for LookupOut {
    fn from(a: lookup::Answer) -> Self {
        LookupOut {
            found: !a.registrations.is_empty(),
            registrations: a
                .registrations
                .into_iter()
                .map(|r| RegistrationOut {
                    election_id: r.election_id,
                    election_name: r.election_name,
                    tps: TpsOut {
                        number: r.tps_number,
                        village_code: r.village_code,
                        village_name: r.village_name,
                        address: r.address,
                    },
                    name_masked: r.name_masked,
                })
                .collect(),
        }
    }
}

/// Check a registration by NIK *and* name (no account). A wrong name and an unknown NIK get
/// the same answer (`found: false`); a NIK that cannot exist is 422 with the reason. Limited
/// per client address (default 60 a minute), per NIK (failed names) and by a global breaker:
/// 429 with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/dpt/lookup", tag = "voters", request_body = LookupInput,
    responses((status = 200, body = LookupOut), (status = 422), (status = 429)))]
pub async fn post_lookup(
    ReadPost(ctx): ReadPost,
    meta: ReqMeta,
    Json(input): Json<LookupInput>,
) -> AppResult<Json<LookupOut>> {
    let a = lookup::lookup(&ctx, &meta.ip, &input.nik, &input.name).await?;
    Ok(Json(LookupOut::from(a)))
}

#[derive(Serialize, ToSchema)]
pub struct DayOut {
    /// YYYY-MM-DD (WIB).
    pub day: String,
    /// Answered checks: found + not_found + refused.
    pub lookups: i64,
    pub found: i64,
    pub not_found: i64,
    /// A NIK that cannot exist (422).
    pub refused: i64,
    /// Over a budget or while the breaker was open (429).
    pub throttled: i64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = VoterStatsOut)]
pub struct StatsOut {
    /// The last 31 days with look-ups, newest first.
    pub days: Vec<DayOut>,
}

/// Open data about the check itself: look-ups per day, found, not found, refused, throttled.
#[utoipa::path(get, path = "/api/v1/dpt/stats", tag = "voters",
    responses((status = 200, body = StatsOut)))]
pub async fn get_stats(State(ctx): State<AppCtx>) -> AppResult<Json<StatsOut>> {
    let days = queries::stats::daily(&ctx).await?;
    Ok(Json(StatsOut {
        days: days
            .into_iter()
            .map(|(day, d)| DayOut {
                day: day.to_string(),
                lookups: d.lookups,
                found: d.found,
                not_found: d.not_found,
                refused: d.refused,
                throttled: d.throttled,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    #[schema(pattern = r"^[0-9]{16}$")]
    pub nik: String,
    /// Why the record is opened (kept in the audit log): not all blank.
    #[schema(min_length = 3, max_length = 300, pattern = r"\S")]
    pub purpose: String,
}

/// One voter's full record, for a KPU official of the election's region: one NIK per request,
/// each opening audited. (A POST, so the NIK never appears in a URL or an access log.)
#[utoipa::path(post, path = "/api/v1/elections/{id}/dpt/record", tag = "voters",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The election.")),
    request_body = RecordInput,
    responses((status = 200, body = Object), (status = 401), (status = 403), (status = 404),
        (status = 422)))]
pub async fn post_record(
    actor: Actor,
    ReadPost(ctx): ReadPost,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(input): Json<RecordInput>,
) -> AppResult<Json<serde_json::Value>> {
    if !crate::domain::report::written(&input.purpose, 3, 300) {
        return Err(VoterError::Report(crate::domain::report::Invalid::Purpose).into());
    }
    let record = view::view(&ctx, &meta, &actor, id, &input.nik, &input.purpose).await?;
    Ok(Json(record))
}

/// RFC 3339 text of a timestamp (UTC).
pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

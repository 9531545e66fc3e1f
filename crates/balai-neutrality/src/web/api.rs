//! The JSON API: record and import appointments (Pemda or BKN officials), and the public
//! register of a region with its flags (never the NIP).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::import;
use crate::commands::record::{self, Recorded};
use crate::domain::appointment::Draft;
use crate::domain::window::Flag;
use crate::queries::register::{self, Entry};
use crate::store::appointments::Source;
use crate::store::flags::FlagRow;

/// An appointment decree (mutasi, promosi, rotasi).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    /// The appointing government: a province (PP) or regency/city (PP.KK) code.
    #[schema(pattern = r"^[0-9]{2}(\.[0-9]{2})?$")]
    pub region_code: String,
    /// Not blank.
    #[schema(min_length = 1, max_length = 200)]
    pub official_name: String,
    /// 18 digits (birth date, appointment month, sex, sequence); kept for the agencies, never
    /// published.
    #[serde(default)]
    #[schema(pattern = r"^([0-9]{18})?$")]
    pub nip: Option<String>,
    /// Not blank.
    #[schema(min_length = 1, max_length = 300)]
    pub from_position: String,
    /// Not blank.
    #[schema(min_length = 1, max_length = 300)]
    pub to_position: String,
    /// Not blank.
    #[schema(min_length = 1, max_length = 200)]
    pub decree_number: String,
    /// YYYY-MM-DD, at most a year after today.
    #[schema(format = Date)]
    pub decree_date: String,
    /// YYYY-MM-DD, not before the decree date.
    #[serde(default)]
    #[schema(format = Date)]
    pub effective_date: Option<String>,
    #[serde(default)]
    #[schema(schema_with = signers)]
    pub signed_by: Option<String>,
    /// The Minister's (Mendagri) written approval, if any: makes an appointment in a window
    /// lawful (its flag says `approved`). At least 3 characters, leading and trailing spaces aside.
    #[serde(default)]
    #[schema(min_length = 3, max_length = 200)]
    pub minister_approval_ref: Option<String>,
    /// `mutasi` (default), `promosi` or `rotasi`.
    #[serde(default)]
    #[schema(schema_with = kinds)]
    pub kind: Option<String>,
}

fn signers() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of_or_null(
        crate::domain::appointment::SignedBy::ALL.map(|s| s.as_str()),
    )
}

fn kinds() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of_or_null(
        crate::domain::appointment::AppointmentKind::ALL.map(|s| s.as_str()),
    )
}

fn rules() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(crate::domain::window::Rule::ALL.map(|r| r.as_str()))
}

impl AppointmentInput {
    fn draft(self) -> Draft {
        Draft {
            region_code: self.region_code,
            kind: self.kind.unwrap_or_default(),
            official_name: self.official_name,
            nip: self.nip.unwrap_or_default(),
            from_position: self.from_position,
            to_position: self.to_position,
            decree_number: self.decree_number,
            decree_date: self.decree_date,
            effective_date: self.effective_date.unwrap_or_default(),
            signed_by: self.signed_by.unwrap_or_default(),
            minister_approval_ref: self.minister_approval_ref.unwrap_or_default(),
        }
    }
}

/// An appointment inside a window of an election's current schedule.
#[derive(Serialize, ToSchema)]
pub struct FlagOut {
    #[schema(schema_with = rules)]
    pub rule: String,
    pub election_id: i64,
    /// YYYY-MM-DD, inclusive.
    pub window_from: String,
    /// YYYY-MM-DD, inclusive; null while no inauguration is scheduled (the window is open).
    pub window_to: Option<String>,
    /// The Minister's written approval is referenced.
    pub approved: bool,
}

impl From<&Flag> for FlagOut {
    fn from(f: &Flag) -> Self {
        FlagOut {
            rule: f.rule.as_str().to_string(),
            election_id: f.election_id,
            window_from: f.window_from.to_string(),
            window_to: f.window_to.map(|d| d.to_string()),
            approved: f.approved,
        }
    }
}

impl From<&FlagRow> for FlagOut {
    fn from(f: &FlagRow) -> Self {
        FlagOut {
            rule: f.rule.clone(),
            election_id: f.election_id,
            window_from: f.window_from.to_string(),
            window_to: f.window_to.map(|d| d.to_string()),
            approved: f.approved,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AppointmentRecorded {
    pub id: i64,
    pub flags: Vec<FlagOut>,
}

impl From<&Recorded> for AppointmentRecorded {
    fn from(r: &Recorded) -> Self {
        AppointmentRecorded {
            id: r.id,
            flags: r.flags.iter().map(FlagOut::from).collect(),
        }
    }
}

/// Record an appointment of the official's own appointing government (Pemda: BKD/BKPSDM) or
/// of one a BKN office covers. It is checked against every election of its region and of the
/// region above it; the answer names each window it falls in. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/appointments", tag = "neutrality",
    security(("bearer" = [])), request_body = AppointmentInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = AppointmentRecorded), (status = 401), (status = 403),
        (status = 409), (status = 422)))]
pub async fn post_appointment(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<AppointmentInput>,
) -> AppResult<(StatusCode, Json<AppointmentRecorded>)> {
    let done = record::record(&ctx, &meta, &actor, &input.draft(), Source::Api).await?;
    Ok((StatusCode::CREATED, Json(AppointmentRecorded::from(&done))))
}

#[derive(Deserialize, IntoParams)]
pub struct RegionQuery {
    /// The appointing government: a province (PP) or regency/city (PP.KK) code.
    #[param(pattern = r"^[0-9]{2}(\.[0-9]{2})?$")]
    pub region: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub imported: usize,
    /// How many of them fall in a window.
    pub flagged: usize,
    pub appointments: Vec<AppointmentRecorded>,
}

/// Import appointments of one appointing government from CSV (header row first; columns
/// `official_name,from_position,to_position,decree_number,decree_date` and optionally
/// `nip,effective_date,signed_by,minister_approval_ref,kind`, in any order). All or nothing:
/// a 422 lists every problem with its line. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/appointments/import", tag = "neutrality",
    security(("bearer" = [])), params(RegionQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportResult), (status = 401), (status = 403),
        (status = 409), (status = 422)))]
pub async fn import_appointments(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Query(q): Query<RegionQuery>,
    body: String,
) -> AppResult<(StatusCode, Json<ImportResult>)> {
    let done = import::import(&ctx, &meta, &actor, &q.region, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(ImportResult {
            imported: done.len(),
            flagged: done.iter().filter(|r| !r.flags.is_empty()).count(),
            appointments: done.iter().map(AppointmentRecorded::from).collect(),
        }),
    ))
}

/// A public appointment: the NIP is never part of it.
#[derive(Serialize, ToSchema)]
pub struct AppointmentOut {
    pub id: i64,
    pub kind: String,
    pub official_name: String,
    pub from_position: String,
    pub to_position: String,
    pub decree_number: String,
    pub decree_date: String,
    pub effective_date: Option<String>,
    pub signed_by: Option<String>,
    pub minister_approval_ref: Option<String>,
    pub flags: Vec<FlagOut>,
}

impl From<&Entry> for AppointmentOut {
    fn from(e: &Entry) -> Self {
        let r = &e.row;
        AppointmentOut {
            id: r.id,
            kind: r.kind.clone(),
            official_name: r.official_name.clone(),
            from_position: r.from_position.clone(),
            to_position: r.to_position.clone(),
            decree_number: r.decree_number.clone(),
            decree_date: r.decree_date.to_string(),
            effective_date: r.effective_date.map(|d| d.to_string()),
            signed_by: r.signed_by.clone(),
            minister_approval_ref: r.minister_approval_ref.clone(),
            flags: e.flags.iter().map(FlagOut::from).collect(),
        }
    }
}

/// A window of an election over the region.
#[derive(Serialize, ToSchema)]
pub struct WindowOut {
    #[schema(schema_with = rules)]
    pub rule: String,
    pub from: String,
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionOut {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    pub schedule_version: i64,
    pub windows: Vec<WindowOut>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterOut {
    pub region_code: String,
    pub region_name: String,
    /// The elections of the region and of the region above it, with their windows.
    pub elections: Vec<ElectionOut>,
    /// By decree date (at most 2,000).
    pub appointments: Vec<AppointmentOut>,
}

/// The public register of one appointing government: every appointment with its flags, and
/// the windows of the elections over it. Officials' NIP are never published.
#[utoipa::path(get, path = "/api/v1/appointments", tag = "neutrality", params(RegionQuery),
    responses((status = 200, body = RegisterOut), (status = 400), (status = 422)))]
pub async fn list_appointments(
    State(ctx): State<AppCtx>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<RegisterOut>> {
    let reg = register::load(&ctx.db, &q.region).await?;
    Ok(Json(RegisterOut {
        region_code: reg.region_code.clone(),
        region_name: reg.region_name.clone(),
        elections: reg
            .elections
            .iter()
            .map(|e| ElectionOut {
                id: e.id,
                name: e.name.clone(),
                region_code: e.region_code.clone(),
                schedule_version: e.version,
                windows: e
                    .windows
                    .iter()
                    .map(|w| WindowOut {
                        rule: w.rule.as_str().to_string(),
                        from: w.from.to_string(),
                        to: w.to.map(|d| d.to_string()),
                    })
                    .collect(),
            })
            .collect(),
        appointments: reg.entries.iter().map(AppointmentOut::from).collect(),
    }))
}

//! What each audience may see of a report. The public and the reporter never see contact
//! details; an agency does not see the identity of an anonymous reporter, nor the tracking code
//! (staff refer to a report by its id).
//!
//! The tracking code alone opens only what the public may see (a report neither confidential
//! nor hidden); the code with the reporter's secret opens the reporter's view of any report.
//! Both answer a wrong code, a wrong secret and a report the code alone may not open alike.

use balai_core::audit::AuditEvent;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::Db;
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::commands::authorize::can_read;
use crate::commands::record::report_event;
use crate::domain::tracking::secret_matches;
use crate::domain::{self, Clock, Status, TrackingCode};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, Complaint, Event};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    #[schema(value_type = String, format = DateTime)]
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kind: String,
    pub status: Option<String>,
    /// The status as a value, for pages in either language.
    #[serde(skip)]
    pub status_key: Option<Status>,
    pub by: String,
    pub text: String,
    /// False for internal notes (officials only).
    pub public: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublicComplaint {
    /// Only in the reporter's own view (code + secret); absent elsewhere.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tracking_code: String,
    /// submitted, dispatched, in_follow_up, answered, closed, rejected, not_our_authority, duplicate
    pub status: String,
    pub status_label: String,
    pub report_type: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub village_code: Option<String>,
    pub agency: Option<String>,
    pub confidential: bool,
    /// Hidden from public lists by a moderator (the code's holder still sees it).
    pub hidden: bool,
    /// Election reports: a formal report (true) or information only (false).
    pub formal: Option<bool>,
    pub formal_note: Option<String>,
    /// For a duplicate: the tracking page of the original is not shared; its public id is.
    pub duplicate_of: Option<i64>,
    #[schema(value_type = String, format = DateTime)]
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub due_day: Option<String>,
    pub photos: Vec<i64>,
    pub timeline: Vec<TimelineEntry>,
}

fn entry(e: Event, show_actor: bool) -> TimelineEntry {
    let status_key = e.to_status.as_deref().and_then(Status::parse);
    let status = status_key.map(|s| s.label_id().to_string());
    TimelineEntry {
        at: e.occurred_at,
        kind: e.kind,
        status,
        status_key,
        by: if show_actor || e.actor_label == "pelapor" || e.actor_label == "sistem" {
            e.actor_label
        } else {
            "petugas".into()
        },
        text: e.body,
        public: e.public,
    }
}

/// The nearest due day of the report's open clocks (one query).
pub async fn due_day(db: &Db, id: ComplaintId) -> ComplaintResult<Option<String>> {
    let due = balai_core::calendar::earliest_open_due(
        db,
        domain::audit::SUBJECT,
        &id.to_string(),
        &Clock::ALL.map(Clock::as_str),
    )
    .await?;
    Ok(due.map(|d| d.to_string()))
}

/// The public view of a report (and the base of the reporter's and the agency's views); the
/// tracking code is left empty.
pub async fn public(db: &Db, c: &Complaint) -> ComplaintResult<PublicComplaint> {
    // Independent look-ups, each on its own pooled connection: the page waits for the
    // slowest one instead of their sum (it matters on PostgreSQL, where each is a round trip).
    let agency = async {
        match c.agency_id {
            Some(id) => balai_core::accounts::get_agency(db, id)
                .await
                .map(|a| a.map(|a| a.name)),
            None => Ok(None),
        }
    };
    let (agency, events, due, photos) = tokio::try_join!(
        async { agency.await.map_err(ComplaintError::from) },
        async {
            store::events(db, c.id, true)
                .await
                .map_err(ComplaintError::from)
        },
        due_day(db, c.id),
        async {
            store::photo_ids(db, c.id)
                .await
                .map_err(ComplaintError::from)
        },
    )?;
    let status = Status::parse(&c.status).unwrap_or(Status::Submitted);
    Ok(PublicComplaint {
        tracking_code: String::new(),
        status: c.status.clone(),
        status_label: status.label_id().to_string(),
        report_type: c.report_type.clone(),
        category: c.category_code.clone(),
        title: c.title.clone(),
        description: c
            .public_description
            .clone()
            .unwrap_or_else(|| c.description.clone()),
        hidden: c.hidden,
        village_code: c.village_code.clone(),
        agency,
        confidential: c.confidential,
        formal: c.formal,
        formal_note: c.formal_note.clone(),
        duplicate_of: c.duplicate_of,
        submitted_at: c.submitted_at,
        due_day: due,
        photos,
        timeline: events.into_iter().map(|e| entry(e, false)).collect(),
    })
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AgencyComplaint {
    #[schema(value_type = i64)]
    pub id: ComplaintId,
    #[serde(flatten)]
    pub public: PublicComplaint,
    pub agency_id: Option<i64>,
    pub assigned_user_id: Option<i64>,
    pub channel: String,
    pub anonymous: bool,
    pub needs_classification: bool,
    /// Hidden when the reporter chose to be anonymous.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub reported_party: Option<String>,
    pub incident_time: Option<String>,
    pub incident_place: Option<String>,
    pub evidence: Option<String>,
    pub known_on: Option<String>,
    pub reject_reason: Option<String>,
    pub internal_timeline: Vec<TimelineEntry>,
}

/// The view for officials who may read it.
pub async fn for_agency(db: &Db, c: &Complaint) -> ComplaintResult<AgencyComplaint> {
    let mut public = public(db, c).await?;
    // Officials see the real text even when it is hidden from the public.
    public.title = c.title.clone();
    public.description = c.description.clone();
    let all = store::events(db, c.id, false).await?;
    let anon = c.anonymous;
    let hide = |v: &Option<String>| if anon { None } else { v.clone() };
    Ok(AgencyComplaint {
        id: c.id,
        public,
        agency_id: c.agency_id,
        assigned_user_id: c.assigned_user_id,
        channel: c.channel.clone(),
        anonymous: anon,
        needs_classification: c.needs_classification,
        contact_name: hide(&c.contact_name),
        contact_phone: hide(&c.contact_phone),
        contact_email: hide(&c.contact_email),
        address: c.address.clone(),
        lat: c.lat,
        lon: c.lon,
        reported_party: c.reported_party.clone(),
        incident_time: c.incident_time.clone(),
        incident_place: c.incident_place.clone(),
        evidence: c.evidence.clone(),
        known_on: c.known_on.map(|d| d.to_string()),
        reject_reason: c.reject_reason.clone(),
        internal_timeline: all.into_iter().map(|e| entry(e, true)).collect(),
    })
}

/// A report by its tracking code alone: only one the public may see (neither confidential nor
/// hidden); anything else is "not found".
pub async fn find_by_code(db: &Db, code: &str) -> ComplaintResult<Complaint> {
    let code = TrackingCode::parse(code).ok_or(ComplaintError::NotFound)?;
    let c = store::by_code(db, code.as_str())
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if c.confidential || c.hidden {
        return Err(ComplaintError::NotFound);
    }
    Ok(c)
}

/// A report by its tracking code and the reporter's secret (any report, confidential and
/// hidden ones too); a wrong secret is "not found", like an unknown code.
pub async fn find_as_reporter(
    db: &Db,
    code: &str,
    secret: &str,
) -> ComplaintResult<(TrackingCode, Complaint)> {
    let code = TrackingCode::parse(code).ok_or(ComplaintError::NotFound)?;
    let c = store::by_code(db, code.as_str())
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if !secret_matches(&code, secret, c.secret_hash.as_deref()) {
        return Err(ComplaintError::NotFound);
    }
    Ok((code, c))
}

/// The reporter's view: the public view with the tracking code, confidential and hidden
/// reports included.
pub async fn for_reporter(
    db: &Db,
    code: &TrackingCode,
    c: &Complaint,
) -> ComplaintResult<PublicComplaint> {
    let mut v = public(db, c).await?;
    v.tracking_code = code.display();
    Ok(v)
}

/// A report neither confidential nor hidden, by id (what the public may open).
pub async fn find_public(db: &Db, id: ComplaintId) -> ComplaintResult<Complaint> {
    let c = store::by_id(db, id)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if c.confidential || c.hidden {
        return Err(ComplaintError::NotFound);
    }
    Ok(c)
}

/// A report an official may read (else "not found": existence is not revealed).
pub async fn find_readable(db: &Db, actor: &Actor, id: ComplaintId) -> ComplaintResult<Complaint> {
    let c = store::by_id(db, id)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if !can_read(db, actor, &c).await? {
        return Err(ComplaintError::NotFound);
    }
    Ok(c)
}

/// Load a report an official may read, and log the access when it shows the reporter's
/// identity.
pub async fn official_view(
    db: &Db,
    actor: &Actor,
    meta: &ReqMeta,
    id: ComplaintId,
) -> ComplaintResult<AgencyComplaint> {
    let c = find_readable(db, actor, id).await?;
    let v = for_agency(db, &c).await?;
    if v.contact_name.is_some() || v.contact_phone.is_some() || v.contact_email.is_some() {
        let mut tx = db.begin().await?;
        report_event(
            &mut tx,
            &meta.audit(Some(actor)),
            c.agency_id,
            AuditEvent {
                action: domain::audit::PERSONAL_DATA_READ,
                target_kind: domain::audit::SUBJECT,
                target_id: id.to_string(),
                region_code: c.village_code.clone(),
                summary: json!({ "fields": "contact" }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(v)
}

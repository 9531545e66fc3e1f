//! Writing reports queued together ([`GroupCommit::run_batched`]): the per-report decisions
//! made in memory, then one multi-row statement per table for the whole batch.
//!
//! [`GroupCommit::run_batched`]: balai_core::group_commit::GroupCommit::run_batched

use std::collections::HashMap;

use balai_core::audit::{self, AuditEvent};
use balai_core::group_commit::TxFuture;
use balai_core::ids::ComplaintId;
use balai_core::{calendar, outbox, Tx};
use serde_json::json;
use time::{Date, Duration};

use super::flood::{flood_limit, flood_source, seconds_until_open, split};
use super::validate::{trimmed, Checked};
use super::Submitted;
use crate::commands::notify::contact_channel;
use crate::commands::record::NO_AGENCY;
use crate::domain::election::{self, ElectionFacts, Formality};
use crate::domain::report::title_from;
use crate::domain::settings::today;
use crate::domain::{self as rules, Clock, ReportType, ReporterSecret, Status, TrackingCode};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::jobs::SWEEP_JOB;
use crate::store::{self, NewEvent, NewRow};

/// What the checks decided for one report, before it is written.
struct Prepared<'a> {
    c: &'a Checked,
    report_type: ReportType,
    code: TrackingCode,
    secret: ReporterSecret,
    secret_hash: String,
    formal: Option<bool>,
    formal_note: Option<String>,
    message_id: String,
    title: String,
    reported_party: Option<String>,
    incident_time: Option<String>,
    incident_place: Option<String>,
    evidence: Option<String>,
}

fn prepare(c: &Checked, today: Date) -> Prepared<'_> {
    let (s, cfg) = (&c.s, &c.cfg);
    let report_type = ReportType::parse(&c.category.report_type).unwrap_or(ReportType::Pengaduan);
    let has_contact = c.phone.is_some() || c.email.is_some() || s.sms_from.is_some();
    let formality = report_type.is_election().then(|| {
        election::assess(
            &ElectionFacts {
                anonymous: s.anonymous,
                reporter_name: c.contact_name.as_deref(),
                has_contact,
                reported_party: s.reported_party.as_deref(),
                incident_time: s.incident_time.as_deref(),
                place: s.incident_place.as_deref().or(c.address.as_deref()),
                description: &c.description,
                evidence: s.evidence.as_deref().or(if c.photos.is_empty() {
                    None
                } else {
                    Some("foto")
                }),
                known_on: c.known_on,
            },
            today,
            cfg,
        )
    });
    // The reporter hears back in Indonesian (the SMS, the notice and the API's `message`).
    let message_id = match &formality {
        Some(f) => f.message_id(cfg.election_filing_window_days),
        None if s.unstructured => {
            "Pesan Anda diterima dan akan diklasifikasikan petugas.".to_string()
        }
        None => "Laporan Anda diterima dan akan diverifikasi.".to_string(),
    };
    let code = TrackingCode::generate();
    let secret = ReporterSecret::generate();
    Prepared {
        c,
        report_type,
        secret_hash: secret.hash(&code),
        secret,
        code,
        formal: formality.as_ref().map(Formality::is_formal),
        formal_note: formality.as_ref().map(|_| message_id.clone()),
        message_id,
        title: c
            .title
            .clone()
            .unwrap_or_else(|| title_from(&c.description)),
        reported_party: trimmed(&s.reported_party),
        incident_time: trimmed(&s.incident_time),
        incident_place: trimmed(&s.incident_place),
        evidence: trimmed(&s.evidence),
    }
}

pub(super) fn write_batch<'a>(
    tx: &'a mut Tx,
    items: &'a [Checked],
) -> TxFuture<'a, ComplaintResult<Vec<ComplaintResult<Submitted>>>> {
    Box::pin(write_many(tx, items))
}

/// Write reports queued together: each with its photos, timeline entry, dispatch clock, audit
/// event and notification, in a few multi-row statements for the whole batch. A report over
/// its flood limit is refused alone and writes nothing.
async fn write_many(
    tx: &mut Tx,
    items: &[Checked],
) -> ComplaintResult<Vec<ComplaintResult<Submitted>>> {
    let today = today();
    let since = balai_core::db::now() - Duration::hours(1);
    let mut outcomes: Vec<Option<ComplaintResult<Submitted>>> =
        items.iter().map(|_| None).collect();
    let mut counted: HashMap<(bool, &str), i64> = HashMap::new();
    let mut ready: Vec<(usize, Prepared<'_>)> = Vec::with_capacity(items.len());
    for (i, c) in items.iter().enumerate() {
        if let Some(src @ (by_number, who)) = flood_source(c.s.sms_from.as_deref(), c.ip.as_deref())
        {
            let n = match counted.get(&src) {
                Some(n) => *n,
                None if by_number => store::recent_count(tx, Some(who), None, since).await?,
                None => store::recent_count(tx, None, Some(who), since).await?,
            };
            let limit = flood_limit(&c.cfg, by_number);
            if n >= limit {
                counted.insert(src, n);
                let (sms_from, ip) = split(by_number, who);
                let entry = store::window_entry(tx, sms_from, ip, since, n - limit).await?;
                outcomes[i] = Some(Err(ComplaintError::Flooded {
                    by_number,
                    retry_after: seconds_until_open(entry, balai_core::db::now()),
                }));
                continue;
            }
            counted.insert(src, n + 1);
        }
        ready.push((i, prepare(c, today)));
    }
    if !ready.is_empty() {
        let ids = insert_ready(tx, &ready, today).await?;
        for ((i, p), (id, due)) in ready.iter().zip(ids) {
            outcomes[*i] = Some(Ok(Submitted {
                id,
                tracking_code: p.code.clone(),
                secret: p.secret.display(),
                status: Status::Submitted,
                formal: p.formal,
                message_id: p.message_id.clone(),
                dispatch_due: Some(due),
            }));
        }
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(anyhow::anyhow!("no outcome").into())))
        .collect())
}

/// A report's row.
fn new_row<'a>(p: &'a Prepared<'_>) -> NewRow<'a> {
    let c = p.c;
    NewRow {
        tracking_code: p.code.as_str(),
        secret_hash: &p.secret_hash,
        report_type: p.report_type.as_str(),
        category_code: &c.category.code,
        title: &p.title,
        description: &c.description,
        village_code: c.village.as_deref(),
        address: c.address.as_deref(),
        lat: c.s.lat,
        lon: c.s.lon,
        contact_name: c.contact_name.as_deref(),
        contact_phone: c.phone.as_deref().or(c.s.sms_from.as_deref()),
        contact_email: c.email.as_deref(),
        anonymous: c.s.anonymous,
        confidential: c.s.confidential,
        channel: c.channel.as_str(),
        status: Status::Submitted.as_str(),
        agency_id: c.agency.as_ref().map(|a| a.id),
        needs_classification: c.s.unstructured,
        formal: p.formal,
        formal_note: p.formal_note.as_deref(),
        reported_party: p.reported_party.as_deref(),
        incident_time: p.incident_time.as_deref(),
        incident_place: p.incident_place.as_deref(),
        evidence: p.evidence.as_deref(),
        known_on: c.known_on,
        sms_from: c.s.sms_from.as_deref(),
        submitted_ip: c.ip.as_deref(),
    }
}

/// Each report's audit event and the reporter's notice.
async fn audit_and_notify(
    tx: &mut Tx,
    ready: &[(usize, Prepared<'_>)],
    ids: &[ComplaintId],
) -> Result<(), sqlx::Error> {
    for ((_, p), id) in ready.iter().zip(ids) {
        let c = p.c;
        let kind = c.agency.as_ref().map_or(NO_AGENCY, |a| a.kind.as_str());
        audit::record(
            tx,
            &c.audit_ctx.for_agency_kind(Some(kind)),
            AuditEvent {
                action: rules::audit::REPORT_FILED,
                target_kind: rules::audit::SUBJECT,
                target_id: id.to_string(),
                region_code: c.village.clone(),
                summary: json!({
                    "category": c.category.code,
                    "channel": c.channel.as_str(),
                    "agency_id": c.agency.as_ref().map(|a| a.id),
                    "anonymous": c.s.anonymous,
                    "confidential": c.s.confidential,
                    "formal": p.formal,
                    "photos": c.photos.len(),
                }),
            },
        )
        .await?;
    }
    let notices: Vec<(&Prepared<'_>, String)> = ready
        .iter()
        .map(|(_, p)| {
            let notice = format!(
                "Laporan Anda telah diterima dengan kode lacak {} dan kode rahasia {} \
                 (simpan keduanya, jangan dibagikan: kode rahasia diperlukan untuk membaca \
                 laporan rahasia dan menanggapi). {}",
                p.code.display(),
                p.secret.display(),
                p.message_id
            );
            (p, notice)
        })
        .collect();
    let messages: Vec<outbox::Outgoing<'_>> = notices
        .iter()
        .filter_map(|(p, body)| {
            contact_channel(p.c.email.as_deref(), p.c.phone.as_deref()).map(
                |(channel, recipient)| outbox::Outgoing {
                    channel,
                    recipient,
                    subject: "Laporan diterima",
                    body,
                },
            )
        })
        .collect();
    outbox::enqueue_many(tx, &messages).await?;
    Ok(())
}

/// The statements of [`write_many`]; returns each report's id and dispatch due day, in order.
async fn insert_ready(
    tx: &mut Tx,
    ready: &[(usize, Prepared<'_>)],
    today: Date,
) -> ComplaintResult<Vec<(ComplaintId, Date)>> {
    let rows: Vec<NewRow<'_>> = ready.iter().map(|(_, p)| new_row(p)).collect();
    let by_code = store::insert_many(tx, &rows).await?;
    let mut ids = Vec::with_capacity(ready.len());
    for (_, p) in ready {
        let id = by_code
            .get(p.code.as_str())
            .copied()
            .ok_or_else(|| anyhow::anyhow!("a stored report has no id"))?;
        ids.push(id);
    }
    for ((_, p), id) in ready.iter().zip(&ids) {
        for photo in &p.c.photos {
            store::insert_photo(tx, *id, photo).await?;
        }
    }
    let events: Vec<(ComplaintId, NewEvent<'_>)> = ready
        .iter()
        .zip(&ids)
        .map(|((_, p), id)| {
            let a = &p.c.audit_ctx;
            (
                *id,
                NewEvent {
                    kind: rules::timeline::SUBMITTED,
                    public: true,
                    actor_user_id: a.actor_user_id,
                    actor_label: if a.actor_user_id.is_some() {
                        &a.actor_label
                    } else {
                        "pelapor"
                    },
                    from_status: None,
                    to_status: Some(Status::Submitted.as_str()),
                    from_agency: None,
                    to_agency: p.c.agency.as_ref().map(|a| a.id),
                    body: &p.message_id,
                },
            )
        })
        .collect();
    store::add_events(tx, &events).await?;
    let clocks: Vec<calendar::NewClock<'_>> = ready
        .iter()
        .zip(&ids)
        .map(|((_, p), id)| calendar::NewClock {
            subject_kind: rules::audit::SUBJECT,
            subject_id: id.to_string(),
            purpose: Clock::Dispatch.as_str(),
            start_day: today,
            working_days: p.c.cfg.dispatch_working_days,
        })
        .collect();
    let due = calendar::start_clocks(tx, &clocks).await?;
    audit_and_notify(tx, ready, &ids).await?;
    store::ensure_sweep_job(tx, SWEEP_JOB).await?;
    Ok(ids.into_iter().zip(due).collect())
}

//! Filing a report: one command for every channel (web form, JSON API, SMS, counter, Open311),
//! validated fully before anything is written, then stored with its photos, timeline entry,
//! audit event, dispatch clock and notification in ONE transaction.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::calendar;
use balai_core::group_commit::TxFuture;
use balai_core::outbox;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult, Tx};
use serde_json::json;
use std::collections::HashMap;
use time::{Date, Duration};

use crate::domain::election::{self, ElectionFacts, Formality};
use crate::domain::{
    normalise_phone, valid_email, Channel, ClockConfig, ReportType, Status, TrackingCode,
};
use crate::photo::{self, CleanPhoto};
use crate::store::{self, Category, NewEvent, NewRow};
use balai_core::accounts::Agency;

pub const MAX_DESCRIPTION: usize = 5_000;
pub const MIN_DESCRIPTION: usize = 10;
pub const SWEEP_JOB: &str = "complaints.sweep";

/// The date in WIB, which is what a working-day deadline is counted in.
pub fn today() -> Date {
    balai_core::db::now()
        .to_offset(time::macros::offset!(+7))
        .date()
}

#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub category: String,
    pub title: Option<String>,
    pub description: String,
    pub village_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub anonymous: bool,
    pub confidential: bool,
    pub reported_party: Option<String>,
    pub incident_time: Option<String>,
    pub incident_place: Option<String>,
    pub evidence: Option<String>,
    /// YYYY-MM-DD: when the reporter learned of an election violation.
    pub known_on: Option<String>,
    pub photos: Vec<Vec<u8>>,
    /// An SMS outside the format: stored for an operator, without village or routing.
    pub unstructured: bool,
    pub sms_from: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Submitted {
    pub id: i64,
    pub tracking_code: TrackingCode,
    pub status: Status,
    pub formal: Option<bool>,
    pub message_id: String,
    pub message_en: String,
    pub dispatch_due: Option<Date>,
}

/// Field errors, reported all at once.
#[derive(Default)]
pub struct FieldErrors(Vec<(&'static str, String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, id: impl Into<String>, en: impl Into<String>) {
        self.0.push((field, id.into(), en.into()));
    }

    pub fn into_result(self) -> AppResult<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let id: Vec<String> = self.0.iter().map(|(_, m, _)| m.clone()).collect();
        let en: Vec<String> = self.0.iter().map(|(_, _, m)| m.clone()).collect();
        let mut fields = serde_json::Map::new();
        for (f, m, _) in &self.0 {
            fields.insert((*f).to_string(), json!(m));
        }
        Err(
            AppError::unprocessable("invalid_complaint", id.join(" "), en.join(" "))
                .with_details(json!({ "fields": fields })),
        )
    }
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn too_long(e: &mut FieldErrors, field: &'static str, v: &Option<String>, max: usize) {
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        e.add(
            field,
            format!("Isian {field} terlalu panjang (paling banyak {max} karakter)."),
            format!("{field} is too long (at most {max} characters)."),
        );
    }
}

/// Validate, then write everything in one transaction, shared with other submissions through
/// the group-commit writer: the answer comes only after the commit.
pub async fn submit(
    ctx: &AppCtx,
    audit_ctx: &AuditContext,
    channel: Channel,
    ip: Option<&str>,
    mut s: Submission,
    cfg: &ClockConfig,
) -> AppResult<Submitted> {
    let mut e = FieldErrors::default();
    let description = s.description.trim().to_string();
    let min = if s.unstructured { 1 } else { MIN_DESCRIPTION };
    if description.chars().count() < min {
        e.add(
            "description",
            format!("Uraian laporan wajib diisi (paling sedikit {min} karakter)."),
            format!("A description is required (at least {min} characters)."),
        );
    } else if description.chars().count() > MAX_DESCRIPTION {
        e.add(
            "description",
            "Uraian laporan terlalu panjang (paling banyak 5.000 karakter).",
            "The description is too long (at most 5,000 characters).",
        );
    }
    let title = trimmed(&s.title);
    too_long(&mut e, "title", &title, 120);
    let address = trimmed(&s.address);
    too_long(&mut e, "address", &address, 300);
    let contact_name = trimmed(&s.contact_name);
    too_long(&mut e, "contact_name", &contact_name, 120);
    let village = trimmed(&s.village_code);
    if village.is_none() && !s.unstructured {
        e.add(
            "village_code",
            "Lokasi wajib diisi sampai desa/kelurahan.",
            "The location is required down to the village.",
        );
    }
    match (s.lat, s.lon) {
        (None, None) => {}
        (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {}
        _ => e.add(
            "lat",
            "Koordinat tidak sah (isi lintang dan bujur).",
            "Invalid coordinates (give both latitude and longitude).",
        ),
    }
    let phone = match trimmed(&s.contact_phone) {
        None => None,
        Some(p) => match normalise_phone(&p) {
            Some(n) => Some(n),
            None => {
                e.add(
                    "contact_phone",
                    "Nomor telepon tidak sah.",
                    "Invalid phone number.",
                );
                None
            }
        },
    };
    let email = trimmed(&s.contact_email);
    if email.as_deref().is_some_and(|m| !valid_email(m)) {
        e.add(
            "contact_email",
            "Alamat email tidak sah.",
            "Invalid email address.",
        );
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let known_on = match trimmed(&s.known_on) {
        None => None,
        Some(k) => match Date::parse(&k, &fmt) {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(
                    "known_on",
                    "Tanggal harus berbentuk TTTT-BB-HH.",
                    "Dates must be YYYY-MM-DD.",
                );
                None
            }
        },
    };
    for (f, v) in [
        ("reported_party", &s.reported_party),
        ("incident_time", &s.incident_time),
        ("incident_place", &s.incident_place),
        ("evidence", &s.evidence),
    ] {
        too_long(&mut e, f, v, 1_000);
    }
    if s.photos.len() > photo::MAX_PHOTOS {
        e.add(
            "photos",
            format!("Paling banyak {} foto.", photo::MAX_PHOTOS),
            format!("At most {} photos.", photo::MAX_PHOTOS),
        );
    }
    // Decoding is CPU work: off the async threads.
    let raw = std::mem::take(&mut s.photos);
    let cleaned: Vec<Result<CleanPhoto, photo::PhotoError>> = if raw.is_empty() {
        Vec::new()
    } else {
        tokio::task::spawn_blocking(move || raw.iter().map(|p| photo::clean(p)).collect())
            .await
            .map_err(AppError::internal)?
    };
    let mut photos = Vec::new();
    for p in cleaned {
        match p {
            Ok(p) => photos.push(p),
            Err(err) => e.add("photos", err.message_id(), err.to_string()),
        }
    }

    // Village, category and agency are read before the write, on a reader: they are
    // reference data, and the single writer stays free for writes.
    let mut category = None;
    let mut agency = None;
    if village.is_some() || s.unstructured {
        let route = store::route(&ctx.db, village.as_deref(), s.category.trim()).await?;
        match (&village, route.village_known) {
            (Some(v), false) => e.add(
                "village_code",
                format!("Kode desa/kelurahan {v:?} tidak dikenal."),
                format!("Unknown village code {v:?}."),
            ),
            _ if route.category.is_none() => {
                e.add("category", "Kategori tidak dikenal.", "Unknown category.")
            }
            _ => {}
        }
        category = route.category;
        agency = route.agency;
    }
    e.into_result()?;
    let Some(category) = category else {
        return Err(AppError::unprocessable(
            "invalid_complaint",
            "Kategori tidak dikenal.",
            "Unknown category.",
        ));
    };
    let checked = Checked {
        category,
        agency,
        s,
        description,
        title,
        address,
        contact_name,
        village,
        phone,
        email,
        known_on,
        photos,
        audit_ctx: audit_ctx.clone(),
        channel,
        ip: ip.map(str::to_string),
        cfg: cfg.clone(),
    };
    ctx.writer.run_batched(checked, write_batch).await
}

/// A submission after the checks that need no database.
struct Checked {
    category: Category,
    agency: Option<Agency>,
    s: Submission,
    description: String,
    title: Option<String>,
    address: Option<String>,
    contact_name: Option<String>,
    village: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    known_on: Option<Date>,
    photos: Vec<CleanPhoto>,
    audit_ctx: AuditContext,
    channel: Channel,
    ip: Option<String>,
    cfg: ClockConfig,
}

/// The checks that need the database, then every write; runs inside the shared transaction.
/// What the checks decided for one report, before it is written.
struct Prepared<'a> {
    c: &'a Checked,
    report_type: ReportType,
    code: TrackingCode,
    formal: Option<bool>,
    formal_note: Option<String>,
    message_id: String,
    message_en: String,
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
    let (message_id, message_en) = match &formality {
        Some(f @ Formality::Information(_)) => (
            f.message_id(cfg.election_filing_window_days),
            "Your report is recorded as INFORMATION, not a formal election-violation report; see the reasons in Indonesian.".to_string(),
        ),
        Some(f @ Formality::Formal) => (
            f.message_id(cfg.election_filing_window_days),
            "Your report meets the formal requirements and goes to Bawaslu.".to_string(),
        ),
        None if s.unstructured => (
            "Pesan Anda diterima dan akan diklasifikasikan petugas.".to_string(),
            "Your message was received; an operator will classify it.".to_string(),
        ),
        None => (
            "Laporan Anda diterima dan akan diverifikasi.".to_string(),
            "Your report was received and will be verified.".to_string(),
        ),
    };
    Prepared {
        c,
        report_type,
        code: TrackingCode::generate(),
        formal: formality.as_ref().map(Formality::is_formal),
        formal_note: formality.as_ref().map(|_| message_id.clone()),
        message_id,
        message_en,
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

/// The flood limit a report counts against, if any: its SMS number, else its IP address
/// (signed-in officials have neither).
fn flood_source(c: &Checked) -> Option<(bool, &str)> {
    match (c.s.sms_from.as_deref(), c.ip.as_deref()) {
        (Some(from), _) => Some((true, from)),
        (None, Some(ip)) => Some((false, ip)),
        (None, None) => None,
    }
}

fn flooded(by_number: bool) -> AppError {
    if by_number {
        AppError::too_many(
            "Terlalu banyak laporan dari nomor ini. Coba lagi nanti.",
            "Too many reports from this number. Try again later.",
        )
    } else {
        AppError::too_many(
            "Terlalu banyak laporan dari alamat ini. Coba lagi nanti.",
            "Too many reports from this address. Try again later.",
        )
    }
}

fn write_batch<'a>(
    tx: &'a mut Tx,
    items: &'a [Checked],
) -> TxFuture<'a, AppResult<Vec<AppResult<Submitted>>>> {
    Box::pin(write_many(tx, items))
}

/// Write reports queued together: each with its photos, timeline entry, dispatch clock, audit
/// event and notification, in a few multi-row statements for the whole batch. A report over
/// its flood limit is refused alone and writes nothing.
async fn write_many(tx: &mut Tx, items: &[Checked]) -> AppResult<Vec<AppResult<Submitted>>> {
    let today = today();
    let since = balai_core::db::now() - Duration::hours(1);
    let mut outcomes: Vec<Option<AppResult<Submitted>>> = items.iter().map(|_| None).collect();
    let mut counted: HashMap<(bool, &str), i64> = HashMap::new();
    let mut ready: Vec<(usize, Prepared<'_>)> = Vec::with_capacity(items.len());
    for (i, c) in items.iter().enumerate() {
        if let Some(src @ (by_number, who)) = flood_source(c) {
            let n = match counted.get(&src) {
                Some(n) => *n,
                None if by_number => store::recent_count(tx, Some(who), None, since).await?,
                None => store::recent_count(tx, None, Some(who), since).await?,
            };
            let limit = if by_number {
                c.cfg.max_reports_per_number_per_hour
            } else {
                c.cfg.max_reports_per_ip_per_hour
            };
            if n >= limit {
                counted.insert(src, n);
                outcomes[i] = Some(Err(flooded(by_number)));
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
                status: Status::Submitted,
                formal: p.formal,
                message_id: p.message_id.clone(),
                message_en: p.message_en.clone(),
                dispatch_due: Some(due),
            }));
        }
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(AppError::internal(anyhow::anyhow!("no outcome")))))
        .collect())
}

/// The statements of [`write_many`]; returns each report's id and dispatch due day, in order.
async fn insert_ready(
    tx: &mut Tx,
    ready: &[(usize, Prepared<'_>)],
    today: Date,
) -> AppResult<Vec<(i64, Date)>> {
    let rows: Vec<NewRow<'_>> = ready
        .iter()
        .map(|(_, p)| {
            let c = p.c;
            NewRow {
                tracking_code: p.code.as_str(),
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
        })
        .collect();
    let by_code = store::insert_many(tx, &rows).await?;
    let mut ids = Vec::with_capacity(ready.len());
    for (_, p) in ready {
        let id = by_code
            .get(p.code.as_str())
            .copied()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("a stored report has no id")))?;
        ids.push(id);
    }
    for ((_, p), id) in ready.iter().zip(&ids) {
        for photo in &p.c.photos {
            store::insert_photo(tx, *id, photo).await?;
        }
    }
    let events: Vec<(i64, NewEvent<'_>)> = ready
        .iter()
        .zip(&ids)
        .map(|((_, p), id)| {
            let a = &p.c.audit_ctx;
            (
                *id,
                NewEvent {
                    kind: "submitted",
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
            subject_kind: store::SUBJECT,
            subject_id: id.to_string(),
            purpose: store::CLOCK_DISPATCH,
            start_day: today,
            working_days: p.c.cfg.dispatch_working_days,
        })
        .collect();
    let due = calendar::start_clocks(tx, &clocks).await?;
    for ((_, p), id) in ready.iter().zip(&ids) {
        let c = p.c;
        audit::record(
            tx,
            &c.audit_ctx,
            AuditEvent {
                action: "complaint.submit",
                target_kind: store::SUBJECT,
                target_id: id.to_string(),
                region_code: c.village.clone(),
                summary: json!({
                    "tracking_code": p.code.as_str(),
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
                "Laporan Anda telah diterima dengan kode lacak {}. {}",
                p.code.display(),
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
    store::ensure_sweep_job(tx, SWEEP_JOB).await?;
    Ok(ids.into_iter().zip(due).collect())
}

/// Where to tell a reporter: by email when given, else by SMS.
fn contact_channel<'a>(
    email: Option<&'a str>,
    phone: Option<&'a str>,
) -> Option<(outbox::Channel, &'a str)> {
    match (email, phone) {
        (Some(m), _) => Some((outbox::Channel::Email, m)),
        (None, Some(p)) => Some((outbox::Channel::Sms, p)),
        (None, None) => None,
    }
}

/// A title from the first 80 characters of a text.
pub fn title_from(text: &str) -> String {
    let t: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        format!("{t}…")
    } else {
        t
    }
}

/// Tell the reporter, by email when given, else by SMS.
pub async fn notify_contact(
    tx: &mut balai_core::Tx,
    email: Option<&str>,
    phone: Option<&str>,
    subject: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    if let Some((channel, to)) = contact_channel(email, phone) {
        outbox::enqueue(tx, channel, to, subject, body).await?;
    }
    Ok(())
}

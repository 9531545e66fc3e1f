//! Filing a report: one command for every channel (web form, JSON API, SMS, counter, Open311),
//! validated fully before anything is written, then stored with its photos, timeline entry,
//! audit event, dispatch clock and notification in ONE transaction.

use balai_core::audit::AuditContext;
use balai_core::outbox;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde_json::json;
use time::Date;

mod write;

use crate::domain::{normalise_phone, valid_email, Channel, ClockConfig, Status, TrackingCode};
use crate::photo::{self, CleanPhoto};
use crate::store::{self, Category};
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
    ctx.run_batched(checked, write::write_batch).await
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
    if let Some((channel, to)) = write::contact_channel(email, phone) {
        outbox::enqueue(tx, channel, to, subject, body).await?;
    }
    Ok(())
}

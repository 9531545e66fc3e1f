//! Filing an application (online or at a counter): validate everything first, then write the
//! application, its documents, its history, its deadline clock, the audit event and the
//! applicant's notification in one transaction — bad input stores nothing.

use balai_core::accounts::Agency;
use balai_core::audit::{self, AuditEvent};
use balai_core::ids::{AgencyId, ApplicationId};
use balai_core::regions::{self, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{calendar, Tx};
use serde_json::json;
use time::{Date, OffsetDateTime};

use super::notify;
use crate::crypto::{self, PiiKeys};
use crate::domain::access::counter_allowed;
use crate::domain::audit as actions;
use crate::domain::birth::{self, BirthDetails, BirthInput};
use crate::domain::intake::{self, CheckedFile, Upload};
use crate::domain::nik::{mask, KkNumber, Nik, Sex};
use crate::domain::service::{self as svc, Channel, EventKind, CLOCK_KIND, CLOCK_PURPOSE};
use crate::domain::workflow::{Status, HISTORY_SUBMIT};
use crate::errors::{CivilRegistryError, CrResult};
use crate::store::{self, offerings, settings, NewApplication, ServiceRow};

/// What the form carried, as text.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SubmitInput {
    pub service: String,
    pub kelurahan: String,
    pub name: String,
    pub nik: String,
    pub kk: String,
    pub birth_date: String,
    pub sex: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub event_date: String,
    /// The child and the parents, for a birth registration.
    #[serde(default)]
    pub birth: BirthInput,
}

/// What the applicant keeps: the receipt.
#[derive(Clone, Debug)]
pub struct Submitted {
    pub id: ApplicationId,
    pub tracking_code: String,
    pub secret: String,
    pub due_day: Date,
    pub late: bool,
}

/// The input once every field has been checked.
struct Checked {
    service: ServiceRow,
    kelurahan: RegionCode,
    name: String,
    nik: Nik,
    kk: KkNumber,
    birth_date: Date,
    sex: Sex,
    phone: Option<String>,
    email: Option<String>,
    event_date: Option<Date>,
    birth: Option<BirthDetails>,
    late: bool,
    today: Date,
}

async fn check_input(ctx: &AppCtx, input: &SubmitInput, now: OffsetDateTime) -> CrResult<Checked> {
    let service = store::service(&ctx.db, input.service.trim())
        .await?
        .filter(|s| s.active)
        .ok_or(CivilRegistryError::UnknownService)?;
    let name = intake::check_name(&input.name)?;
    let birth_date = intake::parse_date(&input.birth_date, "Tanggal lahir", "Birth date")?;
    let sex = intake::parse_sex(&input.sex)?;
    let nik = Nik::parse(&input.nik, now.date())?;
    nik.check_declared(birth_date, sex)?;
    let kk = KkNumber::parse(&input.kk)?;
    let kelurahan =
        intake::village_code(&input.kelurahan).ok_or(CivilRegistryError::BadKelurahan)?;
    let Some(region) = regions::get(&ctx.db, &kelurahan).await? else {
        return Err(CivilRegistryError::BadKelurahan);
    };
    let today = svc::local_date(now, &region.tz);
    let phone = intake::check_phone(&input.phone)?;
    let email = intake::check_email(&input.email)?;
    let kind = service.event_kind.as_deref().and_then(EventKind::parse);
    let (event_date, late) = match kind {
        None => (None, false),
        Some(kind) => {
            let (d, late) =
                intake::event_date(kind, &input.event_date, today, service.late_after_days)?;
            (Some(d), late)
        }
    };
    let birth = match kind {
        Some(EventKind::Birth) => Some(birth::check(&input.birth, today)?),
        _ => None,
    };
    Ok(Checked {
        service,
        kelurahan,
        name,
        nik,
        kk,
        birth_date,
        sex,
        phone,
        email,
        event_date,
        birth,
        late,
        today,
    })
}

/// The Disdukcapil the application goes to (it must offer the service) and the kelurahan's
/// counter, if it has one.
async fn route(tx: &mut Tx, c: &Checked) -> CrResult<(Agency, Option<Agency>)> {
    let kel = c.kelurahan.as_str();
    let Some(dinas) = store::disdukcapil_for(tx, kel).await? else {
        return Err(CivilRegistryError::NoDisdukcapil);
    };
    if !offerings::offered_tx(tx, AgencyId(dinas.id), &c.service.code).await? {
        return Err(CivilRegistryError::ServiceNotOffered {
            service_id: c.service.name_id.clone(),
            service_en: c.service.name_en.clone(),
            agency: dinas.name,
        });
    }
    let counter = store::counter_for(tx, kel).await?;
    Ok((dinas, counter))
}

/// What is written for a new application besides the checked input.
struct Filing<'a> {
    keys: &'a PiiKeys,
    code: &'a str,
    secret: &'a str,
    channel: Channel,
    dinas: &'a Agency,
    counter_agency: Option<&'a Agency>,
    filed_by: Option<&'a Actor>,
    due_day: Date,
    now: OffsetDateTime,
    ip_hash: Option<String>,
}

async fn insert(tx: &mut Tx, c: &Checked, f: &Filing<'_>) -> CrResult<ApplicationId> {
    let enc = |s: &str| {
        f.keys
            .encrypt(s)
            .map_err(|e| CivilRegistryError::from(anyhow::anyhow!(e)))
    };
    let id = store::insert_application(
        tx,
        NewApplication {
            tracking_code: f.code,
            secret_hash: &f.keys.secret_hash(f.code, f.secret),
            service_code: &c.service.code,
            channel: f.channel.as_str(),
            kelurahan_code: c.kelurahan.as_str(),
            disdukcapil_agency_id: AgencyId(f.dinas.id),
            counter_agency_id: f.counter_agency.map(|a| AgencyId(a.id)),
            applicant_name: &c.name,
            nik_enc: enc(c.nik.as_str())?,
            nik_hash: f.keys.lookup_hash("nik", c.nik.as_str()),
            nik_masked: mask(c.nik.as_str()),
            kk_enc: enc(c.kk.as_str())?,
            kk_hash: f.keys.lookup_hash("kk", c.kk.as_str()),
            kk_masked: mask(c.kk.as_str()),
            birth_date: c.birth_date,
            sex: c.sex.as_str(),
            contact_phone: c.phone.as_deref(),
            contact_email: c.email.as_deref(),
            event_date: c.event_date,
            late: c.late,
            filed_by_user_id: f.filed_by.map(|a| a.user.id),
            due_day: f.due_day,
            submitted_at: f.now,
            submitted_ip_hash: f.ip_hash.clone(),
            details_enc: match &c.birth {
                Some(b) => Some(enc(&serde_json::to_string(b).map_err(anyhow::Error::from)?)?),
                None => None,
            },
        },
    )
    .await?;
    Ok(id)
}

/// The documents, the history row, the audit event and the applicant's notification.
async fn record(
    tx: &mut Tx,
    meta: &ReqMeta,
    c: &Checked,
    f: &Filing<'_>,
    id: ApplicationId,
    files: &[CheckedFile],
) -> CrResult<()> {
    for (key, filename, kind, bytes) in files {
        store::insert_document(tx, id, key, filename, kind.content_type(), bytes).await?;
    }
    let actor_label = f
        .filed_by
        .map(|a| a.user.username.clone())
        .unwrap_or_else(|| "pemohon".into());
    let to = Status::Submitted.as_str();
    store::insert_history(tx, id, HISTORY_SUBMIT, None, to, &actor_label, None).await?;
    audit::record(
        tx,
        &meta.audit(f.filed_by),
        AuditEvent {
            action: actions::SUBMIT,
            target_kind: actions::TARGET_APPLICATION,
            target_id: f.code.to_string(),
            region_code: Some(c.kelurahan.as_str().to_string()),
            summary: json!({
                "service": c.service.code, "channel": f.channel.as_str(), "nik": mask(c.nik.as_str()),
                "documents": files.len(), "late": c.late, "due_day": f.due_day.to_string(),
            }),
        },
    )
    .await?;
    notify(
        tx,
        c.email.as_deref(),
        c.phone.as_deref(),
        &format!("Permohonan {} diterima", c.service.name_id),
        &format!(
            "Permohonan {} Anda diterima dengan kode lacak {}. Perkiraan selesai: {}. Simpan kode rahasia dari tanda terima untuk melacak dan memperbaiki permohonan.",
            c.service.name_id, f.code, f.due_day
        ),
    )
    .await?;
    Ok(())
}

/// Refuse an online filing over its flood limits (M9): from one IP address per hour, for one
/// NIK or to one phone or e-mail per day (each application stores files and sends a message
/// to the contact given, so a flood fills the queue and spams strangers).
async fn flood_check(
    ctx: &AppCtx,
    tx: &mut Tx,
    keys: &PiiKeys,
    c: &Checked,
    ip_hash: &str,
    now: OffsetDateTime,
) -> CrResult<()> {
    let limits = settings::flood_limits(&ctx.db).await?;
    let nik_hash = keys.lookup_hash("nik", c.nik.as_str());
    let contact = (c.phone.as_deref(), c.email.as_deref());
    let hour = store::recent_filings(
        tx,
        now - time::Duration::hours(1),
        Some(ip_hash),
        &nik_hash,
        contact,
    )
    .await?;
    if hour.by_ip >= limits.per_ip_per_hour {
        return Err(CivilRegistryError::Flooded { retry_after: 3600 });
    }
    let day =
        store::recent_filings(tx, now - time::Duration::days(1), None, &nik_hash, contact).await?;
    if day.by_nik >= limits.per_nik_per_day || day.by_contact >= limits.per_contact_per_day {
        return Err(CivilRegistryError::Flooded {
            retry_after: 86_400,
        });
    }
    Ok(())
}

/// Refuse a second open application of the same NIK for the same service (for a birth or
/// death: of the same event; twins are two children), naming the open one.
async fn open_duplicate(tx: &mut Tx, keys: &PiiKeys, c: &Checked) -> CrResult<()> {
    let nik_hash = keys.lookup_hash("nik", c.nik.as_str());
    for open in store::open_filings(tx, &nik_hash, &c.service.code).await? {
        let same = match (&c.birth, c.event_date) {
            (None, None) => true,
            (None, Some(day)) => open.event_date == Some(day),
            (Some(b), day) => {
                open.event_date == day
                    && open
                        .details_enc
                        .as_deref()
                        .and_then(|blob| keys.decrypt(blob).ok())
                        .and_then(|json| serde_json::from_str::<BirthDetails>(&json).ok())
                        .is_none_or(|other| other.same_child(b))
            }
        };
        if same {
            return Err(CivilRegistryError::AlreadyOpen {
                id: open.id,
                tracking_code: open.tracking_code,
                service_id: c.service.name_id.clone(),
                service_en: c.service.name_en.clone(),
                status: open.status,
            });
        }
    }
    Ok(())
}

/// File an application. `counter` is the official filing it for the citizen (assisted channel).
pub async fn submit(
    ctx: &AppCtx,
    meta: &ReqMeta,
    counter: Option<&Actor>,
    input: &SubmitInput,
    uploads: &[Upload],
) -> CrResult<Submitted> {
    let now = balai_core::db::now();
    let c = check_input(ctx, input, now).await?;
    if let Some(actor) = counter {
        if !counter_allowed(actor, c.kelurahan.as_str()) {
            return Err(CivilRegistryError::Forbidden);
        }
    }
    let max = settings::max_upload_bytes(&ctx.db).await?;
    let files = intake::check_uploads(&c.service.checklist(), uploads, max, true)?;

    let mut tx = ctx.begin().await?;
    let (dinas, counter_agency) = route(&mut tx, &c).await?;
    let keys = crypto::keys(&mut tx).await?;
    open_duplicate(&mut tx, &keys, &c).await?;
    // Online filings are flood-controlled; an official at a counter files for many people.
    let ip_hash = match counter {
        Some(_) => None,
        None => {
            let ip_hash = keys.lookup_hash("ip", &meta.ip);
            flood_check(ctx, &mut tx, &keys, &c, &ip_hash, now).await?;
            Some(ip_hash)
        }
    };
    let code = intake::random_code(intake::TRACKING_LEN);
    let secret = intake::random_code(intake::SECRET_LEN);
    let due_day = calendar::start_clock(
        &mut tx,
        CLOCK_KIND,
        &code,
        CLOCK_PURPOSE,
        c.today,
        u32::try_from(c.service.standard_days).unwrap_or(0),
    )
    .await?;
    let filing = Filing {
        keys: &keys,
        code: &code,
        secret: &secret,
        channel: if counter.is_some() {
            Channel::Counter
        } else {
            Channel::Online
        },
        dinas: &dinas,
        counter_agency: counter_agency.as_ref(),
        filed_by: counter,
        due_day,
        now,
        ip_hash,
    };
    let id = insert(&mut tx, &c, &filing).await?;
    record(&mut tx, meta, &c, &filing, id, &files).await?;
    tx.commit().await?;
    Ok(Submitted {
        id,
        tracking_code: code,
        secret,
        due_day,
        late: c.late,
    })
}

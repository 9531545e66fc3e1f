//! The demo world: agencies of five regions with one account per role, and a super-admin;
//! the PPID of Kota Banjar has public-information requests in several states.
//! Loading is idempotent. Passwords are generated at first load (never fixed) and kept in
//! `DATA_DIR/demo-logins.txt` (mode 0600) so they can be shown again.

use std::path::Path;

use balai_core::accounts::{self, NewUser, Role};
use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{auth, with_db, Db};
use serde_json::json;

/// (slug, region code, how the region is named in agency names, capital city for the counter)
const REGIONS: &[(&str, &str, &str, &str)] = &[
    ("banjar", "32.79", "Kota Banjar", "32.79"),
    ("palembang", "16.71", "Kota Palembang", "16.71"),
    ("prabumulih", "16.74", "Kota Prabumulih", "16.74"),
    ("babel", "19", "Provinsi Kepulauan Bangka Belitung", "19.71"),
    ("sumbar", "13", "Provinsi Sumatera Barat", "13.71"),
    // The province of Palembang and Prabumulih (its SOP is adopted by both: `load_sops`).
    ("sumsel", "16", "Provinsi Sumatera Selatan", "16.01"),
];

/// (kind, name prefix, account role)
const AGENCIES: &[(&str, &str, Role)] = &[
    ("kpu", "KPU", Role::Officer),
    ("bawaslu", "Bawaslu", Role::Officer),
    ("kesbangpol", "Kesbangpol", Role::Officer),
    ("pemda", "Pemerintah", Role::Officer),
    ("disdukcapil", "Disdukcapil", Role::Officer),
    ("ppid", "PPID", Role::Officer),
];

pub struct Login {
    pub username: String,
    pub password: String,
    pub agency: String,
    pub role: &'static str,
}

/// Fictional names for demo accounts, so no real person is implied.
const GIVEN: &[&str] = &[
    "Sari", "Budi", "Rina", "Agus", "Dewi", "Joko", "Lestari", "Hendra", "Maya", "Rudi", "Wulan",
    "Fajar",
];

fn demo_name(i: usize) -> String {
    format!("{} Contoh (fiktif)", GIVEN[i % GIVEN.len()])
}

async fn first_kelurahan(db: &Db, under: &str) -> anyhow::Result<(String, String)> {
    let row: Option<(String, String)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT code, name FROM regions WHERE level = 4 AND code LIKE $1 AND substr(code, 10, 1) = '1' ORDER BY code LIMIT 1"
    )
    .bind(format!("{under}.%"))
    .fetch_optional(c)
    .await
    })?;
    row.ok_or_else(|| anyhow::anyhow!("no kelurahan under {under}"))
}

/// An account the demo world has: who, at which agency, with which role.
struct Wanted {
    username: String,
    agency_id: Option<i64>,
    agency_name: String,
    role: Role,
    superadmin: bool,
}

/// The agency of this kind, name and region; created (and audited) if missing.
async fn ensure_agency(
    db: &Db,
    ctx: &AuditContext,
    kind: &str,
    name: &str,
    region: &str,
) -> anyhow::Result<i64> {
    if let Some(a) = accounts::find_agency(db, kind, region, name).await? {
        return Ok(a.id);
    }
    let mut tx = db.begin().await?;
    let id = accounts::create_agency(&mut tx, kind, name, region).await?;
    audit::record(
        &mut tx,
        ctx,
        AuditEvent {
            action: audit::actions::AGENCY_CREATED,
            target_kind: "agency",
            target_id: id.to_string(),
            region_code: Some(region.to_string()),
            summary: json!({ "kind": kind, "name": name, "demo": true }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The accounts of one demo agency: one with the agency's role, plus a supervisor, an admin or
/// a viewer for the kinds that have one.
fn accounts_of(slug: &str, kind: &str, id: i64, name: &str, role: Role) -> Vec<Wanted> {
    let one = |username: String, role: Role| Wanted {
        username,
        agency_id: Some(id),
        agency_name: name.to_string(),
        role,
        superadmin: false,
    };
    let mut out = vec![one(format!("{slug}.{kind}"), role)];
    if kind == "kpu"
        || kind == "bawaslu"
        || kind == "disdukcapil"
        || kind == "pemda"
        || kind == "bkn"
    {
        out.push(one(format!("{slug}.{kind}.spv"), Role::Supervisor));
    }
    if kind == "pemda" {
        out.push(one(format!("{slug}.admin"), Role::Admin));
    }
    if kind == "ppid" {
        // The Atasan PPID answers objections.
        out.push(one(format!("{slug}.ppid.spv"), Role::Supervisor));
        out.push(one(format!("{slug}.viewer"), Role::Viewer));
    }
    out
}

/// Every account of the demo world, the super-admin first; agencies are created as needed.
async fn wanted_accounts(db: &Db, ctx: &AuditContext) -> anyhow::Result<Vec<Wanted>> {
    let mut wanted = vec![Wanted {
        username: "admin".into(),
        agency_id: None,
        agency_name: "—".into(),
        role: Role::Admin,
        superadmin: true,
    }];
    for (slug, code, region_name, capital) in REGIONS {
        let mut agencies = Vec::new();
        for (kind, prefix, role) in AGENCIES {
            let name = format!("{prefix} {region_name}");
            agencies.push((kind.to_string(), name, code.to_string(), *role));
        }
        let (village_code, village_name) = first_kelurahan(db, capital).await?;
        agencies.push((
            "kelurahan".into(),
            format!("Loket Kelurahan {village_name}"),
            village_code,
            Role::CounterOperator,
        ));
        for (kind, name, region, role) in agencies {
            let id = ensure_agency(db, ctx, &kind, &name, &region).await?;
            if kind == "ppid" && *slug == "banjar" {
                balai_information::commands::demo::seed(db, AgencyId(id), &region).await?;
            }
            if kind == "kpu" && *slug == "banjar" {
                balai_sop::commands::demo::seed(db, ctx, id).await?;
            }
            wanted.extend(accounts_of(slug, &kind, id, &name, role));
        }
    }
    // BKN's regional office over Jawa Barat examines the neutrality cases of Kota Banjar.
    let bkn = "BKN Kantor Regional III";
    let id = ensure_agency(db, ctx, "bkn", bkn, "32").await?;
    wanted.extend(accounts_of("jabar", "bkn", id, bkn, Role::Officer));
    Ok(wanted)
}

/// Create one account with a fresh password (audited); returns its login.
async fn create_login(
    db: &Db,
    ctx: &AuditContext,
    w: Wanted,
    display: &str,
) -> anyhow::Result<Login> {
    let Wanted {
        username,
        agency_id,
        agency_name,
        role,
        superadmin,
    } = w;
    let password = auth::random_password();
    let p = password.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&p)).await??;
    let mut tx = db.begin().await?;
    let id = accounts::create_user(
        &mut tx,
        &NewUser {
            username: &username,
            display_name: display,
            email: None,
            agency_id,
            role,
            is_superadmin: superadmin,
            password_hash: &hash,
        },
    )
    .await?;
    audit::record(&mut tx, ctx, AuditEvent {
        action: audit::actions::USER_CREATED,
        target_kind: "user",
        target_id: id.to_string(),
        region_code: None,
        summary: json!({ "username": username, "role": role.as_str(), "superadmin": superadmin, "demo": true }),
    })
    .await?;
    tx.commit().await?;
    Ok(Login {
        username,
        password,
        agency: agency_name,
        role: if superadmin {
            "super-admin"
        } else {
            role.as_str()
        },
    })
}

/// Create whatever part of the demo world is missing; returns the logins created now.
pub async fn load(db: &Db) -> anyhow::Result<Vec<Login>> {
    let ctx = AuditContext::system("demo");
    let mut created = Vec::new();
    // Display names follow the accounts' order, existing ones included, so they stay stable.
    for (i, w) in wanted_accounts(db, &ctx).await?.into_iter().enumerate() {
        if accounts::user_by_name(db, &w.username).await?.is_some() {
            continue;
        }
        created.push(create_login(db, &ctx, w, &demo_name(i + 1)).await?);
    }
    load_sops(db, &ctx).await?;
    survey_answers(db, &ctx).await?;
    neutrality::load(db, &ctx).await?;
    neutrality::load_cases(db, &ctx).await?;
    Ok(created)
}

/// Surveyed units of Kota Banjar, so that Kinerja's pages show data: (kind, name, answers a
/// month, how many codes a month go unanswered, the usual score of waiting time (U3)).
const SURVEYED: &[(&str, &str, i64, i64, i64)] = &[
    ("disdukcapil", "Disdukcapil Kota Banjar", 36, 12, 2),
    ("pemda", "Pemerintah Kota Banjar", 24, 30, 3),
    ("kpu", "KPU Kota Banjar", 30, 6, 3),
];

/// A small deterministic generator, so that every demo has the same answers.
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// One demo respondent's nine scores (older months a little lower, so there is improvement
/// to rank) and facts (age band, sex, education, occupation).
fn demo_answer(
    seed: &mut u64,
    month_back: i64,
    waiting: i64,
) -> ([u8; 9], [Option<&'static str>; 4]) {
    let mut scores = [0u8; 9];
    for (e, s) in scores.iter_mut().enumerate() {
        let usual = if e == 2 { waiting } else { 3 };
        let v = match next(seed) % 10 {
            0 => usual - 1,
            1..=3 if month_back == 0 => usual + 1,
            1..=2 => usual + 1,
            9 if month_back == 2 => usual - 1,
            _ => usual,
        };
        *s = u8::try_from(v.clamp(1, 4)).unwrap_or(3);
    }
    let mut facts = [None; 4];
    for (slot, f) in facts
        .iter_mut()
        .zip(balai_performance::domain::respondent::ALL)
    {
        let n = u64::try_from(f.options.len()).unwrap_or(1).max(1);
        *slot = usize::try_from(next(seed) % n)
            .ok()
            .and_then(|i| f.options.get(i))
            .map(|o| o.0);
    }
    (scores, facts)
}

/// Survey codes and answers for the surveyed units over the last three months (the scores
/// rise a little each month), once: a unit that has answers already is left alone.
async fn survey_answers(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    use balai_core::ids::AgencyId;
    use balai_performance::domain::codes::SurveyCode;
    use balai_performance::store::{codes, responses};
    let now = balai_core::db::now();
    let today = now
        .to_offset(balai_core::format::Zone::for_region("32.79").offset())
        .date();
    let mut seed = 29u64;
    for (kind, name, per_month, unanswered, waiting) in SURVEYED {
        let Some(a) = accounts::find_agency(db, kind, "32.79", name).await? else {
            continue;
        };
        let id = AgencyId(a.id);
        let from = today - time::Duration::days(400);
        if responses::tally(db, id, from, today, None).await?.responses > 0 {
            continue;
        }
        let mut tx = db.begin().await?;
        let mut answered = 0;
        for month_back in 0..3i64 {
            for i in 0..(per_month + unanswered) {
                let day = today - time::Duration::days(month_back * 30 + (i % 28));
                let code = SurveyCode::generate(&mut rand::thread_rng());
                codes::insert(
                    &mut tx,
                    &codes::NewCode {
                        code: code.as_str(),
                        agency_id: id,
                        service: if i % 3 == 0 { "KTP-el" } else { "" },
                        service_day: day,
                        batch: "demo",
                        expires_at: now + time::Duration::days(30),
                        issued_by: None,
                    },
                )
                .await?;
                if i >= *per_month {
                    continue;
                }
                codes::claim(&mut tx, code.as_str(), now).await?;
                let (scores, [age, sex, edu, job]) = demo_answer(&mut seed, month_back, *waiting);
                responses::insert(
                    &mut tx,
                    &responses::NewResponse {
                        agency_id: id,
                        service: if i % 3 == 0 { "KTP-el" } else { "" },
                        service_day: day,
                        scores,
                        age_band: age,
                        sex,
                        education: edu,
                        occupation: job,
                        comment: None,
                    },
                )
                .await?;
                answered += 1;
            }
        }
        audit::record(
            &mut tx,
            ctx,
            AuditEvent {
                action: balai_performance::domain::audit::CODES_ISSUED,
                target_kind: "agency",
                target_id: a.id.to_string(),
                region_code: Some(a.region_code.clone()),
                summary: json!({ "demo": true, "answers": answered }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The neutrality register's demo: the 2024 elections of Kota Banjar and of Jawa Barat with
/// their schedules, and Kota Banjar's appointments inside and outside the windows (fictional
/// officials), recorded by the Pemda of Kota Banjar.
mod neutrality {
    use balai_core::audit::{self, AuditContext, AuditEvent};
    use balai_core::schedule::StageKind;
    use balai_core::{with_db, Db};
    use balai_neutrality::commands::record::store_one;
    use balai_neutrality::domain::appointment::{validate, Draft};
    use balai_neutrality::store::appointments::{RecordedBy, Source};
    use serde_json::json;
    use time::macros::date;
    use time::Date;

    const STAGES: &[(&str, Date, Date, StageKind)] = &[
        (
            "Pemutakhiran data pemilih",
            date!(2024 - 05 - 31),
            date!(2024 - 09 - 20),
            StageKind::PemutakhiranDataPemilih,
        ),
        (
            "Pendaftaran pasangan calon",
            date!(2024 - 08 - 27),
            date!(2024 - 08 - 29),
            StageKind::PendaftaranPaslon,
        ),
        (
            "Penetapan pasangan calon",
            date!(2024 - 09 - 22),
            date!(2024 - 09 - 22),
            StageKind::PenetapanPaslon,
        ),
        (
            "Kampanye",
            date!(2024 - 09 - 25),
            date!(2024 - 11 - 23),
            StageKind::Kampanye,
        ),
        (
            "Masa tenang",
            date!(2024 - 11 - 24),
            date!(2024 - 11 - 26),
            StageKind::MasaTenang,
        ),
        (
            "Pemungutan suara",
            date!(2024 - 11 - 27),
            date!(2024 - 11 - 27),
            StageKind::PemungutanSuara,
        ),
        (
            "Rekapitulasi",
            date!(2024 - 11 - 27),
            date!(2024 - 12 - 16),
            StageKind::Rekapitulasi,
        ),
        (
            "Pelantikan",
            date!(2025 - 02 - 20),
            date!(2025 - 02 - 20),
            StageKind::Pelantikan,
        ),
    ];

    /// (kind, region, name): the province's election over Kota Banjar. The city's own is the
    /// results demo's ([`super::DEMO_ELECTION`], `load_election`), whose schedule checks the
    /// same appointments through the schedule hook.
    const ELECTIONS: &[(&str, &str, &str)] = &[(
        "gubernur",
        "32",
        "Pemilihan Gubernur dan Wakil Gubernur Jawa Barat 2024 (contoh)",
    )];

    /// (kind, name, from, to, decree number, decree date, effective date, approval)
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    const APPOINTMENTS: &[Row] = &[
        (
            "rotasi",
            "Wulan Contoh (fiktif)",
            "Kepala Bagian Umum",
            "Kepala Bagian Organisasi",
            "821.2/01-BKPSDM/2024",
            "2024-01-15",
            "",
            "",
        ),
        (
            "mutasi",
            "Agus Contoh (fiktif)",
            "Camat Langensari",
            "Kepala Dinas Perhubungan",
            "821.2/07-BKPSDM/2024",
            "2024-02-28",
            "",
            "",
        ),
        (
            "mutasi",
            "Dewi Contoh (fiktif)",
            "Sekretaris Dinas Kesehatan",
            "Kepala Dinas Sosial",
            "821.2/11-BKPSDM/2024",
            "2024-03-01",
            "2024-04-01",
            "",
        ),
        (
            "mutasi",
            "Hendra Contoh (fiktif)",
            "Kepala Bidang Anggaran",
            "Kepala Dinas Pendidikan",
            "821.2/19-BKPSDM/2024",
            "2024-05-02",
            "",
            "",
        ),
        (
            "promosi",
            "Maya Contoh (fiktif)",
            "Kepala Bidang Kesehatan Masyarakat",
            "Direktur RSUD Kota Banjar",
            "821.2/24-BKPSDM/2024",
            "2024-07-10",
            "",
            "100.2.2.6/4321/OTDA",
        ),
        (
            "mutasi",
            "Rudi Contoh (fiktif)",
            "Lurah Hegarsari",
            "Camat Pataruman",
            "821.2/31-BKPSDM/2024",
            "2024-10-01",
            "",
            "",
        ),
        (
            "promosi",
            "Fajar Contoh (fiktif)",
            "Kepala Seksi Pemerintahan",
            "Sekretaris Kecamatan Purwaharja",
            "821.2/04-BKPSDM/2025",
            "2025-03-10",
            "",
            "",
        ),
        (
            "rotasi",
            "Lestari Contoh (fiktif)",
            "Kepala Bagian Hukum",
            "Kepala Bagian Perekonomian",
            "821.2/12-BKPSDM/2025",
            "2025-09-01",
            "",
            "",
        ),
    ];

    async fn election_id(db: &Db, name: &str) -> anyhow::Result<Option<i64>> {
        Ok(with_db!(db, |c| sqlx::query_scalar::<_, i64>(
            "SELECT id FROM elections WHERE name = $1"
        )
        .bind(name)
        .fetch_optional(c)
        .await)?)
    }

    async fn ensure_elections(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
        let stages: Vec<_> = STAGES
            .iter()
            .map(|(n, a, b, k)| (n.to_string(), Some(*k), *a, *b))
            .collect();
        for (kind, region, name) in ELECTIONS {
            if election_id(db, name).await?.is_some() {
                continue;
            }
            let mut tx = db.begin().await?;
            let id = balai_elections::store::insert_election(
                &mut tx,
                kind,
                region,
                name,
                date!(2024 - 11 - 27),
                None,
            )
            .await?;
            balai_elections::store::insert_schedule(
                &mut tx,
                id,
                1,
                "Jadwal Pilkada serentak 2024 (contoh)",
                "PKPU 2/2024",
                None,
                "demo",
                &stages,
            )
            .await?;
            audit::record(
                &mut tx,
                ctx,
                AuditEvent {
                    action: balai_elections::domain::audit_actions::CREATED,
                    target_kind: "election",
                    target_id: id.to_string(),
                    region_code: Some(region.to_string()),
                    summary: json!({ "name": name, "demo": true }),
                },
            )
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    pub async fn load(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
        ensure_elections(db, ctx).await?;
        let existing: i64 = with_db!(db, |c| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM appointments WHERE region_code = '32.79'"
        )
        .fetch_one(c)
        .await)?;
        let recorder = balai_core::accounts::user_by_name(db, "banjar.admin").await?;
        let Some(user) = recorder.filter(|_| existing == 0) else {
            return Ok(());
        };
        let today = balai_neutrality::commands::today();
        let mut tx = db.begin().await?;
        for (i, (kind, name, from, to, number, decree, effective, approval)) in
            APPOINTMENTS.iter().enumerate()
        {
            let draft = Draft {
                region_code: "32.79".into(),
                kind: kind.to_string(),
                official_name: name.to_string(),
                from_position: from.to_string(),
                to_position: to.to_string(),
                decree_number: number.to_string(),
                decree_date: decree.to_string(),
                effective_date: effective.to_string(),
                minister_approval_ref: approval.to_string(),
                signed_by: "head".into(),
                // Fictional NIPs, shown to the agencies only.
                nip: format!("198001012005011{:03}", i + 1),
            };
            let a = validate(&draft, today).map_err(|e| anyhow::anyhow!(e.messages().1))?;
            let by = RecordedBy {
                agency_id: user.agency_id,
                user_id: user.id,
            };
            let done = store_one(&mut tx, &a, Source::Form, by)
                .await
                .map_err(|e| anyhow::anyhow!(e.message_en()))?;
            audit::record(&mut tx, ctx, AuditEvent {
                action: balai_neutrality::domain::audit::APPOINTMENT_RECORDED,
                target_kind: balai_neutrality::domain::audit::TARGET_APPOINTMENT,
                target_id: done.id.to_string(),
                region_code: Some("32.79".into()),
                summary: json!({ "decree_number": number, "flags": done.flags.len(), "demo": true }),
            })
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The demo's neutrality cases, by the demo's Bawaslu Kota Banjar and BKN accounts.
    pub async fn load_cases(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
        use balai_neutrality::store::cases::By;
        let by = |u: balai_core::accounts::User| By {
            agency_id: u.agency_id,
            user_id: u.id,
        };
        let user = |name: &'static str| balai_core::accounts::user_by_name(db, name);
        let (Some(officer), Some(spv), Some(bkn)) = (
            user("banjar.bawaslu").await?,
            user("banjar.bawaslu.spv").await?,
            user("jabar.bkn.spv").await?,
        ) else {
            return Ok(());
        };
        let who = balai_neutrality::commands::cases::demo::DemoOfficials {
            bawaslu_officer: by(officer),
            bawaslu_supervisor: by(spv),
            bkn_supervisor: by(bkn),
        };
        balai_neutrality::commands::cases::demo::seed(db, ctx, who).await
    }
}

/// Append new logins to the data dir's list and return the whole list's text.
pub fn remember_logins(data_dir: &Path, new: &[Login]) -> anyhow::Result<String> {
    let path = data_dir.join("demo-logins.txt");
    std::fs::create_dir_all(data_dir)?;
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    if text.is_empty() {
        text.push_str(
            "# Balai demo logins (generated; demo data only)\n# username\tpassword\trole\tagency\n",
        );
    }
    for l in new {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            l.username, l.password, l.role, l.agency
        ));
    }
    if !new.is_empty() {
        std::fs::write(&path, &text)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(text)
}

/// The KPU serving exactly `region`.
async fn kpu_at(db: &Db, region: &str) -> anyhow::Result<i64> {
    let id: Option<i64> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM agencies WHERE kind = 'kpu' AND region_code = $1 ORDER BY id LIMIT 1"
    )
    .bind(region)
    .fetch_optional(c)
    .await)?;
    id.ok_or_else(|| anyhow::anyhow!("demo: no KPU for {region}"))
}

fn step(actor: &str, action: &str, limit: &str, output: &str) -> balai_sop::domain::steps::Step {
    balai_sop::domain::steps::Step {
        actor: actor.into(),
        action: action.into(),
        time_limit: limit.into(),
        output: output.into(),
    }
}

/// The demo SOP's two versions' steps, and Palembang's override, as stored (JSON).
fn logistics_bodies() -> anyhow::Result<[String; 3]> {
    use balai_sop::domain::steps::{Override, OverrideKind};
    let v1 = vec![
        step(
            "KPU Kabupaten/Kota",
            "Kirim logistik ke PPK",
            "H-5",
            "Berita acara serah terima",
        ),
        step(
            "PPK",
            "Periksa kelengkapan logistik",
            "1 hari",
            "Daftar periksa logistik",
        ),
        step(
            "PPS",
            "Serahkan logistik ke KPPS",
            "H-1",
            "Berita acara serah terima",
        ),
    ];
    let mut v2 = v1.clone();
    v2.push(step(
        "KPPS",
        "Tanda tangani berita acara penerimaan dan simpan logistik di TPS",
        "H-1",
        "Berita acara penerimaan",
    ));
    let over = [Override {
        kind: OverrideKind::Replace,
        step: 2,
        replacement: step(
            "PPK",
            "Periksa logistik di dermaga sebelum diangkut perahu",
            "1 hari",
            "Daftar periksa logistik",
        ),
        reason: "Sebagian kecamatan hanya terjangkau lewat Sungai Musi".into(),
    }];
    Ok([
        serde_json::to_string(&v1)?,
        serde_json::to_string(&v2)?,
        serde_json::to_string(&over)?,
    ])
}

/// The demo's SOPs: KPU Sumatera Selatan's logistics SOP in two versions (the second a major
/// change), adopted by Kota Palembang (with an override, reviewed) and Kota Prabumulih (not
/// reviewed yet, so it needs review). Written once: skipped when the SOP exists.
async fn load_sops(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    use balai_sop::store::{self as sops, NewSop, NewVersion};

    const TITLE: &str = "SOP Distribusi Logistik Pemungutan Suara";
    let (prov, plg, pbm) = (
        kpu_at(db, "16").await?,
        kpu_at(db, "16.71").await?,
        kpu_at(db, "16.74").await?,
    );
    let exists: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sops WHERE agency_id = $1 AND title = $2"
    )
    .bind(prov)
    .bind(TITLE)
    .fetch_one(c)
    .await)?;
    if exists > 0 {
        return Ok(());
    }
    let [v1, v2, over] = logistics_bodies()?;
    let sop = |agency_id: i64, region: &'static str, parent_id: Option<i64>| NewSop {
        agency_id,
        region_code: region,
        title: TITLE,
        purpose: "Logistik pemungutan suara tiba di TPS tepat waktu, lengkap dan aman.",
        legal_basis: "PKPU tentang perlengkapan pemungutan suara",
        documents: "Berita acara serah terima; daftar periksa logistik",
        parent_id,
    };
    let by = (None, "demo");
    let mut tx = db.begin().await?;
    let prov_sop = sops::insert_sop(&mut tx, &sop(prov, "16", None)).await?;
    let plg_sop = sops::insert_sop(&mut tx, &sop(plg, "16.71", Some(prov_sop))).await?;
    let pbm_sop = sops::insert_sop(&mut tx, &sop(pbm, "16.74", Some(prov_sop))).await?;
    // In the order it happened: v1, both adopt it, Palembang overrides, v2 (major), Palembang
    // reviews and keeps its override; Prabumulih has not reviewed yet.
    for v in [
        NewVersion::new(prov_sop, 1, &v1, by).major(true),
        NewVersion::new(plg_sop, 1, "[]", by).parent(1).major(true),
        NewVersion::new(pbm_sop, 1, "[]", by).parent(1).major(true),
        NewVersion::new(plg_sop, 2, &over, by)
            .parent(1)
            .note("Penyesuaian wilayah perairan"),
        NewVersion::new(prov_sop, 2, &v2, by)
            .major(true)
            .note("KPPS menandatangani berita acara penerimaan"),
        NewVersion::new(plg_sop, 3, &over, by)
            .parent(2)
            .note("Ditinjau dalam rapat pleno; penyesuaian dipertahankan"),
    ] {
        sops::insert_version(&mut tx, &v).await?;
    }
    sops::set_review_needed(&mut tx, pbm_sop, true).await?;
    audit::record(
        &mut tx,
        ctx,
        AuditEvent {
            action: balai_sop::domain::audit::CREATE,
            target_kind: balai_sop::domain::audit::TARGET_SOP,
            target_id: prov_sop.to_string(),
            region_code: Some("16".into()),
            summary: json!({ "title": TITLE, "demo": true, "adoptions": [plg_sop, pbm_sop] }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The demo election's name: loading is idempotent by it.
pub const DEMO_ELECTION: &str = "Pemilihan Wali Kota Banjar 2024 (contoh)";

/// A consistent C.Hasil-KWK form for a TPS of `dpt_l` + `dpt_p` voters, its valid votes split
/// by `shares` (per mille per pair, in ballot order).
fn demo_form(dpt_l: u32, dpt_p: u32, shares: &[u32]) -> serde_json::Value {
    use balai_elections::domain::form::{Form, Row};
    let (ul, up) = (dpt_l * 3 / 4, dpt_p * 4 / 5);
    let used = ul + up + 2;
    let received = dpt_l + dpt_p + (dpt_l + dpt_p) * 25 / 1000;
    let invalid = 3;
    let valid = used - invalid;
    let mut votes = std::collections::BTreeMap::new();
    let mut given = 0;
    for (i, s) in shares.iter().enumerate() {
        let b = u32::try_from(i).unwrap_or(0) + 1;
        let v = if i + 1 == shares.len() {
            valid - given
        } else {
            valid * s / 1000
        };
        given += v;
        votes.insert(b, v);
    }
    let f = Form {
        pemilih_dpt: Row::new(dpt_l, dpt_p),
        pemilih_dpph: Row::new(0, 0),
        pemilih_dptb: Row::new(1, 1),
        pemilih_total: Row::new(dpt_l + 1, dpt_p + 1),
        pengguna_dpt: Row::new(ul, up),
        pengguna_dpph: Row::new(0, 0),
        pengguna_dptb: Row::new(1, 1),
        pengguna_total: Row::new(ul + 1, up + 1),
        surat_diterima: received,
        surat_dikembalikan: 1,
        surat_tidak_digunakan: received - used - 1,
        surat_digunakan: used,
        disabilitas_pemilih: Row::new(1, 1),
        disabilitas_pengguna: Row::new(1, 0),
        votes,
        suara_sah: valid,
        suara_tidak_sah: invalid,
        suara_total: used,
    };
    serde_json::to_value(f).unwrap_or_default()
}

/// A demo election in Kota Banjar, if there is none: three candidate pairs, TPS in eight
/// villages, a schedule moved by a second version, results entered twice for most TPS (so
/// they are verified), one TPS whose two entries disagree, and some not entered yet. Written
/// through the same commands as the API, by the demo KPU's accounts (audited).
pub async fn load_election(db: &Db, cfg: &balai_core::config::Config) -> anyhow::Result<()> {
    use balai_core::identity::{actor_for_user, AuthVia};
    use balai_elections::commands::setup::{self, NewElection};
    use balai_elections::commands::submit_result::{submit, SubmitInput};
    use balai_elections::domain::election::TpsInput;

    let have: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM elections WHERE name = $1"
    )
    .bind(DEMO_ELECTION)
    .fetch_one(c)
    .await)?;
    if have > 0 {
        return Ok(());
    }
    let actor_of = |name: &'static str| async move {
        let u = accounts::user_by_name(db, name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no demo user {name}"))?;
        actor_for_user(db, u.id, AuthVia::Command)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo user {name} is disabled"))
    };
    let spv = actor_of("banjar.kpu.spv").await?;
    let op = actor_of("banjar.kpu").await?;
    let ctx = crate::app::context(db.clone(), cfg.clone()).await?;
    let meta = ReqMeta {
        request_id: "demo".into(),
        ip: "local".into(),
        user_agent: "balai demo".into(),
    };
    let fail = |e: balai_core::AppError| anyhow::anyhow!("demo election: {}", e.info.message_en);
    let id = setup::create_election(
        &ctx,
        &spv,
        &meta,
        &NewElection {
            kind: "walikota".into(),
            region_code: "32.79".into(),
            name: DEMO_ELECTION.into(),
            voting_date: "2024-11-27".into(),
        },
    )
    .await
    .map_err(fail)?;
    demo_schedule(&ctx, &spv, &meta, id).await.map_err(fail)?;
    demo_pairs(&ctx, &spv, &meta, id).await.map_err(fail)?;
    const VILLAGES: &str =
        "SELECT code FROM regions WHERE level = 4 AND code LIKE '32.79.%' ORDER BY code LIMIT 8";
    let villages: Vec<String> = with_db!(db, |c| sqlx::query_scalar(VILLAGES).fetch_all(c).await)?;
    let mut rows = Vec::new();
    for (i, v) in villages.iter().enumerate() {
        for n in 1..=2u32 {
            let k = u32::try_from(i).unwrap_or(0) * 7 + n * 13;
            rows.push(TpsInput {
                village_code: v.clone(),
                number: n,
                address: format!("Jl. Contoh No. {k}, RT 0{n}/RW 0{}", i % 9 + 1),
                dpt_l: 120 + k % 60,
                dpt_p: 125 + k % 55,
            });
        }
    }
    let tps = setup::add_tps(&ctx, &spv, &meta, id, &rows)
        .await
        .map_err(fail)?;
    // Most TPS entered by two operators (verified), one disputed, the last three not yet.
    let shares: [[u32; 3]; 4] = [
        [452, 381, 167],
        [398, 420, 182],
        [505, 300, 195],
        [433, 402, 165],
    ];
    let last = tps.ids.len().saturating_sub(3);
    for (i, (tps_id, row)) in tps.ids.iter().zip(&rows).enumerate().take(last) {
        let form = demo_form(row.dpt_l, row.dpt_p, &shares[i % shares.len()]);
        let input = |form: serde_json::Value| -> anyhow::Result<SubmitInput> {
            Ok(serde_json::from_value(
                json!({"tps_id": tps_id, "form": form}),
            )?)
        };
        submit(&ctx, &op, &meta, id, input(form.clone())?)
            .await
            .map_err(|e| anyhow::anyhow!("demo result: {e:?}"))?;
        let second = if i == 2 {
            // A misread digit on the second entry: the TPS is disputed.
            let mut f = form;
            if let Some(v) = f["votes"]["1"].as_u64() {
                let other = f["votes"]["2"].as_u64().unwrap_or(0);
                f["votes"]["1"] = json!(v.saturating_sub(10));
                f["votes"]["2"] = json!(other + 10);
            }
            f
        } else {
            form
        };
        submit(&ctx, &spv, &meta, id, input(second)?)
            .await
            .map_err(|e| anyhow::anyhow!("demo result: {e:?}"))?;
    }
    Ok(())
}

/// The demo election's two schedule versions: the second moves the vote (a flood).
async fn demo_schedule(
    ctx: &AppCtx,
    spv: &Actor,
    meta: &ReqMeta,
    id: i64,
) -> balai_core::AppResult<()> {
    use balai_elections::commands::setup::ScheduleInput;
    let stage = |name: &str, start: &str, end: &str| balai_elections::domain::election::Stage {
        kind: None,
        name: name.into(),
        start: start.into(),
        end: end.into(),
    };
    for (reason, basis, vote, recap) in [
        (
            "Jadwal awal tahapan (contoh)",
            "PKPU Nomor 2 Tahun 2024",
            "2024-11-27",
            "2024-11-28",
        ),
        (
            "Banjir di Kecamatan Pataruman menunda pemungutan suara (contoh)",
            "Keputusan KPU Kota Banjar Nomor 1234 Tahun 2024 (contoh)",
            "2024-12-04",
            "2024-12-05",
        ),
    ] {
        let input = ScheduleInput {
            reason: reason.into(),
            legal_basis: basis.into(),
            stages: vec![
                stage("Pemutakhiran data pemilih", "2024-05-31", "2024-09-20"),
                stage("Pendaftaran pasangan calon", "2024-08-27", "2024-08-29"),
                stage("Penetapan pasangan calon", "2024-09-22", "2024-09-22"),
                stage("Kampanye", "2024-09-25", "2024-11-23"),
                stage("Masa tenang", "2024-11-24", "2024-11-26"),
                stage("Pemungutan suara", vote, vote),
                stage("Rekapitulasi hasil penghitungan suara", recap, "2024-12-16"),
                stage("Pelantikan", "2025-02-20", "2025-02-20"),
            ],
        };
        balai_elections::commands::setup::set_schedule(ctx, spv, meta, id, &input).await?;
    }
    Ok(())
}

/// The demo election's three candidate pairs (fictional names).
async fn demo_pairs(
    ctx: &AppCtx,
    spv: &Actor,
    meta: &ReqMeta,
    id: i64,
) -> balai_core::AppResult<()> {
    use balai_elections::commands::setup::CandidateInput;
    for (b, head, deputy, parties) in [
        (
            1,
            "Hj. Sri Wahyuni Kusumaningrum, S.E., M.Si.",
            "Dedi Kurniawan Saputra, S.H.",
            vec!["Partai Contoh A".to_string(), "Partai Contoh B".into()],
        ),
        (
            2,
            "Ir. Bambang Setiadi, M.T.",
            "Nurul Hidayati, S.Pd.",
            vec!["Partai Contoh C".into()],
        ),
        (3, "Asep Saepudin", "Yanti Rosdiana, S.Kom.", Vec::new()),
    ] {
        let input = CandidateInput {
            ballot_number: b,
            head_name: head.into(),
            deputy_name: deputy.into(),
            independent: parties.is_empty(),
            parties,
        };
        balai_elections::commands::setup::add_candidate(ctx, spv, meta, id, &input).await?;
    }
    Ok(())
}

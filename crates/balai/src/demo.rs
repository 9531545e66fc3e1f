//! The demo world: agencies of five regions with one account per role, and a super-admin.
//! Loading is idempotent. Passwords are generated at first load (never fixed) and kept in
//! `DATA_DIR/demo-logins.txt` (mode 0600) so they can be shown again.

use std::path::Path;

use balai_core::accounts::{self, NewUser, Role};
use balai_core::audit::{self, AuditContext, AuditEvent};
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
    if kind == "kpu" || kind == "bawaslu" || kind == "disdukcapil" || kind == "pemda" {
        out.push(one(format!("{slug}.{kind}.spv"), Role::Supervisor));
    }
    if kind == "pemda" {
        out.push(one(format!("{slug}.admin"), Role::Admin));
    }
    if kind == "ppid" {
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
            wanted.extend(accounts_of(slug, &kind, id, &name, role));
        }
    }
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
    Ok(created)
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

/// The demo election's name: loading is idempotent by it.
const DEMO_ELECTION: &str = "Pemilihan Wali Kota Banjar 2024 (contoh)";

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

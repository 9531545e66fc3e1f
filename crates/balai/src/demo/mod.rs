//! The demo world: agencies of five regions with one account per role, and a super-admin;
//! the PPID of Kota Banjar has public-information requests in several states.
//! Loading is idempotent. Passwords are generated at first load (never fixed) and kept in
//! `DATA_DIR/demo-logins.txt` (mode 0600) so they can be shown again.

use std::path::Path;

use balai_core::accounts::{self, NewUser, Role};
use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::ids::AgencyId;

use balai_core::{auth, with_db, Db};
use serde_json::json;

mod elections;
mod neutrality;
pub mod participation;
mod performance;
mod sop;
pub mod voters;

pub use elections::{load_election, DEMO_ELECTION};

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
    sop::load_sops(db, &ctx).await?;
    performance::survey_answers(db, &ctx).await?;
    neutrality::load(db, &ctx).await?;
    neutrality::load_cases(db, &ctx).await?;
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

//! The demo world: agencies of five regions with one account per role, and a super-admin.
//! Loading is idempotent. Passwords are generated at first load (never fixed) and kept in
//! `DATA_DIR/demo-logins.txt` (mode 0600) so they can be shown again.

use std::path::Path;

use balai_core::accounts::{self, NewUser, Role};
use balai_core::audit::{self, AuditContext, AuditEvent};
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

/// Create whatever part of the demo world is missing; returns the logins created now.
pub async fn load(db: &Db) -> anyhow::Result<Vec<Login>> {
    let mut created = Vec::new();
    let ctx = AuditContext::system("demo");
    let mut n = 0usize;
    let mut add_user = |username: String,
                        agency_id: Option<i64>,
                        agency_name: String,
                        role: Role,
                        superadmin: bool| {
        n += 1;
        (
            username,
            agency_id,
            agency_name,
            role,
            superadmin,
            demo_name(n),
        )
    };
    let mut wanted = vec![add_user(
        "admin".into(),
        None,
        "—".into(),
        Role::Admin,
        true,
    )];
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
            let id = match accounts::find_agency(db, &kind, &region, &name).await? {
                Some(a) => a.id,
                None => {
                    let mut tx = db.begin().await?;
                    let id = accounts::create_agency(&mut tx, &kind, &name, &region).await?;
                    audit::record(
                        &mut tx,
                        &ctx,
                        AuditEvent {
                            action: audit::actions::AGENCY_CREATED,
                            target_kind: "agency",
                            target_id: id.to_string(),
                            region_code: Some(region.clone()),
                            summary: json!({ "kind": kind, "name": name, "demo": true }),
                        },
                    )
                    .await?;
                    tx.commit().await?;
                    id
                }
            };
            wanted.push(add_user(
                format!("{slug}.{kind}"),
                Some(id),
                name.clone(),
                role,
                false,
            ));
            if kind == "kpu" || kind == "bawaslu" || kind == "disdukcapil" || kind == "pemda" {
                wanted.push(add_user(
                    format!("{slug}.{kind}.spv"),
                    Some(id),
                    name.clone(),
                    Role::Supervisor,
                    false,
                ));
            }
            if kind == "pemda" {
                wanted.push(add_user(
                    format!("{slug}.admin"),
                    Some(id),
                    name.clone(),
                    Role::Admin,
                    false,
                ));
            }
            if kind == "ppid" {
                wanted.push(add_user(
                    format!("{slug}.viewer"),
                    Some(id),
                    name.clone(),
                    Role::Viewer,
                    false,
                ));
            }
        }
    }
    for (username, agency_id, agency_name, role, superadmin, display) in wanted {
        if accounts::user_by_name(db, &username).await?.is_some() {
            continue;
        }
        let password = auth::random_password();
        let p = password.clone();
        let hash = tokio::task::spawn_blocking(move || auth::hash_password(&p)).await??;
        let mut tx = db.begin().await?;
        let id = accounts::create_user(
            &mut tx,
            &NewUser {
                username: &username,
                display_name: &display,
                email: None,
                agency_id,
                role,
                is_superadmin: superadmin,
                password_hash: &hash,
            },
        )
        .await?;
        audit::record(&mut tx, &ctx, AuditEvent {
            action: audit::actions::USER_CREATED,
            target_kind: "user",
            target_id: id.to_string(),
            region_code: None,
            summary: json!({ "username": username, "role": role.as_str(), "superadmin": superadmin, "demo": true }),
        })
        .await?;
        tx.commit().await?;
        created.push(Login {
            username,
            password,
            agency: agency_name,
            role: if superadmin {
                "super-admin"
            } else {
                role.as_str()
            },
        });
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

//! The command line: `balai serve|migrate|user|token|audit|verify-log|keys`.

use std::io::Read;
use std::path::PathBuf;

use balai_core::accounts::{self, NewUser, Role};
use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::checkpoints;
use balai_core::config::Config;
use balai_core::{auth, Db};
use clap::{Args, Parser, Subcommand};
use serde_json::json;

#[derive(Parser, Debug)]
#[command(
    name = "balai",
    version,
    about = "Balai: layanan publik Pilkada dan pemerintahan daerah"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes. `BALAI_DATABASE_URL` (sqlite:… or postgres://…) selects the
/// database instead of the data directory; other settings come from the TOML file and
/// `BALAI_*` variables (nested keys with `__`, e.g. `BALAI_SMTP__HOST`).
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Directory of the embedded SQLite database and demo files [default: ./balai-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// TOML configuration file
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (and background jobs)
    Serve {
        /// Load the demo world (idempotent) and print its logins
        #[arg(long)]
        demo: bool,
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Create or upgrade the database schema and load reference data, then exit
    Migrate,
    /// Load the demo world without serving
    Demo,
    /// Manage officials' accounts
    #[command(subcommand)]
    User(UserCmd),
    /// API bearer tokens
    #[command(subcommand)]
    Token(TokenCmd),
    /// The audit log
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Check an election's publication log: the hash chain, its head, and that the published
    /// results follow from it; exits 1 naming the first problem
    VerifyLog {
        #[arg(long)]
        election: i64,
        /// Also check that the checkpoints of this election in FILE (as served by
        /// `GET /api/v1/checkpoints`) are signed and still a prefix of the log
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Recompute elections' per-region totals from the stored result versions (all elections
    /// unless --election is given)
    RebuildTotals {
        #[arg(long)]
        election: Option<i64>,
    },
    /// Load data from files
    #[command(subcommand)]
    Import(ImportCmd),
    /// The checkpoint signing key (see docs/CHECKPOINTS.md)
    #[command(subcommand)]
    Keys(KeysCmd),
}

#[derive(Subcommand, Debug)]
pub enum KeysCmd {
    /// Generate a checkpoint signing key into FILE (default: DATA_DIR/checkpoint.key), mode
    /// 0600; an existing file is never replaced. Prints the public key
    Generate {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print the configured key's id and public key
    Show,
}

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// Import C.Hasil-KWK result forms from CSV (the columns of `POST …/results/import`), entered
    /// as the named operator so double entry and the audit log work; exits 1 if any row is
    /// rejected
    Results {
        #[arg(long)]
        election: i64,
        /// The KPU official entering the forms (username)
        #[arg(long, value_name = "USERNAME")]
        operator: String,
        /// The CSV file
        file: PathBuf,
    },
    /// Import a version of an election's voter list (DPS, DPSHP or DPT) from CSV (the columns
    /// of `PUT /api/v1/elections/{id}/dpt`); all or nothing: exits 1 and lists every refused
    /// row with its line and reason. Whoever runs it on the server is the importer (audited as
    /// the console)
    Dpt {
        #[arg(long)]
        election: i64,
        /// dps, dpshp or dpt
        #[arg(long, default_value = "dps")]
        stage: String,
        /// Replace only this province's part (`PP`, e.g. 32); the other provinces' voters and
        /// counts stay as they are
        #[arg(long)]
        province: Option<u8>,
        /// The CSV file (read as it streams)
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create an account; prints a generated password unless --password-stdin is given
    Add {
        username: String,
        /// admin, supervisor, officer, counter_operator or viewer
        #[arg(long, default_value = "officer")]
        role: String,
        /// Agency id (see `balai user list` or /admin/agencies)
        #[arg(long)]
        agency: Option<i64>,
        /// Sees and manages everything
        #[arg(long)]
        superadmin: bool,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts
    List,
    /// Disable an account: ends its sessions and revokes its tokens
    Disable { username: String },
    /// Set a new password (generated, or from standard input with --password-stdin)
    SetPassword {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create a bearer token for a user and print it (only its hash is stored)
    Create {
        #[arg(long)]
        user: String,
        /// A label, e.g. the gateway or app using it
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the hash chain; exits non-zero and names the first broken entry
    Verify {
        /// Also check that the audit checkpoints in FILE (as served by
        /// `GET /api/v1/checkpoints`) are signed and still a prefix of the chain
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
}

/// Configuration from file and environment, with command-line overrides.
pub fn load_config(g: &Global, listen: Option<&str>) -> anyhow::Result<Config> {
    let mut cfg = Config::load(g.config.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(d) = &g.data_dir {
        cfg.data_dir = d.clone();
    }
    if let Some(l) = listen {
        l.parse::<std::net::SocketAddr>()
            .map_err(|_| anyhow::anyhow!("--listen {l:?} is not an address like 127.0.0.1:8080"))?;
        cfg.listen = l.to_string();
    }
    // Each feature's own table is checked here too, so a bad setting stops every command.
    balai_complaints::domain::settings::ComplaintSettings::from_config(&cfg)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    balai_information::domain::settings::from_config(&cfg).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(cfg)
}

fn read_password_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    let p = s.trim_end_matches(['\n', '\r']).to_string();
    if p.chars().count() < 10 {
        anyhow::bail!("the password needs at least 10 characters");
    }
    Ok(p)
}

async fn hash(p: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || auth::hash_password(&p)).await?
}

pub async fn user_cmd(db: &Db, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Add {
            username,
            role,
            agency,
            superadmin,
            display_name,
            email,
            password_stdin,
        } => {
            let new = NewUserArgs {
                username,
                role,
                agency,
                superadmin,
                display_name,
                email,
                password_stdin,
            };
            user_add(db, new).await
        }
        UserCmd::List => user_list(db).await,
        UserCmd::Disable { username } => user_disable(db, username).await,
        UserCmd::SetPassword {
            username,
            password_stdin,
        } => user_set_password(db, username, password_stdin).await,
    }
}

/// What `balai user add` was given.
struct NewUserArgs {
    username: String,
    role: String,
    agency: Option<i64>,
    superadmin: bool,
    display_name: Option<String>,
    email: Option<String>,
    password_stdin: bool,
}

async fn user_add(db: &Db, args: NewUserArgs) -> anyhow::Result<()> {
    let NewUserArgs {
        username,
        role,
        agency,
        superadmin,
        display_name,
        email,
        password_stdin,
    } = args;
    let username = username.to_lowercase();
    if !accounts::username_valid(&username) {
        anyhow::bail!("username must be 3–64 characters of a-z, 0-9, '.', '_' or '-'");
    }
    let role = Role::parse(&role).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown role {role:?}; use admin, supervisor, officer, counter_operator or viewer"
        )
    })?;
    if let Some(id) = agency {
        accounts::get_agency(db, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no agency with id {id}"))?;
    } else if !superadmin {
        anyhow::bail!("a user needs --agency ID unless --superadmin");
    }
    if accounts::user_by_name(db, &username).await?.is_some() {
        anyhow::bail!("user {username:?} already exists");
    }
    let (password, generated) = if password_stdin {
        (read_password_stdin()?, false)
    } else {
        (auth::random_password(), true)
    };
    let h = hash(password.clone()).await?;
    let mut tx = db.begin().await?;
    let id = accounts::create_user(
        &mut tx,
        &NewUser {
            username: &username,
            display_name: display_name.as_deref().unwrap_or(&username),
            email: email.as_deref(),
            agency_id: agency,
            role,
            is_superadmin: superadmin,
            password_hash: &h,
        },
    )
    .await?;
    audit::record(&mut tx, &AuditContext::cli("user add"), AuditEvent {
        action: audit::actions::USER_CREATED,
        target_kind: "user",
        target_id: id.to_string(),
        region_code: None,
        summary: json!({ "username": username, "role": role.as_str(), "superadmin": superadmin, "agency_id": agency }),
    })
    .await?;
    tx.commit().await?;
    println!("created user {username} (id {id})");
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

async fn user_list(db: &Db) -> anyhow::Result<()> {
    for (u, a) in accounts::list_users(db, &accounts::Scope::All).await? {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            u.username,
            if u.is_superadmin {
                "super-admin"
            } else {
                &u.role
            },
            if u.disabled { "disabled" } else { "active" },
            a.as_ref().map(|a| a.name.as_str()).unwrap_or("—"),
            a.as_ref().map(|a| a.region_code.as_str()).unwrap_or("")
        );
    }
    Ok(())
}

async fn user_disable(db: &Db, username: String) -> anyhow::Result<()> {
    let u = accounts::user_by_name(db, &username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {username:?}"))?;
    let mut tx = db.begin().await?;
    accounts::set_disabled(&mut tx, u.id, true).await?;
    audit::record(
        &mut tx,
        &AuditContext::cli("user disable"),
        AuditEvent {
            action: audit::actions::USER_DISABLED,
            target_kind: "user",
            target_id: u.id.to_string(),
            region_code: None,
            summary: json!({ "username": username }),
        },
    )
    .await?;
    tx.commit().await?;
    println!("disabled {username}; its sessions and tokens are revoked");
    Ok(())
}

async fn user_set_password(db: &Db, username: String, password_stdin: bool) -> anyhow::Result<()> {
    let u = accounts::user_by_name(db, &username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user {username:?}"))?;
    let (password, generated) = if password_stdin {
        (read_password_stdin()?, false)
    } else {
        (auth::random_password(), true)
    };
    let h = hash(password.clone()).await?;
    let mut tx = db.begin().await?;
    accounts::set_password_hash(&mut tx, u.id, &h, None).await?;
    audit::record(
        &mut tx,
        &AuditContext::cli("user set-password"),
        AuditEvent {
            action: audit::actions::PASSWORD_SET,
            target_kind: "user",
            target_id: u.id.to_string(),
            region_code: None,
            summary: json!({ "username": username, "sessions_ended": true }),
        },
    )
    .await?;
    tx.commit().await?;
    println!("password of {username} changed; its sessions are ended");
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

pub async fn token_cmd(db: &Db, cmd: TokenCmd) -> anyhow::Result<()> {
    match cmd {
        TokenCmd::Create { user, name } => {
            let u = accounts::user_by_name(db, &user)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no user {user:?}"))?;
            if u.disabled {
                anyhow::bail!("user {user:?} is disabled");
            }
            let mut tx = db.begin().await?;
            let token = auth::create_api_token(&mut tx, u.id, &name).await?;
            audit::record(
                &mut tx,
                &AuditContext::cli("token create"),
                AuditEvent {
                    action: audit::actions::TOKEN_CREATED,
                    target_kind: "user",
                    target_id: u.id.to_string(),
                    region_code: None,
                    summary: json!({ "name": name }),
                },
            )
            .await?;
            tx.commit().await?;
            println!("{token}");
        }
    }
    Ok(())
}

/// Exit code 0 when the chain is intact, 1 (with the first broken entry named) otherwise.
pub async fn audit_verify(db: &Db, checkpoint: Option<&std::path::Path>) -> anyhow::Result<i32> {
    let n = match audit::verify(db).await? {
        Ok(n) => {
            println!("audit chain intact: {n} events verified");
            n
        }
        Err(problem) => {
            eprintln!("AUDIT CHAIN BROKEN: {problem}");
            return Ok(1);
        }
    };
    let Some(path) = checkpoint else {
        return Ok(0);
    };
    checkpoints::cli_check(path, checkpoints::AUDIT, n, |seq| {
        checkpoints::job::audit_hash_at(db, seq)
    })
    .await
}

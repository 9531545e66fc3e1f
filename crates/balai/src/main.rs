//! `balai`: see `balai --help`.

use balai::cli::{self, AuditCmd, Cli, Command, ImportCmd};
use balai_core::checkpoints::key as checkpoint_key;
use clap::Parser;
use std::io::Write;

// Many small, short-lived allocations per request: glibc's malloc was a visible share of the
// server's CPU under submission load (bench/journal/2026-12-01-complaints-gateway-deliveries.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let args = Cli::parse();
    let code = match run(args).await {
        Ok(code) => code,
        Err(e) => {
            // Standard error may be gone; the exit code still tells.
            let _ = writeln!(std::io::stderr(), "balai: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

/// Receipts' QR codes and the links in messages point at `base_url`: a loopback address there
/// works on this machine only, which is fine for a demo but not for citizens' phones.
fn warn_loopback_base_url(cfg: &balai_core::config::Config) {
    let url = cfg.public_base_url();
    tracing::warn!(base_url = %url, "base_url is a loopback address: receipts' QR codes and links will not open on other devices; set base_url (BALAI_BASE_URL) to the server's public address");
    let _ = writeln!(
        std::io::stderr(),
        "balai: peringatan: base_url {url} adalah alamat loopback; kode QR tanda terima dan tautan tidak dapat dibuka dari perangkat lain. Atur base_url (BALAI_BASE_URL) ke alamat publik server.\n\
         balai: warning: base_url {url} is a loopback address; receipts' QR codes and links will not open on other devices. Set base_url (BALAI_BASE_URL) to the server's public address."
    );
}

async fn run(args: Cli) -> anyhow::Result<i32> {
    let listen = match &args.command {
        Command::Serve { listen, .. } => listen.as_deref(),
        _ => None,
    };
    let cfg = cli::load_config(&args.global, listen)?;
    let serving = matches!(args.command, Command::Serve { .. });
    balai::logging::init(cfg.log_json && serving, serving);
    let command = match args.command {
        Command::Keys(cmd) => return balai::keys::keys_cmd(&cfg, cmd),
        other => other,
    };
    let db = balai::app::open(&cfg).await?;
    if let Command::Serve { demo, .. } = command {
        if demo {
            print_demo(&db, &cfg).await?;
        } else if cfg.base_url_is_loopback() {
            warn_loopback_base_url(&cfg);
        }
        balai_core::regions::finder::warm();
        let registry = balai::app::job_registry(&cfg)?;
        let ctx = balai::app::context(db, cfg).await?;
        balai::app::serve(ctx, registry).await?;
        return Ok(0);
    }
    let code = match command {
        Command::Serve { .. } => 0,
        Command::Migrate => {
            println!(
                "database ready: {}",
                balai::app::redact(&cfg.effective_database_url())
            );
            0
        }
        Command::Demo => print_demo(&db, &cfg).await.map(|_| 0)?,
        Command::User(cmd) => cli::user_cmd(&db, cmd).await.map(|_| 0)?,
        Command::Token(cmd) => cli::token_cmd(&db, cmd).await.map(|_| 0)?,
        Command::Audit(AuditCmd::Verify { checkpoint }) => {
            cli::audit_verify(&db, checkpoint.as_deref()).await?
        }
        Command::VerifyLog {
            election,
            checkpoint,
        } => balai_elections::verify::cli(&db, election, checkpoint.as_deref()).await?,
        Command::Keys(_) => 0,
        Command::RebuildTotals { election } => {
            balai_elections::verify::rebuild_totals_cli(&db, election).await?
        }
        Command::Import(ImportCmd::Results {
            election,
            operator,
            file,
        }) => balai::imports::import_results(&db, &cfg, election, &operator, &file).await?,
        Command::Import(ImportCmd::Dpt {
            election,
            stage,
            province,
            file,
        }) => balai::imports::import_dpt(&db, &cfg, election, &stage, province, &file).await?,
    };
    // Close the pools so SQLite checkpoints its write-ahead log before the process exits.
    db.close().await;
    Ok(code)
}

async fn print_demo(db: &balai_core::Db, cfg: &balai_core::config::Config) -> anyhow::Result<()> {
    let created = balai::demo::load(db).await?;
    balai::demo::load_election(db, cfg).await?;
    balai::demo::participation::load(db, cfg).await?;
    balai::demo::voters::load(db, cfg).await?;
    // The demo signs its checkpoints with a key of its own, kept beside its database.
    if let Some(path) = checkpoint_key::ensure_demo_key(cfg).map_err(|e| anyhow::anyhow!(e))? {
        println!(
            "Checkpoint signing key generated (demo only): {}",
            path.display()
        );
    }
    let text = balai::demo::remember_logins(&cfg.data_dir, &created)?;
    println!(
        "Demo logins (also in {}):",
        cfg.data_dir.join("demo-logins.txt").display()
    );
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 4 {
            println!(
                "  {:<26} {:<18} {:<17} {}",
                cols[0], cols[1], cols[2], cols[3]
            );
        }
    }
    if created.is_empty() && !text.lines().any(|l| !l.starts_with('#')) {
        println!("  (demo accounts exist but their passwords were not recorded here; use `balai user set-password NAME`)");
    }
    Ok(())
}

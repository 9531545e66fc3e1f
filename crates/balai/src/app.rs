//! Startup and the composed application router.

use balai_complaints::domain::settings::ComplaintSettings;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use balai_core::checkpoints::CheckpointKey;
use balai_core::config::Config;
use balai_core::jobs::JobRegistry;
use balai_core::web::{layers, AppCtx, AppState};
use balai_core::Db;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

use crate::web::ops::metrics_handle;

/// Open the configured database, migrate it and load the shipped reference data.
pub async fn open(cfg: &Config) -> anyhow::Result<Db> {
    let url = cfg.effective_database_url();
    if cfg.database_url.is_none() {
        std::fs::create_dir_all(&cfg.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data directory {}: {e}",
                cfg.data_dir.display()
            )
        })?;
    }
    let db = Db::connect_with_pool(&url, cfg.database_pool)
        .await
        .map_err(|e| anyhow::anyhow!("{e} (database: {})", redact(&url)))?;
    prepare(&db).await?;
    Ok(db)
}

/// Migrate and load reference data into an open database (idempotent).
pub async fn prepare(db: &Db) -> anyhow::Result<()> {
    db.migrate().await?;
    let started = std::time::Instant::now();
    let n = balai_core::regions::load_if_empty(db).await?;
    if n > 0 {
        tracing::info!(
            regions = n,
            seconds = started.elapsed().as_secs_f64(),
            "loaded the region hierarchy"
        );
    }
    balai_core::calendar::load_shipped_if_empty(db).await?;
    Ok(())
}

/// Hide a password in a database URL before printing it.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***@{}", &url[..s], &url[at + 1..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub async fn context(db: Db, cfg: Config) -> anyhow::Result<AppCtx> {
    let secret = balai_core::web::ensure_secret(&db).await?;
    let writer = balai_core::group_commit::GroupCommit::start(
        db.clone(),
        balai_core::group_commit::DEFAULT_MAX_BATCH,
    );
    let tokens = balai_core::accounts::TokenLookups::start(&db);
    let mut ext = axum::http::Extensions::new();
    let complaints = ComplaintSettings::from_config(&cfg)?;
    ext.insert(balai_complaints::LookupBudget::new(&complaints));
    ext.insert(complaints);
    ext.insert(balai_neutrality::domain::settings::CaseClocks::from_config(
        &cfg,
    )?);
    ext.insert(balai_information::domain::settings::from_config(&cfg)?);
    ext.insert(balai_performance::SurveyBudget::default());
    let voters = balai_voters::VoterSettings::from_config(&cfg)?;
    ext.insert(balai_voters::LookupShield::new(&voters));
    ext.insert(voters);
    ext.insert(balai_participation::domain::settings::ParticipationSettings::from_config(&cfg)?);
    // The voter list sets each TPS's DPT in the elections feature's master.
    ext.insert(balai_core::tps::TpsMasters(Arc::new(
        balai_elections::ElectionsTpsMaster,
    )));
    // Each feature's KPIs for Kinerja's pages (a feature crate never reads another's tables).
    ext.insert(balai_core::kpi::KpiSources::new(vec![
        Arc::new(balai_complaints::ComplaintKpis),
        Arc::new(balai_civil_registry::CivilRegistryKpis),
        Arc::new(balai_information::InformationKpis),
        Arc::new(balai_participation::ParticipationKpis),
    ]));
    // Survey codes on the receipts of the other features, issued by Kinerja.
    let performance = balai_performance::domain::config::PerformanceConfig::from_config(&cfg)?;
    ext.insert(balai_core::survey::SurveyIssuer(Arc::new(
        balai_performance::ReceiptCodes {
            valid_days: performance.survey_code_days,
        },
    )));
    ext.insert(performance);
    // Elections' turnout for Partisipasi's targets (a feature crate never reads another's tables).
    ext.insert(balai_core::turnout::Turnouts(Arc::new(
        balai_elections::ElectionTurnouts,
    )));
    if let Some(key) = checkpoint_key(&cfg)? {
        ext.insert(key);
    }
    // Run in the transaction of every new schedule version (see `balai_core::schedule`).
    ext.insert(balai_core::schedule::ScheduleHooks(vec![
        balai_neutrality::on_schedule_changed,
    ]));
    // The elections' current stages, for features that plan ahead of them (readiness).
    ext.insert(balai_core::schedule::Stages(Arc::new(
        balai_elections::ElectionStages,
    )));
    Ok(AppCtx::new(AppState {
        writer,
        tokens,
        health: balai_core::health::Health::default(),
        db,
        cfg: Arc::new(cfg),
        secret: Arc::new(secret),
        ext,
    }))
}

/// The checkpoint signing key, if one is configured. A key that is configured but unreadable
/// stops the start; no key at all starts with a warning and no checkpoints.
fn checkpoint_key(cfg: &Config) -> anyhow::Result<Option<CheckpointKey>> {
    match balai_core::checkpoints::key::load(cfg).map_err(|e| anyhow::anyhow!(e))? {
        Some((key, from)) => {
            tracing::info!(key = key.id(), from, "checkpoint signing key loaded");
            Ok(Some(key))
        }
        None => {
            tracing::warn!(
                "no checkpoint signing key ({} or [checkpoints] key_file or DATA_DIR/{}): the audit chain and the publication logs are not anchored by signed checkpoints; see docs/CHECKPOINTS.md",
                balai_core::checkpoints::key::ENV_KEY,
                balai_core::checkpoints::key::DATA_DIR_FILE
            );
            Ok(None)
        }
    }
}

/// The background checkpoint job, when there is a key to sign with.
fn spawn_checkpoints(
    ctx: &AppCtx,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    let Some(key) = ctx.ext.get::<CheckpointKey>() else {
        // Standard error may be unwritable (a full disk): that stops nothing.
        let _ = writeln!(
            std::io::stderr(),
            "PERINGATAN / WARNING: tanpa kunci penanda tangan titik periksa, rantai audit dan log publikasi tidak dijangkar / no checkpoint signing key: the audit chain and the publication logs are not anchored (docs/CHECKPOINTS.md)"
        );
        return None;
    };
    Some(balai_core::checkpoints::job::spawn(
        ctx.db.clone(),
        key.clone(),
        vec![balai_elections::anchor::heads_source()],
        Duration::from_secs(ctx.cfg.checkpoints.every_seconds),
        stop,
    ))
}

/// The recorder keeps every histogram sample until it is drained, which `install_recorder`
/// leaves to the caller: without this (or a scrape of `/metrics`) memory grows with every
/// request.
fn spawn_metrics_upkeep() {
    let handle = metrics_handle();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Every route of the application with its middleware stack.
///
/// The stack wraps the routes once, outside them: `Router::layer` would wrap every route on its
/// own, one boxed service per layer, and a request would clone that chain (with the state of
/// the route) once per middleware it passes through.
pub fn router(ctx: AppCtx) -> Router {
    let _ = metrics_handle();
    let (api, _) = crate::web::api::router(ctx.clone());
    let limits = Arc::new(layers::BodyLimits {
        default: ctx.cfg.max_body_bytes,
        upload: balai_complaints::domain::settings::settings(&ctx).max_upload_body_bytes,
        upload_paths: balai_complaints::UPLOAD_PATHS.iter().copied().collect(),
    });
    let routes = Router::new()
        .merge(crate::web::pages::router())
        .merge(balai_civil_registry::router())
        .merge(balai_complaints::router())
        .merge(balai_elections::router())
        .merge(balai_sop::router())
        .merge(balai_information::router())
        .merge(balai_performance::router())
        .merge(balai_neutrality::router())
        .merge(balai_participation::router())
        .merge(balai_voters::router())
        .merge(crate::web::ops::router())
        .with_state(ctx.clone())
        .merge(api);
    let stack = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .layer(from_fn(layers::frame))
        .layer(CatchPanicLayer::new())
        // `guard` enforces the body limit of each route; the extractors' own default is off.
        .layer(from_fn_with_state(
            layers::Guards { ctx, limits },
            layers::guard,
        ))
        .layer(DefaultBodyLimit::disable())
        .service(routes);
    Router::new().fallback_service(stack)
}

/// Job handlers of every feature.
pub fn job_registry(cfg: &Config) -> anyhow::Result<JobRegistry> {
    let mut reg = JobRegistry::default();
    balai_core::outbox::register(&mut reg, cfg.smtp.clone(), cfg.sms.clone());
    balai_complaints::register_jobs(&mut reg, &ComplaintSettings::from_config(cfg)?);
    balai_participation::register_jobs(&mut reg);
    Ok(reg)
}

/// Serve until Ctrl-C / SIGTERM, then finish in-flight requests (within the grace period) and
/// running jobs. If the group-commit writer or a job worker stops before that (see
/// [`critical_task_stopped`]), the server shuts down the same way and returns an error, so the
/// process exits non-zero and its supervisor restarts it (every acknowledged write is on disk).
pub async fn serve(ctx: AppCtx, registry: JobRegistry) -> anyhow::Result<()> {
    let addr: SocketAddr = ctx.cfg.listen.parse()?;
    let signalled = shutdown_signal();
    let nofile = crate::server::raise_open_file_limit();
    let cap = crate::server::connection_cap(&ctx.cfg.http, nofile);
    let listener = crate::server::bind(addr, ctx.cfg.http.listen_backlog)
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let instance = format!("{}-{}", hostname(), std::process::id());
    let workers = balai_core::jobs::spawn_workers(
        ctx.db.clone(),
        Arc::new(registry),
        ctx.cfg.jobs.clone(),
        &instance,
        stop_rx.clone(),
    );
    let checkpoints = spawn_checkpoints(&ctx, stop_rx.clone());
    ctx.health.workers_started(workers.len());
    let maintenance = balai_core::maintenance::spawn(ctx.db.clone(), stop_rx.clone());
    // The data dir's disk matters where the database is in it (SQLite).
    let disk = (ctx.db.backend() == balai_core::db::Backend::Sqlite).then(|| {
        balai_core::disk::spawn(
            ctx.db.clone(),
            sqlite_dir(&ctx.cfg),
            ctx.cfg.disk.clone(),
            stop_rx.clone(),
        )
    });
    spawn_metrics_upkeep();
    // Standard output may be gone (a closed pipe): that stops nothing.
    let _ = writeln!(
        std::io::stdout(),
        "Balai berjalan di http://{addr}  (Ctrl-C untuk berhenti)"
    );
    tracing::info!(%addr, connections = cap, open_files = ?nofile, "listening");
    let (fatal_tx, fatal_rx) = tokio::sync::oneshot::channel::<&'static str>();
    let watcher = {
        let ctx = ctx.clone();
        let mut stopping = stop_rx;
        tokio::spawn(async move {
            tokio::select! {
                what = critical_task_stopped(&ctx, &workers) => {
                    let _ = fatal_tx.send(what);
                }
                _ = stopping.changed() => {}
            }
            workers
        })
    };
    let fatal: Arc<std::sync::OnceLock<&'static str>> = Arc::default();
    let stop = {
        let fatal = fatal.clone();
        async move {
            tokio::select! {
                () = signalled => {}
                Ok(what) = fatal_rx => {
                    let _ = fatal.set(what);
                }
            }
        }
    };
    let app = router(ctx.clone());
    crate::server::serve(listener, app, &ctx.cfg.http, cap, stop).await;
    let _ = stop_tx.send(true);
    let _ = maintenance.await;
    if let Some(c) = checkpoints {
        let _ = c.await;
    }
    if let Some(disk) = disk {
        let _ = disk.await;
    }
    for w in watcher.await.unwrap_or_default() {
        let _ = tokio::time::timeout(Duration::from_secs(30), w).await;
    }
    ctx.db.close().await;
    if let Some(what) = fatal.get() {
        anyhow::bail!("{what} stopped; exiting so that a supervisor restarts Balai");
    }
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves when a task the server cannot work without has ended (a panic): a lane of the
/// group-commit writer (every write would fail) or a job worker (notifications would stop).
/// From then on `/readyz` reports it.
pub async fn critical_task_stopped(
    ctx: &AppCtx,
    workers: &[tokio::task::JoinHandle<()>],
) -> &'static str {
    let mut every = tokio::time::interval(Duration::from_millis(250));
    loop {
        every.tick().await;
        let what = if ctx.writer.stopped_lanes() > 0 {
            "the group-commit writer"
        } else if workers.iter().any(tokio::task::JoinHandle::is_finished) {
            ctx.health.worker_stopped();
            "a job worker"
        } else {
            continue;
        };
        tracing::error!(
            "{what} has stopped: /readyz fails, and Balai shuts down so that its supervisor restarts it"
        );
        return what;
    }
}

/// The directory of the SQLite database: the data dir, or that of a `sqlite:` URL's file.
fn sqlite_dir(cfg: &Config) -> std::path::PathBuf {
    let file = cfg.database_url.as_deref().and_then(|u| {
        let path = u
            .strip_prefix("sqlite://")
            .or_else(|| u.strip_prefix("sqlite:"))?;
        let path = path.split('?').next().unwrap_or(path);
        std::path::Path::new(path)
            .parent()
            .map(std::path::Path::to_path_buf)
    });
    match file {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => cfg.data_dir.clone(),
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "balai".into())
}

/// Ctrl-C and SIGTERM, listened for from the moment this is called: it is called before the
/// listener binds, so a supervisor (or a test) that sees the port open and sends SIGTERM always
/// gets a graceful stop, never the default action that kills the process.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let streams = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (mut int, mut term) = streams;
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = int => {}
                _ = term => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutdown requested; finishing in-flight requests");
    }
}

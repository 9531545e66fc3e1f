//! The HTTP server's connections, with limits: a client that holds connections open can
//! neither use up the open-file limit (a cap below it; more connections wait in the listen
//! backlog) nor keep one forever (a header-read timeout, which also closes a keep-alive
//! connection idle between requests), nor hold a shutdown up (a grace period, then the
//! connections still open are closed).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use balai_core::config::HttpSettings;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Raise the soft open-file limit to the hard one and return the limit now in force (None
/// when unlimited or unknown).
pub fn raise_open_file_limit() -> Option<u64> {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let lim = getrlimit(Resource::Nofile);
    if lim.current != lim.maximum {
        let raised = Rlimit {
            current: lim.maximum,
            maximum: lim.maximum,
        };
        if let Err(e) = setrlimit(Resource::Nofile, raised) {
            tracing::warn!(error = %e, "cannot raise the open-file limit");
        }
    }
    getrlimit(Resource::Nofile).current
}

/// Connections served at once: the setting, or (when 0, and never more than fits) the
/// open-file limit less room for the database, the log and the job workers' connections.
pub fn connection_cap(s: &HttpSettings, nofile: Option<u64>) -> usize {
    let fit = nofile.map(|n| {
        let room = (n / 4).clamp(64, 256);
        usize::try_from(n.saturating_sub(room).max(16)).unwrap_or(usize::MAX)
    });
    match (s.max_connections, fit) {
        (0, Some(fit)) => fit,
        (0, None) => 16_384,
        (set, Some(fit)) => set.min(fit),
        (set, None) => set,
    }
}

/// Bind `addr` with the configured listen backlog.
pub fn bind(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// Serve `app` on `listener` until `shutdown` resolves; then stop accepting, let requests in
/// flight finish for at most `shutdown_grace_seconds`, and return (the connections still open
/// are closed with the runtime).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    s: &HttpSettings,
    cap: usize,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(s.header_read_timeout_seconds));
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(cap));
    metrics::gauge!("balai_http_connection_cap").set(cap as f64);
    tokio::pin!(shutdown);
    let mut last_error_log: Option<std::time::Instant> = None;
    loop {
        // A slot first, then a connection: at the cap, new clients wait in the backlog
        // instead of taking file descriptors the database needs.
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            r = listener.accept() => match r {
                Ok(v) => v,
                Err(e) => {
                    // EMFILE and the like: the limit is the process's, not this client's. Wait
                    // a little rather than spin, and log at most once a second.
                    if last_error_log.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                        tracing::warn!(error = %e, "accept failed");
                        last_error_log = Some(std::time::Instant::now());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let svc = app.clone().map_request(
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(remote));
                req
            },
        );
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Errors here are the client's (a reset, a header-read timeout): not the server's.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    let grace = Duration::from_secs(s.shutdown_grace_seconds);
    let open = graceful.count();
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            open,
            grace_seconds = s.shutdown_grace_seconds,
            "connections still open after the shutdown grace period: closing them"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_open_file_limit() {
        let auto = HttpSettings::default();
        assert_eq!(connection_cap(&auto, Some(1024)), 768);
        assert_eq!(connection_cap(&auto, Some(256)), 192);
        assert_eq!(connection_cap(&auto, Some(65_536)), 65_280);
        let set = HttpSettings {
            max_connections: 500,
            ..HttpSettings::default()
        };
        assert_eq!(connection_cap(&set, Some(256)), 192);
        assert_eq!(connection_cap(&set, Some(4096)), 500);
    }
}

//! The HTTP server's connections, with limits: a client that holds connections open can
//! neither use up the open-file limit (a cap below it) nor keep one forever (a header-read
//! timeout, which also closes a keep-alive connection idle between requests), nor hold a
//! shutdown up (a grace period, then the connections still open are closed). At the cap, a
//! new connection takes the place of the oldest one with no request in flight (idle, or
//! still sending its request head); when every connection has a request in flight, new ones
//! wait in the listen backlog.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
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

/// One open connection: its requests in flight, and a way to close it.
#[derive(Default)]
struct Conn {
    in_flight: AtomicUsize,
    close: tokio::sync::Notify,
}

/// Counts a request in flight on its connection for as long as its handler runs.
struct InFlight(Arc<Conn>);

impl InFlight {
    fn new(conn: Arc<Conn>) -> Self {
        conn.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The open connections, oldest first.
#[derive(Default)]
struct Open(Mutex<VecDeque<Weak<Conn>>>);

impl Open {
    fn push(&self, c: &Arc<Conn>) {
        if let Ok(mut q) = self.0.lock() {
            q.push_back(Arc::downgrade(c));
        }
    }

    /// Close the oldest connection with no request in flight; false if there is none.
    fn evict_idle(&self) -> bool {
        let Ok(mut q) = self.0.lock() else {
            return false;
        };
        q.retain(|w| w.strong_count() > 0);
        let idle = q.iter().position(|w| {
            w.upgrade()
                .is_some_and(|c| c.in_flight.load(Ordering::Relaxed) == 0)
        });
        match idle.and_then(|i| q.remove(i)).and_then(|w| w.upgrade()) {
            Some(c) => {
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
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
    let open = Open::default();
    metrics::gauge!("balai_http_connection_cap").set(cap as f64);
    tokio::pin!(shutdown);
    let mut last_error_log: Option<std::time::Instant> = None;
    loop {
        let (stream, remote) = tokio::select! {
            r = listener.accept() => match r {
                Ok(v) => v,
                Err(e) => {
                    // EMFILE and the like: wait a little rather than spin, and log at most
                    // once a second.
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
        let permit = match slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if open.evict_idle() {
                    metrics::counter!("balai_http_connections_evicted_total").increment(1);
                }
                // The evicted connection gives its slot back at once; with every connection
                // busy, this one waits for the first to finish, and later ones in the backlog.
                tokio::select! {
                    p = slots.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let this = Arc::new(Conn::default());
        open.push(&this);
        let counted = this.clone();
        let svc = app
            .clone()
            .map_request(
                move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(remote));
                    req
                },
            )
            .map_future(move |fut| {
                let guard = InFlight::new(counted.clone());
                async move {
                    let res = fut.await;
                    drop(guard);
                    res
                }
            });
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Errors here are the client's (a reset, a header-read timeout): not the server's.
            tokio::select! {
                _ = conn => {}
                () = this.close.notified() => {}
            }
            drop(permit);
        });
    }
    drop(listener);
    let grace = Duration::from_secs(s.shutdown_grace_seconds);
    let still_open = graceful.count();
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            open = still_open,
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

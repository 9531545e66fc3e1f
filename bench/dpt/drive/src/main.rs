//! Look-up latency of `POST /api/v1/dpt/lookup`, from a client that costs the server's two
//! cores little (one thread, raw HTTP/1.1 keep-alive connections). Half of the look-ups are of
//! listed voters (LOOKUPS.tsv from `gen.py`), half with a wrong name.
//!
//! Usage: drive HOST:PORT LOOKUPS.tsv N [RATE [CONNECTIONS]]
//!
//! Without RATE: N look-ups one after another on one connection (each timed on its own).
//! With RATE: N look-ups offered at a constant RATE per second (look-up `i` is due at
//! `start + i / RATE`) over CONNECTIONS connections (default 64). A connection takes the next
//! look-up when it is free; if that look-up was already due (every connection was busy: the
//! server is behind), its latency counts from when it was due, so a server that falls behind
//! is not hidden by a client that waits. If the connection was idle and slept until the due
//! time, the latency counts from when the request was sent (the client's timer wakes up to
//! ~1 ms late, which is not the server's). Both are reported: `p99` (as described) and
//! `p99_due` (always from the due time, timer lateness included).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Shared {
    host: String,
    bodies: Vec<Vec<u8>>,
    next: AtomicUsize,
    n: usize,
    rate: f64,
    start: Instant,
    results: Mutex<Results>,
}

#[derive(Default)]
struct Results {
    /// Milliseconds: from send or due (see the module's text), and always from due.
    lat: Vec<f64>,
    lat_due: Vec<f64>,
    found: usize,
    other: Vec<u16>,
    late_starts: usize,
}

fn body(nik: &str, name: &str) -> Vec<u8> {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    format!(r#"{{"nik":"{}","name":"{}"}}"#, esc(nik), esc(name)).into_bytes()
}

fn request(host: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "POST /api/v1/dpt/lookup HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// One request on a keep-alive connection: status and body.
async fn roundtrip(
    conn: &mut TcpStream,
    req: &[u8],
    buf: &mut Vec<u8>,
) -> std::io::Result<(u16, Vec<u8>)> {
    conn.write_all(req).await?;
    buf.clear();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        let n = conn.read(&mut tmp).await?;
        if n == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = conn.read(&mut tmp).await?;
        if n == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    Ok((status, buf[head_end..head_end + len].to_vec()))
}

fn found(body: &[u8]) -> bool {
    let t = String::from_utf8_lossy(body);
    t.contains("\"found\":true") || t.contains("\"found\": true")
}

async fn lane(s: Arc<Shared>, addr: String) -> std::io::Result<()> {
    let mut conn = TcpStream::connect(&addr).await?;
    conn.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(4096);
    loop {
        let i = s.next.fetch_add(1, Ordering::Relaxed);
        if i >= s.n {
            return Ok(());
        }
        let due = s.start + Duration::from_secs_f64(i as f64 / s.rate);
        // Sequential (no RATE): every look-up is timed from when it is sent.
        let late = s.rate.is_finite() && Instant::now() >= due;
        if !late {
            tokio::time::sleep_until(due.into()).await;
        }
        let req = request(&s.host, &s.bodies[i % s.bodies.len()]);
        let sent = Instant::now();
        let (status, body) = roundtrip(&mut conn, &req, &mut buf).await?;
        let done = Instant::now();
        let from = if late { due } else { sent };
        let mut r = s.results.lock().unwrap_or_else(|e| e.into_inner());
        r.lat.push(done.duration_since(from).as_secs_f64() * 1e3);
        r.lat_due.push(done.duration_since(due).as_secs_f64() * 1e3);
        r.late_starts += usize::from(late);
        if status == 200 {
            r.found += usize::from(found(&body));
        } else {
            r.other.push(status);
        }
    }
}

fn q(v: &[f64], p: f64) -> f64 {
    v[((p * v.len() as f64) as usize).min(v.len() - 1)]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: drive HOST:PORT LOOKUPS.tsv N [RATE [CONNECTIONS]]");
        std::process::exit(2);
    }
    let addr = args[1].clone();
    let text = std::fs::read_to_string(&args[2])?;
    let mut bodies = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let mut f = line.split('\t');
        let (Some(nik), Some(name)) = (f.next(), f.next()) else {
            continue;
        };
        bodies.push(body(nik, if k % 2 == 1 { "Salah Nama" } else { name }));
    }
    let n: usize = args[3].parse().expect("N");
    let rate: f64 = args.get(4).map_or(0.0, |r| r.parse().expect("RATE"));
    let lanes: usize = args.get(5).map_or(64, |c| c.parse().expect("CONNECTIONS"));
    let cpu0 = cpu_seconds();
    let shared = Arc::new(Shared {
        host: addr.clone(),
        bodies,
        next: AtomicUsize::new(0),
        n,
        rate: if rate > 0.0 { rate } else { f64::INFINITY },
        start: Instant::now() + Duration::from_millis(300),
        results: Mutex::new(Results::default()),
    });
    let lanes = if rate > 0.0 { lanes } else { 1 };
    let mut tasks = Vec::new();
    for _ in 0..lanes {
        let (s, a) = (shared.clone(), addr.clone());
        tasks.push(tokio::spawn(async move { lane(s, a).await }));
    }
    for t in tasks {
        t.await.map_err(std::io::Error::other)??;
    }
    let wall = shared.start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let mut r = shared.results.lock().unwrap_or_else(|e| e.into_inner());
    r.lat.sort_by(f64::total_cmp);
    r.lat_due.sort_by(f64::total_cmp);
    let mut other = r.other.clone();
    other.sort_unstable();
    other.dedup();
    let mode = if rate > 0.0 {
        format!(
            "offered={rate}/s connections={lanes} late_starts={}",
            r.late_starts
        )
    } else {
        "sequential".to_string()
    };
    println!(
        "lookups={n} found={} non_200={:?} p50={:.2}ms p90={:.2}ms p99={:.2}ms p999={:.2}ms max={:.2}ms \
         p99_due={:.2}ms achieved={:.0}/s client_cpu={:.1}s {mode}",
        r.found,
        other,
        q(&r.lat, 0.5),
        q(&r.lat, 0.9),
        q(&r.lat, 0.99),
        q(&r.lat, 0.999),
        r.lat[r.lat.len() - 1],
        q(&r.lat_due, 0.99),
        n as f64 / wall,
        cpu,
    );
    Ok(())
}

/// This process's user + system CPU seconds (Linux `/proc/self/stat`).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |k: usize| f.get(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

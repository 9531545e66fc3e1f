//! Bounded concurrency for CPU- and memory-heavy work (password hashing, photo decoding,
//! statistics over many rows): at most `permits` run at once, at most `queue` wait, each for at
//! most `wait`; anyone else is told at once that the server is busy (503) instead of piling up
//! threads and memory. Memory and cores belong to the process, so each gate is one per process.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// The work was refused because the gate is full: answer 503 and let the client retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("server busy")]
pub struct Busy;

impl From<Busy> for AppError {
    fn from(_: Busy) -> Self {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Server sedang sibuk. Coba lagi sebentar lagi.",
            "The server is busy. Try again in a moment.",
        )
    }
}

pub struct Gate {
    name: &'static str,
    permits: usize,
    queue: usize,
    wait: Duration,
    sem: Arc<Semaphore>,
    waiting: AtomicUsize,
    running: AtomicUsize,
    peak: AtomicUsize,
    entered: AtomicU64,
    refused: AtomicU64,
}

/// A place inside the gate, given back when dropped.
pub struct Pass<'a> {
    gate: &'a Gate,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        self.gate.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The cores this process may use (at least one).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

impl Gate {
    pub fn new(name: &'static str, permits: usize, queue: usize, wait: Duration) -> Self {
        let permits = permits.max(1);
        Gate {
            name,
            permits,
            queue,
            wait,
            sem: Arc::new(Semaphore::new(permits)),
            waiting: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            entered: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        }
    }

    /// Wait for a place (bounded in count and time), or [`Busy`].
    pub async fn enter(&self) -> Result<Pass<'_>, Busy> {
        let permit = match self.sem.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(self.refuse());
                }
                let got = tokio::time::timeout(self.wait, self.sem.clone().acquire_owned()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match got {
                    Ok(Ok(p)) => p,
                    _ => return Err(self.refuse()),
                }
            }
        };
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        self.entered.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("balai_gate_entered_total", "gate" => self.name).increment(1);
        Ok(Pass {
            gate: self,
            _permit: permit,
        })
    }

    fn refuse(&self) -> Busy {
        self.refused.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("balai_gate_refused_total", "gate" => self.name).increment(1);
        Busy
    }

    /// Run `work` on the blocking pool once inside the gate.
    pub async fn run_blocking<T, F>(&'static self, work: F) -> Result<T, GateError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let pass = self.enter().await?;
        let out = tokio::task::spawn_blocking(work).await;
        drop(pass);
        out.map_err(|e| GateError::Failed(e.into()))
    }

    pub fn permits(&self) -> usize {
        self.permits
    }

    /// The most that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many were let in.
    pub fn entered(&self) -> u64 {
        self.entered.load(Ordering::Relaxed)
    }

    /// How many were told the server is busy.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("blocking task failed: {0}")]
    Failed(anyhow::Error),
}

impl From<GateError> for AppError {
    fn from(e: GateError) -> Self {
        match e {
            GateError::Busy(b) => b.into(),
            GateError::Failed(e) => AppError::internal(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_full_gate_with_a_full_queue_refuses_at_once() {
        let g = Gate::new("test", 1, 0, Duration::from_secs(5));
        let held = g.enter().await.unwrap();
        assert_eq!(g.enter().await.err(), Some(Busy));
        drop(held);
        assert!(g.enter().await.is_ok());
        assert_eq!((g.peak(), g.entered(), g.refused()), (1, 2, 1));
    }

    #[tokio::test]
    async fn a_waiter_gives_up_after_the_wait() {
        let g = Gate::new("test", 1, 4, Duration::from_millis(20));
        let _held = g.enter().await.unwrap();
        assert_eq!(g.enter().await.err(), Some(Busy));
    }
}

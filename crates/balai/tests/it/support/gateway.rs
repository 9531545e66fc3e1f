//! A stand-in SMS gateway over real HTTP: it records every message it is given (recipient and
//! `Idempotency-Key`) and answers as told: accept, refuse with 503, hold the request
//! without answering, or drop the connection after reading it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

/// How the stand-in answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    Accept = 0,
    Refuse = 1,
    /// Never answer (the request stays open until the client goes away).
    Hold = 2,
    /// Take the message, then close the connection without an answer.
    Drop = 3,
}

#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub key: Option<String>,
}

#[derive(Clone)]
pub struct Gateway {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    mode: Arc<AtomicU8>,
}

impl Gateway {
    pub async fn start(mode: Mode) -> Gateway {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let mode = Arc::new(AtomicU8::new(mode as u8));
        let (rec, m) = (received.clone(), mode.clone());
        let app = axum::Router::new().route(
            "/send",
            axum::routing::post(
                move |headers: axum::http::HeaderMap,
                      axum::Form(f): axum::Form<HashMap<String, String>>| {
                    let (rec, m) = (rec.clone(), m.clone());
                    async move {
                        rec.lock().unwrap().push(Received {
                            to: f.get("to").cloned().unwrap_or_default(),
                            key: headers
                                .get("idempotency-key")
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_string),
                        });
                        match m.load(Ordering::SeqCst) {
                            0 => axum::http::StatusCode::OK,
                            1 => axum::http::StatusCode::SERVICE_UNAVAILABLE,
                            2 => std::future::pending().await,
                            // The connection's task ends without an answer.
                            _ => panic!("stand-in gateway drops the connection (on purpose)"),
                        }
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Gateway {
            url: format!("http://{addr}/send"),
            received,
            mode,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many messages went to `to`.
    pub fn count_to(&self, to: &str) -> usize {
        self.received().iter().filter(|r| r.to == to).count()
    }
}

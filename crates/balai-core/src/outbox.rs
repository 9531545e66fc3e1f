//! The notification outbox: email over SMTP (lettre) and SMS through an HTTP gateway.
//!
//! A feature queues a notification in the same transaction as the change it reports; a job
//! delivers it later with retries, so a slow mail server never slows a request and a crash
//! never loses a message.
//!
//! An SMS goes out at most once as far as Balai can tell: it is marked `sending` on disk before
//! the gateway is called, with the notification's id as its `Idempotency-Key`, and a delivery
//! cut short (a crash, a lost answer) is only sent again where the gateway honours that key
//! (`sms.gateway_idempotency_key`); otherwise it ends `unknown`, for review. Email is sent at
//! least once (an SMTP server takes no such key).

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{SmsSettings, SmtpSettings};
use crate::db::{Db, Tx};
use crate::jobs::JobRegistry;
use crate::{with_db, with_tx};

pub const JOB_KIND: &str = "notify.deliver";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// Queue a message; delivery happens in a job.
pub async fn enqueue(
    tx: &mut Tx,
    channel: Channel,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO notifications (channel, recipient, subject, body, status, attempts, created_at)
         VALUES ($1, $2, $3, $4, 'pending', 0, $5) RETURNING id"
    )
    .bind(channel.as_str())
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(crate::db::now())
    .fetch_one(&mut *c)
    .await
    })?;
    crate::jobs::enqueue(
        tx,
        JOB_KIND,
        &serde_json::json!({ "notification_id": id }),
        8,
    )
    .await?;
    Ok(id)
}

/// A message to queue with [`enqueue_many`].
#[derive(Clone, Debug)]
pub struct Outgoing<'a> {
    pub channel: Channel,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queue many messages with two statements (the messages, then their delivery jobs).
pub async fn enqueue_many(tx: &mut Tx, messages: &[Outgoing<'_>]) -> Result<(), sqlx::Error> {
    let now = crate::db::now();
    for chunk in messages.chunks(500) {
        let ids: Vec<i64> = with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO notifications (channel, recipient, subject, body, status, attempts,
                   created_at) ",
            );
            q.push_values(chunk, |mut b, m| {
                b.push_bind(m.channel.as_str())
                    .push_bind(m.recipient)
                    .push_bind(m.subject)
                    .push_bind(m.body)
                    .push_bind("pending")
                    .push_bind(0i64)
                    .push_bind(now);
            });
            q.push(" RETURNING id");
            q.build_query_scalar().fetch_all(&mut *c).await
        })?;
        let payloads: Vec<serde_json::Value> = ids
            .iter()
            .map(|id| serde_json::json!({ "notification_id": id }))
            .collect();
        crate::jobs::enqueue_many(tx, JOB_KIND, &payloads, 8).await?;
    }
    Ok(())
}

#[derive(Debug, sqlx::FromRow, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Notification>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, Notification>(
        "SELECT id, channel, recipient, subject, body, status, attempts, last_error FROM notifications WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await
    })
}

async fn send_email(smtp: &SmtpSettings, n: &Notification) -> Result<(), String> {
    if smtp.host.is_empty() {
        return Err("smtp.host is not configured".into());
    }
    let from: Mailbox = smtp.from.parse().map_err(|e| format!("smtp.from: {e}"))?;
    let to: Mailbox = n.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
    let msg = Message::builder()
        .from(from)
        .to(to)
        .subject(n.subject.clone())
        .body(n.body.clone())
        .map_err(|e| e.to_string())?;
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host).port(smtp.port);
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    builder
        .build()
        .send(msg)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Why an SMS was not delivered: refused by the gateway or never reached it (safe to send
/// again), or cut short after the gateway may have taken it (a timeout, a dropped answer).
const UNCERTAIN: &str = "uncertain: ";

/// The key the gateway gets with every message of notification `id`: the same on every
/// attempt, so a gateway that honours keys sends the message once.
pub fn idempotency_key(id: i64) -> String {
    format!("balai-notification-{id}")
}

async fn send_sms(
    client: &reqwest::Client,
    sms: &SmsSettings,
    n: &Notification,
) -> Result<(), String> {
    if sms.gateway_url.is_empty() {
        return Err("sms.gateway_url is not configured".into());
    }
    let mut req = client
        .post(&sms.gateway_url)
        .header("Idempotency-Key", idempotency_key(n.id))
        .form(&[("to", n.recipient.as_str()), ("text", n.body.as_str())]);
    if let Some(t) = &sms.gateway_token {
        req = req.bearer_auth(t);
    }
    let res = match req.send().await {
        Ok(res) => res,
        // Never connected: the gateway has not seen it.
        Err(e) if e.is_connect() => return Err(e.to_string()),
        Err(e) => return Err(format!("{UNCERTAIN}{e}")),
    };
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("gateway answered {}", res.status()))
    }
}

fn notification_id(payload: &serde_json::Value) -> Option<i64> {
    payload.get("notification_id").and_then(|v| v.as_i64())
}

/// Set by [`mark_sending`] on a run that must not reach the gateway (the notification is
/// sent, or in doubt): the status it has.
const SKIP: &str = "skip";

/// Send one notification. Its row is updated by [`record_delivery`], in the transaction that
/// records the job's outcome.
async fn deliver(
    db: Db,
    client: reqwest::Client,
    smtp: SmtpSettings,
    sms: SmsSettings,
    payload: serde_json::Value,
) -> Result<(), String> {
    if payload.get(SKIP).is_some() {
        return Ok(());
    }
    let id = notification_id(&payload).ok_or("payload without notification_id")?;
    let n = get(&db, id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("notification vanished")?;
    if n.status == "sent" {
        return Ok(());
    }
    match n.channel.as_str() {
        "email" => send_email(&smtp, &n).await,
        _ => send_sms(&client, &sms, &n).await,
    }
}

/// Before a worker's batch reaches the gateway, in the transaction that claims it: every SMS
/// about to be sent is marked `sending`, durably. One found `sending` already was cut short
/// (its worker died, or the gateway's answer was lost): with a gateway that honours
/// Idempotency-Key it goes again with its key; otherwise it is marked `unknown` and not sent
/// again, so that no one gets it twice. Either way it is counted.
fn mark_sending(
    keys: bool,
) -> impl for<'a> Fn(
    &'a mut Tx,
    &'a mut [&'a mut serde_json::Value],
) -> crate::group_commit::TxFuture<'a, Result<(), sqlx::Error>>
       + Send
       + Sync {
    move |tx, payloads| {
        Box::pin(async move {
            let ids: Vec<i64> = payloads.iter().filter_map(|p| notification_id(p)).collect();
            if ids.is_empty() {
                return Ok(());
            }
            let rows: Vec<(i64, String, String)> = with_tx!(tx, |c| {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT id, channel, status FROM notifications WHERE id",
                );
                crate::db::push_in_list(&mut q, &ids);
                q.build_query_as().fetch_all(&mut *c).await
            })?;
            let state: std::collections::HashMap<i64, (String, String)> = rows
                .into_iter()
                .map(|(id, ch, st)| (id, (ch, st)))
                .collect();
            let (mut sending, mut held) = (Vec::new(), Vec::new());
            for p in payloads.iter_mut() {
                let Some(id) = notification_id(p) else {
                    continue;
                };
                let Some((channel, status)) = state.get(&id) else {
                    continue;
                };
                match (channel.as_str(), status.as_str()) {
                    (_, "sent" | "unknown" | "failed") => p[SKIP] = status.as_str().into(),
                    ("sms", "pending") => sending.push(id),
                    ("sms", "sending") if keys => {
                        metrics::counter!("balai_notifications_in_doubt_total",
                            "channel" => "sms", "action" => "resent_with_key")
                        .increment(1);
                        tracing::warn!(notification_id = id,
                            "SMS delivery was cut short before; sending again with its Idempotency-Key");
                    }
                    ("sms", "sending") => {
                        held.push(id);
                        p[SKIP] = "unknown".into();
                        metrics::counter!("balai_notifications_in_doubt_total",
                            "channel" => "sms", "action" => "held_unknown")
                        .increment(1);
                        tracing::warn!(notification_id = id,
                            "SMS delivery was cut short and the gateway takes no Idempotency-Key: marked unknown, not sent again");
                    }
                    _ => {}
                }
            }
            set_status(tx, &sending, "sending", None).await?;
            let why = "delivery cut short; the gateway may have sent it (no idempotency key)";
            set_status(tx, &held, "unknown", Some(why)).await
        })
    }
}

async fn set_status(
    tx: &mut Tx,
    ids: &[i64],
    status: &str,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    with_tx!(tx, |c| {
        let mut q = sqlx::QueryBuilder::new("UPDATE notifications SET status = ");
        q.push_bind(status);
        if let Some(e) = error {
            q.push(", last_error = ").push_bind(e);
        }
        q.push(" WHERE status <> 'sent' AND id");
        crate::db::push_in_list(&mut q, ids);
        q.build().execute(&mut *c).await.map(|_| ())
    })
}

/// The delivery attempts of a worker's batch, written with the jobs' outcomes: sent; still
/// `sending` after an attempt cut short (the next attempt decides, see [`mark_sending`]); or
/// pending with the error (one statement per distinct outcome). A run that was skipped
/// changes nothing.
fn record_delivery<'a>(
    tx: &'a mut Tx,
    attempts: &'a [crate::jobs::Outcome<'a>],
) -> crate::group_commit::TxFuture<'a, Result<(), sqlx::Error>> {
    Box::pin(async move {
        let mut by_outcome: std::collections::HashMap<Option<&str>, Vec<i64>> = Default::default();
        for (payload, result) in attempts {
            if payload.get(SKIP).is_some() {
                continue;
            }
            if let Some(id) = notification_id(payload) {
                let err = result.as_ref().err().map(String::as_str);
                by_outcome.entry(err).or_default().push(id);
            }
        }
        let now = crate::db::now();
        for (err, ids) in by_outcome {
            let status = match err {
                None => "sent",
                Some(e) if e.starts_with(UNCERTAIN) => "sending",
                Some(_) => "pending",
            };
            with_tx!(tx, |c| {
                let mut q = sqlx::QueryBuilder::new("UPDATE notifications SET status = ");
                q.push_bind(status)
                    .push(", attempts = attempts + 1, last_error = ")
                    .push_bind(err)
                    .push(", sent_at = ")
                    .push_bind(err.is_none().then_some(now))
                    .push(" WHERE status <> 'sent' AND id");
                crate::db::push_in_list(&mut q, &ids);
                q.build().execute(&mut *c).await.map(|_| ())
            })?;
        }
        Ok(())
    })
}

pub fn register(registry: &mut JobRegistry, smtp: SmtpSettings, sms: SmsSettings) {
    // One client for every delivery: it keeps connections to the gateway open. Building it
    // fails only when a TLS backend cannot start, and none is compiled in; the default client
    // would then be the same.
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .unwrap_or_default();
    registry.on_start(
        JOB_KIND,
        std::sync::Arc::new(mark_sending(sms.gateway_idempotency_key)),
    );
    registry.register_with_outcome(
        JOB_KIND,
        move |db, payload| deliver(db, client.clone(), smtp.clone(), sms.clone(), payload),
        std::sync::Arc::new(record_delivery),
    );
}

//! The notification outbox: email over SMTP (lettre) and SMS through an HTTP gateway.
//!
//! A feature queues a notification in the same transaction as the change it reports; a job
//! delivers it later with retries, so a slow mail server never slows a request and a crash
//! never loses a message.

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
        .form(&[("to", n.recipient.as_str()), ("text", n.body.as_str())]);
    if let Some(t) = &sms.gateway_token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.map_err(|e| e.to_string())?;
    if res.status().is_success() {
        Ok(())
    } else {
        Err(format!("gateway answered {}", res.status()))
    }
}

fn notification_id(payload: &serde_json::Value) -> Option<i64> {
    payload.get("notification_id").and_then(|v| v.as_i64())
}

/// Send one notification. Its row is updated by [`record_delivery`], in the transaction that
/// records the job's outcome.
async fn deliver(
    db: Db,
    client: reqwest::Client,
    smtp: SmtpSettings,
    sms: SmsSettings,
    payload: serde_json::Value,
) -> Result<(), String> {
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

/// The delivery attempts of a worker's batch, written with the jobs' outcomes: sent, or still
/// pending with the error (one statement per distinct outcome).
fn record_delivery<'a>(
    tx: &'a mut Tx,
    attempts: &'a [crate::jobs::Outcome<'a>],
) -> crate::group_commit::TxFuture<'a, Result<(), sqlx::Error>> {
    Box::pin(async move {
        let mut by_outcome: std::collections::HashMap<Option<&str>, Vec<i64>> = Default::default();
        for (payload, result) in attempts {
            if let Some(id) = notification_id(payload) {
                let err = result.as_ref().err().map(String::as_str);
                by_outcome.entry(err).or_default().push(id);
            }
        }
        let now = crate::db::now();
        for (err, ids) in by_outcome {
            let status = if err.is_none() { "sent" } else { "pending" };
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
    registry.register_with_outcome(
        JOB_KIND,
        move |db, payload| deliver(db, client.clone(), smtp.clone(), sms.clone(), payload),
        std::sync::Arc::new(record_delivery),
    );
}

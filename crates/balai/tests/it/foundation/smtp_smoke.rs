//! Smoke test of the SMTP sink harness (`support::smtp`).

use crate::support::smtp;

use std::time::Duration;

use crate::support::smtp::SmtpSink;
use anyhow::Result;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[tokio::test]
async fn lettre_mail_reaches_sink() -> Result<()> {
    let sink = SmtpSink::start()?;
    assert!(sink.messages().is_empty());

    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(sink.host())
        .port(sink.port())
        .timeout(Some(Duration::from_secs(10)))
        .build();

    let from: Mailbox = "Balai <noreply@balai.test>".parse()?;
    for (i, to) in ["alice@example.test", "bob@example.test"]
        .iter()
        .enumerate()
    {
        let email = Message::builder()
            .from(from.clone())
            .to(to.parse()?)
            .subject(format!("Test {i}: héllo"))
            .body(format!("Hello number {i}.\nSecond line.\n"))?;
        mailer.send(email).await?;
    }

    let msgs = sink.wait_for(2, Duration::from_secs(10)).await?;
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        smtp::header(&msgs[0], "X-Envelope-From"),
        Some("noreply@balai.test")
    );
    assert_eq!(
        smtp::header(&msgs[0], "X-Envelope-To"),
        Some("alice@example.test")
    );
    assert_eq!(smtp::header(&msgs[1], "To"), Some("bob@example.test"));
    assert!(smtp::header(&msgs[1], "Subject").is_some_and(|s| s.contains("Test 1")));
    assert!(smtp::body(&msgs[0]).contains("Hello number 0."));
    Ok(())
}

#[tokio::test]
async fn wait_for_times_out_without_mail() -> Result<()> {
    let sink = SmtpSink::start()?;
    let err = sink.wait_for(1, Duration::from_millis(200)).await;
    assert!(err.is_err());
    Ok(())
}

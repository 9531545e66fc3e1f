//! Telling the reporter: by email when they gave one, else by SMS (through the outbox, in the
//! caller's transaction, so a notice is sent only for a change that committed).

use balai_core::{outbox, Tx};

/// Where to tell a reporter: by email when given, else by SMS.
pub fn contact_channel<'a>(
    email: Option<&'a str>,
    phone: Option<&'a str>,
) -> Option<(outbox::Channel, &'a str)> {
    match (email, phone) {
        (Some(m), _) => Some((outbox::Channel::Email, m)),
        (None, Some(p)) => Some((outbox::Channel::Sms, p)),
        (None, None) => None,
    }
}

/// Tell the reporter, by email when given, else by SMS.
pub async fn notify_contact(
    tx: &mut Tx,
    email: Option<&str>,
    phone: Option<&str>,
    subject: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    if let Some((channel, to)) = contact_channel(email, phone) {
        outbox::enqueue(tx, channel, to, subject, body).await?;
    }
    Ok(())
}

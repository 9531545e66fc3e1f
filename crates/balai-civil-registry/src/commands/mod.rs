//! One module per write use case; each authorizes, decides with the domain rules, stores and
//! records its audit event in one transaction.

pub mod act;
pub mod apply;
pub mod offerings;
pub mod resubmit;
pub mod reveal;
pub mod services;

use balai_core::outbox::{self, Channel};
use balai_core::Tx;

use crate::errors::CrResult;

/// Tell the applicant, by email if they gave one, else by SMS (neither: nothing is sent).
async fn notify(
    tx: &mut Tx,
    email: Option<&str>,
    phone: Option<&str>,
    subject: &str,
    body: &str,
) -> CrResult<()> {
    if let Some(e) = email {
        outbox::enqueue(tx, Channel::Email, e, subject, body).await?;
    } else if let Some(p) = phone {
        outbox::enqueue(tx, Channel::Sms, p, subject, body).await?;
    }
    Ok(())
}

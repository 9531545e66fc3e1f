//! Satisfaction-survey codes on the receipts Balai already shows (a complaint's tracking page,
//! a population-document receipt, an information-request receipt): one single-use code per
//! receipt, bound to the unit, the service and the day it is first shown, so that every
//! service visit can be rated once (PermenPANRB 14/2017; DOMAIN.md §6). Kinerja issues the
//! codes ([`ReceiptSurveys`], kept in the application state by the binary); a feature only
//! asks for the code of its receipt with [`receipt_code`] and shows it with the template
//! `survey_receipt.html` (a field `survey: Option<ReceiptSurvey>` on its page).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::db::Db;
use crate::web::AppCtx;

/// The receipt a code is for.
#[derive(Clone, Debug)]
pub struct Receipt<'a> {
    /// The feature's receipt, e.g. `complaint:42`; one code per receipt.
    pub key: String,
    /// The service unit (agency) that served the visit.
    pub agency_id: i64,
    /// The service, as the survey report groups it (e.g. `KTP-el`).
    pub service: &'a str,
}

impl<'a> Receipt<'a> {
    pub fn new(kind: &str, id: impl std::fmt::Display, agency_id: i64, service: &'a str) -> Self {
        Receipt {
            key: format!("{kind}:{id}"),
            agency_id,
            service,
        }
    }
}

/// A receipt's survey code as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptSurvey {
    /// As printed, `ABCDE-FGHJK`.
    pub code: String,
    /// The survey page, `/survei/{code}`.
    pub path: String,
    /// The last day the code is accepted, as people write it (in the page's language).
    pub until_id: String,
    pub until_en: String,
    /// Already answered (the receipt says so instead of asking again).
    pub used: bool,
}

pub type ReceiptFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<ReceiptSurvey>, sqlx::Error>> + Send + 'a>>;

/// Issues (once) and returns a receipt's code; `None` when the unit cannot be surveyed.
pub trait ReceiptSurveys: Send + Sync {
    fn code_for<'a>(&'a self, db: &'a Db, receipt: &'a Receipt<'a>) -> ReceiptFuture<'a>;
}

/// The issuer of the running application.
#[derive(Clone)]
pub struct SurveyIssuer(pub Arc<dyn ReceiptSurveys>);

/// The survey code of a receipt, issued the first time it is asked for and the same on every
/// later call. A receipt shows without one when no issuer runs or issuing fails (logged): the
/// survey never stands in the way of the receipt.
pub async fn receipt_code(ctx: &AppCtx, receipt: Receipt<'_>) -> Option<ReceiptSurvey> {
    let issuer = ctx.ext.get::<SurveyIssuer>()?;
    match issuer.0.code_for(&ctx.db, &receipt).await {
        Ok(code) => code,
        Err(e) => {
            tracing::warn!(error = %e, "survey code for a receipt not issued");
            None
        }
    }
}

//! Survey codes for the receipts other features show ([`balai_core::survey`]): the first time
//! a receipt is shown, one code bound to its unit, its service and that day (in the unit's
//! time zone) is issued and linked to the receipt; every later showing finds the same code.
//! Two showings at once issue one code: the link's primary key lets one transaction win, the
//! other rolls back its code and reads the winner's.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::i18n::Lang;
use balai_core::survey::{Receipt, ReceiptFuture, ReceiptSurvey, ReceiptSurveys};
use balai_core::Db;
use serde_json::json;

use super::issue_codes::{expiry, unit_offset, unit_today};
use crate::domain::audit as actions;
use crate::domain::codes::SurveyCode;
use crate::store::codes::{self, CodeRow, NewCode};
use crate::store::receipts;

/// The batch name of codes issued for receipts (a print run's is random).
const RECEIPT_BATCH: &str = "receipt";

/// Kinerja's issuer, registered by the binary; codes live `valid_days` after the visit.
pub struct ReceiptCodes {
    pub valid_days: i64,
}

impl ReceiptSurveys for ReceiptCodes {
    fn code_for<'a>(&'a self, db: &'a Db, receipt: &'a Receipt<'a>) -> ReceiptFuture<'a> {
        Box::pin(for_receipt(db, receipt, self.valid_days))
    }
}

fn shown(row: &CodeRow, region: &str) -> ReceiptSurvey {
    let last_day = row.expires_at.to_offset(unit_offset(region)).date() - time::Duration::days(1);
    let display = SurveyCode::parse(&row.code).map_or_else(|| row.code.clone(), |c| c.display());
    ReceiptSurvey {
        path: format!("/survei/{}", row.code),
        code: display,
        until_id: balai_core::format::date(last_day, Lang::Id),
        until_en: balai_core::format::date(last_day, Lang::En),
        used: row.used,
    }
}

/// A service name fit for a code: one line, at most 100 characters.
fn service_name(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or("")
        .trim()
        .chars()
        .take(100)
        .collect()
}

async fn for_receipt(
    db: &Db,
    r: &Receipt<'_>,
    valid_days: i64,
) -> Result<Option<ReceiptSurvey>, sqlx::Error> {
    let Some(unit) = balai_core::accounts::get_agency(db, r.agency_id).await? else {
        return Ok(None);
    };
    if let Some(row) = receipts::code_of(db, &r.key).await? {
        return Ok(Some(shown(&row, &unit.region_code)));
    }
    let service = service_name(r.service);
    let (service_day, offset) = unit_today(&unit.region_code);
    let expires_at = expiry(service_day, offset, valid_days);
    let mut tx = db.begin().await?;
    let code = loop {
        let code = SurveyCode::generate(&mut rand::thread_rng());
        let new = NewCode {
            code: code.as_str(),
            agency_id: balai_core::ids::AgencyId(unit.id),
            service: &service,
            service_day,
            batch: RECEIPT_BATCH,
            expires_at,
            issued_by: None,
        };
        if codes::insert(&mut tx, &new).await? {
            break code;
        }
    };
    if !receipts::link(&mut tx, &r.key, code.as_str()).await? {
        // Shown twice at once: the other showing's code stands, this one is rolled back.
        drop(tx);
        let row = receipts::code_of(db, &r.key).await?;
        return Ok(row.map(|row| shown(&row, &unit.region_code)));
    }
    let kind = r.key.split(':').next().unwrap_or("");
    audit::record(
        &mut tx,
        &AuditContext::system("survey_receipt"),
        AuditEvent {
            action: actions::RECEIPT_CODE_ISSUED,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "receipt_kind": kind, "service": service,
                "service_day": service_day.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    let row = codes::get(db, code.as_str()).await?;
    Ok(row.map(|row| shown(&row, &unit.region_code)))
}

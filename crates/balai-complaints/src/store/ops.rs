//! Supporting queries: the SMS block list, escalation recipients, overdue clocks, assignment,
//! the sweep job and re-routing targets.

use balai_core::accounts::Agency;
use balai_core::db::{Db, Tx};
use balai_core::{with_db, with_tx};
use time::Date;

use super::Category;

pub async fn is_blocked(db: &Db, phone: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sms_blocklist WHERE phone = $1"
    )
    .bind(phone)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn block(tx: &mut Tx, phone: &str, reason: &str, by: &str) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO sms_blocklist (phone, reason, created_by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (phone) DO UPDATE SET reason = excluded.reason"
    )
    .bind(phone)
    .bind(reason)
    .bind(by)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn unblock(tx: &mut Tx, phone: &str) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "DELETE FROM sms_blocklist WHERE phone = $1"
    )
    .bind(phone)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Email addresses of an agency's supervisors (admins when it has none), for escalation.
pub async fn supervisor_emails(tx: &mut Tx, agency_id: i64) -> Result<Vec<String>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT email FROM users WHERE agency_id = $1 AND disabled = FALSE AND email IS NOT NULL
           AND role = (SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE agency_id = $1
                 AND role = 'supervisor' AND disabled = FALSE AND email IS NOT NULL)
               THEN 'supervisor' ELSE 'admin' END)
         ORDER BY id"
    )
    .bind(agency_id)
    .fetch_all(&mut *c)
    .await)
}

/// Open clocks due before `today`, with their complaint (for escalation and auto-close).
pub async fn overdue_clocks(
    db: &Db,
    purpose: &str,
    today: Date,
) -> Result<Vec<(i64, Date)>, sqlx::Error> {
    let ids: Vec<(String, Date)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT subject_id, due_day FROM clocks WHERE subject_kind = 'complaint' AND purpose = $1
           AND open = TRUE AND due_day < $2 ORDER BY due_day LIMIT 500"
    )
    .bind(purpose)
    .bind(today)
    .fetch_all(c)
    .await
    })?;
    Ok(ids
        .into_iter()
        .filter_map(|(s, d)| s.parse().ok().map(|i| (i, d)))
        .collect())
}

/// Is a user a member of the agency (for assignment)?
pub async fn user_in_agency(
    tx: &mut Tx,
    user_id: i64,
    agency_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND agency_id = $2 AND disabled = FALSE"
    )
    .bind(user_id)
    .bind(agency_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

/// Queue one sweep job (escalation, auto-close) unless one is already waiting.
pub async fn ensure_sweep_job(tx: &mut Tx, kind: &'static str) -> Result<(), sqlx::Error> {
    // Submissions sharing a transaction (group commit) need to look only once.
    if !tx.first_time(kind) {
        return Ok(());
    }
    let waiting: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status IN ('queued', 'running')"
    )
    .bind(kind)
    .fetch_one(&mut *c)
    .await)?;
    if waiting == 0 {
        balai_core::jobs::enqueue(tx, kind, &serde_json::json!({}), 3).await?;
    }
    Ok(())
}

/// Agencies a report in `village` may be re-routed to: those above the village, and BKN
/// (ASN-neutrality cases go from Bawaslu to BKN).
pub async fn agencies_for_reroute(
    db: &Db,
    village: Option<&str>,
) -> Result<Vec<Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies
         WHERE region_code = $1 OR $1 LIKE region_code || '.%' OR kind = 'bkn'
         ORDER BY region_code, kind, name LIMIT 200"
    )
    .bind(village.unwrap_or("-"))
    .fetch_all(c)
    .await)
}

/// An operator's classification of an unstructured report: category, village and agency.
pub async fn classify(
    tx: &mut Tx,
    id: i64,
    category: &Category,
    village: &str,
    agency_id: Option<i64>,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE complaints SET category_code = $2, report_type = $3, village_code = $4, agency_id = $5,
           needs_classification = FALSE, updated_at = $6 WHERE id = $1"
    )
    .bind(id)
    .bind(&category.code)
    .bind(&category.report_type)
    .bind(village)
    .bind(agency_id)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Moderation: hide a report (and its photos) from the public.
pub async fn set_hidden(tx: &mut Tx, id: i64, hidden: bool) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET hidden = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(hidden)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Moderation: the publicly shown text, with personal data redacted (officials keep the
/// original description); the title is derived from the new text.
pub async fn set_public_description(tx: &mut Tx, id: i64, text: &str) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaints SET public_description = $2, title = $4, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(text)
    .bind(balai_core::db::now())
    .bind(crate::submit::title_from(text))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Moderation: hide one photo of a report.
pub async fn hide_photo(tx: &mut Tx, complaint_id: i64, photo_id: i64) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE complaint_photos SET hidden = TRUE WHERE id = $1 AND complaint_id = $2"
    )
    .bind(photo_id)
    .bind(complaint_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

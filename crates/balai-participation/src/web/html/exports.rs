//! The exports of a region's record: an iCalendar of the upcoming activities, and CSV files of
//! the activities and of the agreements (minutes only once published).

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use super::group_label;
use crate::domain::ical::{self, Event};
use crate::errors::ParticipationError;
use crate::queries::record;

fn typed(body: String, content_type: &'static str, filename: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The upcoming activities of a region and under it (today and later).
pub async fn ical(State(ctx): State<AppCtx>, Path(code): Path<String>) -> AppResult<Response> {
    let rec = record::load(&ctx.db, code.trim_end_matches(".ics")).await?;
    let places = super::views::names(
        &ctx.db,
        rec.activities
            .iter()
            .map(|a| a.row.region_code.clone())
            .collect(),
    )
    .await;
    let events: Vec<Event> = rec
        .activities
        .iter()
        .rev()
        .filter(|a| a.row.day >= rec.today)
        .map(|a| Event {
            uid: format!("activity-{}@balai", a.row.id),
            day: a.row.day,
            summary: a.row.title.clone(),
            location: places
                .get(&a.row.region_code)
                .cloned()
                .unwrap_or_else(|| a.row.region_code.clone()),
            description: format!(
                "{} · {} · {}",
                group_label(&a.row.target_group, balai_core::i18n::Lang::Id),
                a.row.organiser_name,
                a.row.agenda.as_deref().unwrap_or("")
            ),
            cancelled: a.row.withdrawn(),
        })
        .collect();
    let stamp = balai_core::db::now()
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_default();
    let name = format!("Kolaborasi {}", rec.region_name);
    Ok(typed(
        ical::calendar(&name, &stamp, &events),
        "text/calendar; charset=utf-8",
        &format!("kegiatan-{}.ics", rec.region_code),
    ))
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, AppError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| AppError::internal(e);
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(r).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    String::from_utf8(bytes).map_err(|e| ParticipationError::Core(AppError::internal(e)).into())
}

pub async fn activities_csv(
    State(ctx): State<AppCtx>,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let rec = record::load(&ctx.db, code.trim_end_matches(".csv")).await?;
    let places = super::views::names(
        &ctx.db,
        rec.activities
            .iter()
            .map(|a| a.row.region_code.clone())
            .collect(),
    )
    .await;
    let rows = rec
        .activities
        .iter()
        .map(|a| {
            let r = &a.row;
            vec![
                r.id.to_string(),
                r.day.to_string(),
                r.title.clone(),
                r.region_code.clone(),
                r.target_group.clone(),
                r.participants.to_string(),
                r.organiser_name.clone(),
                r.agreement_id.map(|i| i.to_string()).unwrap_or_default(),
                r.clause_number.map(|i| i.to_string()).unwrap_or_default(),
                a.attendance
                    .iter()
                    .map(|t| match t.attendees {
                        Some(n) => format!("{} ({n})", t.institution),
                        None => t.institution.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                r.minutes_status.clone(),
                a.published_minutes().unwrap_or_default().to_string(),
                a.followups.len().to_string(),
                places.get(&r.region_code).cloned().unwrap_or_default(),
                r.withdrawn_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "id",
        "date",
        "title",
        "region_code",
        "target_group",
        "participants",
        "organiser",
        "agreement_id",
        "clause",
        "attendance",
        "minutes_status",
        "minutes",
        "follow_ups",
        "region_name",
        // Set once the organiser withdrew (cancelled) it; the row stays.
        "withdrawn_reason",
    ];
    Ok(typed(
        csv_text(&header, rows)?,
        "text/csv; charset=utf-8",
        &format!("kegiatan-{}.csv", rec.region_code),
    ))
}

pub async fn agreements_csv(
    State(ctx): State<AppCtx>,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let rec = record::load(&ctx.db, code.trim_end_matches(".csv")).await?;
    let places = super::views::names(
        &ctx.db,
        rec.agreements
            .iter()
            .map(|a| a.row.region_code.clone())
            .collect(),
    )
    .await;
    let rows = rec
        .agreements
        .iter()
        .map(|a| {
            let r = &a.row;
            vec![
                r.id.to_string(),
                r.number.clone(),
                r.title.clone(),
                r.region_code.clone(),
                r.signed_on.to_string(),
                r.valid_from.to_string(),
                r.valid_until.to_string(),
                a.standing.as_str().to_string(),
                a.parties
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                a.clauses.len().to_string(),
                r.legal_basis.clone().unwrap_or_default(),
                places.get(&r.region_code).cloned().unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "id",
        "number",
        "title",
        "region_code",
        "signed_on",
        "valid_from",
        "valid_until",
        "standing",
        "parties",
        "clauses",
        "legal_basis",
        "region_name",
    ];
    Ok(typed(
        csv_text(&header, rows)?,
        "text/csv; charset=utf-8",
        &format!("perjanjian-{}.csv", rec.region_code),
    ))
}

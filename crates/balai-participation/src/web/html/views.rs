//! What the pages show of the records, in the reader's language: names not codes, dates as
//! people write them, minutes only once published.

use std::collections::HashMap;

use balai_core::i18n::Lang;
use balai_core::regions::{self, RegionCode};
use balai_core::Db;
use time::Date;

use super::{day, group_label};
use crate::domain::agreement::Standing;
use crate::domain::minutes::MinutesStatus;
use crate::queries::record::{Activity, Agreement};
use crate::store::followups::FollowUpRow;

/// Region names of some codes.
pub async fn names(db: &Db, codes: Vec<String>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in &codes {
        if out.contains_key(c) {
            continue;
        }
        if let Ok(code) = RegionCode::parse(c) {
            if let Ok(Some(r)) = regions::get(db, &code).await {
                out.insert(c.clone(), r.name);
            }
        }
    }
    out
}

pub struct AgreementView {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub standing: String,
    pub in_force: bool,
    pub period: String,
    pub signed: String,
    pub parties: Vec<String>,
    pub clauses: Vec<(i64, String)>,
    pub legal_basis: String,
    /// After an early end: its first day no longer in force ("" when none), the reason and
    /// the agency that recorded it.
    pub ended_on: String,
    pub end_reason: String,
    pub ended_by: String,
}

pub fn agreement(a: &Agreement, lang: Lang) -> AgreementView {
    let r = &a.row;
    AgreementView {
        id: r.id,
        number: r.number.clone(),
        title: r.title.clone(),
        standing: lang.tr(a.standing.label().0, a.standing.label().1).into(),
        in_force: a.standing == Standing::InForce,
        period: balai_core::format::date_range(r.valid_from, r.valid_until, lang),
        signed: day(r.signed_on, lang),
        parties: a.parties.iter().map(|p| p.name.clone()).collect(),
        clauses: a
            .clauses
            .iter()
            .map(|c| (c.number, c.text.clone()))
            .collect(),
        legal_basis: r.legal_basis.clone().unwrap_or_default(),
        ended_on: r.ended_on.map(|d| day(d, lang)).unwrap_or_default(),
        end_reason: r.end_reason.clone().unwrap_or_default(),
        ended_by: r.ended_agency_name.clone().unwrap_or_default(),
    }
}

pub struct FollowUpView {
    pub id: i64,
    pub activity_id: i64,
    pub activity: String,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub progress: i64,
    pub overdue: bool,
    pub note: String,
}

pub fn followup(f: &FollowUpRow, activity: &str, today: Date, lang: Lang) -> FollowUpView {
    FollowUpView {
        id: f.id,
        activity_id: f.activity_id,
        activity: activity.to_string(),
        action: f.action.clone(),
        owner: f.owner.clone(),
        due: day(f.due_on, lang),
        progress: f.progress,
        overdue: f.due_on < today && f.progress < 100,
        note: f.note.clone().unwrap_or_default(),
    }
}

pub struct ActivityView {
    pub id: i64,
    pub title: String,
    pub date: String,
    pub iso: String,
    pub place: String,
    pub group: String,
    pub participants: String,
    pub organiser: String,
    pub agenda: String,
    pub institutions: Vec<String>,
    pub agreement_id: i64,
    pub clause: String,
    /// The published minutes ("" before publication).
    pub minutes: String,
    pub minutes_state: String,
    pub upcoming: bool,
    pub followups: Vec<FollowUpView>,
    /// Withdrawn by its organiser: shown as cancelled, with when, by whom and why.
    pub cancelled: bool,
    pub cancellation: String,
}

pub fn activity(
    a: &Activity,
    places: &HashMap<String, String>,
    today: Date,
    lang: Lang,
) -> ActivityView {
    let r = &a.row;
    let institutions = a
        .attendance
        .iter()
        .map(|t| {
            let mut s = t.institution.clone();
            let mut extra = Vec::new();
            if let Some(n) = t.attendees {
                extra.push(format!(
                    "{} {}",
                    balai_core::format::integer(n, lang),
                    lang.tr("orang", "people")
                ));
            }
            if t.signed_list {
                extra.push(
                    lang.tr("daftar hadir bertanda tangan", "signed attendance list")
                        .into(),
                );
            }
            if !extra.is_empty() {
                s = format!("{s} ({})", extra.join(", "));
            }
            s
        })
        .collect();
    let minutes_state = match MinutesStatus::parse(&r.minutes_status) {
        MinutesStatus::None => lang.tr("Belum ada notulen", "No minutes yet"),
        MinutesStatus::Draft => lang.tr(
            "Notulen menunggu persetujuan instansi yang hadir",
            "Minutes awaiting the attending agencies' approval",
        ),
        MinutesStatus::Published => lang.tr("Notulen disetujui", "Minutes approved"),
    };
    ActivityView {
        id: r.id,
        title: r.title.clone(),
        date: balai_core::format::date_with_weekday(r.day, lang),
        iso: r.day.to_string(),
        place: places
            .get(&r.region_code)
            .cloned()
            .unwrap_or_else(|| r.region_code.clone()),
        group: group_label(&r.target_group, lang),
        participants: balai_core::format::integer(r.participants, lang),
        organiser: r.organiser_name.clone(),
        agenda: r.agenda.clone().unwrap_or_default(),
        institutions,
        agreement_id: r.agreement_id.unwrap_or(0),
        clause: r.clause_number.map(|c| c.to_string()).unwrap_or_default(),
        minutes: a.published_minutes().unwrap_or_default().to_string(),
        minutes_state: minutes_state.into(),
        upcoming: r.day >= today,
        cancelled: r.withdrawn(),
        cancellation: r
            .withdrawn_at
            .map(|at| {
                let wib = at
                    .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
                format!(
                    "{} {} {} {}. {}: {}",
                    lang.tr("Dibatalkan pada", "Cancelled on"),
                    day(wib.date(), lang),
                    lang.tr("oleh", "by"),
                    r.withdrawn_agency_name.as_deref().unwrap_or_default(),
                    lang.tr("Alasan", "Reason"),
                    r.withdrawn_reason.as_deref().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        followups: a
            .followups
            .iter()
            .map(|f| followup(f, &r.title, today, lang))
            .collect(),
    }
}

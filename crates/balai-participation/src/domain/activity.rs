//! An outreach activity or meeting: title, place (region), date, target group, participants,
//! attending organisations and attendance per institution, the agreement (and clause) it
//! carries out; and its follow-up actions (DOMAIN.md §11).

use balai_core::regions::RegionCode;
use time::Date;

use super::invalid::Invalid;
use super::target_group::TargetGroup;
use super::text::{date, number, optional, required};

pub const TITLE_MAX: usize = 300;
pub const AGENDA_MAX: usize = 2000;
pub const NAME_MAX: usize = 200;
pub const MAX_ORGANISATIONS: usize = 50;
pub const MAX_PARTICIPANTS: i64 = 1_000_000;
pub const MAX_ATTENDEES: i64 = 100_000;
pub const MAX_CLAUSE: i64 = 100;
pub const MINUTES_MAX: usize = 20_000;
pub const ACTION_MAX: usize = 500;
pub const NOTE_MAX: usize = 1000;

/// One institution's attendance as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attendance {
    pub institution: String,
    /// A Balai agency (its approval is needed before the minutes are published).
    pub agency_id: Option<i64>,
    pub attendees: Option<i64>,
    /// The signed attendance list is kept.
    pub signed_list: bool,
}

/// An activity as sent (form or API), not yet checked.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub agreement_id: Option<i64>,
    pub clause: Option<i64>,
    pub title: String,
    pub region_code: String,
    pub date: String,
    pub target_group: String,
    pub participants: i64,
    pub organisations: Vec<String>,
    pub agenda: String,
    pub attendance: Vec<Attendance>,
}

/// A checked activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewActivity {
    pub agreement_id: Option<i64>,
    pub clause: Option<i64>,
    pub title: String,
    pub region: RegionCode,
    pub day: Date,
    pub target_group: TargetGroup,
    pub participants: i64,
    pub agenda: Option<String>,
    /// The attending organisations named alone, then the attendance rows, one list.
    pub attendance: Vec<Attendance>,
}

pub fn validate(d: &Draft) -> Result<NewActivity, Invalid> {
    let title = required(&d.title, "title", TITLE_MAX)?;
    let region = RegionCode::parse(d.region_code.trim()).map_err(|_| Invalid::BadRegion)?;
    let day = date(&d.date, "date")?;
    let target_group = TargetGroup::parse(&d.target_group).ok_or(Invalid::TargetGroup)?;
    let participants = number(d.participants, "participants", 0, MAX_PARTICIPANTS)?;
    let clause = d
        .clause
        .map(|c| number(c, "clause", 1, MAX_CLAUSE))
        .transpose()?;
    if d.organisations.len() + d.attendance.len() > MAX_ORGANISATIONS {
        return Err(Invalid::List("organisations", MAX_ORGANISATIONS));
    }
    let mut attendance = Vec::new();
    for o in &d.organisations {
        attendance.push(Attendance {
            institution: required(o, "organisations", NAME_MAX)?,
            ..Attendance::default()
        });
    }
    for a in &d.attendance {
        attendance.push(Attendance {
            institution: required(&a.institution, "institution", NAME_MAX)?,
            agency_id: a.agency_id,
            attendees: a
                .attendees
                .map(|n| number(n, "attendees", 0, MAX_ATTENDEES))
                .transpose()?,
            signed_list: a.signed_list,
        });
    }
    Ok(NewActivity {
        agreement_id: d.agreement_id,
        clause,
        title,
        region,
        day,
        target_group,
        participants,
        agenda: optional(&d.agenda, "agenda", AGENDA_MAX)?,
        attendance,
    })
}

/// What an activity is checked against when it carries out an agreement.
#[derive(Clone, Copy, Debug)]
pub struct AgreementFrame<'a> {
    pub region_code: &'a str,
    pub valid_from: Date,
    pub valid_until: Date,
    pub clauses: i64,
}

/// An activity under an agreement is held inside its region, within its validity, and names
/// one of its clauses (if any).
pub fn fits(a: &NewActivity, frame: AgreementFrame<'_>) -> Result<(), Invalid> {
    if a.day < frame.valid_from || a.day > frame.valid_until {
        return Err(Invalid::ActivityOutsidePeriod);
    }
    let inside = RegionCode::parse(frame.region_code).is_ok_and(|r| r.contains(a.region.as_str()));
    if !inside {
        return Err(Invalid::ActivityOutsideRegion);
    }
    if a.clause.is_some_and(|c| c > frame.clauses) {
        return Err(Invalid::UnknownClause);
    }
    Ok(())
}

/// A follow-up action as sent.
#[derive(Clone, Debug, Default)]
pub struct FollowUpDraft {
    pub action: String,
    pub owner: String,
    pub owner_agency_id: Option<i64>,
    pub due_on: String,
    pub progress: i64,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFollowUp {
    pub action: String,
    pub owner: String,
    pub owner_agency_id: Option<i64>,
    pub due_on: Date,
    pub progress: i64,
    pub note: Option<String>,
}

pub fn validate_followup(d: &FollowUpDraft) -> Result<NewFollowUp, Invalid> {
    Ok(NewFollowUp {
        action: required(&d.action, "action", ACTION_MAX)?,
        owner: required(&d.owner, "owner", NAME_MAX)?,
        owner_agency_id: d.owner_agency_id,
        due_on: date(&d.due_on, "due_on")?,
        progress: number(d.progress, "progress", 0, 100)?,
        note: optional(&d.note, "note", NOTE_MAX)?,
    })
}

/// A progress update: the share done (0–100) and a note.
pub fn validate_progress(progress: i64, note: &str) -> Result<(i64, Option<String>), Invalid> {
    Ok((
        number(progress, "progress", 0, 100)?,
        optional(note, "note", NOTE_MAX)?,
    ))
}

/// Minutes' text: required, long.
pub fn validate_minutes(text: &str) -> Result<String, Invalid> {
    let t = text.trim();
    if t.is_empty() || text.chars().count() > MINUTES_MAX {
        return Err(Invalid::Text("text", MINUTES_MAX));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> Draft {
        Draft {
            title: "Sosialisasi di SMA Negeri 1".into(),
            region_code: "32.79.01".into(),
            date: "2024-10-10".into(),
            target_group: "pemilih_pemula".into(),
            participants: 120,
            organisations: vec!["SMA Negeri 1 Banjar".into()],
            attendance: vec![Attendance {
                institution: "KPU Kota Banjar".into(),
                agency_id: Some(4),
                attendees: Some(3),
                signed_list: true,
            }],
            ..Draft::default()
        }
    }

    #[test]
    fn checks_and_agreement_frame() {
        let a = validate(&draft()).unwrap();
        assert_eq!(a.attendance.len(), 2);
        assert_eq!(a.target_group, TargetGroup::PemilihPemula);
        let frame = AgreementFrame {
            region_code: "32.79",
            valid_from: date!(2024 - 03 - 01),
            valid_until: date!(2024 - 12 - 31),
            clauses: 2,
        };
        assert_eq!(fits(&a, frame), Ok(()));
        let mut late = draft();
        late.date = "2025-01-01".into();
        assert_eq!(
            fits(&validate(&late).unwrap(), frame),
            Err(Invalid::ActivityOutsidePeriod)
        );
        let mut away = draft();
        away.region_code = "16.71".into();
        assert_eq!(
            fits(&validate(&away).unwrap(), frame),
            Err(Invalid::ActivityOutsideRegion)
        );
        let mut clause = draft();
        clause.clause = Some(3);
        assert_eq!(
            fits(&validate(&clause).unwrap(), frame),
            Err(Invalid::UnknownClause)
        );
        let mut bad = draft();
        bad.target_group = "semua".into();
        assert_eq!(validate(&bad), Err(Invalid::TargetGroup));
        let mut bad = draft();
        bad.participants = -1;
        assert!(validate(&bad).is_err());
    }

    #[test]
    fn followups() {
        let d = FollowUpDraft {
            action: "Bimtek relawan demokrasi".into(),
            owner: "KPU Kota Banjar".into(),
            due_on: "2024-11-01".into(),
            progress: 40,
            ..FollowUpDraft::default()
        };
        assert_eq!(validate_followup(&d).unwrap().progress, 40);
        assert!(validate_progress(101, "").is_err());
        assert!(validate_minutes("  ").is_err());
    }
}

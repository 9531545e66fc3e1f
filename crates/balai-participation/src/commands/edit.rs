//! Edit a recorded agreement (an official of one of its parties, who stays a party) or
//! activity (an official of its organiser), with the checks of recording it, and for an
//! agreement also that every activity already carrying it out still fits its period, region
//! and clauses. The changed fields, before and after, go into the audit event and the public
//! history in the same transaction; an edit that changes nothing is refused.

use balai_core::audit::AuditEvent;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde_json::json;

use super::authorize::{acts_for, agency_id, audited, by, require};
use crate::domain::access::{common_region, covers};
use crate::domain::activity::{self as act, fits, AgreementFrame, NewActivity};
use crate::domain::agreement::{self as agr, NewAgreement};
use crate::domain::audit as actions;
use crate::domain::change::{as_json, diff, Snapshot};
use crate::domain::ending::last_day_in_force;
use crate::domain::invalid::Invalid;
use crate::domain::permissions::Action;
use crate::errors::{PResult, ParticipationError};
use crate::store::activities::{ActivityRow, AttendanceRow};
use crate::store::agreements::AgreementRow;
use crate::store::{activities, agencies, agreements, changes};

fn agreement_snapshot(r: &AgreementRow, parties: &[String], clauses: &[String]) -> Snapshot {
    let numbered: Vec<String> = clauses
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{}. {c}", i + 1))
        .collect();
    [
        ("title", r.title.clone()),
        ("number", r.number.clone()),
        ("parties", parties.join("; ")),
        ("signed_on", r.signed_on.to_string()),
        ("valid_from", r.valid_from.to_string()),
        ("valid_until", r.valid_until.to_string()),
        ("clauses", numbered.join("\n")),
        ("legal_basis", r.legal_basis.clone().unwrap_or_default()),
    ]
    .into_iter()
    .collect()
}

fn as_row(id: i64, a: &NewAgreement, region: &str) -> AgreementRow {
    AgreementRow {
        id,
        number: a.number.clone(),
        title: a.title.clone(),
        region_code: region.to_string(),
        signed_on: a.signed_on,
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        legal_basis: a.legal_basis.clone(),
        ended_on: None,
        end_reason: None,
        ended_agency_name: None,
    }
}

/// The name an edit is shown under: the official's agency (or "Balai" for a super-admin).
pub(super) fn editor(actor: &Actor) -> String {
    actor
        .agency
        .as_ref()
        .map_or_else(|| "Balai".to_string(), |g| g.name.clone())
}

/// Every activity carrying out the agreement still fits it as edited.
async fn activities_still_fit(
    ctx: &AppCtx,
    id: i64,
    a: &NewAgreement,
    region: &str,
) -> PResult<()> {
    for r in activities::of_agreement(&ctx.db, id).await? {
        if r.withdrawn() {
            continue;
        }
        let held = NewActivity {
            agreement_id: Some(id),
            clause: r.clause_number,
            title: r.title,
            region: balai_core::regions::RegionCode::parse(&r.region_code)
                .map_err(|_| Invalid::BadRegion)?,
            day: r.day,
            target_group: crate::domain::target_group::TargetGroup::parse(&r.target_group)
                .ok_or(Invalid::TargetGroup)?,
            participants: r.participants,
            agenda: r.agenda,
            attendance: Vec::new(),
        };
        let frame = AgreementFrame {
            region_code: region,
            valid_from: a.valid_from,
            valid_until: a.valid_until,
            clauses: a.clauses.len() as i64,
        };
        fits(&held, frame)?;
    }
    Ok(())
}

pub async fn agreement(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: i64,
    draft: &agr::Draft,
) -> PResult<()> {
    let a = agr::validate(draft)?;
    require(actor, Action::RecordAgreement)?;
    let mut tx = ctx.begin().await?;
    let Some(current) = agreements::lock(&mut tx, id).await? else {
        return Err(ParticipationError::NotFound);
    };
    let parties = agreements::party_agencies(&mut tx, id).await?;
    let mine = agency_id(actor);
    // A party edits, and stays a party.
    if !parties.iter().any(|p| acts_for(actor, Some(*p)))
        || !(actor.is_superadmin() || a.agency_ids.iter().any(|g| Some(*g) == mine))
    {
        return Err(ParticipationError::Forbidden);
    }
    if current.ended_on.is_some() {
        return Err(Invalid::AlreadyEnded.into());
    }
    let found = agencies::by_ids_tx(&mut tx, &a.agency_ids).await?;
    if let Some(missing) = a
        .agency_ids
        .iter()
        .find(|g| !found.iter().any(|f| f.id == **g))
    {
        return Err(Invalid::UnknownAgency(*missing).into());
    }
    let region = common_region(found.iter().map(|g| g.region_code.as_str()))
        .ok_or(Invalid::NoCommonRegion)?;
    activities_still_fit(ctx, id, &a, &region).await?;
    let new_parties: Vec<(Option<i64>, String)> = a
        .agency_ids
        .iter()
        .filter_map(|g| found.iter().find(|f| f.id == *g))
        .map(|g| (Some(g.id), g.name.clone()))
        .chain(a.other_parties.iter().map(|n| (None, n.clone())))
        .collect();
    let old_parties: Vec<String> = agreements::parties_of(&ctx.db, id)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect();
    let old_clauses: Vec<String> = agreements::clauses_of(&ctx.db, id)
        .await?
        .into_iter()
        .map(|c| c.text)
        .collect();
    let names: Vec<String> = new_parties.iter().map(|(_, n)| n.clone()).collect();
    let changed = diff(
        &agreement_snapshot(&current, &old_parties, &old_clauses),
        &agreement_snapshot(&as_row(id, &a, &region), &names, &a.clauses),
    )?;
    agreements::update(&mut tx, id, &a, &region, &new_parties).await?;
    if a.valid_until != current.valid_until {
        crate::jobs::schedule_reminder(&mut tx, id, a.valid_until).await?;
    }
    record_change(
        &mut tx,
        meta,
        actor,
        (actions::TARGET_AGREEMENT, id),
        &region,
        &changed,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn activity_snapshot(r: &ActivityRow, attendance: &[AttendanceRow]) -> Snapshot {
    let rows: Vec<String> = attendance
        .iter()
        .map(|t| match t.attendees {
            Some(n) => format!("{} ({n})", t.institution),
            None => t.institution.clone(),
        })
        .collect();
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    [
        ("title", r.title.clone()),
        ("region_code", r.region_code.clone()),
        ("date", r.day.to_string()),
        ("target_group", r.target_group.clone()),
        ("participants", r.participants.to_string()),
        ("agenda", r.agenda.clone().unwrap_or_default()),
        ("agreement_id", opt(r.agreement_id)),
        ("clause", opt(r.clause_number)),
        ("attendance", rows.join("; ")),
    ]
    .into_iter()
    .collect()
}

fn activity_as_rows(current: &ActivityRow, a: &NewActivity) -> (ActivityRow, Vec<AttendanceRow>) {
    let row = ActivityRow {
        agreement_id: a.agreement_id,
        clause_number: a.clause,
        title: a.title.clone(),
        region_code: a.region.as_str().to_string(),
        day: a.day,
        target_group: a.target_group.as_str().to_string(),
        participants: a.participants,
        agenda: a.agenda.clone(),
        ..current.clone()
    };
    let attendance = a
        .attendance
        .iter()
        .map(|t| AttendanceRow {
            activity_id: current.id,
            institution: t.institution.clone(),
            agency_id: t.agency_id,
            attendees: t.attendees,
            signed_list: t.signed_list,
        })
        .collect();
    (row, attendance)
}

/// The checks of recording an activity, against the activity as edited.
async fn activity_fits(
    tx: &mut Tx,
    actor: &Actor,
    current: &ActivityRow,
    a: &NewActivity,
) -> PResult<()> {
    if !balai_core::regions::exists_in_tx(tx, a.region.as_str()).await? {
        return Err(ParticipationError::UnknownRegion);
    }
    if let Some(agreement_id) = a.agreement_id {
        let Some(ag) = agreements::lock(tx, agreement_id).await? else {
            return Err(Invalid::UnknownAgreement.into());
        };
        let parties = agreements::party_agencies(tx, agreement_id).await?;
        if !parties.iter().any(|p| acts_for(actor, Some(*p))) {
            return Err(ParticipationError::Forbidden);
        }
        let frame = AgreementFrame {
            region_code: &ag.region_code,
            valid_from: ag.valid_from,
            valid_until: last_day_in_force(ag.valid_until, ag.ended_on),
            clauses: agreements::clause_count(tx, agreement_id).await?,
        };
        fits(a, frame)?;
    }
    let organiser = agencies::by_ids_tx(
        tx,
        &current.organiser_agency_id.into_iter().collect::<Vec<_>>(),
    )
    .await?;
    if let Some(g) = organiser.first() {
        if !actor.is_superadmin() && !covers(&g.region_code, a.region.as_str()) {
            return Err(ParticipationError::Forbidden);
        }
    }
    let named: Vec<i64> = a.attendance.iter().filter_map(|r| r.agency_id).collect();
    let found = agencies::by_ids_tx(tx, &named).await?;
    if let Some(missing) = named.iter().find(|g| !found.iter().any(|f| f.id == **g)) {
        return Err(Invalid::UnknownAgency(*missing).into());
    }
    Ok(())
}

pub async fn activity(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: i64,
    draft: &act::Draft,
) -> PResult<()> {
    let a = act::validate(draft)?;
    require(actor, Action::RecordActivity)?;
    let mut tx = ctx.begin().await?;
    let Some(current) = activities::lock(&mut tx, id).await? else {
        return Err(ParticipationError::NotFound);
    };
    if !acts_for(actor, current.organiser_agency_id) {
        return Err(ParticipationError::Forbidden);
    }
    crate::domain::withdrawal::still_open(current.withdrawn())?;
    activity_fits(&mut tx, actor, &current, &a).await?;
    let old_attendance = activities::attendance_of(&ctx.db, id).await?;
    let (row, attendance) = activity_as_rows(&current, &a);
    let changed = diff(
        &activity_snapshot(&current, &old_attendance),
        &activity_snapshot(&row, &attendance),
    )?;
    activities::update(&mut tx, id, &a).await?;
    let region = a.region.as_str().to_string();
    record_change(
        &mut tx,
        meta,
        actor,
        (actions::TARGET_ACTIVITY, id),
        &region,
        &changed,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The public history row and the audit event of one edit.
async fn record_change(
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: &Actor,
    (kind, id): (&'static str, i64),
    region: &str,
    changed: &[crate::domain::change::Changed],
) -> PResult<()> {
    let (before, after) = as_json(changed);
    changes::insert(
        tx,
        (kind, id),
        (by(actor), &editor(actor)),
        (&before, &after),
    )
    .await?;
    let action = if kind == actions::TARGET_AGREEMENT {
        actions::AGREEMENT_EDITED
    } else {
        actions::ACTIVITY_EDITED
    };
    audited(
        tx,
        meta,
        actor,
        AuditEvent {
            action,
            target_kind: kind,
            target_id: id.to_string(),
            region_code: Some(region.to_string()),
            summary: json!({ "before": before, "after": after }),
        },
    )
    .await
}

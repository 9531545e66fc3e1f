//! A region's collaboration record, as the public sees it: the agreements of the region and
//! under it with their parties, clauses and standing; the activities with their attendance and
//! follow-ups; the forums with their members. Draft minutes are never part of it.

use balai_core::Db;
use time::Date;

use crate::domain::agreement::Standing;
use crate::domain::document::DocKind;
use crate::domain::minutes::MinutesStatus;
use crate::errors::PResult;
use crate::store::activities::{self, ActivityRow, AttendanceRow};
use crate::store::agreements::{self, AgreementRow, ClauseRow, PartyRow};
use crate::store::documents::{self, DocumentRow};
use crate::store::followups::{self, FollowUpRow};
use crate::store::forums::{self, ForumRow, MemberRow};

#[derive(Clone, Debug)]
pub struct Agreement {
    pub row: AgreementRow,
    pub parties: Vec<PartyRow>,
    pub clauses: Vec<ClauseRow>,
    pub standing: Standing,
    /// The current version of the signed agreement, if uploaded.
    pub document: Option<DocumentRow>,
}

#[derive(Clone, Debug)]
pub struct Activity {
    pub row: ActivityRow,
    pub attendance: Vec<AttendanceRow>,
    pub followups: Vec<FollowUpRow>,
    /// The current version of the signed attendance list, if uploaded.
    pub attendance_list: Option<DocumentRow>,
}

impl Activity {
    /// The minutes, once published; `None` before.
    pub fn published_minutes(&self) -> Option<&str> {
        (MinutesStatus::parse(&self.row.minutes_status) == MinutesStatus::Published)
            .then_some(self.row.minutes_text.as_deref())
            .flatten()
    }
}

#[derive(Clone, Debug)]
pub struct Forum {
    pub row: ForumRow,
    pub members: Vec<MemberRow>,
}

#[derive(Clone, Debug)]
pub struct Record {
    pub region_code: String,
    pub region_name: String,
    pub today: Date,
    pub agreements: Vec<Agreement>,
    pub activities: Vec<Activity>,
    pub forums: Vec<Forum>,
}

/// Take from `rows` those that `belongs` says are one record's, keeping the rest.
fn take<T>(rows: &mut Vec<T>, belongs: impl Fn(&T) -> bool) -> Vec<T> {
    let (mine, rest): (Vec<T>, Vec<T>) = std::mem::take(rows).into_iter().partition(belongs);
    *rows = rest;
    mine
}

pub async fn agreements_under(db: &Db, region: &str, today: Date) -> PResult<Vec<Agreement>> {
    let rows = agreements::under(db, region).await?;
    let mut parties = agreements::parties_under(db, region).await?;
    let mut clauses = agreements::clauses_under(db, region).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut docs = documents::current_of(db, DocKind::Agreement, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| Agreement {
            parties: take(&mut parties, |p| p.agreement_id == row.id),
            clauses: take(&mut clauses, |c| c.agreement_id == row.id),
            document: take(&mut docs, |d| d.owner_id == row.id).pop(),
            standing: Standing::on(row.valid_from, row.valid_until, row.ended_on, today),
            row,
        })
        .collect())
}

pub async fn activities_under(db: &Db, region: &str) -> PResult<Vec<Activity>> {
    let rows = activities::under(db, region).await?;
    let mut attendance = activities::attendance_under(db, region).await?;
    let mut follow = followups::under(db, region).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut docs = documents::current_of(db, DocKind::Attendance, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| Activity {
            attendance: take(&mut attendance, |t| t.activity_id == row.id),
            followups: take(&mut follow, |f| f.activity_id == row.id),
            attendance_list: take(&mut docs, |d| d.owner_id == row.id).pop(),
            row,
        })
        .collect())
}

/// The forums of a region and under it, with their members.
pub async fn forums_under(db: &Db, region: &str) -> PResult<Vec<Forum>> {
    let mut members = forums::members_under(db, region).await?;
    Ok(forums::under(db, region)
        .await?
        .into_iter()
        .map(|row| Forum {
            members: take(&mut members, |m| m.forum_id == row.id),
            row,
        })
        .collect())
}

pub async fn load(db: &Db, code: &str) -> PResult<Record> {
    let (region, region_name) = super::region(db, code).await?;
    let today = crate::domain::today();
    let region = region.as_str();
    let forums = forums_under(db, region).await?;
    Ok(Record {
        region_code: region.to_string(),
        region_name,
        today,
        agreements: agreements_under(db, region, today).await?,
        activities: activities_under(db, region).await?,
        forums,
    })
}

/// One agreement with the activities that carry it out.
pub async fn agreement(db: &Db, id: i64) -> PResult<Option<(Agreement, Vec<ActivityRow>)>> {
    let Some(row) = agreements::get(db, id).await? else {
        return Ok(None);
    };
    let today = crate::domain::today();
    let a = Agreement {
        parties: agreements::parties_of(db, id).await?,
        clauses: agreements::clauses_of(db, id).await?,
        standing: Standing::on(row.valid_from, row.valid_until, row.ended_on, today),
        document: documents::versions(db, DocKind::Agreement, id)
            .await?
            .into_iter()
            .next(),
        row,
    };
    Ok(Some((a, activities::of_agreement(db, id).await?)))
}

/// One activity with its attendance and follow-ups.
pub async fn activity(db: &Db, id: i64) -> PResult<Option<Activity>> {
    let Some(row) = activities::get(db, id).await? else {
        return Ok(None);
    };
    Ok(Some(Activity {
        attendance: activities::attendance_of(db, id).await?,
        followups: followups::of_activity(db, id).await?,
        attendance_list: documents::versions(db, DocKind::Attendance, id)
            .await?
            .into_iter()
            .next(),
        row,
    }))
}

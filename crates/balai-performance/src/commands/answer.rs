//! A citizen answers the survey with a code, without an account. The code is claimed in the
//! same transaction that stores the answer, so a code answers once however many submit it at
//! the same moment; a used, unknown or expired code stores nothing. The answer keeps the unit,
//! service and day of the code, never the code itself, and the audit event keeps no address.

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::throttle::RateLimiter;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use serde_json::json;
use time::Date;

use crate::domain::audit as actions;
use crate::domain::codes::SurveyCode;
use crate::domain::elements::COUNT;
use crate::domain::respondent::{self, Fact};
use crate::errors::{PerfResult, PerformanceError};
use crate::store::codes;
use crate::store::responses::{self, NewResponse};

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 2000;

/// Refused survey codes (unknown, used, expired: on the page or through the API) from one
/// address per minute; past that, every code from it is refused for the rest of the minute.
/// A citizen mistypes a code a few times; guessing one of 32⁹ needs far more. Right codes do
/// not count, so many phones behind one carrier address (CGNAT) answer freely. Balai's own
/// default.
#[derive(Clone)]
pub struct SurveyBudget(pub std::sync::Arc<RateLimiter>);

impl Default for SurveyBudget {
    fn default() -> Self {
        SurveyBudget(std::sync::Arc::new(RateLimiter::new(
            30,
            std::time::Duration::from_secs(60),
        )))
    }
}

/// Refuse the client whose refused codes spent its budget.
pub fn check_budget(ctx: &AppCtx, meta: &ReqMeta) -> PerfResult<()> {
    match ctx
        .ext
        .get::<SurveyBudget>()
        .and_then(|b| b.0.exhausted(&meta.ip))
    {
        Some(retry_after) => Err(PerformanceError::TooManyAttempts { retry_after }),
        None => Ok(()),
    }
}

/// Count a refused code against the client's budget.
pub fn count_refusal(ctx: &AppCtx, meta: &ReqMeta) {
    if let Some(b) = ctx.ext.get::<SurveyBudget>() {
        // Over budget already: the next attempt is refused by `check_budget`.
        let _ = b.0.hit(&meta.ip);
    }
}

#[derive(Default)]
pub struct AnswerInput {
    pub code: String,
    pub answers: Vec<i64>,
    pub age_band: String,
    pub sex: String,
    pub education: String,
    pub occupation: String,
    pub comment: String,
    /// Answers to the unit's extra questions: (question id, score 1–4). Outside the index.
    pub extra: Vec<(i64, i64)>,
}

#[derive(Debug)]
pub struct Answered {
    pub agency_id: AgencyId,
    pub service: String,
    pub service_day: Date,
}

/// The nine scores, each 1–4.
pub fn scores(answers: &[i64]) -> PerfResult<[u8; COUNT]> {
    let mut out = [0u8; COUNT];
    if answers.len() != COUNT {
        return Err(PerformanceError::BadAnswers);
    }
    for (slot, a) in out.iter_mut().zip(answers) {
        *slot = u8::try_from(*a)
            .ok()
            .filter(|v| (1..=4).contains(v))
            .ok_or(PerformanceError::BadAnswers)?;
    }
    Ok(out)
}

fn fact(f: &Fact, value: &str) -> PerfResult<Option<&'static str>> {
    f.parse(value).map_err(|_| PerformanceError::BadFact {
        field_id: f.name_id,
        field_en: f.name_en,
    })
}

/// The extra answers, each scored 1–4 and each question once (whether the unit asks them is
/// checked against its questions in the transaction).
fn extra_scores(extra: &[(i64, i64)]) -> PerfResult<Vec<(i64, u8)>> {
    let mut out: Vec<(i64, u8)> = Vec::with_capacity(extra.len());
    for (q, v) in extra {
        let s = crate::domain::extra::score(*v).ok_or(PerformanceError::BadExtraAnswer)?;
        if out.iter().any(|(seen, _)| seen == q) {
            return Err(PerformanceError::BadExtraAnswer);
        }
        out.push((*q, s));
    }
    Ok(out)
}

/// Store the extra answers of a response, if the unit asks every one of those questions.
async fn store_extra(
    tx: &mut balai_core::Tx,
    agency_id: AgencyId,
    response_id: i64,
    extra: &[(i64, u8)],
) -> PerfResult<()> {
    if extra.is_empty() {
        return Ok(());
    }
    let asked = crate::store::extra::active_tx(tx, agency_id).await?;
    for (q, s) in extra {
        if !asked.iter().any(|a| a.id == *q) {
            return Err(PerformanceError::BadExtraAnswer);
        }
        crate::store::extra::insert_answer(tx, response_id, *q, *s).await?;
    }
    Ok(())
}

/// Why a code that could not be claimed was refused.
pub fn refusal(row: Option<&codes::CodeRow>, now: time::OffsetDateTime) -> PerformanceError {
    match row {
        None => PerformanceError::CodeUnknown,
        Some(r) if r.used => PerformanceError::CodeUsed,
        Some(r) if r.expires_at <= now => PerformanceError::CodeExpired,
        // Claimed by another request between the two statements.
        Some(_) => PerformanceError::CodeUsed,
    }
}

pub async fn answer(ctx: &AppCtx, meta: &ReqMeta, input: &AnswerInput) -> PerfResult<Answered> {
    check_budget(ctx, meta)?;
    let scores = scores(&input.answers)?;
    let age_band = fact(&respondent::AGE, &input.age_band)?;
    let sex = fact(&respondent::SEX, &input.sex)?;
    let education = fact(&respondent::EDUCATION, &input.education)?;
    let occupation = fact(&respondent::OCCUPATION, &input.occupation)?;
    let extra = extra_scores(&input.extra)?;
    let comment = input.comment.trim();
    if comment.chars().count() > MAX_COMMENT {
        return Err(PerformanceError::CommentTooLong);
    }
    let Some(code) = SurveyCode::parse(&input.code) else {
        count_refusal(ctx, meta);
        return Err(PerformanceError::CodeUnknown);
    };
    let now = balai_core::db::now();
    let mut tx = ctx.begin().await?;
    let Some(row) = codes::claim(&mut tx, code.as_str(), now).await? else {
        let row = codes::get_tx(&mut tx, code.as_str()).await?;
        count_refusal(ctx, meta);
        return Err(refusal(row.as_ref(), now));
    };
    let response_id = responses::insert(
        &mut tx,
        &NewResponse {
            agency_id: row.agency_id,
            service: &row.service,
            service_day: row.service_day,
            scores,
            age_band,
            sex,
            education,
            occupation,
            comment: (!comment.is_empty()).then_some(comment),
        },
    )
    .await?;
    // A refused extra answer drops the transaction: the code stays unused, nothing is stored.
    store_extra(&mut tx, row.agency_id, response_id, &extra).await?;
    audit::record(
        &mut tx,
        &meta.audit(None).without_client(),
        AuditEvent {
            action: actions::SURVEY_ANSWERED,
            target_kind: actions::TARGET_AGENCY,
            target_id: row.agency_id.to_string(),
            region_code: None,
            summary: json!({ "service_day": row.service_day.to_string() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Answered {
        agency_id: row.agency_id,
        service: row.service,
        service_day: row.service_day,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_scores_from_one_to_four() {
        assert_eq!(
            scores(&[1, 2, 3, 4, 4, 3, 2, 1, 4]).ok(),
            Some([1, 2, 3, 4, 4, 3, 2, 1, 4])
        );
        assert!(scores(&[4; 8]).is_err());
        assert!(scores(&[4; 10]).is_err());
        assert!(scores(&[4, 4, 4, 4, 4, 4, 4, 4, 5]).is_err());
        assert!(scores(&[0, 4, 4, 4, 4, 4, 4, 4, 4]).is_err());
        assert!(scores(&[-1, 4, 4, 4, 4, 4, 4, 4, 4]).is_err());
    }
}

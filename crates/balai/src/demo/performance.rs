//! Kinerja's demo: survey codes and answers of three surveyed units of Kota Banjar.

use balai_core::accounts;
use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::Db;
use serde_json::json;

/// Surveyed units of Kota Banjar, so that Kinerja's pages show data: (kind, name, answers a
/// month, how many codes a month go unanswered, the usual score of waiting time (U3)).
const SURVEYED: &[(&str, &str, i64, i64, i64)] = &[
    ("disdukcapil", "Disdukcapil Kota Banjar", 36, 12, 2),
    ("pemda", "Pemerintah Kota Banjar", 24, 30, 3),
    ("kpu", "KPU Kota Banjar", 30, 6, 3),
];

/// A small deterministic generator, so that every demo has the same answers.
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// One demo respondent's nine scores (older months a little lower, so there is improvement
/// to rank) and facts (age band, sex, education, occupation).
fn demo_answer(
    seed: &mut u64,
    month_back: i64,
    waiting: i64,
) -> ([u8; 9], [Option<&'static str>; 4]) {
    let mut scores = [0u8; 9];
    for (e, s) in scores.iter_mut().enumerate() {
        let usual = if e == 2 { waiting } else { 3 };
        let v = match next(seed) % 10 {
            0 => usual - 1,
            1..=3 if month_back == 0 => usual + 1,
            1..=2 => usual + 1,
            9 if month_back == 2 => usual - 1,
            _ => usual,
        };
        *s = u8::try_from(v.clamp(1, 4)).unwrap_or(3);
    }
    let mut facts = [None; 4];
    for (slot, f) in facts
        .iter_mut()
        .zip(balai_performance::domain::respondent::ALL)
    {
        let n = u64::try_from(f.options.len()).unwrap_or(1).max(1);
        *slot = usize::try_from(next(seed) % n)
            .ok()
            .and_then(|i| f.options.get(i))
            .map(|o| o.0);
    }
    (scores, facts)
}

/// A unit's extra question (its id) and a follow-up plan of two actions for waiting time (U3).
async fn demo_follow_up(
    tx: &mut balai_core::Tx,
    id: balai_core::ids::AgencyId,
    today: time::Date,
) -> anyhow::Result<i64> {
    use balai_performance::domain::follow_up::{Action, Status};
    use balai_performance::store::{extra, follow_ups};
    let q = extra::insert(
        tx,
        id,
        "Apakah ruang tunggu nyaman?",
        "Is the waiting room comfortable?",
    )
    .await?;
    let from = today - time::Duration::days(90);
    for (plan, owner, due, status, progress) in [
        (
            "Buka loket tambahan pada jam sibuk (08.00–11.00)",
            "Kepala Bidang Pelayanan",
            30,
            Status::InProgress,
            "Loket 4 dibuka dua hari seminggu",
        ),
        (
            "Nomor antrean dengan perkiraan waktu tunggu di papan informasi",
            "Sekretariat",
            60,
            Status::Planned,
            "",
        ),
    ] {
        let action = Action {
            plan: plan.into(),
            owner: owner.into(),
            due_on: Some(today + time::Duration::days(due)),
            status,
            progress: progress.into(),
        };
        let f = follow_ups::NewFollowUp {
            agency_id: id,
            from,
            to: today,
            element: 3,
            action: &action,
        };
        follow_ups::insert(tx, &f).await?;
    }
    Ok(q)
}

/// Survey codes and answers for the surveyed units over the last three months (the scores
/// rise a little each month), once: a unit that has answers already is left alone.
pub(super) async fn survey_answers(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    use balai_core::ids::AgencyId;
    use balai_performance::domain::codes::SurveyCode;
    use balai_performance::store::{codes, responses};
    let now = balai_core::db::now();
    let today = now
        .to_offset(balai_core::format::Zone::for_region("32.79").offset())
        .date();
    let mut seed = 29u64;
    for (kind, name, per_month, unanswered, waiting) in SURVEYED {
        let Some(a) = accounts::find_agency(db, kind, "32.79", name).await? else {
            continue;
        };
        let id = AgencyId(a.id);
        let from = today - time::Duration::days(400);
        if responses::tally(db, id, from, today, None).await?.responses > 0 {
            continue;
        }
        let mut tx = db.begin().await?;
        let mut answered = 0;
        // Disdukcapil asks one question of its own (outside the index) and plans for its
        // lowest element, the waiting time.
        let extra = if *kind == "disdukcapil" {
            Some(demo_follow_up(&mut tx, id, today).await?)
        } else {
            None
        };
        for month_back in 0..3i64 {
            for i in 0..(per_month + unanswered) {
                let day = today - time::Duration::days(month_back * 30 + (i % 28));
                let code = SurveyCode::generate(&mut rand::thread_rng());
                codes::insert(
                    &mut tx,
                    &codes::NewCode {
                        code: code.as_str(),
                        agency_id: id,
                        service: if i % 3 == 0 { "KTP-el" } else { "" },
                        service_day: day,
                        batch: "demo",
                        expires_at: now + time::Duration::days(30),
                        issued_by: None,
                    },
                )
                .await?;
                if i >= *per_month {
                    continue;
                }
                codes::claim(&mut tx, code.as_str(), now).await?;
                let (scores, [age, sex, edu, job]) = demo_answer(&mut seed, month_back, *waiting);
                let response = responses::insert(
                    &mut tx,
                    &responses::NewResponse {
                        agency_id: id,
                        service: if i % 3 == 0 { "KTP-el" } else { "" },
                        service_day: day,
                        scores,
                        age_band: age,
                        sex,
                        education: edu,
                        occupation: job,
                        comment: None,
                    },
                )
                .await?;
                if let Some(q) = extra {
                    let score = u8::try_from(next(&mut seed) % 4 + 1).unwrap_or(3);
                    balai_performance::store::extra::insert_answer(&mut tx, response, q, score)
                        .await?;
                }
                answered += 1;
            }
        }
        audit::record(
            &mut tx,
            ctx,
            AuditEvent {
                action: balai_performance::domain::audit::CODES_ISSUED,
                target_kind: "agency",
                target_id: a.id.to_string(),
                region_code: Some(a.region_code.clone()),
                summary: json!({ "demo": true, "answers": answered }),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

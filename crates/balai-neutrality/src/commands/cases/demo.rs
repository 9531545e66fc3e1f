//! The demo's neutrality cases (fictional officials of Kota Banjar): one Bawaslu found in the
//! 2024 campaign, recommended by Bawaslu and by BKN and waiting for the PPK's sanction, whose
//! official was appointed camat inside the restricted period (the broker-then-promoted link,
//! by NIP); and one still under Bawaslu's examination. Written once, through the same store
//! functions as the commands, each write audited.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::calendar;
use balai_core::regions::RegionCode;
use balai_core::{with_db, Db};
use serde_json::json;
use time::macros::date;
use time::Date;

use super::CLOCK_SUBJECT;
use crate::domain::appointment::Nip;
use crate::domain::audit as actions;
use crate::domain::case::{next, Decision, Origin, Stage};
use crate::domain::case_input::{NewCase, StepDecision};
use crate::domain::settings::CaseClocks;
use crate::domain::vocabulary::{ForbiddenAct, Sanction};
use crate::store::cases::{self, By, Timing};

/// Who acts in the demo: Bawaslu's officer opens, its supervisor recommends, BKN's supervisor
/// recommends.
#[derive(Clone, Copy, Debug)]
pub struct DemoOfficials {
    pub bawaslu_officer: By,
    pub bawaslu_supervisor: By,
    pub bkn_supervisor: By,
}

struct DemoCase {
    name: &'static str,
    nip: &'static str,
    position: &'static str,
    allegation: &'static str,
    opened_on: Date,
    /// (decided by, decided on, decision, note, documents)
    steps: Vec<(By, Date, Decision, &'static str, Vec<String>)>,
}

pub async fn seed(db: &Db, ctx: &AuditContext, who: DemoOfficials) -> anyhow::Result<()> {
    let existing: i64 = with_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM neutrality_cases WHERE region_code = '32.79'"
    )
    .fetch_one(c)
    .await)?;
    if existing > 0 {
        return Ok(());
    }
    let demo = cases_of(who);
    let cal = calendar::load(db).await?;
    let clocks = CaseClocks::default();
    let region = RegionCode::parse("32.79").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for c in demo {
        let mut tx = db.begin().await?;
        let new = NewCase {
            region: region.clone(),
            origin: Some(Origin::BawasluFinding),
            complaint_id: None,
            official_name: c.name.into(),
            nip: Nip::parse(c.nip),
            official_position: c.position.into(),
            allegation: c.allegation.into(),
        };
        let id = cases::insert(
            &mut tx,
            &new,
            Origin::BawasluFinding,
            c.opened_on,
            who.bawaslu_officer,
        )
        .await?;
        let subject = id.to_string();
        audit::record(
            &mut tx,
            ctx,
            AuditEvent {
                action: actions::CASE_OPENED,
                target_kind: actions::TARGET_CASE,
                target_id: subject.clone(),
                region_code: Some("32.79".into()),
                summary: json!({ "origin": Origin::BawasluFinding.as_str(), "demo": true }),
            },
        )
        .await?;
        let (mut stage, mut started) = (Stage::BawasluExamination, c.opened_on);
        for (by, on, decision, note, documents) in c.steps {
            let (to, outcome) = next(stage, decision).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let d = StepDecision {
                step: stage,
                decision,
                reference: None,
                note: note.into(),
                documents,
                decided_on: on,
            };
            let timing = Timing {
                started_on: started,
                due_on: cal.add_working_days(started, clocks.of(stage)),
                working_days: cal.working_days_between(started, on),
            };
            cases::insert_step(&mut tx, id, &d, timing, by).await?;
            cases::advance(&mut tx, id, to, outcome, &d).await?;
            audit::record(
                &mut tx,
                ctx,
                AuditEvent {
                    action: actions::CASE_STEP_DECIDED,
                    target_kind: actions::TARGET_CASE,
                    target_id: subject.clone(),
                    region_code: Some("32.79".into()),
                    summary: json!({ "step": stage.as_str(), "to": to.as_str(), "demo": true }),
                },
            )
            .await?;
            (stage, started) = (to, on);
        }
        let n = clocks.of(stage);
        calendar::start_clock(&mut tx, CLOCK_SUBJECT, &subject, stage.as_str(), started, n).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The demo's two cases.
fn cases_of(who: DemoOfficials) -> [DemoCase; 2] {
    [
        DemoCase {
            name: "Rudi Contoh (fiktif)",
            // The NIP of his appointment as camat in the demo register.
            nip: "198001012005011006",
            position: "Lurah Hegarsari",
            allegation: "Menghadiri deklarasi pasangan calon dan mengajak warga memilihnya \
                         (fiktif, data demo).",
            opened_on: date!(2024 - 09 - 16),
            steps: vec![
                (
                    who.bawaslu_supervisor,
                    date!(2024 - 09 - 20),
                    Decision::Violation {
                        act: Some(ForbiddenAct::AttendingCampaign),
                        sanction: None,
                    },
                    "Terbukti hadir dan berorasi dalam deklarasi (fiktif).",
                    vec!["BA klarifikasi 07/PP.01/2024 (demo)".into()],
                ),
                (
                    who.bkn_supervisor,
                    date!(2024 - 10 - 14),
                    Decision::Violation {
                        act: None,
                        sanction: Some(Sanction::DisciplineMedium),
                    },
                    "Direkomendasikan hukuman disiplin sedang (fiktif).",
                    vec!["Rekomendasi BKN B-1234/2024 (demo)".into()],
                ),
            ],
        },
        DemoCase {
            name: "Sari Contoh (fiktif)",
            nip: "",
            position: "Guru SMP Negeri (fiktif)",
            allegation: "Membagikan materi kampanye pasangan calon di grup percakapan \
                         (fiktif, data demo).",
            opened_on: date!(2024 - 11 - 04),
            steps: Vec::new(),
        },
    ]
}

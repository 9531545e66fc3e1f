//! Training for the demo world: Kota Banjar's roster (KPU staff, PPK of each district, PPS and
//! KPPS of some villages; fictitious names) and three sessions ahead of the stages of the
//! demo's 2024 elections (the voter-list update, voting day, the recapitulation), each attended
//! by part of the roster, so that the readiness page has figures above and below the threshold.
//! Written once: skipped when the KPU has sessions.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::regions::{self, RegionCode};
use balai_core::schedule::StageKind;
use balai_core::{with_db, Db};
use serde_json::json;
use time::macros::date;
use time::Date;

use crate::domain::audit as actions;
use crate::domain::training::{Body, OfficerEntry};
use crate::store::training::{self as rows, NewTraining};

const GIVEN: &[&str] = &[
    "Asep", "Dedi", "Euis", "Nining", "Ujang", "Cucu", "Iis", "Yayan", "Neneng", "Agus", "Lilis",
    "Ade", "Rohman", "Siti", "Dadang",
];

/// (topic, stage, application, trainers, day, which share of each body attends in tenths:
/// staff, PPK, PPS, KPPS; 0: the session is not for that body)
type Session = (
    &'static str,
    StageKind,
    &'static str,
    &'static str,
    Date,
    [usize; 4],
);

const SESSIONS: &[Session] = &[
    (
        "Bimbingan teknis pemutakhiran data pemilih (contoh)",
        StageKind::PemutakhiranDataPemilih,
        "Sidalih",
        "Divisi Perencanaan, Data dan Informasi KPU Kota Banjar",
        date!(2024 - 05 - 20),
        [10, 10, 10, 0],
    ),
    (
        "Bimbingan teknis pemungutan dan penghitungan suara di TPS (contoh)",
        StageKind::PemungutanSuara,
        "Sirekap",
        "Divisi Teknis Penyelenggaraan KPU Kota Banjar",
        date!(2024 - 11 - 20),
        [10, 10, 8, 5],
    ),
    (
        "Bimbingan teknis rekapitulasi hasil penghitungan suara (contoh)",
        StageKind::Rekapitulasi,
        "Sirekap",
        "Divisi Teknis Penyelenggaraan KPU Kota Banjar",
        date!(2024 - 11 - 25),
        [10, 6, 0, 0],
    ),
];

fn name(i: usize) -> String {
    format!("{} Contoh {} (fiktif)", GIVEN[i % GIVEN.len()], i + 1)
}

/// Kota Banjar's roster: 3 staff, 5 PPK per district, 3 PPS in each of the first two villages
/// of a district, 7 KPPS in its first village.
async fn roster(db: &Db, regency: &RegionCode) -> anyhow::Result<Vec<OfficerEntry>> {
    let mut out = Vec::new();
    let mut n = 0;
    let mut add = |body: Body, region: &str, count: usize| {
        for _ in 0..count {
            out.push(OfficerEntry {
                body,
                region_code: region.to_string(),
                name: name(n),
            });
            n += 1;
        }
    };
    add(Body::Staff, regency.as_str(), 3);
    for d in regions::children(db, regency).await? {
        let district = RegionCode::parse(&d.code)?;
        add(Body::Ppk, &d.code, 5);
        let villages = regions::children(db, &district).await?;
        for (i, v) in villages.iter().take(2).enumerate() {
            add(Body::Pps, &v.code, 3);
            if i == 0 {
                add(Body::Kpps, &v.code, 7);
            }
        }
    }
    Ok(out)
}

/// Seed Kota Banjar's training if its KPU (`agency_id`) has none yet.
pub async fn seed(db: &Db, ctx: &AuditContext, agency_id: i64) -> anyhow::Result<()> {
    let have: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM trainings WHERE agency_id = $1"
    )
    .bind(agency_id)
    .fetch_one(c)
    .await)?;
    if have > 0 {
        return Ok(());
    }
    let regency = RegionCode::parse("32.79")?;
    let entries = roster(db, &regency).await?;
    let mut tx = db.begin().await?;
    rows::insert_officers(&mut tx, agency_id, &entries).await?;
    let officers = rows::officers_under_tx(&mut tx, regency.as_str()).await?;
    for (topic, stage, application, trainers, day, tenths) in SESSIONS {
        let bodies: Vec<Body> = Body::ALL
            .iter()
            .zip(tenths)
            .filter(|(_, t)| **t > 0)
            .map(|(b, _)| *b)
            .collect();
        let bodies = crate::domain::training::bodies_text(&bodies);
        let id = rows::insert_training(
            &mut tx,
            &NewTraining {
                agency_id,
                region_code: regency.as_str(),
                topic,
                stage_kind: stage.as_str(),
                bodies: &bodies,
                sop_id: None,
                application,
                trainers,
                held_on: *day,
            },
        )
        .await?;
        // The first tenths of each body's officers in each region attend.
        let mut ids = Vec::new();
        for (k, body) in Body::ALL.iter().enumerate() {
            let mut regions: Vec<&str> = officers
                .iter()
                .filter(|o| o.body == body.as_str())
                .map(|o| o.region_code.as_str())
                .collect();
            regions.dedup();
            for r in regions {
                let here: Vec<i64> = officers
                    .iter()
                    .filter(|o| o.body == body.as_str() && o.region_code == r)
                    .map(|o| o.id)
                    .collect();
                let take = (here.len() * tenths[k]).div_ceil(10).min(here.len());
                ids.extend(here.into_iter().take(take));
            }
        }
        let attended = rows::add_attendance(&mut tx, id, &ids).await?;
        audit::record(
            &mut tx,
            ctx,
            AuditEvent {
                action: actions::TRAINING_CREATE,
                target_kind: actions::TARGET_TRAINING,
                target_id: id.to_string(),
                region_code: Some(regency.as_str().to_string()),
                summary: json!({ "topic": topic, "stage_kind": stage.as_str(), "demo": true,
                    "attended": attended }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

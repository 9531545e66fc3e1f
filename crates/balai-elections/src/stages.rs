//! The current schedules as other features read them ([`balai_core::schedule::StageSource`]):
//! every kinded stage of the newest schedule version of the elections held in some regions. A
//! stage stored without a kind is given the one its name says ([`StageKind::infer`]).

use balai_core::schedule::{ScheduledStage, StageKind, StageSource, StagesFuture};
use balai_core::{with_db, Db};
use time::Date;

/// The elections feature's [`StageSource`], registered by the binary.
pub struct ElectionStages;

type Row = (i64, String, String, Option<String>, String, Date, Date);

async fn current(db: &Db, regions: &[String]) -> Result<Vec<ScheduledStage>, sqlx::Error> {
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=regions.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT e.id, e.name, e.region_code, s.kind, s.name, s.start_day, s.end_day
         FROM elections e
         JOIN schedule_versions v ON v.election_id = e.id
           AND v.version = (SELECT MAX(version) FROM schedule_versions WHERE election_id = e.id)
         JOIN schedule_stages s ON s.version_id = v.id
         WHERE e.region_code IN ({})
         ORDER BY e.id, s.position",
        marks.join(", ")
    );
    let rows: Vec<Row> = with_db!(db, |c| {
        let mut q = sqlx::query_as::<_, Row>(&sql);
        for r in regions {
            q = q.bind(r);
        }
        q.fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, election, region, kind, name, start, end)| {
            let kind = kind
                .as_deref()
                .and_then(StageKind::parse)
                .or_else(|| StageKind::infer(&name))?;
            Some(ScheduledStage {
                election_id: id,
                election_name: election,
                region_code: region,
                kind,
                name,
                start,
                end,
            })
        })
        .collect())
}

impl StageSource for ElectionStages {
    fn stages_in<'a>(&'a self, db: &'a Db, regions: &'a [String]) -> StagesFuture<'a> {
        Box::pin(current(db, regions))
    }
}

//! The elections' side of [`balai_core::turnout::TurnoutSource`]: what another feature may
//! read of an election and its turnout (Partisipasi's targets), through the same totals the
//! results API answers with ([`crate::queries::totals_for`]).

use balai_core::turnout::{ElectionFacts, SourceFuture, TurnoutFigure, TurnoutSource};
use balai_core::Db;

use crate::store::{self, ElectionRow};

/// The elections crate as a turnout source (registered by the binary).
pub struct ElectionTurnouts;

fn facts(e: ElectionRow) -> ElectionFacts {
    ElectionFacts {
        id: e.id,
        name: e.name,
        region_code: e.region_code,
        voting_date: e.voting_date,
    }
}

impl TurnoutSource for ElectionTurnouts {
    fn election<'a>(&'a self, db: &'a Db, id: i64) -> SourceFuture<'a, Option<ElectionFacts>> {
        Box::pin(async move { Ok(store::get_election(db, id).await?.map(facts)) })
    }

    fn elections_of<'a>(
        &'a self,
        db: &'a Db,
        region: &'a str,
    ) -> SourceFuture<'a, Vec<ElectionFacts>> {
        Box::pin(async move {
            Ok(store::elections_in_region(db, region)
                .await?
                .into_iter()
                .map(facts)
                .collect())
        })
    }

    fn turnout<'a>(
        &'a self,
        db: &'a Db,
        election_id: i64,
        region: &'a str,
    ) -> SourceFuture<'a, Option<TurnoutFigure>> {
        Box::pin(async move {
            let Some(e) = store::get_election(db, election_id).await? else {
                return Ok(None);
            };
            let (agg, _) = crate::queries::totals_for(db, &e, region).await?;
            Ok((agg.dpt > 0).then_some(TurnoutFigure {
                pengguna: agg.pengguna,
                dpt: agg.dpt,
            }))
        })
    }
}

//! A unit's satisfaction index for a period: the index, the sample it rests on, and the
//! regulation's report tables (per element, per service, per respondent fact).

use balai_core::accounts::Agency;
use balai_core::kpi::KpiSources;
use balai_core::Db;
use time::Date;

use crate::domain::ikm::{self, GradeBounds, Index, Tally, Weights};
use crate::domain::period;
use crate::store::responses::{self, GroupBy};
use crate::store::{codes, settings};

/// Where the number of service users comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsersSource {
    /// Entered by the unit for the months of the period.
    Entered,
    /// Counted from Balai's own records of the unit's services in the period (reports routed
    /// to it, applications, information requests: [`balai_core::kpi::KpiSource::served`]).
    Records,
    /// The survey codes issued for visits in the period (one per visit), where Balai keeps no
    /// record of the unit's services.
    Codes,
}

impl UsersSource {
    /// Where the number of service users came from, in the reader's language.
    pub fn label(self, lang: balai_core::i18n::Lang) -> &'static str {
        match self {
            UsersSource::Entered => lang.tr("diisi unit", "entered by the unit"),
            UsersSource::Records => lang.tr(
                "dihitung dari catatan layanan di Balai",
                "counted from the service records in Balai",
            ),
            UsersSource::Codes => lang.tr("kode survei yang diterbitkan", "survey codes issued"),
        }
    }
}

pub struct IkmReport {
    pub unit: Agency,
    pub from: Date,
    pub to: Date,
    pub service: Option<String>,
    pub weights: Weights,
    pub tally: Tally,
    pub index: Option<Index>,
    pub service_users: i64,
    pub users_source: UsersSource,
    pub sample_needed: i64,
}

impl IkmReport {
    pub fn sample_enough(&self) -> bool {
        self.tally.responses >= self.sample_needed
    }
}

/// The index of a unit (of one service, or all) for the days `from..=to`.
pub async fn report(
    db: &Db,
    sources: Option<&KpiSources>,
    unit: Agency,
    from: Date,
    to: Date,
    service: Option<&str>,
) -> Result<IkmReport, sqlx::Error> {
    let id = balai_core::ids::AgencyId(unit.id);
    let weights = settings::weights(db, id).await?;
    let tally = responses::tally(db, id, from, to, service).await?;
    let index = ikm::index(&tally, &weights, &GradeBounds::default());
    let entered = match service {
        None => {
            settings::service_users(db, id, &period::month_key(from), &period::month_key(to))
                .await?
        }
        // Entered counts are per unit, not per service.
        Some(_) => None,
    };
    // What the unit entered first; else the services' own records (the whole unit only: they
    // are not kept per survey service); else the survey codes issued.
    let served = match (entered, service, sources) {
        (None, None, Some(s)) => s.served(db, &unit, from, to).await?,
        _ => None,
    };
    let (service_users, users_source) = match (entered, served) {
        (Some(n), _) => (n, UsersSource::Entered),
        (None, Some(n)) => (n, UsersSource::Records),
        (None, None) => (
            codes::issued(db, id, from, to, service).await?,
            UsersSource::Codes,
        ),
    };
    Ok(IkmReport {
        unit,
        from,
        to,
        service: service.map(str::to_string),
        weights,
        tally,
        index,
        sample_needed: ikm::sample_needed(service_users),
        service_users,
        users_source,
    })
}

/// One row of a grouped table: the group's name and index.
pub struct GroupRow {
    pub key: String,
    pub index: Option<Index>,
    pub responses: i64,
}

/// The period's answers grouped (per service, per age band, …), each with its own index.
pub async fn grouped(db: &Db, r: &IkmReport, by: GroupBy) -> Result<Vec<GroupRow>, sqlx::Error> {
    let id = balai_core::ids::AgencyId(r.unit.id);
    let rows = responses::tallies(db, id, r.from, r.to, r.service.as_deref(), Some(by)).await?;
    Ok(rows
        .into_iter()
        .map(|(key, t)| GroupRow {
            key,
            responses: t.responses,
            index: ikm::index(&t, &r.weights, &GradeBounds::default()),
        })
        .collect())
}

//! Which services a kelurahan is offered.
//!
//! Rule: a row of `cr_service_offerings` is an agency's override of the default. A Disdukcapil
//! with no row for a service offers it whenever the service is active in the catalogue, so new
//! agencies and new services need no seeding; a row with `active = FALSE` withdraws the service
//! at that agency. Kelurahan counters offer what their covering Disdukcapil offers: applications
//! are always routed to a Disdukcapil (see [`crate::store::disdukcapil_for`]) and checked
//! against its offerings.

use balai_core::accounts::Agency;
use balai_core::ids::AgencyId;
use balai_core::regions;
use balai_core::Db;

use crate::domain::access::serving;
use crate::domain::intake::village_code;
use crate::errors::{CivilRegistryError, CrResult};
use crate::store::{self, offerings, ServiceRow};

/// The Disdukcapil serving a kelurahan and the services it offers there (catalogue order).
/// A bad, unknown or unserved kelurahan is a refusal with a message for the applicant.
pub async fn offered_at(db: &Db, kelurahan: &str) -> CrResult<(Agency, Vec<String>)> {
    let code = village_code(kelurahan).ok_or(CivilRegistryError::KelurahanCodeInvalid)?;
    if regions::get(db, &code).await?.is_none() {
        return Err(CivilRegistryError::KelurahanUnknown);
    }
    let Some(dinas) = serving(store::disdukcapil_agencies(db).await?, code.as_str()) else {
        return Err(CivilRegistryError::NoDisdukcapilListed);
    };
    let off = offerings::withdrawn(db, AgencyId(dinas.id)).await?;
    let codes = store::list_services(db)
        .await?
        .into_iter()
        .filter(|s| s.active && !off.contains(&s.code))
        .map(|s| s.code)
        .collect();
    Ok((dinas, codes))
}

/// The refusal when the routed Disdukcapil does not offer the service.
pub fn not_offered(service: &ServiceRow, agency: &Agency) -> CivilRegistryError {
    CivilRegistryError::ServiceNotOffered {
        service_id: service.name_id.clone(),
        service_en: service.name_en.clone(),
        agency: agency.name.clone(),
    }
}

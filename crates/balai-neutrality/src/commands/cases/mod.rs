//! The write use cases of neutrality cases: open one, decide its current step.

pub mod decide;
pub mod demo;
pub mod open;

use balai_core::web::actor::Actor;

use crate::store::cases::By;

pub use crate::domain::case::CLOCK_SUBJECT;

/// Who acts, as the tables keep it.
fn by(actor: &Actor) -> By {
    By {
        agency_id: actor.agency.as_ref().map(|g| g.id),
        user_id: actor.user.id,
    }
}

//! SQL for both backends, one file per table or concern. Writes take the caller's
//! transaction so that the change, its timeline entry, its audit event and its clocks commit
//! together.

mod agencies;
mod categories;
mod clocks;
mod complaints;
mod events;
mod photos;
mod sms_blocklist;

pub use agencies::*;
pub use categories::*;
pub use clocks::*;
pub use complaints::*;
pub use events::*;
pub use photos::*;
pub use sms_blocklist::*;

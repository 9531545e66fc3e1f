//! Pure complaint rules: report types, the status machine, the clocks, election-violation
//! formalities, tracking codes, the SMS format and the settings they read. No IO here.

pub mod audit;
pub mod clocks;
pub mod election;
pub mod permissions;
pub mod replies;
pub mod report;
pub mod settings;
pub mod sms;
pub mod stats;
pub mod status;
pub mod timeline;
pub mod tracking;

pub use clocks::Clock;
pub use report::{normalise_phone, valid_email, Channel, ReportType};
pub use settings::ClockConfig;
pub use status::{Action, Status, TransitionError};
pub use tracking::{ReporterSecret, TrackingCode};

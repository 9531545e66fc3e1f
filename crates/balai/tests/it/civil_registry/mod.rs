//! Civil registry (adminduk): the catalogue, intake, validation, the workflow and statistics.

mod browser;
mod catalogue;
mod citizen;
mod flood;
mod intake;
mod officer_journey;
mod stats;
mod validation;
mod workflow;

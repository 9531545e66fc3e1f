//! Complaints (pengaduan): intake on every channel, the lifecycle, queues, scoping and the
//! election-period rules.

mod browser;
mod citizen_pages;
mod credentials;
mod election;
mod exhaustion;
mod input;
mod lifecycle;
mod officer_journey;
mod open311;
mod queues;
mod scoping;
mod sms;

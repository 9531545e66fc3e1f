//! Machine interfaces: the JSON API under `/api/v1`, the SMS gateway endpoint and Open311.

pub mod complaints;
pub mod open311;
pub mod sms;
pub mod stats;

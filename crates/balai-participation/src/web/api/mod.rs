//! The JSON API: agreements and activities (recorded by officials, read by anyone), minutes,
//! follow-ups and renewals, an election's turnout targets and its participation.

pub mod activities;
pub mod agreements;
pub mod documents;
pub mod forums;
pub mod history;
pub mod participation;

use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::openapi::schema::{Array, ArrayBuilder, ObjectBuilder, Type};
use utoipa::IntoParams;

/// `?region=CODE`: a region of any level; the list takes it and everything under it.
#[derive(Deserialize, IntoParams)]
pub struct RegionQuery {
    /// A Kemendagri region code (`32.79`, `32.79.01`, …).
    #[param(pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")]
    pub region: String,
}

/// A list of one-line texts: at most `max_items`, each 1 to `max_len` characters.
pub fn texts(max_items: usize, max_len: usize) -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(max_len))
                .pattern(Some(r"\S")),
        )
        .max_items(Some(max_items))
        .build()
}

/// A list of distinct positive ids, 1 to `max_items` of them.
pub fn ids(max_items: usize) -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Int64,
                )))
                .minimum(Some(1)),
        )
        .min_items(Some(1))
        .max_items(Some(max_items))
        .unique_items(true)
        .build()
}

/// Hundredths of a percent as a JSON number with exactly two decimals (`77.50`, `-3.33`).
pub fn two_decimals(h: Option<i64>) -> Option<Box<RawValue>> {
    h.map(crate::domain::targets::hundredths_text)
        .and_then(|s| RawValue::from_string(s).ok())
}

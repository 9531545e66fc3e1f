//! Small builders for the API document, for request fields whose Rust type is wider than the
//! values the API takes (a `String` that is one of a few words): used with
//! `#[schema(schema_with = …)]` on the field.

use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// A string that is one of `values`.
pub fn one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().map(str::to_string)))
        .build()
}

/// A string that is one of `values`, or null: an optional field, where null means the same
/// as leaving it out.
pub fn one_of_or_null<'a>(values: impl IntoIterator<Item = &'a str>) -> Object {
    use utoipa::openapi::schema::SchemaType;
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            values
                .into_iter()
                .map(serde_json::Value::from)
                .chain([serde_json::Value::Null]),
        ))
        .build()
}

/// A month, `YYYY-MM`.
pub const MONTH_PATTERN: &str = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$";

/// A month, `YYYY-MM`.
pub fn month() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(MONTH_PATTERN))
        .examples([serde_json::json!("2026-11")])
        .build()
}

/// A Kemendagri region code: `PP`, `PP.KK`, `PP.KK.CC` or `PP.KK.CC.NNNN`.
pub const REGION_CODE_PATTERN: &str = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$";

/// A region code of any level.
pub fn region_code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(REGION_CODE_PATTERN))
        .examples([serde_json::json!("32.79")])
        .build()
}

/// A village (desa/kelurahan) code, `PP.KK.CC.NNNN`.
pub fn village_code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"))
        .examples([serde_json::json!("32.79.01.1001")])
        .build()
}

/// A calendar day, `YYYY-MM-DD`.
pub fn date() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Date,
        )))
        .build()
}

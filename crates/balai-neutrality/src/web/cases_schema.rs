//! The API document's vocabularies of neutrality cases: each code list as a JSON Schema enum
//! (nullable where the field is optional), shared by the request and the response types.

use crate::domain::case::{Decision, Origin, Outcome, Stage};
use crate::domain::vocabulary::{ForbiddenAct, Sanction};

use balai_core::web::schema::one_of_or_null as nullable_one_of;

pub(super) fn origins() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Origin::ALL.map(Origin::as_str))
}

pub(super) fn origins_or_null() -> utoipa::openapi::schema::Object {
    nullable_one_of(Origin::ALL.map(Origin::as_str))
}

pub(super) fn steps() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Stage::STEPS.map(Stage::as_str))
}

pub(super) fn stages() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Stage::ALL.map(Stage::as_str))
}

pub(super) fn decisions() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Decision::CODES)
}

pub(super) fn acts() -> utoipa::openapi::schema::Object {
    nullable_one_of(ForbiddenAct::ALL.map(ForbiddenAct::as_str))
}

pub(super) fn sanctions() -> utoipa::openapi::schema::Object {
    nullable_one_of(Sanction::ALL.map(Sanction::as_str))
}

pub(super) fn outcomes() -> utoipa::openapi::schema::Object {
    nullable_one_of(Outcome::ALL.map(Outcome::as_str))
}

//! Every refusal of the complaints feature, and the one place it becomes an HTTP answer: the
//! stable `code` clients match on and the message in both languages. Domain and commands
//! return [`ComplaintError`]; handlers turn it into [`AppError`] with `?`.

use axum::http::StatusCode;
use balai_core::AppError;
use serde_json::json;

use crate::domain::Status;

/// A field that failed the filing checks, with its message in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub id: String,
    pub en: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ComplaintError {
    /// No such report (or one the caller may not know exists).
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A filing failed its checks; every failing field at once.
    #[error("invalid report: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("unknown category")]
    UnknownCategory,
    #[error("unknown village code")]
    UnknownVillage,
    #[error("coordinates are not numbers")]
    CoordinatesNotNumbers,
    #[error("photos are not base64")]
    PhotosNotBase64,
    /// A text an action needs is empty or over 5,000 characters.
    #[error("{en} is required (at most 5,000 characters)")]
    TextRequired { id: &'static str, en: &'static str },
    /// A field an action needs is missing.
    #[error("{0} is required")]
    FieldMissing(&'static str),
    #[error("a reason is required")]
    ReasonRequired,
    #[error("action not possible on a report that is {0:?}")]
    BadTransition(Status),
    #[error("the report has no agency yet")]
    NoAgency,
    #[error("already classified")]
    AlreadyClassified,
    #[error("unknown target agency")]
    UnknownAgency,
    #[error("the target agency is the current one")]
    SameAgency,
    /// A re-route target whose region does not cover the report's village.
    #[error("the target agency does not serve the report's region")]
    AgencyOutOfRegion,
    #[error("invalid tracking code of the original")]
    BadOriginalCode,
    #[error("the original may not be this report or another duplicate")]
    BadOriginal,
    #[error("the assignee must belong to the handling agency")]
    BadAssignee,
    #[error("unknown response template")]
    UnknownTemplate,
    #[error("unknown action")]
    UnknownAction,
    #[error("channel not allowed")]
    ChannelNotAllowed,
    #[error("unknown queue")]
    UnknownQueue,
    #[error("invalid or too large form")]
    BadForm,
    #[error("invalid sender number")]
    BadSender,
    #[error("invalid phone number")]
    BadPhone,
    /// Flood control: too many reports this hour from one SMS number (`by_number`) or address;
    /// the window lets the next one through in `retry_after` seconds.
    #[error("too many reports")]
    Flooded { by_number: bool, retry_after: u64 },
    #[error("too many tracking look-ups from this address")]
    TooManyLookups { retry_after: u64 },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// A refusal of a core service (the actor's role, for one), passed on as it is.
    #[error("{0}")]
    Core(AppError),
}

impl From<AppError> for ComplaintError {
    fn from(e: AppError) -> Self {
        ComplaintError::Core(e)
    }
}

pub type ComplaintResult<T> = Result<T, ComplaintError>;

fn invalid(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::unprocessable(code, id, en)
}

impl From<ComplaintError> for AppError {
    fn from(e: ComplaintError) -> Self {
        use ComplaintError as E;
        match e {
            E::NotFound => AppError::not_found(),
            E::Forbidden => AppError::forbidden(),
            E::Invalid(fields) => {
                let id: Vec<&str> = fields.iter().map(|f| f.id.as_str()).collect();
                let en: Vec<&str> = fields.iter().map(|f| f.en.as_str()).collect();
                let mut by_field = serde_json::Map::new();
                for f in &fields {
                    by_field.insert(f.field.to_string(), json!(f.id));
                }
                invalid("invalid_complaint", id.join(" "), en.join(" "))
                    .with_details(json!({ "fields": by_field }))
            }
            E::Flooded {
                by_number: true,
                retry_after,
            } => AppError::too_many(
                "Terlalu banyak laporan dari nomor ini. Coba lagi nanti.",
                "Too many reports from this number. Try again later.",
            )
            .with_retry_after(u32::try_from(retry_after).unwrap_or(u32::MAX)),
            E::Flooded {
                by_number: false,
                retry_after,
            } => AppError::too_many(
                "Terlalu banyak laporan dari alamat ini. Coba lagi nanti.",
                "Too many reports from this address. Try again later.",
            )
            .with_retry_after(u32::try_from(retry_after).unwrap_or(u32::MAX)),
            E::TooManyLookups { retry_after } => AppError::too_many(
                "Terlalu banyak pencarian laporan dari alamat ini. Coba lagi beberapa menit lagi.",
                "Too many report look-ups from this address. Try again in a few minutes.",
            )
            .with_retry_after(u32::try_from(retry_after).unwrap_or(u32::MAX)),
            E::Db(e) => AppError::internal(e),
            E::Internal(e) => AppError::internal(e),
            E::Core(e) => e,
            e => input_refusal(e).unwrap_or_else(handling_refusal),
        }
    }
}

/// The refusals of what a caller sent (a form, a JSON body, an SMS); any other comes back.
fn input_refusal(e: ComplaintError) -> Result<AppError, ComplaintError> {
    use ComplaintError as E;
    Ok(match e {
        E::UnknownCategory => invalid(
            "invalid_complaint",
            "Kategori tidak dikenal.",
            "Unknown category.",
        ),
        E::UnknownVillage => invalid(
            "invalid_complaint",
            "Kode desa/kelurahan tidak dikenal.",
            "Unknown village code.",
        ),
        E::CoordinatesNotNumbers => invalid(
            "invalid_complaint",
            "Koordinat harus berupa angka.",
            "Coordinates must be numbers.",
        ),
        E::PhotosNotBase64 => invalid(
            "invalid_complaint",
            "Foto harus dikodekan base64.",
            "Photos must be base64-encoded.",
        )
        .with_details(json!({ "fields": { "photos": "base64" } })),
        E::TextRequired { id, en } => invalid(
            "invalid_input",
            format!("{id} wajib diisi (paling banyak 5.000 karakter)."),
            format!("{en} is required (at most 5,000 characters)."),
        ),
        E::FieldMissing(what) => invalid(
            "invalid_input",
            format!("{what} wajib diisi."),
            format!("{what} is required."),
        ),
        E::ReasonRequired => invalid(
            "invalid_input",
            "Alasan wajib diisi.",
            "A reason is required.",
        ),
        E::UnknownTemplate => invalid(
            "unknown_template",
            "Templat jawaban tidak dikenal.",
            "Unknown response template.",
        ),
        E::UnknownAction => invalid(
            "unknown_action",
            "Tindakan tidak dikenal.",
            "Unknown action.",
        ),
        E::ChannelNotAllowed => invalid(
            "bad_channel",
            "Kanal tidak diizinkan.",
            "Channel not allowed.",
        ),
        E::UnknownQueue => {
            AppError::bad_request("bad_queue", "Antrian tidak dikenal.", "Unknown queue.")
        }
        E::BadForm => AppError::bad_request(
            "bad_form",
            "Isian formulir tidak sah atau terlalu besar.",
            "Invalid or too large form.",
        ),
        E::BadSender => invalid(
            "bad_sender",
            "Nomor pengirim tidak sah.",
            "Invalid sender number.",
        ),
        E::BadPhone => invalid(
            "bad_phone",
            "Nomor telepon tidak sah.",
            "Invalid phone number.",
        ),
        other => return Err(other),
    })
}

/// The refusals of an action on a report in its current state.
fn handling_refusal(e: ComplaintError) -> AppError {
    use ComplaintError as E;
    match e {
        E::BadTransition(from) => AppError::conflict(
            "bad_transition",
            format!(
                "Tindakan ini tidak dapat dilakukan pada laporan berstatus \"{}\".",
                from.label_id()
            ),
            format!(
                "This action is not possible on a report that is \"{}\".",
                from.label_en()
            ),
        ),
        E::NoAgency => AppError::conflict(
            "no_agency",
            "Laporan belum memiliki instansi tujuan; alihkan dulu ke instansi.",
            "The report has no agency yet; re-route it first.",
        ),
        E::AlreadyClassified => AppError::conflict(
            "already_classified",
            "Laporan ini sudah terklasifikasi.",
            "This report is already classified.",
        ),
        E::UnknownAgency => invalid(
            "unknown_agency",
            "Instansi tujuan tidak dikenal.",
            "Unknown target agency.",
        ),
        E::SameAgency => invalid(
            "same_agency",
            "Instansi tujuan sama dengan instansi sekarang.",
            "The target agency is the current one.",
        ),
        E::AgencyOutOfRegion => invalid(
            "agency_out_of_region",
            "Instansi tujuan tidak melayani wilayah laporan ini; pilih instansi yang wilayahnya mencakup desa/kelurahan laporan.",
            "The target agency does not serve this report's region; choose an agency whose region covers the report's village.",
        ),
        E::BadOriginalCode => invalid(
            "bad_tracking_code",
            "Kode lacak laporan asli tidak sah.",
            "Invalid tracking code of the original.",
        ),
        E::BadOriginal => invalid(
            "bad_original",
            "Laporan asli tidak boleh laporan ini sendiri atau laporan duplikat.",
            "The original may not be this report or another duplicate.",
        ),
        E::BadAssignee => invalid(
            "bad_assignee",
            "Petugas harus anggota instansi yang menangani.",
            "The assignee must belong to the handling agency.",
        ),
        other => AppError::internal(anyhow::anyhow!("unmapped complaint refusal: {other}")),
    }
}

impl ComplaintError {
    /// The HTTP status this refusal answers with (the HTML form redisplays itself on 422).
    pub fn status(&self) -> StatusCode {
        match self {
            ComplaintError::Core(e) => e.status(),
            ComplaintError::Db(_) | ComplaintError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ComplaintError::NotFound => StatusCode::NOT_FOUND,
            ComplaintError::Forbidden => StatusCode::FORBIDDEN,
            ComplaintError::BadTransition(_)
            | ComplaintError::NoAgency
            | ComplaintError::AlreadyClassified => StatusCode::CONFLICT,
            ComplaintError::UnknownQueue | ComplaintError::BadForm => StatusCode::BAD_REQUEST,
            ComplaintError::Flooded { .. } | ComplaintError::TooManyLookups { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_agrees_with_the_mapping() {
        for e in [
            ComplaintError::NotFound,
            ComplaintError::Invalid(vec![]),
            ComplaintError::BadTransition(Status::Closed),
            ComplaintError::UnknownQueue,
            ComplaintError::Flooded {
                by_number: true,
                retry_after: 60,
            },
            ComplaintError::TooManyLookups { retry_after: 60 },
            ComplaintError::UnknownAgency,
            ComplaintError::Db(sqlx::Error::PoolClosed),
        ] {
            let want = e.status();
            assert_eq!(AppError::from(e).status(), want);
        }
    }

    #[test]
    fn field_errors_are_joined_and_listed() {
        let e = AppError::from(ComplaintError::Invalid(vec![
            FieldError {
                field: "description",
                id: "Uraian wajib.".into(),
                en: "Description required.".into(),
            },
            FieldError {
                field: "lat",
                id: "Koordinat.".into(),
                en: "Coordinates.".into(),
            },
        ]));
        assert_eq!(e.info.code, "invalid_complaint");
        assert_eq!(e.info.message_id, "Uraian wajib. Koordinat.");
        assert_eq!(
            e.info.details,
            Some(json!({ "fields": { "description": "Uraian wajib.", "lat": "Koordinat." } }))
        );
    }
}

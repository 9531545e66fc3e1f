//! What a request must carry (UU 14/2008 art. 22(1)–(3); Perki 1/2021): the requester's name and
//! a way to reach them, the information asked for, and what it is for. Checked before anything
//! is written.

pub use crate::errors::ReasonField;
use crate::errors::{InfoResult, InformationError};

pub const MAX_NAME: usize = 200;
pub const MIN_INFORMATION: usize = 10;
pub const MAX_INFORMATION: usize = 5000;
pub const MAX_PURPOSE: usize = 1000;
pub const MAX_ADDRESS: usize = 500;
/// Reasons (extension, objection), answers and consequence tests.
pub const MAX_TEXT: usize = 10_000;
/// A reason or a consequence test shorter than this says nothing.
pub const MIN_REASON: usize = 10;

/// How the requester wants the information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Email,
    Pickup,
    Post,
}

impl Delivery {
    pub const fn as_str(self) -> &'static str {
        match self {
            Delivery::Email => "email",
            Delivery::Pickup => "pickup",
            Delivery::Post => "post",
        }
    }

    pub fn parse(s: &str) -> Option<Delivery> {
        [Delivery::Email, Delivery::Pickup, Delivery::Post]
            .into_iter()
            .find(|d| d.as_str() == s.trim())
    }

    pub const fn label_id(self) -> &'static str {
        match self {
            Delivery::Email => "Surat elektronik",
            Delivery::Pickup => "Diambil langsung",
            Delivery::Post => "Pos",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Delivery::Email => "E-mail",
            Delivery::Pickup => "Collected in person",
            Delivery::Post => "Post",
        }
    }
}

/// The requester's fields as typed.
#[derive(Clone, Debug, Default)]
pub struct RawRequest {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub information: String,
    pub purpose: String,
    pub delivery: String,
}

/// A request whose every field has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRequest {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub information: String,
    pub purpose: String,
    pub delivery: Delivery,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn email_valid(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    e.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(char::is_whitespace)
}

fn phone_valid(p: &str) -> bool {
    let digits = p.strip_prefix('+').unwrap_or(p);
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Check every field; the first failure is the refusal.
pub fn check(raw: &RawRequest) -> InfoResult<CheckedRequest> {
    let name = raw.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(InformationError::BadName);
    }
    let email = opt(&raw.email);
    if email.as_deref().is_some_and(|e| !email_valid(e)) {
        return Err(InformationError::BadEmail);
    }
    let phone = opt(&raw.phone).map(|p| p.replace([' ', '-'], ""));
    if phone.as_deref().is_some_and(|p| !phone_valid(p)) {
        return Err(InformationError::BadPhone);
    }
    let address = opt(&raw.address);
    if address
        .as_deref()
        .is_some_and(|a| a.chars().count() > MAX_ADDRESS)
    {
        return Err(InformationError::BadAddress);
    }
    if email.is_none() && phone.is_none() && address.is_none() {
        return Err(InformationError::ContactRequired);
    }
    let information = raw.information.trim();
    let n = information.chars().count();
    if !(MIN_INFORMATION..=MAX_INFORMATION).contains(&n) {
        return Err(InformationError::BadInformation);
    }
    let purpose = raw.purpose.trim();
    if purpose.is_empty() || purpose.chars().count() > MAX_PURPOSE {
        return Err(InformationError::BadPurpose);
    }
    let delivery = match opt(&raw.delivery) {
        None if email.is_some() => Delivery::Email,
        None => Delivery::Pickup,
        Some(d) => Delivery::parse(&d).ok_or(InformationError::BadDelivery)?,
    };
    if delivery == Delivery::Email && email.is_none() {
        return Err(InformationError::BadDelivery);
    }
    if delivery == Delivery::Post && address.is_none() {
        return Err(InformationError::BadDelivery);
    }
    Ok(CheckedRequest {
        name: name.to_string(),
        email,
        phone,
        address,
        information: information.to_string(),
        purpose: purpose.to_string(),
        delivery,
    })
}

/// A required free text (reason, answer, consequence test): trimmed, at least [`MIN_REASON`]
/// and at most [`MAX_TEXT`] characters.
pub fn reason(text: Option<&str>, what: ReasonField) -> InfoResult<String> {
    let t = text.unwrap_or("").trim();
    let n = t.chars().count();
    if !(MIN_REASON..=MAX_TEXT).contains(&n) {
        return Err(InformationError::TextRequired(what));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> RawRequest {
        RawRequest {
            name: " Siti Aminah ".into(),
            email: "siti@example.test".into(),
            information: "Salinan DPA Dinas Pendidikan 2025".into(),
            purpose: "Liputan anggaran".into(),
            ..RawRequest::default()
        }
    }

    #[test]
    fn a_complete_request_passes_and_defaults_to_email() {
        let c = check(&ok()).unwrap();
        assert_eq!(c.name, "Siti Aminah");
        assert_eq!(c.delivery, Delivery::Email);
    }

    #[test]
    fn each_missing_or_bad_field_is_named() {
        type Case = (fn(&mut RawRequest), InformationError);
        let cases: [Case; 7] = [
            (|r| r.name = "  ".into(), InformationError::BadName),
            (|r| r.email = "siti@".into(), InformationError::BadEmail),
            (|r| r.phone = "12ab".into(), InformationError::BadPhone),
            (|r| r.email.clear(), InformationError::ContactRequired),
            (
                |r| r.information = "   ".into(),
                InformationError::BadInformation,
            ),
            (|r| r.purpose.clear(), InformationError::BadPurpose),
            (
                |r| r.delivery = "post".into(),
                InformationError::BadDelivery,
            ),
        ];
        for (change, want) in cases {
            let mut r = ok();
            change(&mut r);
            assert_eq!(check(&r).unwrap_err().to_string(), want.to_string());
        }
    }

    #[test]
    fn reasons_must_say_something() {
        assert!(reason(Some(" singkat "), ReasonField::Reason).is_err());
        assert_eq!(
            reason(
                Some(" Dokumen masih dihimpun dari tiga bidang "),
                ReasonField::Reason
            )
            .unwrap(),
            "Dokumen masih dihimpun dari tiga bidang"
        );
    }
}

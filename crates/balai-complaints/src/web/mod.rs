//! HTTP handlers: HTML pages, the JSON API and the SMS gateway endpoint.

pub mod api;
pub mod dashboard;
pub mod html;
pub mod officials;
pub mod open311;
pub mod sms;
pub mod tracking;

use balai_core::i18n::Lang;

/// Pick the Indonesian or English text in a template: `{{ page.lang.pick("Kirim", "Send") }}`.
pub trait Pick {
    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str;
}

impl Pick for Lang {
    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            _ => id,
        }
    }
}

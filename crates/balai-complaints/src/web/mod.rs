//! HTTP handlers: HTML pages, the JSON API and the SMS gateway endpoint.

pub mod api;
pub mod dashboard;
pub mod html;
pub mod officials;
pub mod offline;
pub mod open311;
pub mod sms;
pub mod tracking;

use balai_core::i18n::Lang;
use balai_core::web::AppCtx;

use crate::domain::ClockConfig;

/// The clocks configured for this server (`[complaints]` in the settings).
pub fn clocks(ctx: &AppCtx) -> ClockConfig {
    ctx.cfg.complaints.clone()
}

/// Pick the Indonesian or English text in a template: `{{ page.lang.pick("Kirim", "Send") }}`.
pub trait Pick {
    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str;
    /// A status code's label in this language (unknown codes show as they are).
    fn status(self, code: &str) -> &str;
}

impl Pick for Lang {
    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            _ => id,
        }
    }

    fn status(self, code: &str) -> &str {
        match crate::domain::Status::parse(code) {
            Some(s) => self.pick(s.label_id(), s.label_en()),
            None => code,
        }
    }
}

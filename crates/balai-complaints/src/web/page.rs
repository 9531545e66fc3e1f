//! What every HTML page of the feature shares: the page frame, the configured clocks and the
//! status labels.

use axum::extract::OriginalUri;
use balai_core::i18n::Lang;
use balai_core::web::actor::Actor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::Page;
use balai_core::web::AppCtx;

use crate::domain::{ClockConfig, Status};

/// The page frame for a request.
pub fn page(
    lang: Lang,
    title: &str,
    actor: Option<&Actor>,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, title, actor, &csrf.0, uri.path())
}

/// The clocks configured for this server (`[complaints]` in the settings).
pub fn clocks(ctx: &AppCtx) -> ClockConfig {
    crate::domain::settings::settings(ctx)
}

/// A status code's label in the page's language, in templates:
/// `{{ page.lang.status_label(c.status.as_str()) }}` (unknown codes show as they are).
pub trait StatusLabel {
    fn status_label(self, code: &str) -> &str;
}

impl StatusLabel for Lang {
    fn status_label(self, code: &str) -> &str {
        match Status::parse(code) {
            Some(s) => self.tr(s.label_id(), s.label_en()),
            None => code,
        }
    }
}

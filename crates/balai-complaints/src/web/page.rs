//! What every HTML page of the feature shares: the page frame, the configured clocks and the
//! status labels.

use axum::extract::OriginalUri;
use balai_core::i18n::Lang;
use balai_core::web::actor::Actor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, Page};
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
    Page::new(lang, title, actor, &csrf.0, &here(uri))
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

/// Who wrote a timeline entry, in the page's language (the stored labels are Indonesian).
pub fn actor_label(lang: Lang, by: &str) -> &str {
    match by {
        "pelapor" => lang.tr("pelapor", "reporter"),
        "petugas" => lang.tr("petugas", "official"),
        "sistem" => lang.tr("sistem", "system"),
        other => other,
    }
}

/// A message Balai itself writes into a timeline, in the page's language (the stored text is
/// Indonesian; officials' own words are shown as they wrote them).
pub fn system_text(lang: Lang, text: &str) -> std::borrow::Cow<'_, str> {
    if lang == Lang::En {
        if let Some((f, window)) = crate::domain::election::Formality::parse_message_id(text) {
            return f.message_en(window).into();
        }
    }
    fixed_text(lang, text).into()
}

/// Balai's own fixed messages in the page's language.
fn fixed_text(lang: Lang, text: &str) -> &str {
    const KNOWN: [(&str, &str); 3] = [
        (
            "Laporan Anda diterima dan akan diverifikasi.",
            "Your report was received and will be verified.",
        ),
        (
            "Pesan Anda diterima dan akan diklasifikasikan petugas.",
            "Your message was received and will be classified by an official.",
        ),
        (
            "Ditutup otomatis: tidak ada tanggapan pelapor setelah jawaban.",
            "Closed automatically: the reporter did not respond to the answer.",
        ),
    ];
    match KNOWN.iter().find(|(id, _)| *id == text) {
        Some((id, en)) => lang.tr(id, en),
        None => text,
    }
}

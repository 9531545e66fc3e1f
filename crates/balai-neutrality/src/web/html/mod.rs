//! Server-rendered pages: the public register of a region with its timeline, and the agencies'
//! register with the forms to record and import; what they share (dates, flag labels, the
//! timeline SVG).

pub mod case_page;
pub mod case_stats;
pub mod cases;
pub mod public;
pub mod staff;
pub mod timeline;

use balai_core::i18n::Lang;
use balai_core::AppError;
use time::Date;

use crate::errors::NeutralityError;

use crate::domain::window::Rule;
use crate::queries::register::Register;
use crate::store::flags::FlagRow;

/// A date as people write it: `22 Maret 2024` / `22 March 2024`.
pub fn day(d: Date, lang: Lang) -> String {
    balai_core::format::date(d, lang)
}

/// A (Bahasa Indonesia, English) label in the page's language.
pub fn label(lang: Lang, l: (&'static str, &'static str)) -> &'static str {
    lang.tr(l.0, l.1)
}

/// A refusal's message for the page that is shown again; a refusal that is not about the input
/// (forbidden, storage) is answered as an error page.
pub fn message(e: NeutralityError, lang: Lang) -> Result<String, AppError> {
    match e {
        NeutralityError::Forbidden
        | NeutralityError::CaseNotFound
        | NeutralityError::OwnCase
        | NeutralityError::Core(_) => Err(e.into()),
        other => Ok(if lang == Lang::En {
            other.message_en()
        } else {
            other.to_string()
        }),
    }
}

/// A flag, as one line of text: the rule, the window, the election and whether approved.
pub fn flag_text(f: &FlagRow, reg: &Register, lang: Lang) -> String {
    let rule = Rule::parse(&f.rule).map_or_else(|| f.rule.clone(), |r| r.citation().to_string());
    let election = reg
        .elections
        .iter()
        .find(|e| e.id == f.election_id)
        .map_or_else(|| format!("#{}", f.election_id), |e| e.name.clone());
    let to = f.window_to.map_or_else(
        || {
            lang.tr(
                "pelantikan (belum dijadwalkan)",
                "the inauguration (not scheduled yet)",
            )
            .to_string()
        },
        |d| day(d, lang),
    );
    let head = if f.approved {
        lang.tr(
            "Dalam masa larangan, dengan persetujuan tertulis Mendagri",
            "Inside the restricted period, with the Minister's written approval",
        )
    } else {
        lang.tr(
            "Dalam masa larangan, tanpa persetujuan Mendagri",
            "Inside the restricted period, without the Minister's approval",
        )
    };
    format!(
        "{head}: {rule} ({} – {to}) · {election}",
        day(f.window_from, lang)
    )
}

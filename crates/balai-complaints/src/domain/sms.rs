//! The SMS format, parsed by a pure function (fuzzable):
//!
//! ```text
//! LAPOR <kategori> <kode desa atau nama desa>#<isi laporan>
//! CEK <kode lacak>
//! ```
//!
//! Keywords are case-insensitive and extra spaces are tolerated. Anything else is kept as an
//! unstructured report for an operator to classify: a citizen's message is never thrown away.

/// The longest message accepted (ten concatenated SMS parts).
pub const MAX_SMS_CHARS: usize = 1_600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsMessage {
    /// A report in the documented format. `category` is lower-cased; `place` is a region code or
    /// a village name as typed (spaces collapsed).
    Report {
        category: String,
        place: String,
        body: String,
    },
    /// A status query for a tracking code (not yet validated).
    Track { code: String },
    /// Not in the format: an operator classifies it.
    Unstructured { text: String },
    /// Nothing but whitespace.
    Empty,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Split off the first whitespace-separated word.
fn first_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

pub fn parse(text: &str) -> SmsMessage {
    let t = text.trim();
    if t.is_empty() {
        return SmsMessage::Empty;
    }
    let unstructured = || SmsMessage::Unstructured {
        text: t.chars().take(MAX_SMS_CHARS).collect(),
    };
    let (kw, rest) = first_word(t);
    if kw.eq_ignore_ascii_case("CEK") || kw.eq_ignore_ascii_case("STATUS") {
        let code = collapse(rest);
        if code.is_empty() || code.len() > 20 {
            return unstructured();
        }
        return SmsMessage::Track { code };
    }
    // "LAPOR#..." or "LAPOR infrastruktur ..." — the keyword may touch the hash.
    let (kw, rest) = match kw.split_once('#') {
        Some((k, _)) => (k, &t[k.len()..]),
        None => (kw, rest),
    };
    if !kw.eq_ignore_ascii_case("LAPOR") {
        return unstructured();
    }
    let Some((head, body)) = rest.split_once('#') else {
        return unstructured();
    };
    let (category, place) = first_word(head);
    let body = body.trim();
    let place = collapse(place);
    if category.is_empty() || place.is_empty() || body.is_empty() {
        return unstructured();
    }
    SmsMessage::Report {
        category: category.to_lowercase(),
        place,
        body: body.chars().take(MAX_SMS_CHARS).collect(),
    }
}

/// The format, for replies and the API documentation.
pub const FORMAT_HELP: &str = "LAPOR <kategori> <kode desa>#<isi laporan>";

pub fn reply_received(display_code: &str) -> String {
    format!(
        "Laporan Anda diterima. Kode lacak: {display_code}. Cek status: kirim CEK {display_code}."
    )
}

pub fn reply_information(display_code: &str) -> String {
    format!(
        "Laporan Anda dicatat sebagai informasi awal untuk Bawaslu (bukan laporan resmi: laporan \
         resmi memerlukan identitas, terlapor, waktu, tempat dan bukti). Kode lacak: {display_code}."
    )
}

pub fn reply_unstructured(display_code: &str) -> String {
    format!(
        "Pesan Anda diterima dan akan diklasifikasikan petugas. Kode lacak: {display_code}. \
         Format laporan: {FORMAT_HELP}"
    )
}

pub fn reply_status(display_code: &str, status_label: &str) -> String {
    format!("Status laporan {display_code}: {status_label}.")
}

pub fn reply_unknown_code() -> String {
    "Kode lacak tidak dikenal. Periksa kembali kode Anda.".to_string()
}

pub fn reply_empty() -> String {
    format!("Pesan kosong. Format laporan: {FORMAT_HELP}")
}

pub fn reply_rate_limited() -> String {
    "Terlalu banyak pesan dari nomor ini. Silakan coba lagi nanti.".to_string()
}

pub fn reply_blocked() -> String {
    "Nomor ini tidak dapat mengirim laporan. Hubungi kantor layanan terdekat.".to_string()
}

/// What must hold for every input: checked by the fuzz target (`fuzz/`, built with
/// `--cfg fuzzing`) and by the property tests below. Returns the first broken property.
#[cfg(any(test, fuzzing))]
pub fn check_properties(text: &str) -> Result<(), String> {
    let parsed = parse(text);
    if parse(text) != parsed {
        return Err("parse is not deterministic".into());
    }
    if (parsed == SmsMessage::Empty) != text.trim().is_empty() {
        return Err(format!("Empty iff blank, got {parsed:?}"));
    }
    match &parsed {
        SmsMessage::Report {
            category,
            place,
            body,
        } => {
            if category.is_empty()
                || category.contains(char::is_whitespace)
                || category.contains('#')
            {
                return Err(format!("bad category {category:?}"));
            }
            if place.is_empty() || place.contains('#') || collapse(place) != *place {
                return Err(format!("bad place {place:?}"));
            }
            if body.is_empty()
                || body.starts_with(char::is_whitespace)
                || body.chars().count() > MAX_SMS_CHARS
            {
                return Err(format!("bad body {body:?}"));
            }
            // Written back in the documented format, it reads the same.
            let again = parse(&format!("LAPOR {category} {place}#{body}"));
            let expected = SmsMessage::Report {
                category: category.to_lowercase(),
                place: place.clone(),
                body: body.trim_end().to_string(),
            };
            if again != expected {
                return Err(format!("round trip: {parsed:?} became {again:?}"));
            }
        }
        SmsMessage::Track { code } => {
            if code.is_empty() || code.len() > 20 || collapse(code) != *code {
                return Err(format!("bad code {code:?}"));
            }
            let again = parse(&format!("CEK {code}"));
            if again != parsed {
                return Err(format!("round trip: {parsed:?} became {again:?}"));
            }
        }
        SmsMessage::Unstructured { text: kept } => {
            // Nothing is lost but what exceeds the limit.
            let t = text.trim();
            if kept.is_empty()
                || kept.chars().count() > MAX_SMS_CHARS
                || !t.starts_with(kept.as_str())
                || (kept.len() < t.len() && kept.chars().count() < MAX_SMS_CHARS)
            {
                return Err(format!("unstructured text not kept: {kept:?}"));
            }
        }
        SmsMessage::Empty => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(c: &str, p: &str, b: &str) -> SmsMessage {
        SmsMessage::Report {
            category: c.into(),
            place: p.into(),
            body: b.into(),
        }
    }

    #[test]
    fn the_documented_format() {
        assert_eq!(
            parse("LAPOR infrastruktur 32.79.01.1001#Jalan berlubang di depan pasar"),
            report(
                "infrastruktur",
                "32.79.01.1001",
                "Jalan berlubang di depan pasar"
            )
        );
    }

    #[test]
    fn case_and_spaces_are_tolerated() {
        assert_eq!(
            parse("  lapor   INFRASTRUKTUR    Banjar   Baru  #  lampu mati  "),
            report("infrastruktur", "Banjar Baru", "lampu mati")
        );
        assert_eq!(
            parse("Lapor\tpelayanan\n32.79.01.1001 # antre lama"),
            report("pelayanan", "32.79.01.1001", "antre lama")
        );
        // The body keeps later hashes.
        assert_eq!(
            parse("LAPOR hoaks 16.71.01.1001#pesan #2 di grup"),
            report("hoaks", "16.71.01.1001", "pesan #2 di grup")
        );
    }

    #[test]
    fn status_queries() {
        assert_eq!(
            parse("cek abcde-fghjk"),
            SmsMessage::Track {
                code: "abcde-fghjk".into()
            }
        );
        assert_eq!(
            parse("STATUS  ABCDEFGHJK"),
            SmsMessage::Track {
                code: "ABCDEFGHJK".into()
            }
        );
    }

    #[test]
    fn anything_else_is_unstructured() {
        for s in [
            "jalan rusak di desa saya",
            "LAPOR",
            "LAPOR infrastruktur#isi",
            "LAPOR infrastruktur 32.79.01.1001",
            "LAPOR infrastruktur 32.79.01.1001#   ",
            "LAPOR#isi",
            "LAPORAN infrastruktur x#y",
            "CEK",
        ] {
            assert!(
                matches!(parse(s), SmsMessage::Unstructured { .. }),
                "{s:?} → {:?}",
                parse(s)
            );
        }
        assert_eq!(parse("  \n "), SmsMessage::Empty);
    }

    #[test]
    fn never_panics_on_odd_input_and_bounds_the_length() {
        let long = "x".repeat(5_000);
        match parse(&long) {
            SmsMessage::Unstructured { text } => assert_eq!(text.chars().count(), MAX_SMS_CHARS),
            other => assert_eq!(other, SmsMessage::Empty),
        }
        for s in [
            "#",
            "##",
            "LAPOR ##",
            "lapor é ü#ß",
            "LAPOR\u{0}a b#c",
            "🙂 LAPOR a b#c",
        ] {
            let _ = parse(s);
        }
        assert_eq!(parse("lapor é ü#ß"), report("é", "ü", "ß"));
    }

    #[test]
    fn replies_are_in_bahasa_indonesia() {
        assert!(reply_received("ABCDE-FGHJK").contains("Kode lacak: ABCDE-FGHJK"));
        assert!(reply_unstructured("X").contains(FORMAT_HELP));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            #[test]
            fn any_text_keeps_the_properties(text in any::<String>()) {
                prop_assert_eq!(check_properties(&text), Ok(()));
            }

            #[test]
            fn text_near_the_format_keeps_the_properties(
                text in "(?i)(lapor|cek|status)?[ \t\n#]{0,3}[a-zé#_ \t]{0,12}[0-9.# ]{0,15}[^\r]{0,40}"
            ) {
                prop_assert_eq!(check_properties(&text), Ok(()));
            }

            #[test]
            fn well_formed_reports_parse_to_their_parts(
                keyword in "(?i)lapor",
                category in "[A-Za-z_]{1,20}",
                words in proptest::collection::vec("[^\\s#]{1,12}", 1..4),
                body in "[^\\s][^\r\n]{0,80}",
                gap in "[ \t]{1,3}",
            ) {
                let place = words.join(" ");
                let text = format!("{keyword}{gap}{category}{gap}{}{gap}#{gap}{body}", words.join(&gap));
                prop_assert_eq!(check_properties(&text), Ok(()));
                prop_assert_eq!(
                    parse(&text),
                    SmsMessage::Report {
                        category: category.to_lowercase(),
                        place,
                        body: body.trim_end().to_string(),
                    }
                );
            }
        }
    }
}

//! A request that came by e-mail, pasted by an official (Balai takes no SMTP): the sender's name
//! and address from `From:`, the day it arrived from `Date:`, the request from the subject and
//! the body. A forwarded message's own headers (after a "Forwarded message" line) win over the
//! forwarder's. What cannot be read is left blank for the official to fill; nothing here is
//! trusted further than the form it fills, which is checked like any other request.

use time::{Date, Month};

/// At most this much pasted text is read.
pub const MAX_PASTE: usize = 20_000;

/// What a pasted e-mail gives the request form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PastedEmail {
    pub name: String,
    pub email: String,
    pub received_on: Option<Date>,
    pub information: String,
}

/// The header block that starts `text` (continuation lines folded in) and the body after it.
fn headers_and_body(text: &str) -> (Vec<(String, String)>, &str) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare.trim().is_empty() {
            offset += line.len();
            if headers.is_empty() {
                continue;
            }
            break;
        }
        if bare.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(bare.trim());
                offset += line.len();
                continue;
            }
        }
        match bare.split_once(':') {
            Some((k, v)) if !k.is_empty() && !k.contains(' ') => {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                offset += line.len();
            }
            _ => break,
        }
    }
    (headers, &text[offset..])
}

/// The part of the text a forwarded message starts at (its own headers), or all of it.
fn forwarded(text: &str) -> &str {
    let lower = text.to_lowercase();
    for marker in ["forwarded message", "pesan terusan", "original message"] {
        if let Some(i) = lower.find(marker) {
            let after = &text[i..];
            if let Some(nl) = after.find('\n') {
                return &after[nl + 1..];
            }
        }
    }
    text
}

fn header<'a>(headers: &'a [(String, String)], key: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// `"Name" <a@b>`, `Name <a@b>` or `a@b`.
fn sender(from: &str) -> (String, String) {
    match (from.find('<'), from.rfind('>')) {
        (Some(i), Some(j)) if i < j => {
            let name = from[..i].trim().trim_matches('"').trim().to_string();
            (name, from[i + 1..j].trim().to_string())
        }
        _ => (String::new(), from.trim().to_string()),
    }
}

fn month(word: &str) -> Option<Month> {
    let w = word.trim_end_matches('.').to_lowercase();
    let head: String = w.chars().take(3).collect();
    let m = match head.as_str() {
        "jan" => Month::January,
        "feb" => Month::February,
        "mar" => Month::March,
        "apr" => Month::April,
        "mei" | "may" => Month::May,
        "jun" => Month::June,
        "jul" => Month::July,
        "agu" | "aug" => Month::August,
        "sep" => Month::September,
        "okt" | "oct" => Month::October,
        "nov" => Month::November,
        "des" | "dec" => Month::December,
        _ => return None,
    };
    Some(m)
}

/// The first `day month year` in a `Date:` header, in English or Indonesian
/// (`Mon, 1 Dec 2025 09:15:00 +0700`, `Sen, 1 Des 2025 pukul 09.15`).
fn day_of(date: &str) -> Option<Date> {
    let words: Vec<&str> = date
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(3).find_map(|w| {
        let d: u8 = w[0].parse().ok()?;
        let m = month(w[1])?;
        let y: i32 = w[2].parse().ok()?;
        Date::from_calendar_date(y, m, d).ok()
    })
}

/// Read a pasted e-mail. Returns what it could read; empty fields stay empty.
pub fn read(pasted: &str) -> PastedEmail {
    let text: String = pasted.chars().take(MAX_PASTE).collect();
    let text = text.replace("\r\n", "\n");
    let (headers, body) = headers_and_body(forwarded(&text));
    let (name, email) = header(&headers, "from").map(sender).unwrap_or_default();
    let subject = header(&headers, "subject").unwrap_or_default();
    let body = body.trim();
    let information = match (subject.is_empty(), body.is_empty()) {
        (true, _) => body.to_string(),
        (false, true) => subject.to_string(),
        (false, false) => format!("{subject}\n\n{body}"),
    };
    PastedEmail {
        name,
        email,
        received_on: header(&headers, "date").and_then(day_of),
        information,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_plain_message_gives_sender_day_and_text() {
        let raw = "From: \"Budi Santoso\" <budi.s@example.test>\r\nTo: ppid@banjarkota.go.id\r\nDate: Mon, 1 Dec 2025 09:15:00 +0700\r\nSubject: Permohonan salinan\r\n DPA 2025\r\n\r\nMohon salinan DPA Dinas Pendidikan 2025.\r\nTerima kasih.\r\n";
        let got = read(raw);
        assert_eq!(got.name, "Budi Santoso");
        assert_eq!(got.email, "budi.s@example.test");
        assert_eq!(got.received_on, Some(date!(2025 - 12 - 01)));
        assert_eq!(
            got.information,
            "Permohonan salinan DPA 2025\n\nMohon salinan DPA Dinas Pendidikan 2025.\nTerima kasih."
        );
    }

    #[test]
    fn a_forwarded_message_is_read_from_its_own_headers() {
        let raw = "Tolong diregistrasi.\n\n---------- Forwarded message ---------\nFrom: Rina Wati <rina@example.test>\nDate: Sen, 3 Nov 2025 pukul 10.02\nSubject: Jadwal bus sekolah\nTo: <humas@banjarkota.go.id>\n\nMohon jadwal bus sekolah semester genap.";
        let got = read(raw);
        assert_eq!(
            (got.name.as_str(), got.email.as_str()),
            ("Rina Wati", "rina@example.test")
        );
        assert_eq!(got.received_on, Some(date!(2025 - 11 - 03)));
        assert!(got
            .information
            .starts_with("Jadwal bus sekolah\n\nMohon jadwal"));
    }

    #[test]
    fn text_without_headers_is_all_request() {
        let got = read("Mohon salinan notulen rapat pleno.");
        assert_eq!(got.information, "Mohon salinan notulen rapat pleno.");
        assert_eq!((got.name.as_str(), got.received_on), ("", None));
        assert_eq!(read("From: a@b.id\n\n").email, "a@b.id");
        assert_eq!(read("Date: kemarin\n\nx").received_on, None);
    }
}

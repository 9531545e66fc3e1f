//! iCalendar (RFC 5545) of activities: all-day events, text escaped, lines folded at 75
//! octets, CRLF line ends.

use time::Date;

/// One activity as an event.
#[derive(Clone, Debug)]
pub struct Event {
    pub uid: String,
    pub day: Date,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// Withdrawn by its organiser: published with `STATUS:CANCELLED`, so a subscribed calendar
    /// shows it cancelled rather than silently dropping it.
    pub cancelled: bool,
}

/// Escape a TEXT value: backslash, semicolon, comma and line breaks.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded so no line is longer than 75 octets (a fold never splits a
/// character).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn basic(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The calendar named `name` with `events`, stamped `stamp` (UTC, `YYYYMMDDTHHMMSSZ`).
pub fn calendar(name: &str, stamp: &str, events: &[Event]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Balai//Kolaborasi//ID");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        let end = e.day.next_day().unwrap_or(e.day);
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", e.uid));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", basic(e.day)));
        line(&mut out, &format!("DTEND;VALUE=DATE:{}", basic(end)));
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        if e.cancelled {
            line(&mut out, "STATUS:CANCELLED");
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn events_escaped_and_folded() {
        let text = calendar(
            "Kolaborasi, Kota Banjar",
            "20241201T000000Z",
            &[Event {
                uid: "activity-7@balai".into(),
                day: date!(2024 - 12 - 31),
                summary: "Sosialisasi; pemilih pemula, SMA".into(),
                location: "Pataruman".into(),
                description: "é".repeat(60),
                cancelled: false,
            }],
        );
        assert!(text.contains("X-WR-CALNAME:Kolaborasi\\, Kota Banjar\r\n"));
        assert!(text.contains("SUMMARY:Sosialisasi\\; pemilih pemula\\, SMA\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20241231\r\nDTEND;VALUE=DATE:20250101\r\n"));
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
        assert!(text.contains("\r\n é"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_withdrawn_activity_is_cancelled_not_dropped() {
        let event = |cancelled| Event {
            uid: "activity-8@balai".into(),
            day: date!(2025 - 01 - 15),
            summary: "Rapat".into(),
            location: "Banjar".into(),
            description: String::new(),
            cancelled,
        };
        let text = calendar("K", "20241201T000000Z", &[event(true), event(false)]);
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("STATUS:CANCELLED\r\nEND:VEVENT").count(), 1);
    }
}

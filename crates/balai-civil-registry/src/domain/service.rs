//! The services catalogue and its rules. The catalogue itself lives in the database (seeded by
//! the migration, editable by an admin); this module parses and checks it.

use serde::{Deserialize, Serialize};
use time::Date;

/// One document of a service's checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Requirement {
    /// Field key, `[a-z0-9_]+`.
    pub key: String,
    pub label_id: String,
    pub label_en: String,
    /// Uploaded online (true) or only brought to the counter (false).
    pub upload: bool,
    /// An application without it is refused.
    pub required: bool,
}

/// The deadline clock of an application (`calendar` clock kind and purpose): the service
/// standard in working days.
pub const CLOCK_KIND: &str = "cr_application";
pub const CLOCK_PURPOSE: &str = "service_standard";

/// How an application came in: the citizen online, or an official at a counter (assisted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Online,
    Counter,
}

impl Channel {
    /// The code stored in `cr_applications.channel`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Counter => "counter",
        }
    }

    /// A stored channel; anything but `counter` counts as online.
    pub fn parse(s: &str) -> Channel {
        if s == Channel::Counter.as_str() {
            Channel::Counter
        } else {
            Channel::Online
        }
    }
}

/// What a birth or death registration is counted from, for the late-registration rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Birth,
    Death,
}

impl EventKind {
    pub fn parse(s: &str) -> Option<EventKind> {
        match s {
            "birth" => Some(EventKind::Birth),
            "death" => Some(EventKind::Death),
            _ => None,
        }
    }
}

/// A registration is late when it is filed more than `late_after_days` calendar days after the
/// event (births 60, deaths 30 by default; configurable per service).
pub fn is_late(event_day: Date, filed_day: Date, late_after_days: i64) -> bool {
    (filed_day - event_day).whole_days() > late_after_days
}

/// The calendar day in the region's time zone (WIB +7, WITA +8, WIT +9): deadlines and the
/// late-registration rule count local days, not UTC ones.
pub fn local_date(now: time::OffsetDateTime, tz: &str) -> Date {
    now.to_offset(utc_offset(tz)).date()
}

/// The fixed UTC offset of an Indonesian time zone (no daylight saving); unknown names are WIB.
pub fn utc_offset(tz: &str) -> time::UtcOffset {
    let hours = match tz {
        "WITA" => 8,
        "WIT" => 9,
        _ => 7,
    };
    time::UtcOffset::from_hms(hours, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// The first instant of a local day (expressed in UTC, as timestamps are stored), for period
/// bounds counted in local days.
pub fn local_midnight(day: Date, tz: &str) -> time::OffsetDateTime {
    day.with_time(time::Time::MIDNIGHT)
        .assume_offset(utc_offset(tz))
        .to_offset(time::UtcOffset::UTC)
}

/// An open application is overdue once its due day is over on the region's calendar.
pub fn is_overdue(due_day: Date, now: time::OffsetDateTime, tz: &str) -> bool {
    due_day < local_date(now, tz)
}

/// Parse the admin's checklist text: one requirement per line,
/// `key | label (ID) | label (EN) | unggah/bawa | wajib/opsional`.
pub fn parse_checklist(text: &str) -> Result<Vec<Requirement>, String> {
    let mut out: Vec<Requirement> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let bad = |why: &str| format!("Baris {}: {why}", i + 1);
        if cols.len() != 5 {
            return Err(bad(
                "gunakan bentuk kode | nama (ID) | nama (EN) | unggah/bawa | wajib/opsional",
            ));
        }
        let key = cols[0];
        if key.is_empty()
            || key.len() > 40
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(bad("kode hanya huruf kecil, angka dan garis bawah"));
        }
        if out.iter().any(|r| r.key == key) {
            return Err(bad("kode dipakai dua kali"));
        }
        if cols[1].is_empty() {
            return Err(bad("nama dokumen wajib diisi"));
        }
        let upload = match cols[3] {
            "unggah" | "upload" => true,
            "bawa" | "bring" => false,
            _ => return Err(bad("kolom ke-4 harus unggah atau bawa")),
        };
        let required = match cols[4] {
            "wajib" | "required" => true,
            "opsional" | "optional" => false,
            _ => return Err(bad("kolom ke-5 harus wajib atau opsional")),
        };
        out.push(Requirement {
            key: key.to_string(),
            label_id: cols[1].to_string(),
            label_en: if cols[2].is_empty() {
                cols[1].to_string()
            } else {
                cols[2].to_string()
            },
            upload,
            required,
        });
    }
    Ok(out)
}

/// The inverse of [`parse_checklist`], for the edit form.
pub fn format_checklist(reqs: &[Requirement]) -> String {
    reqs.iter()
        .map(|r| {
            format!(
                "{} | {} | {} | {} | {}",
                r.key,
                r.label_id,
                r.label_en,
                if r.upload { "unggah" } else { "bawa" },
                if r.required { "wajib" } else { "opsional" }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn late_rule() {
        let birth = date!(2026 - 01 - 01);
        assert!(!is_late(birth, date!(2026 - 03 - 02), 60)); // day 60
        assert!(is_late(birth, date!(2026 - 03 - 03), 60)); // day 61
        let death = date!(2026 - 01 - 31);
        assert!(!is_late(death, date!(2026 - 03 - 02), 30));
        assert!(is_late(death, date!(2026 - 03 - 03), 30));
    }

    #[test]
    fn local_days() {
        let t = time::macros::datetime!(2026-01-31 18:30 UTC);
        assert_eq!(local_date(t, "WIB"), date!(2026 - 02 - 01));
        assert_eq!(local_date(t, "WIT"), date!(2026 - 02 - 01));
        let t = time::macros::datetime!(2026-01-31 15:30 UTC);
        assert_eq!(local_date(t, "WIB"), date!(2026 - 01 - 31));
        assert_eq!(local_date(t, "WITA"), date!(2026 - 01 - 31));
        assert_eq!(local_date(t, "WIT"), date!(2026 - 02 - 01));
    }

    #[test]
    fn local_periods_and_overdue_at_the_day_boundary() {
        use time::macros::datetime;
        // 00:00 WIB on 1 April is 17:00 UTC on 31 March.
        assert_eq!(
            local_midnight(date!(2026 - 04 - 01), "WIB"),
            datetime!(2026-03-31 17:00 UTC)
        );
        assert_eq!(
            local_midnight(date!(2026 - 04 - 01), "WIT"),
            datetime!(2026-03-31 15:00 UTC)
        );
        let due = date!(2026 - 03 - 31);
        // 16:59 UTC = 23:59 WIB on the due day: not overdue yet; one minute later it is,
        // although the UTC day is still 31 March.
        assert!(!is_overdue(due, datetime!(2026-03-31 16:59 UTC), "WIB"));
        assert!(is_overdue(due, datetime!(2026-03-31 17:00 UTC), "WIB"));
        // In WITA the local day ends an hour earlier.
        assert!(is_overdue(due, datetime!(2026-03-31 16:00 UTC), "WITA"));
        assert!(!is_overdue(due, datetime!(2026-03-31 15:59 UTC), "WITA"));
    }

    #[test]
    fn checklist_round_trip_and_errors() {
        let text = "kk | Kartu Keluarga | Family card | unggah | wajib\nsurat_rs | Surat kelahiran |  | bawa | opsional\n";
        let r = parse_checklist(text).unwrap();
        assert_eq!(r.len(), 2);
        assert!(r[0].upload && r[0].required);
        assert_eq!(r[1].label_en, "Surat kelahiran");
        assert_eq!(parse_checklist(&format_checklist(&r)).unwrap(), r);
        assert!(parse_checklist("KK | x | y | unggah | wajib")
            .unwrap_err()
            .contains("Baris 1"));
        assert!(parse_checklist("kk | x | y | kirim | wajib").is_err());
        assert!(
            parse_checklist("kk | x | y | unggah | wajib\nkk | a | b | bawa | wajib")
                .unwrap_err()
                .contains("dua kali")
        );
        assert!(parse_checklist("kk | x").is_err());
        assert!(EventKind::parse("birth").is_some() && EventKind::parse("x").is_none());
    }
}

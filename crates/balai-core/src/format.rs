//! How every page writes dates, times, numbers and shares, in Bahasa Indonesia or English.
//!
//! One module so that every page agrees: `9 Desember 2020`, `14.05 WIB`, `1.699`, `78,40%` on
//! Indonesian pages; `9 December 2020`, `14:05 WIB`, `1,699`, `78.40%` on English ones. Times
//! are shown in the zone of the region they concern (WIB, WITA or WIT), always with the zone.
//! Shares are computed with integers and rounded half up, so a page and an export agree.

use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

use crate::i18n::Lang;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month's name in the language.
pub fn month_name(month: Month, lang: Lang) -> &'static str {
    let i = usize::from(u8::from(month)) - 1;
    match lang {
        Lang::Id => MONTHS_ID[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// The weekday's name in the language (`Senin`, `Monday`).
pub fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    let (id, en) = match day {
        Weekday::Monday => ("Senin", "Monday"),
        Weekday::Tuesday => ("Selasa", "Tuesday"),
        Weekday::Wednesday => ("Rabu", "Wednesday"),
        Weekday::Thursday => ("Kamis", "Thursday"),
        Weekday::Friday => ("Jumat", "Friday"),
        Weekday::Saturday => ("Sabtu", "Saturday"),
        Weekday::Sunday => ("Minggu", "Sunday"),
    };
    lang.tr(id, en)
}

/// `9 Desember 2020` / `9 December 2020`.
pub fn date(d: Date, lang: Lang) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), lang), d.year())
}

/// `Rabu, 9 Desember 2020` / `Wednesday, 9 December 2020`.
pub fn date_with_weekday(d: Date, lang: Lang) -> String {
    format!("{}, {}", weekday_name(d.weekday(), lang), date(d, lang))
}

/// A date given as `YYYY-MM-DD` text (as stored), written for people; text that is not such a
/// date is returned unchanged so a page never loses what it was given.
pub fn date_text(iso: &str, lang: Lang) -> String {
    parse_iso_date(iso).map_or_else(|| iso.to_string(), |d| date(d, lang))
}

/// `9 Desember – 15 Desember 2020`, shortened where the years (and months) agree.
pub fn date_range(from: Date, to: Date, lang: Lang) -> String {
    if from == to {
        return date(from, lang);
    }
    if from.year() != to.year() {
        return format!("{} – {}", date(from, lang), date(to, lang));
    }
    if from.month() != to.month() {
        return format!(
            "{} {} – {}",
            from.day(),
            month_name(from.month(), lang),
            date(to, lang)
        );
    }
    format!("{}–{}", from.day(), date(to, lang))
}

/// Parse `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.get(..10)?, &fmt).ok()
}

/// Indonesia's three time zones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// Waktu Indonesia Barat, UTC+7.
    Wib,
    /// Waktu Indonesia Tengah, UTC+8.
    Wita,
    /// Waktu Indonesia Timur, UTC+9.
    Wit,
}

impl Zone {
    pub fn abbreviation(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    pub fn offset(self) -> UtcOffset {
        let hours = match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
    }

    /// The zone of a region, by its province (the first two digits of a Kemendagri code).
    /// Sumatra, Java, West and Central Kalimantan keep WIB; Bali, Nusa Tenggara, South, East and
    /// North Kalimantan and Sulawesi keep WITA; Maluku and Papua keep WIT (Keppres 41/1987).
    /// An unknown code falls back to WIB, the zone of the capital.
    pub fn for_region(code: &str) -> Zone {
        match code.get(..2).and_then(|p| p.parse::<u8>().ok()) {
            Some(51..=53 | 63..=65 | 71..=76) => Zone::Wita,
            Some(81..=82 | 91..=99) => Zone::Wit,
            _ => Zone::Wib,
        }
    }
}

/// `9 Desember 2020 14.05 WIB` / `9 December 2020, 14:05 WIB`: the moment in the zone.
pub fn datetime(t: OffsetDateTime, zone: Zone, lang: Lang) -> String {
    let local = t.to_offset(zone.offset());
    match lang {
        Lang::Id => format!(
            "{} {:02}.{:02} {}",
            date(local.date(), lang),
            local.hour(),
            local.minute(),
            zone.abbreviation()
        ),
        Lang::En => format!(
            "{}, {:02}:{:02} {}",
            date(local.date(), lang),
            local.hour(),
            local.minute(),
            zone.abbreviation()
        ),
    }
}

/// [`datetime`] for a moment given as RFC 3339 text (as stored); other text comes back unchanged.
pub fn datetime_text(rfc3339: &str, zone: Zone, lang: Lang) -> String {
    OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map_or_else(|_| rfc3339.to_string(), |t| datetime(t, zone, lang))
}

/// A moment as Unix seconds, written as [`datetime`].
pub fn datetime_unix(secs: i64, zone: Zone, lang: Lang) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .map_or_else(|_| secs.to_string(), |t| datetime(t, zone, lang))
}

fn group_digits(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// `1.699` / `1,699`.
pub fn integer(n: i64, lang: Lang) -> String {
    let (thousands, _) = separators(lang);
    let grouped = group_digits(&n.unsigned_abs().to_string(), thousands);
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number kept in hundredths, written with two decimals: `7840` → `78,40` / `78.40`.
pub fn hundredths(h: i64, lang: Lang) -> String {
    let (thousands, decimal) = separators(lang);
    let abs = h.unsigned_abs();
    let whole = group_digits(&(abs / 100).to_string(), thousands);
    let sign = if h < 0 { "-" } else { "" };
    format!("{sign}{whole}{decimal}{:02}", abs % 100)
}

/// `part / whole` in hundredths of a percent, rounded half up; `None` when `whole` is 0.
pub fn share_hundredths(part: u64, whole: u64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let scaled = u128::from(part) * 10_000;
    let whole = u128::from(whole);
    let rounded = (scaled * 2 + whole) / (whole * 2);
    i64::try_from(rounded).ok()
}

/// `part / whole` as a percentage with two decimals (`78,40%` / `78.40%`); `–` when `whole`
/// is 0.
pub fn percent(part: u64, whole: u64, lang: Lang) -> String {
    share_hundredths(part, whole)
        .map_or_else(|| "–".to_string(), |h| format!("{}%", hundredths(h, lang)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn dates_are_written_as_people_write_them() {
        assert_eq!(
            super::date(date!(2020 - 12 - 09), Lang::Id),
            "9 Desember 2020"
        );
        assert_eq!(
            super::date(date!(2020 - 12 - 09), Lang::En),
            "9 December 2020"
        );
        assert_eq!(
            date_with_weekday(date!(2020 - 12 - 09), Lang::Id),
            "Rabu, 9 Desember 2020"
        );
        assert_eq!(date_text("2024-11-27", Lang::Id), "27 November 2024");
        assert_eq!(date_text("not a date", Lang::Id), "not a date");
    }

    #[test]
    fn ranges_drop_what_repeats() {
        let r = |a, b| date_range(a, b, Lang::Id);
        assert_eq!(
            r(date!(2024 - 11 - 24), date!(2024 - 11 - 26)),
            "24–26 November 2024"
        );
        assert_eq!(
            r(date!(2024 - 11 - 28), date!(2024 - 12 - 16)),
            "28 November – 16 Desember 2024"
        );
        assert_eq!(
            r(date!(2024 - 12 - 28), date!(2025 - 01 - 02)),
            "28 Desember 2024 – 2 Januari 2025"
        );
        assert_eq!(
            r(date!(2024 - 11 - 27), date!(2024 - 11 - 27)),
            "27 November 2024"
        );
    }

    #[test]
    fn zones_follow_the_province() {
        assert_eq!(Zone::for_region("32.79.01.1001"), Zone::Wib); // Jawa Barat
        assert_eq!(Zone::for_region("62"), Zone::Wib); // Kalimantan Tengah
        assert_eq!(Zone::for_region("63.71"), Zone::Wita); // Kalimantan Selatan
        assert_eq!(Zone::for_region("51"), Zone::Wita); // Bali
        assert_eq!(Zone::for_region("73.71"), Zone::Wita); // Sulawesi Selatan
        assert_eq!(Zone::for_region("81"), Zone::Wit); // Maluku
        assert_eq!(Zone::for_region("94"), Zone::Wit); // Papua
        assert_eq!(Zone::for_region(""), Zone::Wib);
    }

    #[test]
    fn times_carry_their_zone() {
        let t = datetime!(2024-11-27 07:05 UTC);
        assert_eq!(
            datetime(t, Zone::Wib, Lang::Id),
            "27 November 2024 14.05 WIB"
        );
        assert_eq!(
            datetime(t, Zone::Wit, Lang::En),
            "27 November 2024, 16:05 WIT"
        );
        // Past midnight in the zone, the date moves too.
        let late = datetime!(2024-11-27 16:30 UTC);
        assert_eq!(
            datetime(late, Zone::Wita, Lang::Id),
            "28 November 2024 00.30 WITA"
        );
        assert_eq!(
            datetime_text("2024-11-27T07:05:00Z", Zone::Wib, Lang::Id),
            "27 November 2024 14.05 WIB"
        );
        assert_eq!(
            datetime_unix(0, Zone::Wib, Lang::Id),
            "1 Januari 1970 07.00 WIB"
        );
    }

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(integer(1699, Lang::Id), "1.699");
        assert_eq!(integer(1699, Lang::En), "1,699");
        assert_eq!(integer(204_000_000, Lang::Id), "204.000.000");
        assert_eq!(integer(999, Lang::Id), "999");
        assert_eq!(integer(-1234, Lang::Id), "-1.234");
        assert_eq!(integer(0, Lang::Id), "0");
        assert_eq!(hundredths(7840, Lang::Id), "78,40");
        assert_eq!(hundredths(123_405, Lang::En), "1,234.05");
        assert_eq!(hundredths(-5, Lang::Id), "-0,05");
    }

    #[test]
    fn shares_round_half_up_exactly() {
        assert_eq!(percent(784, 1000, Lang::Id), "78,40%");
        assert_eq!(percent(784, 1000, Lang::En), "78.40%");
        // 1/8 = 12.5% exactly; 1/3 = 33.333…%; 2/3 = 66.666…% rounds up.
        assert_eq!(percent(1, 8, Lang::Id), "12,50%");
        assert_eq!(percent(1, 3, Lang::Id), "33,33%");
        assert_eq!(percent(2, 3, Lang::Id), "66,67%");
        // Half a hundredth rounds up: 1/80000 = 0.00125% → 0,00%; 1/20000 = 0.005% → 0,01%.
        assert_eq!(percent(1, 20_000, Lang::Id), "0,01%");
        assert_eq!(percent(1, 80_000, Lang::Id), "0,00%");
        assert_eq!(percent(5, 5, Lang::Id), "100,00%");
        assert_eq!(percent(1, 0, Lang::Id), "–");
        assert_eq!(share_hundredths(u64::MAX, u64::MAX), Some(10_000));
    }
}

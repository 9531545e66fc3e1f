//! Turnout targets per region (`region_code,target_percent` CSV) and the arithmetic of target
//! against turnout: everything in exact integers (hundredths of a percent for the target, the
//! fraction pengguna ÷ DPT for the turnout), rounded half-up only for display, two decimals.

use balai_core::regions::RegionCode;

/// The most rows one upload takes.
pub const MAX_ROWS: usize = 10_000;

/// A CSV row's problem: (Indonesian, English), each naming the line.
pub type Problem = (String, String);

/// One target row: a region and its target in hundredths of a percent (7750 = 77.50%).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub region: RegionCode,
    pub hundredths: i64,
}

/// Why a percentage was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PercentProblem {
    NotANumber,
    AboveHundred,
}

/// `77.5`, `77,50` or `80` → hundredths; at most two decimals, 0–100.
pub fn parse_percent(s: &str) -> Result<i64, PercentProblem> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |t: &str| !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.len() > 2 || (!frac.is_empty() && !digits(frac)) {
        return Err(PercentProblem::NotANumber);
    }
    let w: i64 = whole.parse().map_err(|_| PercentProblem::NotANumber)?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        let v: i64 = frac.parse().map_err(|_| PercentProblem::NotANumber)?;
        if frac.len() == 1 {
            v * 10
        } else {
            v
        }
    };
    let h = w * 100 + f;
    if h > 10_000 {
        return Err(PercentProblem::AboveHundred);
    }
    Ok(h)
}

/// Parse a targets CSV (a header row `region_code,target_percent` is optional). Every line is
/// checked; problems are returned all at once, with their line numbers.
pub fn parse(text: &str) -> Result<Vec<Target>, Vec<Problem>> {
    let mut out: Vec<Target> = Vec::new();
    let mut problems = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 1;
        let Ok(rec) = rec else {
            problems.push((
                format!("Baris {line}: tidak dapat dibaca."),
                format!("Line {line}: cannot be read."),
            ));
            continue;
        };
        let code = rec.get(0).unwrap_or("");
        if line == 1 && code.eq_ignore_ascii_case("region_code") {
            continue;
        }
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if rec.len() != 2 {
            problems.push((
                format!("Baris {line}: harus berisi dua kolom, region_code dan target_percent."),
                format!("Line {line}: must have two columns, region_code and target_percent."),
            ));
            continue;
        }
        let Ok(region) = RegionCode::parse(code) else {
            problems.push((
                format!("Baris {line}: kode wilayah «{code}» tidak sah."),
                format!("Line {line}: region code «{code}» is not valid."),
            ));
            continue;
        };
        let pct = rec.get(1).unwrap_or("");
        match parse_percent(pct) {
            Ok(h) => {
                if out.iter().any(|t| t.region == region) {
                    problems.push((
                        format!("Baris {line}: wilayah {code} sudah disebut."),
                        format!("Line {line}: region {code} appears twice."),
                    ));
                } else {
                    out.push(Target {
                        region,
                        hundredths: h,
                    });
                }
            }
            Err(PercentProblem::AboveHundred) => problems.push((
                format!("Baris {line}: target {pct}% melebihi 100%."),
                format!("Line {line}: the target {pct}% is above 100%."),
            )),
            Err(PercentProblem::NotANumber) => problems.push((
                format!("Baris {line}: target «{pct}» harus angka 0–100 dengan paling banyak dua desimal."),
                format!("Line {line}: the target «{pct}» must be a number 0–100 with at most two decimals."),
            )),
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push((
            "Berkas CSV tidak berisi target.".into(),
            "The CSV file has no target.".into(),
        ));
    }
    if out.len() > MAX_ROWS {
        problems.push((
            format!("Paling banyak {MAX_ROWS} baris."),
            format!("At most {MAX_ROWS} lines."),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Hundredths as `"77.50"`.
pub fn hundredths_text(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let a = h.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Turnout pengguna ÷ DPT in hundredths of a percent, rounded half-up; `None` without a DPT.
pub fn turnout_hundredths(pengguna: i64, dpt: i64) -> Option<i64> {
    if dpt <= 0 {
        return None;
    }
    let (p, d) = (i128::from(pengguna.max(0)), i128::from(dpt));
    i64::try_from((2 * p * 10_000 + d) / (2 * d)).ok()
}

/// Turnout minus target in percentage points, from the exact turnout, rounded half-up (away
/// from zero) to hundredths: (pengguna·10000 − target·DPT) ÷ DPT.
pub fn gap_hundredths(pengguna: i64, dpt: i64, target_hundredths: i64) -> Option<i64> {
    if dpt <= 0 {
        return None;
    }
    let (p, d, t) = (
        i128::from(pengguna.max(0)),
        i128::from(dpt),
        i128::from(target_hundredths),
    );
    let num = p * 10_000 - t * d;
    let mag = (2 * num.abs() + d) / (2 * d);
    let signed = if num < 0 { -mag } else { mag };
    i64::try_from(signed).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("77.5"), Ok(7750));
        assert_eq!(parse_percent("77,05"), Ok(7705));
        assert_eq!(parse_percent("80"), Ok(8000));
        assert_eq!(parse_percent("100"), Ok(10_000));
        assert_eq!(parse_percent("100.01"), Err(PercentProblem::AboveHundred));
        assert_eq!(parse_percent("101"), Err(PercentProblem::AboveHundred));
        assert_eq!(parse_percent("-1"), Err(PercentProblem::NotANumber));
        assert_eq!(parse_percent("7.555"), Err(PercentProblem::NotANumber));
        assert_eq!(parse_percent(""), Err(PercentProblem::NotANumber));
    }

    #[test]
    fn csv_rows_and_problems() {
        let t = parse("region_code,target_percent\n32.79,77.5\n32.79.01,80\n").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].hundredths, 7750);
        let e = parse("32.79,101\n32.79,70\nxx,5\n").unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].1.contains("above 100"), "{e:?}");
        assert!(e[1].1.contains("Line 3"), "{e:?}");
        assert!(parse("region_code,target_percent\n").is_err());
        let e = parse("32.79,70\n32.79,71\n").unwrap_err();
        assert!(e[0].1.contains("twice"));
    }

    #[test]
    fn exact_turnout_and_gap() {
        // 2/3 = 66.666…% → 66.67; against 70.00 the gap is −3.333… → −3.33.
        assert_eq!(turnout_hundredths(2, 3), Some(6667));
        assert_eq!(gap_hundredths(2, 3, 7000), Some(-333));
        // 1/8 = 12.5% exactly; against 12.50 the gap is 0.
        assert_eq!(gap_hundredths(1, 8, 1250), Some(0));
        // Half-up away from zero on the exact value: 0.125 pp → 0.13, −0.125 → −0.13.
        assert_eq!(gap_hundredths(1, 800, 0), Some(13));
        assert_eq!(gap_hundredths(0, 800, 13), Some(-13));
        assert_eq!(gap_hundredths(5, 0, 10), None);
        assert_eq!(hundredths_text(-333), "-3.33");
        assert_eq!(hundredths_text(7750), "77.50");
        assert_eq!(hundredths_text(5), "0.05");
    }
}

//! The attendance part of the officials' activity form: a few rows, each an institution (typed,
//! or a Balai agency chosen — whose approval the minutes then need), how many of its people
//! came and whether their signed attendance list is kept. Without JavaScript the rows are
//! fixed and numbered (`att_institution_0`, `att_agency_0`, `att_count_0`, `att_signed_0`), so an
//! unticked box never shifts the rows.

use crate::domain::activity::{Attendance, MAX_ATTENDEES};
use crate::domain::invalid::Invalid;

/// How many attendance rows the form offers.
pub const ROWS: usize = 4;

/// One row as typed (kept when the form is refused).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttendanceRow {
    pub institution: String,
    /// The chosen Balai agency's id as sent ("" for none).
    pub agency: String,
    pub count: String,
    pub signed: bool,
}

impl AttendanceRow {
    fn is_empty(&self) -> bool {
        self.institution.trim().is_empty()
            && self.agency.trim().is_empty()
            && self.count.trim().is_empty()
            && !self.signed
    }
}

/// Split a form's fields into the attendance rows (always [`ROWS`] of them) and the rest.
pub fn split(pairs: Vec<(String, String)>) -> (Vec<(String, String)>, Vec<AttendanceRow>) {
    let mut rows = vec![AttendanceRow::default(); ROWS];
    let mut rest = Vec::new();
    for (k, v) in pairs {
        let Some((field, n)) = k
            .strip_prefix("att_")
            .and_then(|s| s.rsplit_once('_'))
            .and_then(|(f, n)| Some((f.to_string(), n.parse::<usize>().ok()?)))
        else {
            rest.push((k, v));
            continue;
        };
        let Some(row) = rows.get_mut(n) else { continue };
        match field.as_str() {
            "institution" => row.institution = v,
            "agency" => row.agency = v,
            "count" => row.count = v,
            "signed" => row.signed = !v.is_empty(),
            _ => {}
        }
    }
    (rest, rows)
}

/// The filled rows as the activity's attendance. A row with a chosen agency and no name is
/// that agency's; a count that is not a whole number from 0 is refused.
pub fn attendance(
    rows: &[AttendanceRow],
    agencies: &[(i64, String)],
) -> Result<Vec<Attendance>, Invalid> {
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| !r.is_empty()) {
        let agency_id = match r.agency.trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| Invalid::UnknownAgency(0))?),
        };
        let named = agency_id.and_then(|id| agencies.iter().find(|(g, _)| *g == id));
        let institution = match (r.institution.trim(), named) {
            ("", Some((_, name))) => name.clone(),
            (typed, _) => typed.to_string(),
        };
        let attendees = match r.count.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| Invalid::Number("attendees", 0, MAX_ATTENDEES))?,
            ),
        };
        out.push(Attendance {
            institution,
            agency_id,
            attendees,
            signed_list: r.signed,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn numbered_rows_with_an_unticked_box_between() {
        let (rest, rows) = split(pairs(&[
            ("csrf", "t"),
            ("title", "Rapat"),
            ("att_institution_0", "OSIS SMA Negeri 1"),
            ("att_count_0", "40"),
            ("att_agency_1", "7"),
            ("att_count_1", "2"),
            ("att_signed_1", "1"),
            ("att_institution_9", "beyond the rows"),
        ]));
        assert_eq!(rest, pairs(&[("csrf", "t"), ("title", "Rapat")]));
        assert_eq!(rows.len(), ROWS);
        let got = attendance(&rows, &[(7, "Kesbangpol Kota Banjar".into())]).unwrap();
        assert_eq!(
            got,
            [
                Attendance {
                    institution: "OSIS SMA Negeri 1".into(),
                    agency_id: None,
                    attendees: Some(40),
                    signed_list: false,
                },
                Attendance {
                    institution: "Kesbangpol Kota Banjar".into(),
                    agency_id: Some(7),
                    attendees: Some(2),
                    signed_list: true,
                },
            ]
        );
    }

    #[test]
    fn a_count_that_is_no_number_is_refused() {
        let rows = vec![AttendanceRow {
            institution: "PKK".into(),
            count: "empat puluh".into(),
            ..AttendanceRow::default()
        }];
        assert_eq!(
            attendance(&rows, &[]),
            Err(Invalid::Number("attendees", 0, MAX_ATTENDEES))
        );
        // An empty institution with no agency reaches the domain's check (required text).
        let rows = vec![AttendanceRow {
            count: "3".into(),
            ..AttendanceRow::default()
        }];
        assert_eq!(attendance(&rows, &[]).unwrap()[0].institution, "");
    }
}

//! The registration number a request gets on receipt (UU 14/2008 art. 22(4)): the agency, the
//! year and the request's number, e.g. `KIP/12/2025/000042`.

/// The number of request `id` to agency `agency`, received in `year`.
pub fn registration_number(agency: i64, year: i32, id: i64) -> String {
    format!("KIP/{agency}/{year}/{id:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn agency_year_and_padded_number() {
        assert_eq!(
            super::registration_number(12, 2025, 42),
            "KIP/12/2025/000042"
        );
    }
}

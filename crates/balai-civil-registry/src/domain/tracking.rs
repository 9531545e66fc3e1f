//! How a tracking code is shown to its owner.

/// A tracking code as its owner reads and writes it down: in groups of five (`NDCQF-R9XXJ`),
/// like Aduan's; the dash is ignored when it is typed back.
pub fn grouped_code(code: &str) -> String {
    balai_core::secret::grouped_by(code, 5)
}

#[cfg(test)]
mod tests {
    #[test]
    fn five_and_five() {
        assert_eq!(super::grouped_code("NDCQFR9XXJ"), "NDCQF-R9XXJ");
    }
}

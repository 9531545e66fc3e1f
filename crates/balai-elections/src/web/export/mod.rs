//! Public exports of a region's results: CSV and the NIST Common Data Format (JSON).

pub mod cdf;
pub mod csv;

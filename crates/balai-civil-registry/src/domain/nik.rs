//! NIK and KK numbers: the shared structure rules of [`balai_core::nik`] (the voter list takes
//! NIKs too).

pub use balai_core::nik::*;

//! Read models: the windows of the elections over a region, the public register of a region.

pub mod register;
pub mod windows;

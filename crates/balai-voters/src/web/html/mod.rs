//! Server-rendered pages: the public registration check with its printable card.

pub mod check;

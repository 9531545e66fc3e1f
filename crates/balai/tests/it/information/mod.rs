//! Keterbukaan informasi: filing, the public record and the requester's privacy, every legal
//! clock on the holiday calendar, the PPID's and the Atasan PPID's steps, scoping.

mod archive;
mod clocks;
mod config;
mod lists;
mod pages;
mod phone;
mod privacy;
mod report;
mod requests;
mod workflow;

//! The SMS parser on arbitrary bytes: it never panics, and every property of
//! `check_properties` holds (well-formed parts round-trip, nothing is lost but what exceeds
//! the length limit, blank means `Empty`).
#![no_main]

use libfuzzer_sys::fuzz_target;

// The parser is a pure module without dependencies: compiling the file itself keeps this
// target from building the whole web stack with sanitizer flags.
#[path = "../../crates/balai-complaints/src/domain/sms.rs"]
#[allow(dead_code)]
mod sms;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(broken) = sms::check_properties(&text) {
        panic!("{broken} (input {text:?})");
    }
});

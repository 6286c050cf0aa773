//! Parse + every rule on any text (bytes read as UTF-8, lossily).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    nianbao::fuzzing::check_analysis(&String::from_utf8_lossy(data));
});

//! `fix` on any text: derived cells only, and idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    nianbao::fuzzing::check_fix(&String::from_utf8_lossy(data));
});

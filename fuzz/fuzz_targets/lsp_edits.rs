//! LSP edit sequences applied to a document: the rope equals a `String`
//! edited the same way, and the composed splice reparses to a full parse.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nianbao::text::PositionEncoding;

#[derive(Arbitrary, Debug)]
struct Input {
    /// The document.
    text: String,
    utf8: bool,
    edits: Vec<(Option<(u8, u16, u8, u16)>, String)>,
}

fuzz_target!(|input: Input| {
    let enc = if input.utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
    // Small line and character numbers reach inside the text; 255 and
    // 65535 stand for "far past the end".
    let edits: Vec<_> = input
        .edits
        .into_iter()
        .take(32)
        .map(|(r, t)| (r.map(|(a, b, c, d)| (u32::from(a), u32::from(b), u32::from(c), u32::from(d))), t))
        .collect();
    nianbao::server::fuzzing::check_edits(&input.text, &edits, enc);
});

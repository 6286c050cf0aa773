//! The edit property the `lsp_edits` fuzz target and `tests/properties.rs`
//! check: LSP `didChange` edits applied to a document (its rope) give the
//! text the same edits give applied to a `String` by the engine's own line
//! index, whatever the positions (past the end, inside a character,
//! reversed), and the splice the document composes for the worker rebuilds
//! that text from the one the worker last saw, whose incremental reparse
//! equals a full parse.

use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use super::documents::{Document, Pending};
use crate::report::{parse, reparse};
use crate::text::{LineCol, LineIndex, PositionEncoding};

/// One edit: `(start line, start character, end line, end character)` and
/// the new text; `None` replaces the whole text.
pub type Edit = (Option<(u32, u32, u32, u32)>, String);

/// Panics, with the reason, if the property fails.
pub fn check_edits(text: &str, edits: &[Edit], enc: PositionEncoding) {
    let mut doc = Document::new(text, 1, "plaintext".into());
    doc.pending = Pending::Nothing;
    let mut expected = text.to_string();
    for (range, new_text) in edits {
        let change = TextDocumentContentChangeEvent {
            range: range.map(|(a, b, c, d)| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: new_text.clone(),
        };
        doc.apply(&change, enc);
        expected = match range {
            None => new_text.clone(),
            Some((a, b, c, d)) => {
                let index = LineIndex::new(&expected);
                let x = index.offset(&expected, LineCol { line: *a, col: *b }, enc);
                let y = index.offset(&expected, LineCol { line: *c, col: *d }, enc);
                let (x, y) = (x.min(y), x.max(y));
                format!("{}{new_text}{}", &expected[..x], &expected[y..])
            }
        };
        assert!(doc.rope == expected.as_str(), "the rope drifted from the String after {change:?}");
    }
    match doc.pending {
        Pending::Nothing => assert_eq!(expected, text, "edits were made but none is pending"),
        Pending::Full => assert!(edits.iter().any(|(r, _)| r.is_none()), "a full change pending without one"),
        Pending::Splice(s) => {
            assert!(s.start <= s.old_end && s.old_end <= text.len() && s.new_end <= expected.len(), "{s:?}");
            let rebuilt = format!("{}{}{}", &text[..s.start], &expected[s.start..s.new_end], &text[s.old_end..]);
            assert!(rebuilt == expected, "the composed splice {s:?} does not rebuild the text");
            let report = parse(text);
            assert!(reparse(text, &report, &expected, s) == parse(&expected), "incremental reparse differs");
        }
    }
}

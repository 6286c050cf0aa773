//! Open documents: the text as a ropey `Rope`, its version, and the edits not
//! yet seen by the analysis; and the conversions between LSP positions and the
//! core's byte offsets, in the negotiated encoding.
//!
//! This is the only file that knows ropey. It is built without
//! `unicode_lines` (U+2028, NEL, VT and FF are not line breaks for LSP
//! clients: cessen/ropey#43, #53) but with `cr_lines`, so `\n`, `\r\n` and a
//! lone `\r` break lines exactly as `text::LineIndex` and the client count
//! them. It does no analysis and never awaits.

use ropey::{Rope, RopeSlice};
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::text::{PositionEncoding, Splice, TextRange};

/// What changed since the analysis last took the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Nothing: the analysis has the current text.
    Nothing,
    /// One region changed (several edits composed).
    Splice(Splice),
    /// The whole text was replaced, or the analysis never saw it.
    Full,
}

#[derive(Clone, Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language_id: String,
    pub pending: Pending,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: String) -> Document {
        Document { rope: Rope::from_str(text), version, language_id, pending: Pending::Full }
    }

    /// Applies one `contentChanges` entry. Positions past the end of a line
    /// or of the document are clamped (the LSP rule for a character past the
    /// line's end); a reversed range is read as its mirror image.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, enc: PositionEncoding) {
        let Some(range) = change.range else {
            self.rope = Rope::from_str(&change.text);
            self.pending = Pending::Full;
            return;
        };
        let a = char_of(&self.rope, range.start, enc);
        let b = char_of(&self.rope, range.end, enc);
        let (start, end) = (a.min(b), a.max(b));
        let bytes = TextRange::new(self.rope.char_to_byte(start), self.rope.char_to_byte(end));
        self.rope.remove(start..end);
        self.rope.insert(start, &change.text);
        self.pending = match self.pending {
            Pending::Nothing => Pending::Splice(Splice::edit(bytes, change.text.len())),
            Pending::Splice(s) => Pending::Splice(s.then(bytes, change.text.len())),
            Pending::Full => Pending::Full,
        };
    }
}

/// The char index of an LSP position, clamped to the document. O(log n):
/// no walk along the line, however long it grows.
fn char_of(rope: &Rope, pos: Position, enc: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let end = start + line_content(rope.line(line)).len_chars();
    let want = pos.character as usize;
    // A position inside a character (half of 𠮷's surrogate pair, or a byte
    // inside a UTF-8 sequence) is rounded down to the character's start:
    // ropey's conversions round down.
    type Convert = fn(&Rope, usize) -> usize;
    let (to_unit, from_unit): (Convert, Convert) = match enc {
        PositionEncoding::Utf8 => (Rope::char_to_byte, Rope::byte_to_char),
        PositionEncoding::Utf16 => (Rope::char_to_utf16_cu, Rope::utf16_cu_to_char),
        PositionEncoding::Utf32 => return start.saturating_add(want).min(end),
    };
    let unit = to_unit(rope, start).saturating_add(want);
    if unit >= to_unit(rope, end) {
        end
    } else {
        from_unit(rope, unit)
    }
}

/// A line without its terminator.
fn line_content(line: RopeSlice<'_>) -> RopeSlice<'_> {
    let n = line.len_chars();
    let cut = match (n.checked_sub(2).map(|i| line.char(i)), n.checked_sub(1).map(|i| line.char(i))) {
        (Some('\r'), Some('\n')) => 2,
        (_, Some('\n' | '\r')) => 1,
        _ => 0,
    };
    line.slice(..n - cut)
}

/// Position conversions over one version of the text.
#[derive(Clone, Debug)]
pub struct Positions {
    pub rope: Rope,
    pub enc: PositionEncoding,
}

impl Positions {
    /// The LSP position of a byte offset (clamped to the text, rounded down
    /// to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let rope = &self.rope;
        let offset = offset.min(rope.len_bytes());
        let ch = rope.byte_to_char(offset);
        let line = rope.char_to_line(ch);
        let line_char = rope.line_to_char(line);
        let col = match self.enc {
            PositionEncoding::Utf8 => rope.char_to_byte(ch) - rope.line_to_byte(line),
            PositionEncoding::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(line_char),
            PositionEncoding::Utf32 => ch - line_char,
        };
        Position::new(line as u32, col as u32)
    }

    pub fn range(&self, r: TextRange) -> Range {
        Range::new(self.position(r.start), self.position(r.end))
    }

    /// The byte offset of an LSP position, clamped as in [`Document::apply`].
    pub fn offset(&self, pos: Position) -> usize {
        self.rope.char_to_byte(char_of(&self.rope, pos, self.enc))
    }

    /// The whole text, copied out of the rope.
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Bytes `r` of the text (a char-boundary range).
    pub fn slice(&self, r: TextRange) -> String {
        String::from(self.rope.byte_slice(r.start..r.end))
    }

    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn text_range(&self, r: Range) -> TextRange {
        let (a, b) = (self.offset(r.start), self.offset(r.end));
        TextRange::new(a.min(b), a.max(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    fn change(r: (u32, u32, u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(pos(r.0, r.1), pos(r.2, r.3))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn positions_agree_with_the_line_index_in_every_encoding() {
        let text = "一、总体情况\r\n𠮷a\rb\n\n表\t12";
        let index = crate::text::LineIndex::new(text);
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let p = Positions { rope: Rope::from_str(text), enc };
            for (off, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if text[..off].ends_with('\r') && text[off..].starts_with('\n') {
                    continue; // inside a CRLF: not a position
                }
                let lc = index.line_col(text, off, enc);
                assert_eq!(p.position(off), pos(lc.line, lc.col), "{enc:?} at {off}");
                assert_eq!(p.offset(p.position(off)), off, "{enc:?} round trip at {off}");
            }
        }
    }

    #[test]
    fn edits_clamp_and_round_down() {
        let mut d = Document::new("𠮷x\r\nab", 1, "nianbao".into());
        // Character 1 in UTF-16 is inside 𠮷: rounded down to its start.
        d.apply(&change((0, 1, 0, 1), "中"), PositionEncoding::Utf16);
        assert_eq!(d.rope.to_string(), "中𠮷x\r\nab");
        // Past the end of line 0: clamped before the CRLF.
        d.apply(&change((0, 99, 0, 99), "!"), PositionEncoding::Utf16);
        assert_eq!(d.rope.to_string(), "中𠮷x!\r\nab");
        // Past the end of the document.
        d.apply(&change((7, 0, 9, 9), "?"), PositionEncoding::Utf8);
        assert_eq!(d.rope.to_string(), "中𠮷x!\r\nab?");
        // A reversed range.
        d.apply(&change((1, 1, 0, 0), ""), PositionEncoding::Utf8);
        assert_eq!(d.rope.to_string(), "b?");
        // UTF-8: byte 1 of 𠮷 is inside it; a character past every limit clamps.
        let mut e = Document::new("𠮷中\nx", 1, "nianbao".into());
        e.apply(&change((0, 1, 0, 5), ""), PositionEncoding::Utf8);
        assert_eq!(e.rope.to_string(), "中\nx");
        e.apply(&change((0, u32::MAX, 0, u32::MAX), "!"), PositionEncoding::Utf8);
        e.apply(&change((1, u32::MAX, 1, u32::MAX), "?"), PositionEncoding::Utf32);
        assert_eq!(e.rope.to_string(), "中!\nx?");
        assert_eq!(d.pending, Pending::Full, "a document never analysed stays Full");
    }

    #[test]
    fn edits_compose_into_one_splice() {
        let mut d = Document::new("abc\ndef", 1, "nianbao".into());
        d.pending = Pending::Nothing;
        d.apply(&change((1, 1, 1, 2), "中中"), PositionEncoding::Utf8);
        d.apply(&change((0, 0, 0, 1), ""), PositionEncoding::Utf8);
        assert_eq!(d.rope.to_string(), "bc\nd中中f");
        assert_eq!(d.pending, Pending::Splice(Splice { start: 0, old_end: 6, new_end: 10 }));
    }
}

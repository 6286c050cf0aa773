//! Line/column ↔ byte offset conversion, in UTF-8, UTF-16 or UTF-32 units.
//!
//! Built after ruff's `LineIndex`: we store only where each line starts (and
//! how long its terminator is), and count units in the line slice on demand.
//! Reports are almost all Chinese, where a per-character table would cost more
//! than counting: every CJK character is 3 UTF-8 bytes and one UTF-16 unit, so
//! counting is a byte scan (non-continuation bytes are characters; 4-byte lead
//! bytes add a second UTF-16 unit). An all-ASCII text skips the scan.
//!
//! Line breaks are `\n`, `\r\n` and a lone `\r`, exactly as LSP defines them;
//! U+2028, NEL, VT and FF are ordinary characters (clients do not break lines
//! there, and neither does our ropey build). The index does not keep the
//! text: callers pass the same `&str` they built it from.

use crate::text::TextRange;

/// The unit a column counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PositionEncoding {
    /// Bytes (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (the LSP default, SARIF columns, our JSON output).
    #[default]
    Utf16,
    /// Unicode scalar values, i.e. characters (the human CLI format).
    Utf32,
}

/// A 0-based line and a 0-based column in some [`PositionEncoding`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Where each line of one text starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; `starts[0] == 0`. A text
    /// ending in a line break has an empty last line (as in LSP).
    starts: Vec<usize>,
    /// Length in bytes of each line's terminator (0, 1 or 2); 0 for the last.
    terminators: Vec<u8>,
    /// Length of the text the index was built from.
    len: usize,
    /// Every byte is ASCII, so every encoding's column is the byte column.
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut terminators = Vec::new();
        let mut i = 0;
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + pos;
            let term = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
            terminators.push(term);
            i = at + usize::from(term);
            starts.push(i);
        }
        terminators.push(0);
        LineIndex { starts, terminators, len: text.len(), ascii: text.is_ascii() }
    }

    /// Number of lines; at least 1 (the empty text has one empty line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where `line` (0-based) starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The content of `line`, without its terminator.
    pub fn line_range(&self, line: usize) -> Option<TextRange> {
        let start = *self.starts.get(line)?;
        let end = match self.starts.get(line + 1) {
            Some(&next) => next - usize::from(self.terminators[line]),
            None => self.len,
        };
        Some(TextRange::new(start, end))
    }

    /// The 0-based line containing `offset` (clamped to the text's length).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The line and column of `offset`. The offset is clamped to the text and
    /// moved back to a character boundary. An offset inside a `\r\n` pair stays
    /// on the line that pair ends.
    pub fn line_col(&self, text: &str, offset: usize, enc: PositionEncoding) -> LineCol {
        debug_assert_eq!(text.len(), self.len, "LineIndex used with another text");
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = if self.ascii { offset - start } else { count_units(&text.as_bytes()[start..offset], enc) };
        LineCol { line: to_u32(line), col: to_u32(col) }
    }

    /// The byte offset of `lc`. A line past the end clamps to the end of the
    /// text, a column past the end of its line to the line's end (before the
    /// terminator), and a column inside a character (a surrogate pair, a
    /// multi-byte UTF-8 sequence) to that character's start.
    pub fn offset(&self, text: &str, lc: LineCol, enc: PositionEncoding) -> usize {
        debug_assert_eq!(text.len(), self.len, "LineIndex used with another text");
        let Some(range) = self.line_range(lc.line as usize) else {
            return text.len();
        };
        let col = lc.col as usize;
        if self.ascii {
            return range.start + col.min(range.len());
        }
        range.start + byte_of_unit(&text.as_bytes()[range.start..range.end], col, enc)
    }
}

/// A position in the two units the CLI prints: UTF-16 code units (JSON,
/// SARIF) and characters (the human format), on a 0-based line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCols {
    pub line: u32,
    pub utf16: u32,
    pub chars: u32,
}

/// Converts offsets given in ascending order in one forward pass, without a
/// [`LineIndex`]: it hops from one offset to the next over line breaks and
/// counts units only from the last break (or the previous offset on the same
/// line). The CLI resolves a file's few hundred positions this way; building
/// an index first read every byte of the text once more and searched it per
/// position. Results equal [`LineIndex::line_col`]'s, clamping and all.
pub struct ForwardCols<'a> {
    text: &'a str,
    /// Offset reached; every line break before it is counted.
    at: usize,
    line: usize,
    line_start: usize,
    /// Columns of `at`.
    utf16: usize,
    chars: usize,
}

impl<'a> ForwardCols<'a> {
    pub fn new(text: &'a str) -> ForwardCols<'a> {
        ForwardCols { text, at: 0, line: 0, line_start: 0, utf16: 0, chars: 0 }
    }

    /// The position of `offset`, which must not be less than the previous
    /// one asked (after clamping to the text and flooring to a character).
    pub fn get(&mut self, offset: usize) -> LineCols {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        debug_assert!(offset >= self.at, "offsets must ascend: {offset} after {}", self.at);
        let offset = offset.max(self.at);
        let bytes = self.text.as_bytes();
        // A line starts after `\n`, and after a `\r` that no `\n` follows; a
        // start at `offset` or before counts, i.e. a break before `offset`.
        let mut from = self.at;
        let mut moved = false;
        while let Some(p) = memchr::memchr2(b'\n', b'\r', &bytes[from..offset]) {
            let p = from + p;
            if bytes[p] == b'\n' || bytes.get(p + 1) != Some(&b'\n') {
                self.line += 1;
                self.line_start = p + 1;
                moved = true;
            }
            from = p + 1;
        }
        let counted = if moved { self.line_start } else { self.at };
        if moved {
            (self.utf16, self.chars) = (0, 0);
        }
        let (chars, utf16) = char_and_utf16_units(&bytes[counted..offset]);
        self.chars += chars;
        self.utf16 += utf16;
        self.at = offset;
        LineCols { line: to_u32(self.line), utf16: to_u32(self.utf16), chars: to_u32(self.chars) }
    }
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    // `str::floor_char_boundary` is unstable at our MSRV.
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Characters and UTF-16 units in `bytes` (valid UTF-8 cut at character
/// boundaries): every byte but a continuation byte starts a character, and a
/// 4-byte one (lead byte ≥ 0xF0) takes two units. Counted in byte lanes,
/// 32 bytes at a time, which the compiler vectorises.
pub(crate) fn char_and_utf16_units(bytes: &[u8]) -> (usize, usize) {
    let lanes = |chunk: &[u8]| {
        chunk.iter().fold((0u8, 0u8), |(chars, astral), &b| {
            (chars + u8::from((b as i8) >= -0x40), astral + u8::from(b >= 0xF0))
        })
    };
    let chunks = bytes.chunks_exact(32);
    let tail = chunks.remainder();
    let (chars, astral) = chunks.chain([tail]).fold((0, 0), |(chars, astral), chunk| {
        let (c, a) = lanes(chunk);
        (chars + usize::from(c), astral + usize::from(a))
    });
    (chars, chars + astral)
}

/// Units of `enc` in `bytes`, which is valid UTF-8 cut at char boundaries.
fn count_units(bytes: &[u8], enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => bytes.len(),
        PositionEncoding::Utf32 => char_and_utf16_units(bytes).0,
        PositionEncoding::Utf16 => char_and_utf16_units(bytes).1,
    }
}

/// The byte offset in `line` where `col` units of `enc` end, clamped to the
/// line's length and floored to the start of the character `col` falls in.
fn byte_of_unit(line: &[u8], col: usize, enc: PositionEncoding) -> usize {
    let mut units = 0;
    let mut i = 0;
    while i < line.len() {
        let (width, n) = char_width(line[i], enc);
        if units + n > col {
            return i;
        }
        units += n;
        i += width;
    }
    line.len()
}

/// Byte length of the character led by `lead`, and how many units of `enc` it is.
fn char_width(lead: u8, enc: PositionEncoding) -> (usize, usize) {
    let width = match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let units = match enc {
        PositionEncoding::Utf8 => width,
        PositionEncoding::Utf16 => 1 + usize::from(width == 4),
        PositionEncoding::Utf32 => 1,
    };
    (width, units)
}

pub(crate) fn to_u32(n: usize) -> u32 {
    // Lines and columns of any text we accept (the CLI refuses files over
    // 256 MiB) fit; saturate rather than wrap if one ever does not.
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_cols_agree_with_the_index() {
        let parts = ["\n", "\r", "\r\n", "a", "公开", "\t", "𠮷", "\u{e9}", "\u{2028}", "abcdefghij", "\n\n"];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..3000 {
            let text: String = (0..next() % 20).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let index = LineIndex::new(&text);
            let mut offsets: Vec<usize> =
                (0..next() % 8).map(|_| (next() % (text.len() as u64 + 3)) as usize).collect();
            offsets.sort_unstable();
            let mut cols = ForwardCols::new(&text);
            for o in offsets {
                let got = cols.get(o);
                let u16 = index.line_col(&text, o, PositionEncoding::Utf16);
                let u32 = index.line_col(&text, o, PositionEncoding::Utf32);
                assert_eq!((got.line, got.utf16, got.chars), (u16.line, u16.col, u32.col), "{text:?} at {o}");
            }
        }
    }

    #[test]
    fn counts_units_like_std() {
        let s = "a年𠮷，\u{e9}";
        assert_eq!(count_units(s.as_bytes(), PositionEncoding::Utf8), s.len());
        assert_eq!(count_units(s.as_bytes(), PositionEncoding::Utf16), s.encode_utf16().count());
        assert_eq!(count_units(s.as_bytes(), PositionEncoding::Utf32), s.chars().count());
    }
}

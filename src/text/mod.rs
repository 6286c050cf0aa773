//! Text positions: byte ranges inside the core, line/column positions at the edges.
//!
//! Everything in `report`, `rules` and `fix` speaks [`TextRange`] (byte offsets into
//! the decoded text). Only the CLI's output and the language server convert to
//! line/column, through a [`LineIndex`], in the encoding the client negotiated.
//! This module does no I/O.

mod line_index;

pub(crate) use line_index::{char_and_utf16_units, floor_char_boundary, to_u32};
pub use line_index::{ForwardCols, LineCol, LineCols, LineIndex, PositionEncoding};

/// A half-open byte range `start..end` into a document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "{start} > {end}");
        TextRange { start, end }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn shift(self, by: usize) -> TextRange {
        TextRange::new(self.start + by, self.end + by)
    }

    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// What a run of edits did to a text, as one replaced region: bytes
/// `start..old_end` of the base text became bytes `start..new_end` of the
/// current text; everything before `start` is unchanged, and everything from
/// `old_end` in the base equals everything from `new_end` now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Splice {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Splice {
    /// One edit: `range` of the base text replaced by `inserted` bytes.
    pub fn edit(range: TextRange, inserted: usize) -> Splice {
        Splice { start: range.start, old_end: range.end, new_end: range.start + inserted }
    }

    /// This splice followed by an edit of the *current* text (`range`
    /// replaced by `inserted` bytes): one splice from the same base.
    pub fn then(self, range: TextRange, inserted: usize) -> Splice {
        let lo = self.start.min(range.start);
        let hi_now = self.new_end.max(range.end);
        // Past `new_end` the current text is the base shifted by the splice.
        let hi_base = hi_now + self.old_end - self.new_end;
        Splice { start: lo, old_end: hi_base, new_end: hi_now + inserted - range.len() }
    }

    /// The change in length, current minus base.
    pub fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }
}

/// A small deterministic pseudo-random generator (xorshift64) for the
/// tests that sweep generated inputs.
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

//! The report model: `&str -> Report`, sections, tables, rows and cells, each
//! with its byte range. Parsing never fails: a half-typed report still yields
//! a `Report`, and what is wrong becomes a diagnostic in `rules`.
//!
//! The parser is line based. Each line is classified (blank, heading, table,
//! prose); table regions are tokenised into fields whatever their layout (one
//! cell per line, tab rows, ` | ` rows, Markdown pipes, plain lines) and rows
//! are aligned to the schema by label and position, never by column index.
//! [`reparse`] redoes only the lines an edit touched (or the one table it fell
//! in) when that provably gives the same `Report` as a full parse; what the
//! prose rules need is kept per line ([`prose`]) for the same reason.
//! This module knows nothing of diagnostics or fixes and does no I/O.

mod dates;
pub mod dump;
pub mod flattened;
mod incremental;
pub mod normalize;
mod outline;
pub mod prose;
pub mod sums;
mod table;

use std::sync::OnceLock;

use regex::Regex;

use crate::schema::{FormatId, TableId};
use crate::text::TextRange;

pub use incremental::{reparse, reparse_with_stats, Reparse};
pub use outline::{front_title, heading_section};
pub use prose::{Mention, MentionKind, Placeholder, PlaceholderKind, ProseFacts};
pub use table::{parse_value, Cell, Layout, Row, Shape, Table, Value};

/// One line of the text: its content (without terminator) and where the next
/// line starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub range: TextRange,
    /// Byte offset just past the line terminator.
    pub next: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// Title or scraper header before section 一.
    Front,
    /// A top-level section heading (index into `Report::sections`).
    Heading(usize),
    /// Part of a table (index into `Report::tables`).
    Table(usize),
    Prose,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    /// The title line(s) as they stand.
    pub range: TextRange,
    pub year: Option<(u16, TextRange)>,
    /// The body that issued the report, normalised (「重庆市綦江区公安局」).
    pub org: Option<String>,
}

/// A top-level section heading 「一、总体情况」…「六、其他需要报告的事项」.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 1…6.
    pub num: u8,
    /// The heading line's content, bookmarks included.
    pub heading: TextRange,
    /// The heading's own text (bookmarks and Markdown marks skipped).
    pub title: TextRange,
    pub line: usize,
    /// Lines after the heading up to the next heading (exclusive).
    pub body: std::ops::Range<usize>,
    /// Found in the middle of a long line of flattened web text.
    pub inline: bool,
}

/// A sub-heading （一）… at the start of a prose line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubHeading {
    pub section: Option<usize>,
    pub number: u32,
    /// The `（一）` marker.
    pub range: TextRange,
    pub line: usize,
}

/// A date or year found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub year: u16,
    pub range: TextRange,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub len: usize,
    pub lines: Vec<Line>,
    pub kinds: Vec<LineKind>,
    pub title: Option<Title>,
    /// The year of the statistics period (数据统计期限为2024年1月1日至…).
    pub period: Option<Period>,
    /// Malformed dates (「自20年1月1日」).
    pub bad_dates: Vec<TextRange>,
    /// Title year, else statistics period.
    pub year: Option<u16>,
    /// The format the year asks for.
    pub year_format: Option<FormatId>,
    /// The format the tables' labels show, if they show one.
    pub table_format: Option<FormatId>,
    /// The label that showed `table_format`.
    pub table_format_at: Option<TextRange>,
    /// Headings in document order (duplicates and out-of-order ones included).
    pub sections: Vec<Section>,
    pub subheadings: Vec<SubHeading>,
    /// Top-level numerals inside a section that are not headings (「二、下步打算」 in 五).
    pub stray_numerals: Vec<(usize, TextRange)>,
    pub tables: Vec<Table>,
    pub is_report: bool,
    /// Numbers stated in the prose, placeholders, and prose lines whose end
    /// may continue on the next line: per-line facts the prose rules fold.
    pub prose: ProseFacts,
}

impl Report {
    /// The format tables are checked against: the one they use, else the year's.
    pub fn format(&self) -> Option<FormatId> {
        self.table_format.or(self.year_format)
    }

    /// The first heading of section `num`.
    pub fn section(&self, num: u8) -> Option<&Section> {
        self.sections.iter().find(|s| s.num == num)
    }

    pub fn table(&self, id: TableId) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The section a line belongs to (by the last heading before it).
    pub fn section_of_line(&self, line: usize) -> Option<&Section> {
        self.sections.iter().filter(|s| s.line <= line).max_by_key(|s| s.line)
    }

    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        self.lines[line].range.slice(text)
    }
}

/// Splits `text` into lines at `\n`, `\r\n` and lone `\r`. Every parse
/// splits the whole text, whose lines are short (a few dozen bytes): a
/// search per line (`memchr2`) spent more setting up than searching, so the
/// breaks are found sixteen bytes at a time by [`next_break`].
pub fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(text.len() / 32 + 1);
    let mut start = 0;
    while let Some(i) = next_break(bytes, start) {
        let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
        lines.push(Line { range: TextRange::new(start, i), next });
        start = next;
    }
    lines.push(Line { range: TextRange::new(start, bytes.len()), next: bytes.len() });
    lines
}

/// Where the first `\n` or `\r` at or after `from` is, read sixteen bytes
/// at a time as two words (SWAR). A word none of whose bytes is below 0x0E
/// holds no break, and in Chinese text nearly every byte is 0x80 or above:
/// subtracting 0x0E from each byte borrows into the high bit of the lowest
/// byte below it, whose own high bit is clear. A block that fails that test
/// (a break, a tab) is searched exactly: `x ^ b'\n'` has a zero byte where
/// `x` has a `\n`, and the same borrow marks the lowest zero byte (bytes
/// above it may be marked falsely, never below).
fn next_break(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("eight bytes"));
    let below_0e = |x: u64| x.wrapping_sub(ONES * 0x0E) & !x;
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let breaks = |x: u64| zeros(x ^ (ONES * u64::from(b'\n'))) | zeros(x ^ (ONES * u64::from(b'\r')));
    let mut i = from;
    while let Some(block) = bytes.get(i..i + 16) {
        let (a, b) = (word(&block[..8]), word(&block[8..]));
        if (below_0e(a) | below_0e(b)) & HIGH != 0 {
            let (in_a, in_b) = (breaks(a), breaks(b));
            if in_a != 0 {
                return Some(i + in_a.trailing_zeros() as usize / 8);
            }
            if in_b != 0 {
                return Some(i + 8 + in_b.trailing_zeros() as usize / 8);
            }
        }
        i += 16;
    }
    bytes[i..].iter().position(|&b| b == b'\n' || b == b'\r').map(|k| i + k)
}

/// The first character of `s` that is not whitespace, as
/// `s.trim_start().chars().next()` finds it, without the general trimming
/// for nearly every line: ASCII whitespace (a table cell's leading tab) is
/// skipped byte by byte, and the byte after it tells whether a visible
/// character starts there. Beyond ASCII, Unicode's whitespace starts with
/// 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000…U+205F) or 0xE3
/// (U+3000, the ideographic space); any other lead byte starts a visible
/// character. Only lines that go on otherwise are trimmed.
#[inline(always)]
pub(crate) fn first_visible(s: &str) -> Option<char> {
    if visible_lead(*s.as_bytes().first()?) {
        s.chars().next()
    } else {
        first_visible_past_spaces(s)
    }
}

/// Whether a character that starts with byte `b` is not whitespace; false
/// for a byte that starts whitespace, a control character (the caller trims
/// those) or none.
fn visible_lead(b: u8) -> bool {
    (b > b' ' && b.is_ascii()) || (b >= 0x80 && !matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3))
}

/// [`first_visible`] for a line that starts otherwise than with a visible
/// character: kept out of its callers' loops.
#[inline(never)]
fn first_visible_past_spaces(s: &str) -> Option<char> {
    let spaces = s.bytes().take_while(|&b| b == b' ' || (b'\t'..=b'\r').contains(&b)).count();
    let rest = &s[spaces..];
    if visible_lead(*rest.as_bytes().first()?) {
        rest.chars().next()
    } else {
        rest.trim_start().chars().next()
    }
}

pub(crate) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("static regex"))
}

/// Parses a report. Never fails and never panics.
pub fn parse(text: &str) -> Report {
    let lines = split_lines(text);
    let mut report = Report { len: text.len(), kinds: vec![LineKind::Prose; lines.len()], lines, ..Report::default() };
    for (i, line) in report.lines.iter().enumerate() {
        if first_visible(line.range.slice(text)).is_none() {
            report.kinds[i] = LineKind::Blank;
        }
    }
    outline::find_sections(text, &mut report);
    outline::find_title_and_period(text, &mut report);
    table::find_tables(text, &mut report);
    outline::find_subheadings(text, &mut report);
    report.prose = prose::scan_all(text, &report);
    report.prose.sums = sums::find(text, &report, &report.prose.keywords, 0, usize::MAX);
    report.is_report = report.title.as_ref().is_some_and(|t| {
        let s = t.range.slice(text);
        s.contains("政府信息公开") && s.contains("年度报告")
    }) || {
        let mut nums: Vec<u8> = report.sections.iter().map(|s| s.num).collect();
        nums.dedup();
        nums.sort_unstable();
        nums.dedup();
        nums.len() >= 3
    };
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte loop `split_lines` replaced.
    fn split_lines_reference(text: &str) -> Vec<Line> {
        let bytes = text.as_bytes();
        let (mut lines, mut start, mut i) = (Vec::new(), 0, 0);
        while i < bytes.len() {
            if bytes[i] == b'\n' || bytes[i] == b'\r' {
                let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                lines.push(Line { range: TextRange::new(start, i), next });
                start = next;
                i = next;
            } else {
                i += 1;
            }
        }
        lines.push(Line { range: TextRange::new(start, bytes.len()), next: bytes.len() });
        lines
    }

    #[test]
    fn the_first_visible_character_is_the_trimmed_one() {
        let parts = [
            " ", "\t", "\u{b}", "\u{c}", "\r", "\n", "\u{3000}", "\u{a0}", "\u{85}", "\u{1680}", "\u{2003}",
            "\u{2028}", "\u{202f}", "\u{205f}", "\u{200b}", "\u{feff}", "\u{1}", "\u{7f}", "a", "#", "１", "（", "一",
            "公开", "𠮷", "\u{e9}", "\u{2014}", "\u{3001}",
        ];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..20000 {
            let s: String = (0..next() % 6).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            assert_eq!(first_visible(&s), s.trim_start().chars().next(), "{s:?}");
        }
        // Every character as the first, alone and after a space.
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("\u{3000}{c}")] {
                assert_eq!(first_visible(&s), s.trim_start().chars().next(), "{s:?}");
            }
        }
    }

    #[test]
    fn lines_split_as_byte_by_byte() {
        let parts = [
            "\n", "\r", "\r\n", "a", "公开", "\t", "𠮷", "\u{0085}", "\u{2028}", "abcdefgh", "\n\n", "\u{b}", "\u{c}",
            "\u{e}", "\u{1}", "\u{8d}", "\u{10a}", "\u{30d}", "，", " ", "\u{3000}",
        ];
        let mut next = crate::text::xorshift(0x5851_f42d_4c95_7f2du64);
        for _ in 0..20000 {
            let text: String = (0..next() % 48).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            assert_eq!(split_lines(&text), split_lines_reference(&text), "{text:?}");
        }
    }
}

//! Stated totals and the parts listed right after them, which NB406 compares
//! (「共公布政府信息2602条(其中机构职能类信息82条，…，其他应主动公开政府信息1053条)」).
//! Found while parsing and kept in [`ProseFacts::sums`](super::ProseFacts),
//! only where the parts do not add up, so that a keystroke redoes only the
//! statements near it ([`find`] over a byte zone) and the rule rescans nothing.
//!
//! A paragraph (a run of prose and heading lines: a flattened web export holds
//! headings, prose and tables on one line) is read joined without its line
//! breaks, since web exports break lines anywhere (「15836\n件，包括…」). The
//! reading is deliberately narrow; a false warning on a real report is worse
//! than a miss. A statement is found only when all of this holds:
//! - a cue, 「其中」 or 「包括」, follows a number and its unit at once
//!   (「2602条，(其中」): the total;
//! - every number after the cue, up to the end of the sentence (or of the
//!   parenthesis the cue opened), is a part: digits and the total's unit after
//!   a label; numbers in a nested parenthesis are a part's own breakdown and
//!   are skipped;
//! - no number is approximate (「余」「约」「近」「多」「左右」「以上」), no part is a
//!   percentage or of another unit, no second cue nests inside the list
//!   (「其中…，其中…」), and the total sits in no other cue's list;
//! - the last part is 「其他…」: only then do the parts claim to cover the
//!   total. 「共500条，其中政策文件20条…」 usually names a few notable parts.
//!
//! Everything a statement reads lies within [`MAX_LIST`] bytes of its cue in
//! the joined paragraph, so it can be read in a window of lines around the
//! cue as well as in the whole paragraph, and an edit changes only the
//! statements whose cue lies in its [`zone`].

use std::sync::OnceLock;

use memchr::memmem::Finder;

use super::{LineKind, Report};
use crate::text::TextRange;

/// A stated total whose listed parts do not add up to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sum {
    /// Where the cue (「其中」「包括」) starts.
    pub cue: usize,
    /// The total's digits.
    pub total: TextRange,
    pub value: i64,
    pub unit: char,
    pub parts: Vec<SumPart>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SumPart {
    /// The digits.
    pub range: TextRange,
    pub value: i64,
    /// The words before the number (「机构职能类信息」); may hold line breaks.
    pub label: TextRange,
}

/// The bit of [`super::prose::KEYWORDS`] set on lines where a cue starts.
pub use super::prose::bits::PARTS_CUE;

const CUES: [&str; 2] = ["其中", "包括"];
/// The searches for [`CUES`], in their order, set up once: a string search
/// of the standard library sets up at each call, which takes longer than
/// searching most lines.
fn cue_finders() -> &'static [Finder<'static>; 2] {
    static FINDERS: OnceLock<[Finder<'static>; 2]> = OnceLock::new();
    FINDERS.get_or_init(|| CUES.map(Finder::new))
}
const UNITS: [char; 10] = ['条', '件', '项', '个', '篇', '份', '次', '宗', '起', '家'];
/// Words just before a number that make it approximate, a rank or part of
/// another number.
const BEFORE: [&str; 14] = ["约", "近", "超过", "逾", "达", "多", "上", "第", ".", "．", "-", "－", "~", "～"];
/// Words just after a number's unit that make it approximate.
const AFTER: [&str; 4] = ["左右", "以上", "多", "余"];
const SPACE: [char; 3] = [' ', '\u{3000}', '\t'];
/// The most bytes a statement reads on either side of its cue (in the joined
/// paragraph). Eleven categories take 1,200 bytes (corpus 018); what an edit
/// rereads grows with this.
pub const MAX_LIST: usize = 2048;
/// Lines read around a cue line: enough for [`MAX_LIST`] and a cue broken
/// over a line break.
const WINDOW: usize = MAX_LIST + 16;

fn prose(report: &Report, line: usize) -> bool {
    line < report.lines.len() && matches!(report.kinds[line], LineKind::Prose | LineKind::Heading(_))
}

/// The statements that do not add up whose cue starts in `lo..hi`, in order;
/// `cue_lines` are the report's keyword bits (final, like its lines and kinds).
pub(super) fn find(text: &str, report: &Report, cue_lines: &[(usize, u8)], lo: usize, hi: usize) -> Vec<Sum> {
    let lines = &report.lines;
    let first = cue_lines.partition_point(|&(l, _)| lines[l].next < lo);
    let cues: Vec<usize> = cue_lines[first..]
        .iter()
        .take_while(|&&(l, _)| lines[l].range.start < hi)
        .filter(|&&(l, bits)| bits & PARTS_CUE != 0 && prose(report, l))
        .map(|&(l, _)| l)
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < cues.len() {
        // A group of cue lines whose windows overlap, read joined once.
        let (mut from, mut to) = window(report, cues[k]);
        let start = k;
        k += 1;
        while k < cues.len() {
            let (f, t) = window(report, cues[k]);
            if f > to + 1 {
                break;
            }
            (from, to) = (from.min(f), t.max(to));
            k += 1;
        }
        let joined = Joined::new(text, report, from, to);
        for &line in &cues[start..k] {
            let (a, b) = joined.line(line - from);
            // A cue starting on this line may end on the next.
            let end = floor(&joined.s, (b + 5).min(joined.s.len()));
            for (cue, finder) in CUES.iter().zip(cue_finders()) {
                let mut at = a;
                while let Some(i) = finder.find(&joined.s.as_bytes()[at..end]) {
                    let j = at + i;
                    at = j + cue.len();
                    if j >= b {
                        break;
                    }
                    let cue_at = joined.at(j);
                    if cue_at < lo || cue_at >= hi {
                        continue;
                    }
                    if let Some(s) = statement(&joined.s, j, cue.len()) {
                        if s.parts.iter().map(|p| p.value).sum::<i64>() != s.value {
                            out.push(joined.sum(cue_at, &s));
                        }
                    }
                }
            }
        }
    }
    out.sort_by_key(|s| s.cue);
    out
}

/// The bytes of `report` (lines kept whole) holding the cue of every
/// statement an edit of lines `first..=last` may change: a statement reads
/// [`MAX_LIST`] joined bytes on either side of its cue, and the lines around
/// the edit are counted whole, breaks and all, whatever their kind, so at
/// least that much of the paragraph lies between the edit and any cue
/// outside the zone.
pub(super) fn zone(report: &Report, first: usize, last: usize) -> (usize, usize) {
    let lines = &report.lines;
    let (mut f, mut bytes) = (first, 0);
    while f > 0 && bytes < WINDOW {
        f -= 1;
        bytes += lines[f].range.len();
    }
    let (mut l, mut bytes) = (last, 0);
    while l + 1 < lines.len() && bytes < WINDOW {
        l += 1;
        bytes += lines[l].range.len();
    }
    (lines[f].range.start, lines[l].next)
}

/// The lines read around a cue line: [`WINDOW`] bytes of the paragraph on
/// either side.
fn window(report: &Report, line: usize) -> (usize, usize) {
    let len = |l: usize| report.lines[l].range.len();
    let (mut first, mut last) = (line, line);
    let mut bytes = 0;
    while first > 0 && prose(report, first - 1) && bytes < WINDOW {
        first -= 1;
        bytes += len(first);
    }
    bytes = 0;
    while prose(report, last + 1) && bytes < WINDOW {
        last += 1;
        bytes += len(last);
    }
    (first, last)
}

/// Lines joined without their breaks, with where each began in the text.
struct Joined {
    s: String,
    /// (offset in `s`, offset in the text) of each line.
    starts: Vec<(usize, usize)>,
}

impl Joined {
    fn new(text: &str, report: &Report, from: usize, to: usize) -> Joined {
        let span = report.lines[to].range.end - report.lines[from].range.start;
        let mut s = String::with_capacity(span);
        let mut starts = Vec::with_capacity(to + 1 - from);
        for l in &report.lines[from..=to] {
            starts.push((s.len(), l.range.start));
            s.push_str(l.range.slice(text));
        }
        Joined { s, starts }
    }

    /// The joined range of line `k` of the group.
    fn line(&self, k: usize) -> (usize, usize) {
        (self.starts[k].0, self.starts.get(k + 1).map_or(self.s.len(), |x| x.0))
    }

    /// The text offset of a joined byte.
    fn at(&self, j: usize) -> usize {
        let k = self.starts.partition_point(|x| x.0 <= j) - 1;
        self.starts[k].1 + j - self.starts[k].0
    }

    fn range(&self, r: TextRange) -> TextRange {
        if r.start == r.end {
            let at = self.at(r.start.min(self.s.len().saturating_sub(1)));
            return TextRange::new(at, at);
        }
        TextRange::new(self.at(r.start), self.at(r.end - 1) + 1)
    }

    fn sum(&self, cue: usize, s: &Statement) -> Sum {
        let parts = s
            .parts
            .iter()
            .map(|p| SumPart { range: self.range(p.range), value: p.value, label: self.range(p.label) })
            .collect();
        Sum { cue, total: self.range(s.total), value: s.value, unit: s.unit, parts }
    }
}

/// A statement, with ranges in the joined paragraph.
#[derive(Debug, PartialEq, Eq)]
struct Statement {
    total: TextRange,
    value: i64,
    unit: char,
    parts: Vec<Part>,
}

#[derive(Debug, PartialEq, Eq)]
struct Part {
    range: TextRange,
    value: i64,
    label: TextRange,
}

/// `char::is_numeric`, without its table lookup for the CJK ideographs that
/// make up most of a paragraph (none is numeric).
fn numeric(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && !('\u{4E00}'..='\u{9FFF}').contains(&c) && c.is_numeric())
}

fn floor(p: &str, mut i: usize) -> usize {
    while !p.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The statement whose cue is at `at` in the paragraph `p`, if it is one. It
/// reads only `MAX_LIST` bytes on either side of the cue, and whether `p`
/// goes on past them.
fn statement(p: &str, at: usize, cue_len: usize) -> Option<Statement> {
    let lo = floor(p, at.saturating_sub(MAX_LIST));
    let hi = floor(p, (at + cue_len + MAX_LIST).min(p.len()));
    let s = statement_in(&p[lo..hi], at - lo, cue_len, hi < p.len())?;
    let shift = |r: TextRange| r.shift(lo);
    Some(Statement {
        total: shift(s.total),
        parts: s.parts.into_iter().map(|x| Part { range: shift(x.range), label: shift(x.label), ..x }).collect(),
        ..s
    })
}

/// [`statement`] in `q`; `more` when the paragraph goes on past `q`.
fn statement_in(q: &str, at: usize, cue_len: usize, more: bool) -> Option<Statement> {
    // 「2602条，(其中」: the total, its unit, at most a comma and a parenthesis.
    let mut head = q[..at].trim_end_matches(SPACE);
    let paren = head.ends_with(['（', '(']);
    if paren {
        head = head[..head.len() - head.chars().next_back()?.len_utf8()].trim_end_matches(SPACE);
    }
    head = head.strip_suffix(['，', ',']).unwrap_or(head).trim_end_matches(SPACE);
    let unit = head.chars().next_back()?;
    if !UNITS.contains(&unit) {
        return None;
    }
    let (total, value) = number_before(q, head.len() - unit.len_utf8())?;
    // A total inside another list (「其中…19件，其中…」) is a part's own breakdown.
    let sentence = q[..total.start].rsplit(['。', '；', ';']).next().unwrap_or("");
    if cue_finders().iter().any(|finder| finder.find(sentence.as_bytes()).is_some()) {
        return None;
    }
    let parts = parts(q, at + cue_len, unit, paren, more)?;
    // The parts claim to cover the total only when the last is 「其他…」.
    let last = parts.last()?;
    let label = last.label.slice(q);
    if parts.len() < 2 || !(label.contains("其他") || label.contains("其它")) {
        return None;
    }
    Some(Statement { total, value, unit, parts })
}

/// The exact number whose digits end at `end` (spaces before the unit
/// allowed): its range and value.
fn number_before(q: &str, end: usize) -> Option<(TextRange, i64)> {
    let end = q[..end].trim_end_matches(SPACE).len();
    let start = q[..end].trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if start == end || end - start > 15 {
        return None;
    }
    let before = &q[..start];
    if before.ends_with(numeric) || BEFORE.iter().any(|w| before.ends_with(w)) {
        return None;
    }
    Some((TextRange::new(start, end), q[start..end].parse().ok()?))
}

/// The parts listed from `from` to the end of the sentence, or of the
/// parenthesis the cue opened; `None` when anything in the list is not a
/// plain part in `unit`, or the list runs past `q` (`more`).
fn parts(q: &str, from: usize, unit: char, paren: bool, more: bool) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    // Where the current part's label begins.
    let mut label = from;
    let mut i = from;
    loop {
        let Some(c) = q[i..].chars().next() else {
            return if more || paren { None } else { Some(parts) };
        };
        let rest = &q[i..];
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth > 0 => depth -= 1,
            // The end of the list: the cue's parenthesis closes, or the sentence ends.
            '）' | ')' => return Some(parts),
            '。' | '；' | ';' if depth == 0 => return if paren { None } else { Some(parts) },
            '%' | '％' if depth == 0 => return None,
            _ if depth == 0 && CUES.iter().any(|cue| rest.starts_with(cue)) => return None,
            c if depth == 0 && numeric(c) => {
                let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                if digits == 0 {
                    return None;
                }
                let (range, value) = number_before(q, i + digits)?;
                let after = q[i + digits..].trim_start_matches(SPACE).strip_prefix(unit)?;
                if AFTER.iter().any(|w| after.starts_with(w)) {
                    return None;
                }
                let raw = &q[label..i];
                let words = raw.trim_start_matches(|c: char| SPACE.contains(&c) || "，,、：:".contains(c));
                let start = label + raw.len() - words.len();
                let words = TextRange::new(start, start + words.trim_end_matches(SPACE).len());
                parts.push(Part { range, value, label: words });
                i = q.len() - after.len();
                label = i;
                continue;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &str) -> Vec<(i64, Vec<i64>)> {
        let mut out = Vec::new();
        for cue in CUES {
            for (at, _) in p.match_indices(cue) {
                if let Some(s) = statement(p, at, cue.len()) {
                    out.push((s.value, s.parts.iter().map(|x| x.value).collect()));
                }
            }
        }
        out
    }

    #[test]
    fn totals_and_parts() {
        assert_eq!(read("共公开5条(其中A类2条，其他类3条)，对于"), vec![(5, vec![2, 3])]);
        assert_eq!(read("共5件，其中：A 2件，B（含C 1件）1件，其他类3件。"), vec![(5, vec![2, 1, 3])]);
        let p = "共6件，其中：A 2件，其他类3件";
        let s = statement(p, p.find("其中").unwrap(), 6).unwrap();
        assert_eq!((s.parts[0].label.slice(p), s.parts[1].label.slice(p)), ("A", "其他类"));
        // No 「其他」: a few notable parts, not a breakdown.
        assert_eq!(read("共5件，其中A 2件，B 1件。"), vec![]);
        // Approximate, another unit, a nested cue, a percentage, an unclosed parenthesis.
        for p in [
            "共约5件，其中A 2件，其他3件。",
            "共5件，其中A 2余件，其他3件。",
            "共5件，其中A 2件左右，其他3件。",
            "共5件，其中A 2条，其他3件。",
            "共5件，其中A 2件，其中B 1件，其他3件。",
            "共9件，其中A 5件，B 4件，其中B1 1件，其他3件。",
            "共5件，其中A 20%，其他3件。",
            "共5件(其中A 2件，其他3件。",
            "共5件，其中A 2.5件，其他3件。",
        ] {
            assert_eq!(read(p), vec![], "{p}");
        }
    }

    /// What caching rests on: a statement reads the same in a window of
    /// `MAX_LIST` bytes around its cue as in the whole paragraph.
    #[test]
    fn a_statement_reads_the_same_in_a_window() {
        let mut found = 0;
        for (n, tail) in [50, 250]
            .into_iter()
            .flat_map(|n| ["其他类信息2条。", "其他类信息2条", "其他类信息2条，说明"].map(move |t| (n, t)))
        {
            let list = "机构类信息1条，".repeat(n);
            let p = format!("{}共99条，其中{list}{tail}{}", "前文。".repeat(900), "后文。".repeat(900));
            let at = p.find("其中").unwrap();
            let whole = statement(&p, at, 6);
            let lo = floor(&p, at - MAX_LIST - 20);
            let hi = floor(&p, at + MAX_LIST + 30);
            let part = statement(&p[lo..hi], at - lo, 6).map(|s| s.value);
            found += usize::from(part.is_some());
            assert_eq!(whole.map(|s| s.value), part, "{n} {tail}");
        }
        assert_eq!(found, 3, "the short list, however it ends");
    }
}

//! Incremental reparse: after an edit, reparse only the lines it touched
//! (a paragraph) or the one table it fell in, shift everything after it, and
//! return exactly what a full [`parse`] of the new text would.
//!
//! The fast path is taken only when a cheap, local argument shows that the
//! edit cannot change anything decided across lines: the headings (including
//! headings split over lines), the front matter (title, everything before the
//! first heading), the table regions and the table format, the statistics
//! period's year. Every other edit falls back to a full parse, so the result
//! never depends on which path was taken. This module does no I/O and keeps
//! no state between calls: the previous `Report` is the cache.

use super::sums::{self, Sum, SumPart};
use super::{
    outline, parse, prose, split_lines, table, Line, LineKind, Mention, Period, Placeholder, ProseFacts, Report,
    SubHeading, Table,
};
use crate::text::{Splice, TextRange};

/// Which path [`reparse_with_stats`] took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reparse {
    /// Only `lines_reparsed` lines of the new text were read again (the
    /// touched lines, or every line of the one table they fell in).
    Incremental { lines_reparsed: usize },
    /// The whole text was parsed again.
    Full,
}

/// `old` is `parse(old_text)`; `splice` says which region changed: bytes
/// `splice.start..splice.old_end` of `old_text` became
/// `splice.start..splice.new_end` of `new_text`. Returns exactly what
/// `parse(new_text)` would return.
pub fn reparse(old_text: &str, old: &Report, new_text: &str, splice: Splice) -> Report {
    reparse_with_stats(old_text, old, new_text, splice).0
}

/// [`reparse`], also telling which path was taken.
pub fn reparse_with_stats(old_text: &str, old: &Report, new_text: &str, splice: Splice) -> (Report, Reparse) {
    match incremental(old_text, old, new_text, splice) {
        Some((report, lines_reparsed)) => (report, Reparse::Incremental { lines_reparsed }),
        None => (parse(new_text), Reparse::Full),
    }
}

/// Old lines `a..=b` (bytes `lo..old_hi`) became `new_lines` (bytes
/// `lo..new_hi` of the new text).
struct Edit {
    a: usize,
    b: usize,
    lo: usize,
    old_hi: usize,
    new_hi: usize,
    new_lines: Vec<Line>,
}

impl Edit {
    /// The whole lines an edit touched. An edit at the start of a line after a
    /// lone CR touches the line before too: an inserted LF would turn that CR
    /// into a CRLF.
    fn locate(old_text: &str, old: &Report, new_text: &str, sp: Splice) -> Option<Edit> {
        let (old_len, new_len) = (old_text.len(), new_text.len());
        if old.len != old_len || old.lines.is_empty() || old.kinds.len() != old.lines.len() {
            return None;
        }
        let consistent = sp.start <= sp.old_end
            && sp.old_end <= old_len
            && sp.start <= sp.new_end
            && sp.new_end <= new_len
            && old_len - sp.old_end == new_len - sp.new_end
            && old_text.is_char_boundary(sp.start)
            && old_text.is_char_boundary(sp.old_end)
            && new_text.is_char_boundary(sp.start)
            && new_text.is_char_boundary(sp.new_end);
        if !consistent {
            return None;
        }
        let last = old.lines.len() - 1;
        let line_at = |offset: usize| old.lines.partition_point(|l| l.next <= offset).min(last);
        let mut a = line_at(sp.start);
        if a > 0 && sp.start == old.lines[a].range.start && old_text.as_bytes()[sp.start - 1] == b'\r' {
            a -= 1;
        }
        let b = line_at(sp.old_end);
        let lo = old.lines[a].range.start;
        let old_hi = old.lines[b].next;
        // Past `old_end` the texts agree, so line b's terminator survives at
        // the end of the new region (and a lone CR there is still lone).
        let new_hi = old_hi - sp.old_end + sp.new_end;
        if !new_text.is_char_boundary(lo) || !new_text.is_char_boundary(new_hi) {
            return None;
        }
        let mut new_lines = split_lines(&new_text[lo..new_hi]);
        for l in &mut new_lines {
            l.range = l.range.shift(lo);
            l.next += lo;
        }
        if b < last {
            // The empty line after the final terminator is old line b + 1.
            new_lines.pop();
        }
        Some(Edit { a, b, lo, old_hi, new_hi, new_lines })
    }

    fn touched(&self) -> std::ops::RangeInclusive<usize> {
        self.a..=self.b
    }

    /// Moves a line index of an untouched line.
    fn line(&self, l: usize) -> usize {
        if l > self.b {
            l + self.new_lines.len() - (self.b + 1 - self.a)
        } else {
            l
        }
    }

    /// Moves the byte range of something on an untouched line.
    fn range(&self, r: TextRange) -> TextRange {
        debug_assert!(r.end < self.lo || r.start >= self.old_hi, "{r:?} overlaps the edit");
        if r.start >= self.lo {
            TextRange::new(r.start + self.new_hi - self.old_hi, r.end + self.new_hi - self.old_hi)
        } else {
            r
        }
    }

    fn shift_table(&self, t: &Table) -> Table {
        let mut t = t.clone();
        if t.first_line <= self.b {
            return t;
        }
        t.range = self.range(t.range);
        t.first_line = self.line(t.first_line);
        t.last_line = self.line(t.last_line);
        for row in &mut t.rows {
            row.range = self.range(row.range);
            row.first_line = self.line(row.first_line);
            row.last_line = self.line(row.last_line);
            row.label = row.label.map(|r| self.range(r));
            for c in &mut row.cells {
                c.range = self.range(c.range);
            }
            for r in &mut row.raw_values {
                *r = self.range(*r);
            }
        }
        t
    }
}

fn breaks_join(s: &str) -> bool {
    s.trim().is_empty() || s.contains(['\t', '|'])
}

/// A character that `normalize::label` keeps in any context, and that no
/// bare heading numeral (「一」「、」) is made of.
fn solid(c: char) -> bool {
    let f = super::normalize::fold_char(c);
    !(f.is_whitespace()
        || matches!(f, '\u{200B}' | '\u{FEFF}' | '#' | '_' | '*' | ':' | '[' | ']')
        || "一二三四五六、,.".contains(f))
}

/// How far a heading split over lines (「一、」/「总体情况」) that runs through
/// the line before an edit can reach into it.
enum Guard {
    /// No such heading reaches the edited lines.
    Sealed,
    /// Only one whose text is swallowed by an unclosed `[bookmark:` opened
    /// further up could: it runs through lines without `]` unchanged.
    Bookmark,
    /// Not known without looking further up.
    Open,
}

fn guard(prev: &str) -> Guard {
    if breaks_join(prev) {
        return Guard::Sealed;
    }
    // What follows the last `]` is visible whatever came before: a bookmark
    // opened earlier is closed by then.
    let (tail, closed) = match prev.rfind(']') {
        Some(j) => (&prev[j + 1..], true),
        None => (prev, false),
    };
    if tail.contains('[') || !tail.chars().any(solid) {
        return Guard::Open;
    }
    if closed {
        Guard::Sealed
    } else {
        Guard::Bookmark
    }
}

/// Whether the report's outline leaves room for the fast path at all, and
/// where its front matter and statistics scan end.
struct Frame {
    first_heading: usize,
    scan_end: usize,
}

impl Frame {
    fn of(old: &Report) -> Option<Frame> {
        // With fewer than three headings found line by line, headings are also
        // looked for inside every long line, anywhere in the text.
        if old.sections.iter().filter(|s| !s.inline).count() < 3 {
            return None;
        }
        let first_heading = old.sections.first()?.line;
        // Without a section 二 the scan stops at line 60, which moves.
        let scan_end = old.sections.iter().find(|s| s.num >= 2)?.line;
        Some(Frame { first_heading, scan_end })
    }
}

enum Path {
    Prose,
    Table(usize),
}

fn incremental(old_text: &str, old: &Report, new_text: &str, splice: Splice) -> Option<(Report, usize)> {
    let edit = Edit::locate(old_text, old, new_text, splice)?;
    let frame = Frame::of(old)?;
    if edit.a <= frame.first_heading {
        return None;
    }
    let old_touched: Vec<&str> = edit.touched().map(|i| old.lines[i].range.slice(old_text)).collect();
    let new_touched: Vec<&str> = edit.new_lines.iter().map(|l| l.range.slice(new_text)).collect();
    if !outline_kept(old_text, old, &edit, &old_touched, &new_touched) {
        return None;
    }
    let path = choose_path(old, &edit, &new_touched)?;
    let (period, bad_dates) = dates(old, &edit, new_text, &frame)?;
    let mut report = shifted(old, &edit, new_text, &new_touched, &path, period, bad_dates);
    let reparsed = match path {
        Path::Prose => {
            reread_prose(&edit, new_text, &mut report);
            edit.new_lines.len()
        }
        Path::Table(t) => {
            let old_t = &old.tables[t];
            // When the edit reached the table's last line, the table now ends
            // with the last new line (`choose_path` checked it stays there).
            let last =
                if old_t.last_line > edit.b { edit.line(old_t.last_line) } else { edit.a + edit.new_lines.len() - 1 };
            let first = old_t.first_line;
            report.tables[t] = table::build_table(new_text, &report, first, last, old_t.id, old_t.format)?;
            last + 1 - first
        }
    };
    reread_facts(&old.prose, &edit, new_text, &mut report);
    Some((report, reparsed))
}

/// Whether the headings, the table starts and the table format stay as they
/// are: no touched line, old or new, can be or become one, and no heading
/// split over lines or 「行政复议」 header above the edit can see it.
fn outline_kept(old_text: &str, old: &Report, edit: &Edit, old_touched: &[&str], new_touched: &[&str]) -> bool {
    let a = edit.a;
    let old_line = |i: usize| old.lines[i].range.slice(old_text);
    let clean = |s: &&str| !breaks_join(s) && !s.contains(['[', ']']);
    match guard(old_line(a - 1)) {
        Guard::Sealed => {}
        Guard::Bookmark => {
            // Either it stops before the edit in both texts, or it runs
            // through both unchanged (nothing it could stop at, no `]`).
            let stops_both = breaks_join(old_touched[0]) && breaks_join(new_touched[0]);
            let runs_through = old_touched.iter().all(clean) && new_touched.iter().all(clean);
            if !stops_both && !runs_through {
                return false;
            }
        }
        Guard::Open => return false,
    }
    // An old line that could start a heading but did not left no trace.
    if new_touched.iter().any(|s| outline::may_start_heading(s)) {
        return false;
    }
    if new_touched.iter().chain(old_touched).any(|s| table::may_start_table(s) || table::names_format(s)) {
        return false;
    }
    // 「行政复议」 starts table 四 only if 「行政诉讼」 follows within five lines.
    (a.saturating_sub(5)..a)
        .all(|j| !table::starts_review(old_line(j)) || (j..a).any(|k| table::mentions_litigation(old_line(k))))
}

/// The statistics period and the malformed dates, which come from the lines
/// above section 二; `None` when the year could change (it picks the format
/// every table is read with) or the period's next mention is unknown.
fn dates(old: &Report, edit: &Edit, new_text: &str, frame: &Frame) -> Option<(Option<Period>, Vec<TextRange>)> {
    let in_scan = edit.b < frame.scan_end;
    let line_of = |offset: usize| old.lines.partition_point(|l| l.next <= offset);
    let moved = |p: &Period| Period { year: p.year, range: edit.range(p.range) };
    let period = match &old.period {
        Some(p) if line_of(p.range.start) < edit.a => Some(p.clone()),
        _ if !in_scan => old.period.as_ref().map(moved),
        old_period => {
            let found =
                edit.new_lines.iter().find_map(|l| outline::period_in_line(l.range.slice(new_text), l.range.start));
            match (found, old_period) {
                (Some(p), _) => Some(p),
                (None, None) => None,
                // The next mention may be anywhere further down.
                (None, Some(p)) if line_of(p.range.start) <= edit.b => return None,
                (None, Some(p)) => Some(moved(p)),
            }
        }
    };
    let year = old.title.as_ref().and_then(|t| t.year.map(|y| y.0)).or(period.as_ref().map(|p| p.year));
    if year != old.year {
        return None;
    }
    let mut bad_dates: Vec<TextRange> = old.bad_dates.iter().copied().filter(|r| r.start < edit.lo).collect();
    if in_scan {
        for l in &edit.new_lines {
            outline::bad_dates_in_line(l.range.slice(new_text), l.range.start, &mut bad_dates);
        }
    }
    bad_dates.extend(old.bad_dates.iter().filter(|r| r.start >= edit.old_hi).map(|&r| edit.range(r)));
    Some((period, bad_dates))
}

/// The old report with the touched lines replaced and everything after them
/// moved; sub-headings and stray numerals moved too (the prose path then
/// rereads those of the touched lines).
fn shifted(
    old: &Report,
    edit: &Edit,
    new_text: &str,
    new_touched: &[&str],
    path: &Path,
    period: Option<Period>,
    bad_dates: Vec<TextRange>,
) -> Report {
    let (a, b) = (edit.a, edit.b);
    let mut lines = Vec::with_capacity(old.lines.len() + edit.new_lines.len());
    lines.extend_from_slice(&old.lines[..a]);
    lines.extend_from_slice(&edit.new_lines);
    lines.extend(
        old.lines[b + 1..]
            .iter()
            .map(|l| Line { range: edit.range(l.range), next: l.next + edit.new_hi - edit.old_hi }),
    );
    let new_kind = |s: &&str| match path {
        _ if s.trim().is_empty() => LineKind::Blank,
        Path::Prose => LineKind::Prose,
        Path::Table(t) => LineKind::Table(*t),
    };
    let mut kinds = Vec::with_capacity(lines.len());
    kinds.extend_from_slice(&old.kinds[..a]);
    kinds.extend(new_touched.iter().map(new_kind));
    kinds.extend_from_slice(&old.kinds[b + 1..]);
    let sections = old
        .sections
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if s.line > b {
                s.line = edit.line(s.line);
                s.heading = edit.range(s.heading);
                s.title = edit.range(s.title);
            }
            s.body = edit.line(s.body.start)..edit.line(s.body.end);
            s
        })
        .collect();
    let untouched = |l: usize| l < a || l > b;
    Report {
        len: new_text.len(),
        lines,
        kinds,
        title: old.title.clone(),
        period,
        bad_dates,
        year: old.year,
        year_format: old.year_format,
        table_format: old.table_format,
        table_format_at: old.table_format_at.map(|r| edit.range(r)),
        sections,
        subheadings: old
            .subheadings
            .iter()
            .filter(|s| untouched(s.line))
            .map(|s| SubHeading { line: edit.line(s.line), range: edit.range(s.range), ..s.clone() })
            .collect(),
        stray_numerals: old
            .stray_numerals
            .iter()
            .filter(|s| untouched(s.0))
            .map(|&(l, r)| (edit.line(l), edit.range(r)))
            .collect(),
        tables: old.tables.iter().map(|t| edit.shift_table(t)).collect(),
        is_report: old.is_report,
        prose: ProseFacts::default(),
    }
}

/// The prose facts of the old lines kept, moved, around those of the new
/// lines: after an edit only the touched lines are scanned again.
fn reread_facts(old: &ProseFacts, edit: &Edit, new_text: &str, report: &mut Report) {
    let (a, b) = (edit.a, edit.b);
    let fresh = prose::scan(new_text, report, a, edit.new_lines.len());
    let mut facts = ProseFacts::default();
    let (before, after) = (old.mentions.partition_point(|m| m.line < a), old.mentions.partition_point(|m| m.line <= b));
    facts.mentions.reserve(old.mentions.len() + fresh.mentions.len() - (after - before));
    facts.mentions.extend_from_slice(&old.mentions[..before]);
    facts.mentions.extend(fresh.mentions);
    let moved = |m: &Mention| Mention { line: edit.line(m.line), range: edit.range(m.range), ..*m };
    facts.mentions.extend(old.mentions[after..].iter().map(moved));
    let (before, after) = (
        old.placeholders.partition_point(|p| p.range.start < edit.lo),
        old.placeholders.partition_point(|p| p.range.start < edit.old_hi),
    );
    facts.placeholders.extend_from_slice(&old.placeholders[..before]);
    facts.placeholders.extend(fresh.placeholders);
    facts
        .placeholders
        .extend(old.placeholders[after..].iter().map(|p| Placeholder { range: edit.range(p.range), ..*p }));
    facts.open_lines.extend(old.open_lines.iter().copied().filter(|&l| l < a));
    facts.open_lines.extend(fresh.open_lines);
    facts.open_lines.extend(old.open_lines.iter().copied().filter(|&l| l > b).map(|l| edit.line(l)));
    // A keyword may run from a line into the next: the line above the edit
    // is read again with the new lines.
    let from = a.saturating_sub(1);
    let fresh = prose::keywords(new_text, report, from, a + edit.new_lines.len() - from);
    facts.keywords.extend(old.keywords.iter().copied().filter(|&(l, _)| l < from));
    facts.keywords.extend(fresh);
    facts.keywords.extend(old.keywords.iter().copied().filter(|&(l, _)| l > b).map(|(l, bits)| (edit.line(l), bits)));
    // Statements whose cue lies in the zone around the new lines are found
    // again; the others read nothing of the edit and are kept or moved.
    let last = (a + edit.new_lines.len()).max(a + 1) - 1;
    let (lo, hi) = sums::zone(report, a.min(report.lines.len() - 1), last.min(report.lines.len() - 1));
    let old_hi = hi + edit.old_hi - edit.new_hi;
    facts.sums.extend(old.sums.iter().filter(|s| s.cue < lo).cloned());
    facts.sums.extend(sums::find(new_text, report, &facts.keywords, lo, hi));
    let moved = |s: &Sum| Sum {
        cue: s.cue + edit.new_hi - edit.old_hi,
        total: edit.range(s.total),
        value: s.value,
        unit: s.unit,
        parts: s
            .parts
            .iter()
            .map(|p| SumPart { range: edit.range(p.range), label: edit.range(p.label), ..*p })
            .collect(),
    };
    facts.sums.extend(old.sums.iter().filter(|s| s.cue >= old_hi).map(moved));
    report.prose = facts;
}

/// Rereads the sub-headings and stray numerals of the new lines: they depend
/// on the line, its kind and the headings above it only.
fn reread_prose(edit: &Edit, new_text: &str, report: &mut Report) {
    let (a, n) = (edit.a, edit.new_lines.len());
    let mut subs = Vec::new();
    let mut strays = Vec::new();
    for i in a..a + n {
        match outline::line_outline(new_text, report, i) {
            outline::LineOutline::Sub(sub) => subs.push(sub),
            outline::LineOutline::Stray(r) => strays.push((i, r)),
            outline::LineOutline::Plain => {}
        }
    }
    let at = report.subheadings.partition_point(|s| s.line < a);
    report.subheadings.splice(at..at, subs);
    let at = report.stray_numerals.partition_point(|s| s.0 < a);
    report.stray_numerals.splice(at..at, strays);
}

/// Prose path: every touched line was prose or blank outside any table.
/// Table path: the touched lines lie inside one table, below its first line.
fn choose_path(old: &Report, edit: &Edit, new_touched: &[&str]) -> Option<Path> {
    let (a, b) = (edit.a, edit.b);
    let kinds = &old.kinds[a..=b];
    let overlapping = |t: &&Table| t.first_line <= b && t.last_line >= a;
    if kinds.iter().all(|k| matches!(k, LineKind::Prose | LineKind::Blank))
        && !old.tables.iter().any(|t| overlapping(&t))
    {
        // A table earlier in the same section ends where its trailing prose
        // and blank lines begin; the new lines must be trailing material too.
        let heading = old.section_of_line(a).map_or(0, |s| s.line);
        let table_above = old.tables.iter().any(|t| t.first_line > heading && t.first_line < a);
        if table_above && !new_touched.iter().all(|s| s.trim().is_empty() || table::prose_like(s)) {
            return None;
        }
        return Some(Path::Prose);
    }
    let t = old.tables.iter().position(|t| t.first_line < a && b <= t.last_line)?;
    if !kinds.iter().all(|k| matches!(k, LineKind::Blank) || *k == LineKind::Table(t)) {
        return None;
    }
    // The region's last line is where trimming stopped: it must stay a line
    // trimming stops at.
    if b == old.tables[t].last_line {
        let s = new_touched.last()?;
        if s.trim().is_empty() || table::prose_like(s) {
            return None;
        }
    }
    Some(Path::Table(t))
}

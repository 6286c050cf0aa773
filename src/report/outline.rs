//! The outline: title, report year, statistics period, section headings and
//! sub-headings.

use std::sync::OnceLock;

use memchr::memmem::Finder;

use super::normalize::{self, Ordinal};
use super::{dates, first_visible, LineKind, Period, Report, Section, SubHeading, Title};
use crate::schema::{FormatId, FORMAT_2021};
use crate::text::TextRange;

/// Skips bookmarks, whitespace, Markdown heading marks and bold markers at the
/// start of a line; returns the byte offset where the heading text starts.
fn heading_text_start(line: &str) -> usize {
    let mut at = normalize::bookmark_prefix_len(line);
    let rest = &line[at..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if hashes > 0 && hashes <= 6 {
        let after = &rest[hashes..];
        let ws = after.len() - after.trim_start().len();
        if ws > 0 {
            at += hashes + ws;
        }
    }
    let rest = &line[at..];
    if let Some(r) = rest.strip_prefix("**") {
        at += 2 + (r.len() - r.trim_start().len());
    }
    at
}

/// Which section a heading names: `numeral` is its top-level numeral (1…6),
/// `rest` the normalised text after it. A variant of the official heading
/// (masks allowed) names its section whatever the numeral; a mere keyword
/// counts only when the numeral agrees, so table 三's row labels
/// (「一、本年新收政府信息公开申请数量」) are never taken for headings.
pub fn heading_section(numeral: u32, rest: &str) -> Option<u8> {
    if rest.is_empty() || rest.chars().count() > 40 {
        return None;
    }
    let specs = FORMAT_2021.sections;
    // The variants normalised once per process, section by section.
    static VARIANTS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let variants = VARIANTS
        .get_or_init(|| specs.iter().map(|s| s.variants.iter().map(|v| normalize::label(v)).collect()).collect());
    // A heading without a mask starts with a variant (or is one); a masked
    // one is a variant or matches one.
    let masked = rest.contains('*');
    for (s, variants) in specs.iter().zip(variants) {
        let strong = variants.iter().any(|v| {
            if masked {
                rest == v || normalize::wildcard_match(rest, v)
            } else {
                rest.starts_with(v.as_str())
            }
        });
        if strong {
            return Some(s.num);
        }
    }
    let s = specs.get(usize::try_from(numeral).ok()?.checked_sub(1)?)?;
    let unmasked = match masked {
        true => std::borrow::Cow::Owned(rest.chars().filter(|&c| c != '*').collect()),
        false => std::borrow::Cow::Borrowed(rest),
    };
    s.keywords.iter().any(|k| unmasked.contains(k)).then_some(s.num)
}

/// The numeral and heading text of a line that looks like a top-level
/// heading: (numeral, range of the text after the numeral's punctuation,
/// range of the whole heading text).
fn top_level(line: &str) -> Option<(u32, usize, usize)> {
    let start = heading_text_start(line);
    let rest = &line[start..];
    let mut chars = rest.char_indices();
    let (_, c) = chars.next()?;
    let n = match c {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    };
    let (i, p) = chars.next()?;
    if !matches!(p, '、' | '，' | ',' | '.' | '．') {
        return None;
    }
    Some((n, start + i + p.len_utf8(), start))
}

/// A normalised text of at most two characters, all numeral or punctuation:
/// the first half of a heading that a web export split over lines.
fn is_bare(t: &str) -> bool {
    // Without bookmarks, normalising keeps every character but spaces and
    // Markdown marks: a character kept that is no numeral or punctuation
    // settles it without normalising (nearly every line of a report).
    // A line of spaces and marks alone normalises to nothing.
    if !t.as_bytes().contains(&b'[') {
        let mut visible = false;
        for f in t.chars().map(normalize::fold_char) {
            if f.is_whitespace() || matches!(f, '\u{200B}' | '\u{FEFF}' | '#' | '_') {
                continue;
            }
            visible = true;
            if !matches!(f, '*' | ':' | '一' | '二' | '三' | '四' | '五' | '六' | '、' | ',' | '.') {
                return false;
            }
        }
        if !visible {
            return false;
        }
    }
    let n = normalize::label(t);
    !n.is_empty() && n.chars().count() <= 2 && n.chars().all(|c| "一二三四五六、,.".contains(c))
}

/// Whether `find_sections` could take this line, on its own or as the start
/// of a split heading, for a heading. Lines for which this is false are
/// visited as a start, fail and leave no trace.
pub(super) fn may_start_heading(s: &str) -> bool {
    if s.contains('\t') || s.contains('|') || s.len() > 200 {
        return false;
    }
    if is_bare(s) {
        return true;
    }
    let Some((n, after, _)) = top_level(s) else { return false };
    heading_section(n, &normalize::label(&s[after..])).is_some()
}

pub(super) fn find_sections(text: &str, report: &mut Report) {
    let mut found: Vec<(u8, usize, TextRange)> = Vec::new();
    let mut joined_lines: Vec<usize> = Vec::new();
    let lines = &report.lines;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let s = line.range.slice(text);
        i += 1;
        // Cells of one-cell-per-line tables start with their tab.
        if s.len() > 200 || s.starts_with(['\t', '|']) {
            continue;
        }
        // A heading or a bare numeral starts, past spaces, with a numeral,
        // punctuation or a mark normalising drops: most lines start otherwise
        // (asked first: it reads a character or two).
        let first = first_visible(s).map(normalize::fold_char);
        let may_start = |c: char| {
            matches!(
                c,
                '一' | '二'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '、'
                    | ','
                    | '.'
                    | '['
                    | '#'
                    | '*'
                    | '_'
                    | ':'
                    | '\u{200B}'
                    | '\u{FEFF}'
            )
        };
        // A heading never contains a cell separator (format-spec §2.2).
        if !first.is_some_and(may_start) || memchr::memchr2(b'\t', b'|', s.as_bytes()).is_some() {
            continue;
        }
        // Web exports split headings: 「一、」/「总体情况」, even 「一」/「、」/「总体情况」.
        let mut joined = std::borrow::Cow::Borrowed(s);
        let mut last = i - 1;
        while is_bare(&joined) && last + 1 < lines.len() {
            let next = lines[last + 1].range.slice(text);
            if next.trim().is_empty() || next.contains('\t') || next.contains('|') {
                break;
            }
            joined.to_mut().push_str(next.trim());
            last += 1;
        }
        let Some((n, after, start)) = top_level(&joined) else { continue };
        let rest = normalize::label(&joined[after..]);
        if let Some(num) = heading_section(n, &rest) {
            let end_line = lines[last].range;
            let end = if last == i - 1 {
                line.range.start + s.trim_end().len()
            } else {
                end_line.start + end_line.slice(text).trim_end().len()
            };
            let title =
                TextRange::new(line.range.start + start.min(s.len()), end.max(line.range.start + start.min(s.len())));
            found.push((num, i - 1, title));
            for l in i..=last {
                joined_lines.push(l);
            }
            i = last + 1;
        }
    }
    if found.len() < 3 {
        find_inline_sections(text, report, &mut found);
    }
    found.sort_by_key(|f| (f.1, f.2.start));
    for l in joined_lines {
        report.kinds[l] = LineKind::Front;
    }
    for (k, &(num, line, title)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(report.lines.len(), |f| f.1);
        report.kinds[line] = LineKind::Heading(report.sections.len());
        report.sections.push(Section {
            num,
            heading: report.lines[line].range,
            title,
            line,
            body: line + 1..end,
            inline: report.lines[line].range.len() >= 400,
        });
    }
}

/// Flattened web text puts a whole report on a few very long lines; its
/// headings sit mid-line (「。一、总体情况 2024年」). Find the canonical headings
/// there so such a report is not told that all six sections are missing.
fn find_inline_sections(text: &str, report: &Report, found: &mut Vec<(u8, usize, TextRange)>) {
    for (i, line) in report.lines.iter().enumerate() {
        let s = line.range.slice(text);
        if s.len() < 400 || !s.contains('、') {
            continue;
        }
        let first = first_headings(s);
        for (sec, first) in FORMAT_2021.sections.iter().zip(&first) {
            if found.iter().any(|f| f.0 == sec.num) {
                continue;
            }
            // The first variant, in the schema's order, whose first
            // occurrence is not at the line's start.
            let exact = first.iter().find_map(|at| at.filter(|&(j, _)| j > 0));
            if let Some((j, len)) = exact.or_else(|| near_heading(s, sec.num)) {
                found.push((sec.num, i, TextRange::new(line.range.start + j, line.range.start + j + len)));
            }
        }
    }
}

/// Per section of the 2021 format, per heading variant: where
/// 「<numeral>、<variant>」 first occurs in `s`, and its length. One pass
/// over the line's 、 instead of a search of the line per heading.
fn first_headings(s: &str) -> Vec<Vec<Option<(usize, usize)>>> {
    let sections = &FORMAT_2021.sections;
    let mut first: Vec<Vec<Option<(usize, usize)>>> =
        sections.iter().map(|sec| vec![None; sec.variants.len()]).collect();
    for (p, mark) in s.match_indices('、') {
        let Some(numeral) = s[..p].chars().next_back() else { continue };
        let after = &s[p + mark.len()..];
        for (sec, first) in sections.iter().zip(&mut first) {
            if sec.numeral != numeral {
                continue;
            }
            let j = p - numeral.len_utf8();
            for (v, at) in sec.variants.iter().zip(first.iter_mut()) {
                if at.is_none() && after.starts_with(v) {
                    *at = Some((j, numeral.len_utf8() + mark.len() + v.len()));
                }
            }
        }
    }
    first
}

/// A heading of section `num` mid-line with a typo in it: 「四、」 followed by
/// text whose bigrams are nearly a variant's (corpus 011:
/// 「四、政府信息公开行政法复议、行政诉讼情况」). Returns its offset and length.
fn near_heading(s: &str, num: u8) -> Option<(usize, usize)> {
    let spec = FORMAT_2021.sections.iter().find(|sec| sec.num == num)?;
    let mark = format!("{}、", spec.numeral);
    for (j, _) in s.match_indices(mark.as_str()).filter(|&(j, _)| j > 0) {
        let after = &s[j + mark.len()..];
        for v in spec.variants {
            let n = v.chars().count();
            // The variant's length, give or take two characters.
            for extra in [0, 1, 2, -1, -2] {
                let take = n.saturating_add_signed(extra);
                let end = after.char_indices().nth(take).map_or(after.len(), |(k, _)| k);
                if end == after.len() && after.chars().count() < take {
                    continue;
                }
                if normalize::similarity(&after[..end], v) >= 0.85 {
                    return Some((j, mark.len() + end));
                }
            }
        }
    }
    None
}

fn is_title_candidate(s: &str) -> bool {
    // No character is longer than four bytes: a longer line is not counted.
    let n = if s.len() > 80 * 4 { usize::MAX } else { s.chars().count() };
    n <= 80 && (s.contains("年度报告") || (s.contains("政府信息公开") && s.contains("年报"))) && !s.contains('。')
}

fn strip_front_label(s: &str) -> &str {
    let t = s.trim();
    for p in ["标题：", "标题:", "正文：", "正文:"] {
        if let Some(r) = t.strip_prefix(p) {
            return r.trim();
        }
    }
    t.trim_start_matches('#').trim()
}

/// The first title among lines `0..end`: the line it was found on and its
/// range (a title split over two lines starts on the line before).
fn title_range(text: &str, lines: &[super::Line], kinds: &[LineKind], end: usize) -> Option<(usize, TextRange)> {
    for i in 0..end.min(lines.len()) {
        let s = lines[i].range.slice(text);
        let t = strip_front_label(s);
        if t.is_empty() || !is_title_candidate(t) || t.starts_with("本报告") || t.starts_with("根据") {
            continue;
        }
        let mut range = lines[i].range;
        // A title split over two lines: 「重庆市綦江区公安局」 / 「2024年…年度报告」.
        if let Some(prev) = (0..i).rev().find(|&j| kinds[j] != LineKind::Blank) {
            let p = strip_front_label(lines[prev].range.slice(text));
            let short = !p.is_empty() && p.chars().count() <= 40 && !p.contains(['。', '：', ':', '，']);
            let t_norm = normalize::label(t);
            if short && (t_norm.starts_with(|c: char| c.is_ascii_digit()) || t_norm.starts_with("年度报告")) {
                range = TextRange::new(lines[prev].range.start, range.end);
            }
        }
        return Some((i, range));
    }
    None
}

/// The title at `range`: its year and issuing body.
fn title_at(text: &str, range: TextRange) -> Title {
    let s = range.slice(text);
    let year = dates::title_year(s).and_then(|m| {
        let y: u16 = s[m.clone()].parse().ok()?;
        Some((y, TextRange::new(range.start + m.start, range.start + m.end)))
    });
    let org = year.as_ref().and_then(|_| org_of(s));
    Title { range, year, org }
}

/// The title a full parse would find on one of the first `end` lines of
/// `head` (a prefix of a text cut at a line break), and the line it was
/// found on; `None` when none of those lines holds a title candidate. The
/// parse stops at the first section heading, this does not: it may find a
/// title the parse does not, never another one. For a cheap look at many
/// files' titles before parsing any (`nianbao check` pairing reports for
/// NB403).
pub fn front_title(head: &str, end: usize) -> Option<(usize, Title)> {
    let lines = super::split_lines(head);
    let kinds: Vec<LineKind> = lines
        .iter()
        .take(end)
        .map(|l| if l.range.slice(head).chars().all(char::is_whitespace) { LineKind::Blank } else { LineKind::Prose })
        .collect();
    let (line, range) = title_range(head, &lines, &kinds, end)?;
    Some((line, title_at(head, range)))
}

pub(super) fn find_title_and_period(text: &str, report: &mut Report) {
    let first_heading = report.sections.first().map_or(report.lines.len().min(40), |s| s.line);
    if let Some((_, range)) = title_range(text, &report.lines, &report.kinds, first_heading) {
        let title = title_at(text, range);
        // Lines run in order: none after the first that starts past the title is in it.
        for l in 0..report.lines.len() {
            if report.lines[l].range.start > range.end {
                break;
            }
            if report.lines[l].range.start >= range.start
                && report.lines[l].range.end <= range.end
                && report.kinds[l] != LineKind::Blank
            {
                report.kinds[l] = LineKind::Front;
            }
        }
        report.title = Some(title);
    }

    // The statistics period, in the front matter or section 一.
    let scan_end = report.sections.iter().find(|s| s.num >= 2).map_or(report.lines.len().min(60), |s| s.line);
    (report.period, report.bad_dates) = period_and_bad_dates(text, &report.lines[..scan_end]);
    report.year = report.title.as_ref().and_then(|t| t.year.map(|y| y.0)).or(report.period.as_ref().map(|p| p.year));
    report.year_format = report.year.and_then(FormatId::for_year);
}

/// The statistics period (the first line's that states one) and the
/// malformed dates of `lines`, the first lines of `text`.
fn period_and_bad_dates(text: &str, lines: &[super::Line]) -> (Option<Period>, Vec<TextRange>) {
    static TONGJI: OnceLock<Finder> = OnceLock::new();
    static NIAN: OnceLock<Finder> = OnceLock::new();
    let read = |i: usize| (lines[i].range.slice(text), lines[i].range.start);
    let tongji = TONGJI.get_or_init(|| Finder::new("统计"));
    let period = lines_holding(text, lines, tongji).find_map(|i| {
        let (s, start) = read(i);
        period_in_line(s, start)
    });
    let mut bad_dates = Vec::new();
    for i in lines_holding(text, lines, NIAN.get_or_init(|| Finder::new("年"))) {
        let (s, start) = read(i);
        bad_dates_in_line(s, start, &mut bad_dates);
    }
    (period, bad_dates)
}

/// The lines of `lines` (the first lines of `text`) that hold `needle`, in
/// order. Only a line holding 统计 can state the period and only one holding
/// 年 a date, and few lines do: one search of the lines' text (memmem)
/// replaces a search of every line, whose setup costs more than the search.
fn lines_holding<'a>(text: &'a str, lines: &'a [super::Line], needle: &'a Finder) -> impl Iterator<Item = usize> + 'a {
    let end = lines.last().map_or(0, |l| l.range.end);
    let len = needle.needle().len();
    let mut line = 0;
    let mut last = None;
    needle.find_iter(&text.as_bytes()[..end]).filter_map(move |at| {
        // No line break inside the needle: it ends in the line it starts in.
        line += lines[line..].partition_point(|l| l.range.end < at + len);
        (last != Some(line)).then(|| {
            last = Some(line);
            line
        })
    })
}

/// The statistics period a line states, if its first mention has a
/// four-digit year (a line whose first mention is malformed states none).
pub(super) fn period_in_line(s: &str, line_start: usize) -> Option<Period> {
    // Most lines never mention 统计: skip the regex's setup for them.
    // A character search (memchr) first: a string search sets up per line.
    if !s.contains('统') || !s.contains("统计") {
        return None;
    }
    let m = dates::period_year(s)?;
    if m.len() != 4 {
        return None;
    }
    let year = s[m.clone()].parse().ok()?;
    Some(Period { year, range: TextRange::new(line_start + m.start, line_start + m.end) })
}

/// Pushes the malformed dates of one line, in order.
pub(super) fn bad_dates_in_line(s: &str, line_start: usize, out: &mut Vec<TextRange>) {
    if !s.contains('日') || !s.contains('月') || !s.contains('年') {
        return;
    }
    for d in dates::dates(s) {
        // `2024年12月31日` preceded by another digit is part of a longer number.
        if s[..d.whole.start].ends_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let month: u32 = s[d.month].parse().unwrap_or(0);
        let day: u32 = s[d.day].parse().unwrap_or(0);
        if d.year.len() != 4 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            out.push(TextRange::new(line_start + d.whole.start, line_start + d.whole.end));
        }
    }
}

/// The issuing body in a title: the text around the year, before 政府信息公开.
fn org_of(title: &str) -> Option<String> {
    let t = normalize::label(strip_front_label(title));
    let cut = t.find("政府信息公开").unwrap_or(t.len());
    let head = &t[..cut];
    let stripped = dates::without_years(head);
    let org = stripped.trim_end_matches('度').trim_matches(|c: char| c.is_ascii_punctuation()).to_string();
    (!org.is_empty()).then_some(org)
}

pub(super) fn find_subheadings(text: &str, report: &mut Report) {
    for i in 0..report.lines.len() {
        match line_outline(text, report, i) {
            LineOutline::Sub(sub) => report.subheadings.push(sub),
            LineOutline::Stray(range) => report.stray_numerals.push((i, range)),
            LineOutline::Plain => {}
        }
    }
}

/// What a line adds to the outline below the headings.
pub(super) enum LineOutline {
    Plain,
    Sub(SubHeading),
    /// A top-level numeral that is not a heading.
    Stray(TextRange),
}

/// Reads line `i` for a sub-heading or a stray numeral. It depends only on
/// the line, its kind and the section headings, so an edit that keeps those
/// can recompute it for the lines it touched alone.
///
/// The test that settles nearly every line is inlined into the callers'
/// loops; the rest, with its large frame, is called for the few lines left.
#[inline]
pub(super) fn line_outline(text: &str, report: &Report, i: usize) -> LineOutline {
    if report.kinds[i] != LineKind::Prose {
        return LineOutline::Plain;
    }
    // A marker or a numeral starts the line past spaces, bookmarks and marks.
    if !first_visible(report.lines[i].range.slice(text)).is_some_and(|c| {
        matches!(c, '(' | '（' | '[' | '#' | '*' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九')
    }) {
        return LineOutline::Plain;
    }
    marked_line_outline(text, report, i)
}

/// [`line_outline`] for a prose line that starts with a marker or a numeral.
#[inline(never)]
fn marked_line_outline(text: &str, report: &Report, i: usize) -> LineOutline {
    let line = report.lines[i].range;
    let s = line.slice(text);
    let Some(sec) = report.section_of_line(i).map(|s| s.line) else { return LineOutline::Plain };
    let sec_idx = report.sections.iter().position(|s| s.line == sec);
    let start = heading_text_start(s);
    let rest = &s[start..];
    // Only a bracket starts a sub-heading marker; read the head of the others not at all.
    let mut buf = [0u8; 32];
    let mut len = 0;
    if rest.starts_with(['(', '（']) {
        for c in rest.chars().take(8).map(normalize::fold_char) {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
    }
    let norm_head = std::str::from_utf8(&buf[..len]).expect("whole characters");
    if let (Some(Ordinal::Paren(n)), _) = normalize::split_ordinal(norm_head) {
        // The marker's byte length in the original text: up to the closing bracket.
        let close = rest.find(['）', ')']).map_or(0, |j| j + rest[j..].chars().next().map_or(1, char::len_utf8));
        return LineOutline::Sub(SubHeading {
            section: sec_idx,
            number: n,
            range: TextRange::new(line.start + start, line.start + start + close),
            line: i,
        });
    }
    if let Some((_, after, st)) = top_level(s) {
        // A short line with a top-level numeral inside a section: 「二、下步打算」.
        if s[after..].trim().chars().count() <= 30 {
            let end = st + s[st..].trim_end().len();
            return LineOutline::Stray(TextRange::new(line.start + st, line.start + end));
        }
    }
    LineOutline::Plain
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `heading_section` as it was before it asked whether the text is
    /// masked once: every variant asks again.
    fn heading_section_reference(numeral: u32, rest: &str) -> Option<u8> {
        if rest.is_empty() || rest.chars().count() > 40 {
            return None;
        }
        let specs = FORMAT_2021.sections;
        for s in specs {
            let strong = s.variants.iter().map(|v| normalize::label(v)).any(|v| {
                rest == v
                    || (rest.starts_with(v.as_str()) && !rest.contains('*'))
                    || (rest.contains('*') && normalize::wildcard_match(rest, &v))
            });
            if strong {
                return Some(s.num);
            }
        }
        let s = specs.get(usize::try_from(numeral).ok()?.checked_sub(1)?)?;
        let unmasked: String = rest.chars().filter(|&c| c != '*').collect();
        s.keywords.iter().any(|k| unmasked.contains(k)).then_some(s.num)
    }

    #[test]
    fn headings_name_their_sections_as_before() {
        let parts = [
            "总体情况",
            "总体",
            "情况",
            "主动公开",
            "政府信息",
            "收到和处理",
            "申请",
            "复议",
            "诉讼",
            "存在的主要问题及改进情况",
            "问题",
            "其他需要报告的事项",
            "*",
            "**",
            "、",
            "公开",
            "𠮷",
            " ",
            "概述",
            "，",
            "１",
        ];
        let mut next = crate::text::xorshift(0x5851_f42d_4c95_7f2du64);
        for _ in 0..20000 {
            let rest: String = (0..next() % 8).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let numeral = (next() % 9) as u32;
            assert_eq!(
                heading_section(numeral, &rest),
                heading_section_reference(numeral, &rest),
                "{numeral} {rest:?}"
            );
        }
    }

    /// `period_and_bad_dates` reading every line, as it did before it
    /// searched the lines' text for 统计 and 年.
    fn period_and_bad_dates_reference(text: &str, lines: &[super::super::Line]) -> (Option<Period>, Vec<TextRange>) {
        let (mut period, mut bad_dates) = (None, Vec::new());
        for line in lines {
            let s = line.range.slice(text);
            if period.is_none() {
                period = period_in_line(s, line.range.start);
            }
            bad_dates_in_line(s, line.range.start, &mut bad_dates);
        }
        (period, bad_dates)
    }

    #[test]
    fn periods_and_dates_are_found_on_the_lines_that_hold_them() {
        let parts = [
            "统计",
            "统",
            "计",
            "期限为",
            "2024",
            "20",
            "２０２４",
            "１",
            "年",
            "月",
            "日",
            "1",
            "01",
            "12",
            "31",
            "13",
            "0",
            " ",
            "\u{3000}",
            "\n",
            "\r\n",
            "\r",
            "。",
            "至",
            "公开",
            "𠮷",
            "\t",
            "统计年度",
            "2024年1月1日",
            "年年",
            "20年1月",
            "2024年13月",
            "12月31日",
            "1日",
        ];
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let (mut periods, mut dates) = (0, 0);
        for _ in 0..20000 {
            let text: String = (0..next() % 40).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let lines = super::super::split_lines(&text);
            let end = (next() % (lines.len() as u64 + 1)) as usize;
            let got = period_and_bad_dates(&text, &lines[..end]);
            assert_eq!(got, period_and_bad_dates_reference(&text, &lines[..end]), "{text:?} {end}");
            periods += usize::from(got.0.is_some());
            dates += usize::from(!got.1.is_empty());
        }
        // The texts state periods and malformed dates often enough to tell.
        assert!(periods > 200 && dates > 200, "{periods} {dates}");
    }

    #[test]
    fn first_headings_are_where_a_search_per_heading_finds_them() {
        let parts = [
            "一、",
            "三、",
            "、",
            "总体情况",
            "主动公开政府信息情况",
            "政府信息公开工作存在的主要问题及改进情况",
            "一",
            "其他需要报告的事项",
            "公开",
            "𠮷",
            " ",
            "六、其他",
        ];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..3000 {
            let s: String = (0..next() % 14).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let first = first_headings(&s);
            for (sec, first) in FORMAT_2021.sections.iter().zip(&first) {
                for (v, at) in sec.variants.iter().zip(first) {
                    let pat = format!("{}、{}", sec.numeral, v);
                    assert_eq!(*at, s.find(pat.as_str()).map(|j| (j, pat.len())), "{s:?} {pat:?}");
                }
            }
        }
    }
}

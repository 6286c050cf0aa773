//! NB403, across two reports of one body in consecutive years
//! (format-spec §5.3): X1, 上年结转 of year N equals 结转下年度继续办理 of year
//! N−1 column by column (a warning), and X2, for the 2021 format,
//! 现行有效件数(N) = 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N) for
//! 规章 and 行政规范性文件 (amendments can break it, so info).
//!
//! Neither report is re-read here: each is reduced once to a small
//! [`CarrySummary`] (its body, year and the few cells the relations use, with
//! their byte ranges), which the command line and the language server keep
//! per file, and [`check`] compares two summaries. Finding last year's report
//! (in the workspace or on the command line) and resolving positions in it is
//! the caller's job; the other file is an opaque id here, carried into
//! [`Related::path`]. No I/O.

use super::{Config, Diagnostic, Locale, Related, RuleLevel, Severity};
use crate::report::{Report, Value};
use crate::schema::{FormatId, TableId};
use crate::text::TextRange;

/// A title counts for pairing only on the first lines of the text, so that a
/// cheap look at them ([`front_key`]) finds every body a parse would.
pub const TITLE_LINES: usize = 40;

/// A readable integer cell of one of the compared rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarryCell {
    /// The column's (or for T2a the row's) short name: 「自然人」, 「规章」.
    pub name: &'static str,
    pub value: i64,
    pub range: TextRange,
}

/// One T2a row (规章 or 行政规范性文件): the three cells X2 reads, each when
/// readable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentRow {
    pub name: &'static str,
    pub issued: Option<CarryCell>,
    pub repealed: Option<CarryCell>,
    pub valid: Option<CarryCell>,
}

/// What NB403 needs of one report. A few hundred bytes: callers keep one per
/// file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarrySummary {
    /// The issuing body from a title on the first [`TITLE_LINES`] lines,
    /// normalised ([`body_name`]); `None` when the title names none.
    pub body: Option<String>,
    /// The title's year.
    pub year: Option<u16>,
    pub format: Option<FormatId>,
    /// Table 三's 「二、上年结转…」 per column (readable cells only; empty when
    /// the table could not be read).
    pub carried_in: Vec<Option<CarryCell>>,
    /// Table 三's 「四、结转下年度继续办理」 per column.
    pub carried_out: Vec<Option<CarryCell>>,
    /// T2a's rows, 2021 format only.
    pub documents: Vec<DocumentRow>,
}

impl CarrySummary {
    /// Reduces a parsed report. Cells of a table that could not be read
    /// (NB203), empty or non-numeric cells are left out.
    pub fn of(report: &Report) -> CarrySummary {
        let mut s = CarrySummary { format: report.format(), ..CarrySummary::default() };
        if let Some(title) = &report.title {
            let line = report.lines.partition_point(|l| l.range.start <= title.range.end).saturating_sub(1);
            if line < TITLE_LINES {
                s.year = title.year.map(|y| y.0);
                s.body = title.org.as_deref().map(body_name).filter(|b| !b.is_empty());
            }
        }
        if !report.is_report || report.year.is_some_and(|y| y <= 2018) {
            return s;
        }
        if let Some(t3) = report.table(TableId::T3).filter(|t| t.readable()) {
            let spec = t3.spec();
            let row = |id: &str| -> Vec<Option<CarryCell>> {
                let Some(row) = t3.row(id) else { return Vec::new() };
                spec.columns.iter().zip(&row.cells).map(|(col, cell)| int_cell(short(col.label), cell)).collect()
            };
            s.carried_in = row("R2");
            s.carried_out = row("R4");
        }
        if let Some(t2a) = report.table(TableId::T2a).filter(|t| t.readable() && t.format == FormatId::F2021) {
            for id in ["rules", "normative"] {
                let Some(row) = t2a.row(id) else { continue };
                let name = t2a.spec().rows[t2a.spec().row_index(id).unwrap_or(0)].label;
                let cell = |k: usize| row.cells.get(k).and_then(|c| int_cell(name, c));
                s.documents.push(DocumentRow { name, issued: cell(0), repealed: cell(1), valid: cell(2) });
            }
        }
        s
    }

    /// Every byte range the summary holds, for resolving positions once.
    pub fn ranges(&self) -> Vec<TextRange> {
        let docs = self.documents.iter().flat_map(|d| [&d.issued, &d.repealed, &d.valid]);
        self.carried_in.iter().chain(&self.carried_out).chain(docs).flatten().map(|c| c.range).collect()
    }

    /// (body, year): what pairs reports.
    pub fn key(&self) -> Option<(&str, u16)> {
        Some((self.body.as_deref()?, self.year?))
    }
}

fn int_cell(name: &'static str, cell: &crate::report::Cell) -> Option<CarryCell> {
    match cell.value {
        Value::Int(v) if v >= 0 => Some(CarryCell { name, value: v, range: cell.range }),
        _ => None,
    }
}

/// 「申请人情况·法人或其他组织·商业企业」 → 「商业企业」.
fn short(label: &'static str) -> &'static str {
    label.rsplit('·').next().unwrap_or(label)
}

/// The body's name as pairing compares it: brackets, quotes, whitespace and
/// a leading 「标题」 dropped, full-width letters and digits folded.
pub fn body_name(org: &str) -> String {
    let org = org.trim_start_matches("标题").trim_start_matches([':', '：']);
    org.chars().map(crate::report::normalize::fold_char).filter(|&c| !dropped(c)).collect()
}

/// The characters [`body_name`] drops (a `match`: testing each character
/// against a string of them searched that string per character).
fn dropped(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '（' | '）'
                | '【'
                | '】'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '「'
                | '」'
                | '『'
                | '』'
                | '〔'
                | '〕'
                | '［'
                | '］'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '·'
                | '、'
                | '，'
                | '。'
                | '：'
                | '；'
                | '_'
                | '-'
                | '—'
        )
}

/// `split_lines(text).len()` without building the lines, counted up to
/// `most`: one more than the line breaks, the `\n` of a `\r\n` not
/// counted again.
fn line_count(text: &str, most: usize) -> usize {
    let b = text.as_bytes();
    let breaks = memchr::memchr2_iter(b'\n', b'\r', b).filter(|&i| !(b[i] == b'\n' && i > 0 && b[i - 1] == b'\r'));
    1 + breaks.take(most.saturating_sub(1)).count()
}

/// What a look at the first lines of a text says about its pairing key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Front {
    /// The key a full parse would give, or `None` (it gives none).
    Known(Option<(String, u16)>),
    /// The head given was too short to tell.
    Unknown,
}

/// The pairing key of a text from its start: `head` is a prefix of it;
/// `whole` says whether it is all of it. Only the complete lines of a
/// partial head are read. Never returns a key the summary of the whole text
/// would not have, unless the parse, which stops at the first section
/// heading, finds no title at all (a title-like line below a heading).
pub fn front_key(head: &str, whole: bool) -> Front {
    let head = if whole { head } else { memchr::memrchr2(b'\n', b'\r', head.as_bytes()).map_or("", |i| &head[..i]) };
    // A `\r` at the cut may be half of `\r\n`: the last line is complete
    // either way, and the line count below does not depend on it.
    // Whether there are more than TITLE_LINES lines is all that matters.
    let lines = line_count(head, TITLE_LINES + 1);
    let end = TITLE_LINES.min(lines);
    match crate::report::front_title(head, end) {
        Some((_, title)) => Front::Known(
            title.year.zip(title.org.as_deref().map(body_name)).filter(|(_, b)| !b.is_empty()).map(|(y, b)| (b, y.0)),
        ),
        None if whole || lines > TITLE_LINES => Front::Known(None),
        None => Front::Unknown,
    }
}

/// NB403 for `current` against last year's report `previous` (whose path or
/// URI is `previous_id`, carried into the related locations): nothing unless
/// both name the same body and the years are consecutive. Carry-over
/// mismatches are warnings (the registry's default) and X2 ones info; a
/// configured override of NB403 applies to both, and `off` silences both.
/// Sorted as [`super::analyze`] sorts.
pub fn check(current: &CarrySummary, previous: &CarrySummary, previous_id: &str, config: &Config) -> Vec<Diagnostic> {
    let level = config.rules.get("NB403").copied();
    if level == Some(RuleLevel::Off) {
        return Vec::new();
    }
    let (Some((body, year)), Some((prev_body, prev_year))) = (current.key(), previous.key()) else {
        return Vec::new();
    };
    if body != prev_body || prev_year.checked_add(1) != Some(year) {
        return Vec::new();
    }
    let en = config.locale == Locale::En;
    let pick = |zh: String, english: String| if en { english } else { zh };
    let mut out = Vec::new();
    // X1.
    for (cur, prev) in current.carried_in.iter().zip(&previous.carried_out) {
        let (Some(cur), Some(prev)) = (cur, prev) else { continue };
        if cur.value == prev.value {
            continue;
        }
        let (c, p, n) = (cur.value, prev.value, cur.name);
        let message = pick(
            format!("上年结转（{n}）为 {c}，但{prev_year}年报告的结转下年度继续办理为 {p}"),
            format!("carried over from last year ({n}) is {c}, but the {prev_year} report carries {p} into this year"),
        );
        let note = pick(
            format!("{prev_year}年报告：结转下年度继续办理（{n}）为 {p}"),
            format!("{prev_year} report: carried into next year ({n}) = {p}"),
        );
        out.push(diagnostic(cur.range, message, p, c, prev.range, note, previous_id, Severity::Warning));
    }
    // X2: the 2021 format's T2a in both years.
    if current.format == Some(FormatId::F2021) && previous.format == Some(FormatId::F2021) {
        for row in &current.documents {
            let Some(last) = previous.documents.iter().find(|d| d.name == row.name) else { continue };
            let (Some(issued), Some(repealed), Some(valid), Some(before)) =
                (&row.issued, &row.repealed, &row.valid, &last.valid)
            else {
                continue;
            };
            let want = before.value + issued.value - repealed.value;
            if want == valid.value {
                continue;
            }
            let (n, v, b, i, r) = (row.name, valid.value, before.value, issued.value, repealed.value);
            let message = pick(
                format!("{n}现行有效件数为 {v}，上年现行有效 {b} + 本年制发 {i} − 本年废止 {r} = {want}（修订可能造成差异）"),
                format!(
                    "{n}: {v} in force, but {b} in force last year + {i} issued − {r} repealed = {want} (amendments can explain a difference)"
                ),
            );
            let note = pick(
                format!("{prev_year}年报告：{n}现行有效件数为 {b}"),
                format!("{prev_year} report: {n} in force = {b}"),
            );
            out.push(diagnostic(valid.range, message, want, v, before.range, note, previous_id, Severity::Info));
        }
    }
    if let Some(RuleLevel::On(sev)) = level {
        out.iter_mut().for_each(|d| d.severity = sev);
    }
    out.sort_by(|a, b| (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end)));
    out
}

#[allow(clippy::too_many_arguments)]
fn diagnostic(
    range: TextRange,
    message: String,
    expected: i64,
    found: i64,
    other: TextRange,
    note: String,
    other_id: &str,
    severity: Severity,
) -> Diagnostic {
    let mut d = Diagnostic::new("NB403", range, message);
    d.severity = severity;
    d.expected = Some(expected.to_string());
    d.found = Some(found.to_string());
    d.related.push(Related { range: other, message: note, path: Some(other_id.to_owned()) });
    d
}

/// Adds `extra` (sorted) to `diagnostics` (sorted), keeping the order.
pub fn merge(diagnostics: &mut Vec<Diagnostic>, extra: Vec<Diagnostic>) {
    if extra.is_empty() {
        return;
    }
    diagnostics.extend(extra);
    diagnostics.sort_by(|a, b| (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end)));
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_counted_as_split() {
        let parts = ["\n", "\r", "\r\n", "a", "公开", "𠮷", "\n\r", "\r\r\n"];
        let mut next = crate::text::xorshift(0x1234_5678_9abc_def1u64);
        for _ in 0..3000 {
            let text: String = (0..next() % 20).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let lines = crate::report::split_lines(&text).len();
            assert_eq!(super::line_count(&text, usize::MAX), lines, "{text:?}");
            for most in 1..6 {
                assert_eq!(super::line_count(&text, most), lines.min(most), "{text:?} up to {most}");
            }
        }
    }

    use super::*;

    #[test]
    fn body_names_drop_brackets_and_spaces() {
        assert_eq!(body_name("三明市人民政府办公室"), "三明市人民政府办公室");
        assert_eq!(body_name("（三明市 人民政府办公室）"), "三明市人民政府办公室");
        assert_eq!(body_name("【三明市】"), "三明市");
    }

    #[test]
    fn dropped_is_the_list() {
        let list = "（）【】《》〈〉「」『』〔〕［］“”‘’·、，。：；_-—";
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(dropped(c), c.is_whitespace() || c.is_ascii_punctuation() || list.contains(c), "{c:?}");
        }
    }

    #[test]
    fn front_key_reads_complete_lines_only() {
        let text = "标题：三明市2023年政府信息公开工作年度报告\n一、总体情况\n";
        assert_eq!(front_key(text, true), Front::Known(Some(("三明市".into(), 2023))));
        assert_eq!(front_key(&text[..12], false), Front::Unknown);
        assert_eq!(front_key("随便\n", true), Front::Known(None));
    }
}

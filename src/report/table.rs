//! Tables: regions, tokenising every layout into fields, and aligning rows to
//! the schema by label and position.
//!
//! A table region is turned into a stream of fields and row breaks, whatever
//! its layout: a tab or pipe row is one row; in one-cell-per-line exports a
//! blank line ends a row and a line without the leading tab continues the
//! previous cell; in plain one-value-per-line web text a label after a value
//! starts a new row. A row's values are the fields after its last label, so
//! merged-cell placeholders and column shifts never move a value to another
//! column.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::OnceLock;

use regex::Regex;

use super::normalize;
use super::{re, LineKind, Report};
use crate::schema::{FormatId, TableId, TableSpec, FORMAT_2019, FORMAT_2021};
use crate::text::TextRange;

/// How a table is written in the text (kept by fixes and insertions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `\t规章` / `\t0` …, rows separated by blank lines (Word export).
    CellPerLine,
    /// One value per line, no tabs, no row separators (web text).
    PlainLines,
    /// `规章\t0\t0\t0`.
    TabRows,
    /// `规章 | 0 | 0 | 0 |`.
    PipeRows,
    /// `| 规章 | 0 | 0 | 0 |` with `|---|` lines.
    Markdown,
    /// Rows glued into label + digit run inside a long line of web text,
    /// decoded by `flattened` (「规章000行政规范性文件…」). Never edited.
    Flattened,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    /// An integer; thousands separators and full-width digits accepted.
    Int(i64),
    /// A number with a decimal point, and its number of decimals.
    Dec {
        value: f64,
        decimals: u32,
    },
    /// Not a number.
    Bad,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The cell's trimmed text; for an empty cell, the empty position where a
    /// value belongs.
    pub range: TextRange,
    pub value: Value,
    /// A unit written in the cell (「251000元」).
    pub unit: Option<String>,
}

impl Cell {
    pub fn int(&self) -> Option<i64> {
        match self.value {
            Value::Int(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Labels only (captions, headers, group labels).
    Header,
    /// Exactly the expected number of value cells.
    Ok,
    /// Values that cannot be aligned to the columns.
    Malformed { found: usize },
    /// A flattened run of digits the row's rules split in no way
    /// (`splits: 0`) or in several (`splits: 2`).
    Undecodable { splits: u8 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// From the first field to the last.
    pub range: TextRange,
    pub first_line: usize,
    pub last_line: usize,
    /// The row's own label (the last label field), if any.
    pub label: Option<TextRange>,
    /// Index into the table spec's rows, when the label (or position) matched.
    pub spec: Option<usize>,
    /// Value cells: `spec.width()` of them when `shape` is `Ok`.
    pub cells: Vec<Cell>,
    /// Every value-like field after the label, for malformed rows.
    pub raw_values: Vec<TextRange>,
    pub shape: Shape,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub id: TableId,
    pub format: FormatId,
    pub range: TextRange,
    pub first_line: usize,
    pub last_line: usize,
    pub layout: Layout,
    pub rows: Vec<Row>,
    /// Spec row index → index into `rows` of the row that matched it.
    pub by_spec: Vec<Option<usize>>,
}

impl Table {
    pub fn spec(&self) -> &'static TableSpec {
        let schema = self.format.schema();
        schema.table(self.id).unwrap_or(&schema.t3)
    }

    /// The row matched to spec row `id`.
    pub fn row(&self, id: &str) -> Option<&Row> {
        let i = self.spec().row_index(id)?;
        self.by_spec.get(i).copied().flatten().map(|r| &self.rows[r])
    }

    /// The first row whose values could not be aligned.
    pub fn malformed(&self) -> Option<&Row> {
        self.rows.iter().find(|r| matches!(r.shape, Shape::Malformed { .. } | Shape::Undecodable { .. }))
    }

    /// Whether fixes may edit the table's cells: not a decoded flattened
    /// table, where a new value inside a digit run would change how the run
    /// splits (and could not be told from its neighbours).
    pub fn fixable(&self) -> bool {
        self.layout != Layout::Flattened
    }

    /// Values are aligned everywhere: arithmetic may be checked.
    pub fn readable(&self) -> bool {
        self.malformed().is_none()
    }
}

static VALUE_RE: OnceLock<Regex> = OnceLock::new();

/// Parses a cell's text: `12`, `１２`, `1,234`, `64.21`, `-3`, `251000元`.
pub fn parse_value(s: &str) -> (Value, Option<String>) {
    let (value, unit) = read_value(s.trim());
    (value, unit.map(str::to_string))
}

/// [`parse_value`] of trimmed text, with the unit as one of [`UNITS`].
fn read_value(t: &str) -> (Value, Option<&'static str>) {
    // Every field of every table is classified through here: read the
    // ASCII numbers cells nearly always hold by hand, and leave full-width
    // digits, other scripts' digits and odd spaces to the regex.
    parse_ascii_value(t).unwrap_or_else(|| parse_value_regex(t))
}

/// The units a value cell may carry, as the value regex lists them.
const UNITS: [&str; 7] = ["万元", "元", "件", "条", "个", "次", "项"];

fn parse_value_regex(s: &str) -> (Value, Option<&'static str>) {
    let folded: String = s.chars().map(normalize::fold_char).collect();
    let t = folded.trim();
    if t.is_empty() {
        return (Value::Empty, None);
    }
    let re = re(
        &VALUE_RE,
        r"^([+-]?)([0-9０-９]{1,3}(?:,[0-9０-９]{3})+|[0-9０-９]+)(?:\.([0-9０-９]+))?\s*(万元|元|件|条|个|次|项)?$",
    );
    let Some(c) = re.captures(t) else { return (Value::Bad, None) };
    let unit = c.get(4).and_then(|m| UNITS.iter().copied().find(|u| *u == m.as_str()));
    let digits: String = c[2].chars().filter(|&ch| ch != ',').collect();
    let neg = &c[1] == "-";
    number(&digits, c.get(3).map(|m| m.as_str()), neg, unit)
}

fn number(digits: &str, frac: Option<&str>, neg: bool, unit: Option<&'static str>) -> (Value, Option<&'static str>) {
    let value = match frac {
        Some(frac) => {
            let v: f64 = format!("{digits}.{frac}").parse().unwrap_or(0.0);
            Value::Dec { value: if neg { -v } else { v }, decimals: frac.len() as u32 }
        }
        None => match digits.parse::<i64>() {
            Ok(v) => Value::Int(if neg { -v } else { v }),
            // More digits than fit: a flattened row of web text, not a number.
            Err(_) => Value::Bad,
        },
    };
    (value, unit)
}

/// The value regex of [`parse_value_regex`] written out for trimmed text
/// whose number part is ASCII; `None` (ask the regex) for anything else.
/// Folding maps no whitespace to non-whitespace or back, so trimming before
/// folding trims the same characters.
fn parse_ascii_value(t: &str) -> Option<(Value, Option<&'static str>)> {
    if t.is_empty() {
        return Some((Value::Empty, None));
    }
    // Plain digits, the commonest cell of all; 18 digits always fit.
    if t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some((Value::Int(t.bytes().fold(0, |v, b| v * 10 + i64::from(b - b'0'))), None));
    }
    // A match starts with a sign or a digit: a label is settled by its first
    // character (CJK ideographs are neither folded nor numeric).
    let hopeless = |c: char| {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || (!c.is_ascii() && !normalize::fold_char(c).is_ascii() && !c.is_numeric())
    };
    if t.chars().next().is_some_and(hopeless) {
        return Some((Value::Bad, None));
    }
    let (body, unit) = match UNITS.iter().find(|u| t.ends_with(*u)) {
        Some(u) => (t[..t.len() - u.len()].trim_end(), Some(*u)),
        None => (t, None),
    };
    if !body.is_ascii() {
        // A match needs every character before the unit to fold to a sign,
        // a separator or a digit: a label (「信息内容」) is no number.
        return body.chars().any(hopeless).then_some((Value::Bad, None));
    }
    let bad = Some((Value::Bad, None));
    let unsigned = body.strip_prefix(['+', '-']).unwrap_or(body);
    let neg = body.starts_with('-');
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return bad;
    }
    let mut groups = int.split(',');
    let head = groups.next().unwrap_or("");
    let grouped = int.contains(',');
    let head_ok = !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit()) && (!grouped || head.len() <= 3);
    if !head_ok || !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
        return bad;
    }
    let digits: std::borrow::Cow<str> = if grouped { int.replace(',', "").into() } else { int.into() };
    Some(number(&digits, frac, neg, unit))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldKind {
    Empty,
    Value,
    Label,
}

#[derive(Clone, Debug)]
struct Field<'a> {
    range: TextRange,
    /// Borrowed from the text unless a cell continued over lines.
    text: Cow<'a, str>,
    kind: FieldKind,
    /// What the text reads as, kept for the cell a value field becomes.
    value: Value,
    unit: Option<&'static str>,
    /// A table holds a field per cell: a `u32` keeps each in a cache line.
    line: u32,
}

impl Field<'_> {
    /// Reads the field's text again (after a cell continued over lines).
    fn reread(&mut self) {
        (self.kind, self.value, self.unit) = classify(&self.text);
    }
}

/// Reads a field's trimmed text.
fn classify(t: &str) -> (FieldKind, Value, Option<&'static str>) {
    // Most fields are plain digits or a label starting with an ideograph of
    // U+4E00–U+9FFF (lead byte E4 from B8 on, or E5–E9), which no value
    // starts with: both are read without the general routine.
    let b = t.as_bytes();
    if !b.is_empty() && b.len() <= 18 && b.iter().all(u8::is_ascii_digit) {
        return (FieldKind::Value, Value::Int(b.iter().fold(0, |v, d| v * 10 + i64::from(d - b'0'))), None);
    }
    if matches!(b, [0xE4, 0xB8..=0xBF, ..] | [0xE5..=0xE9, ..]) && t != "无" && t != "空" {
        return (FieldKind::Label, Value::Bad, None);
    }
    // Item labels (「1.属于国家秘密」「（一）予以公开」) start otherwise, but an
    // ideograph before the unit a value may end with makes a label as well.
    if has_ideograph(b) && t != "无" && t != "空" {
        let unit = UNITS.iter().find(|u| t.ends_with(*u)).map_or(0, |u| u.len());
        if has_ideograph(&b[..b.len() - unit]) {
            return (FieldKind::Label, Value::Bad, None);
        }
    }
    classify_in_general(t)
}

/// Whether UTF-8 text holds an ideograph of U+4E00–U+9FFF.
fn has_ideograph(b: &[u8]) -> bool {
    b.iter()
        .enumerate()
        .any(|(i, &c)| matches!(c, 0xE5..=0xE9) || (c == 0xE4 && b.get(i + 1).is_some_and(|&n| n >= 0xB8)))
}

/// [`classify`] of any text.
fn classify_in_general(t: &str) -> (FieldKind, Value, Option<&'static str>) {
    if t.is_empty() {
        return (FieldKind::Empty, Value::Empty, None);
    }
    let (value, unit) = read_value(t);
    if !matches!(value, Value::Bad) {
        return (FieldKind::Value, value, unit);
    }
    // Typical non-numbers written where a value belongs.
    if matches!(t, "无" | "/" | "／" | "-" | "－" | "—" | "——" | "--" | "空" | "x" | "X") {
        return (FieldKind::Value, value, unit);
    }
    // `1.` / `2、` before a label split across lines is an item number, and a
    // lone `,` is a broken label; neither is a value.
    // (The test a label fails at its first character comes first.)
    if t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-' || c == '+')
        && t.chars().any(|c| c.is_ascii_digit())
        && !t.ends_with(['.', '、', '．'])
    {
        return (FieldKind::Value, value, unit);
    }
    (FieldKind::Label, value, unit)
}

/// Where `s.trim()` starts and ends in `s`, the start being where
/// `s.trim_start()` starts. Cells are trimmed byte by byte: only a character
/// that starts with one of the lead bytes of Unicode's non-ASCII whitespace
/// (C2, E1, E2, E3) or ends a string with a byte other than those of CJK
/// ideographs and full-width forms (E4–EF lead bytes) is decoded.
fn trim_span(s: &str) -> (usize, usize) {
    let b = s.as_bytes();
    let ascii_space = |c: u8| matches!(c, b'\t'..=b'\r' | b' ');
    let mut start = 0;
    while start < b.len() && ascii_space(b[start]) {
        start += 1;
    }
    if start < b.len() && matches!(b[start], 0xC2 | 0xE1..=0xE3) {
        return trim_span_by_chars(s);
    }
    let mut end = b.len();
    while end > start && ascii_space(b[end - 1]) {
        end -= 1;
    }
    // A final character of three bytes with a lead byte from E4 on is one of
    // U+4000–U+FFFF, none of them whitespace.
    if end > start && b[end - 1] >= 0x80 && !(end >= start + 3 && b[end - 3] >= 0xE4) {
        return trim_span_by_chars(s);
    }
    (start, end)
}

fn trim_span_by_chars(s: &str) -> (usize, usize) {
    let from_start = s.trim_start();
    let start = s.len() - from_start.len();
    (start, start + from_start.trim_end().len())
}

fn field(text: &str, seg: TextRange, line: usize) -> Field<'_> {
    let line = u32::try_from(line).unwrap_or(u32::MAX);
    let raw = seg.slice(text);
    let (lead, end) = trim_span(raw);
    let trimmed = &raw[lead..end];
    let range = if trimmed.is_empty() {
        // An empty cell: the position where a value would be typed, after one
        // separator space (`| |` → between the space and the pipe).
        let at = seg.start + raw.char_indices().nth(1).map_or(raw.len().min(1), |(i, _)| i).min(raw.len());
        TextRange::empty(if raw.starts_with(' ') { at } else { seg.start })
    } else {
        TextRange::new(seg.start + lead, seg.start + lead + trimmed.len())
    };
    let (kind, value, unit) = classify(trimmed);
    Field { range, text: Cow::Borrowed(trimmed), kind, value, unit, line }
}

/// A table region as a stream of row breaks over its fields, which are kept
/// in one vector in text order: fields are not moved again on their way into
/// a row.
#[derive(Clone, Copy)]
enum Tok {
    /// The next field.
    Field,
    /// A tab or pipe row: the next this many fields form one row.
    LineRow(usize),
    Break,
}

fn is_md_separator(s: &str) -> bool {
    let t = s.trim();
    t.contains('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Appends the fields of a tab or pipe row, split at every `sep` (an ASCII
/// byte), and returns how many there are.
fn split_fields<'a>(text: &'a str, line: TextRange, sep: u8, i: usize, fields: &mut Vec<Field<'a>>) -> usize {
    // Fields are a few bytes long: each separator is found eight bytes at a
    // time, where a byte loop had cost five instructions a byte.
    let b = line.slice(text).as_bytes();
    let before = fields.len();
    let mut start = 0;
    while let Some(k) = find_byte(sep, &b[start..]) {
        fields.push(field(text, TextRange::new(line.start + start, line.start + start + k), i));
        start += k + 1;
    }
    fields.push(field(text, TextRange::new(line.start + start, line.end), i));
    fields.len() - before
}

/// Where a line's first tab is (at its end if it has none), whether another
/// tab follows, and whether the line holds a pipe, asked only when its region
/// holds one. Reading up to the second tab costs less than counting every tab
/// of the line in byte lanes, which had cost 60 instructions a line.
fn line_separators(s: &str, pipes_near: bool) -> (usize, bool, bool) {
    let b = s.as_bytes();
    let first_tab = find_byte(b'\t', b).unwrap_or(b.len());
    let more_tabs = first_tab < b.len() && find_byte(b'\t', &b[first_tab + 1..]).is_some();
    (first_tab, more_tabs, pipes_near && find_byte(b'|', b).is_some())
}

/// Where `c` first occurs in `b`, read eight bytes at a time in a `u64`.
/// Most lines of a table are 5–20 bytes long and hold no tab: too short for
/// a SIMD search to repay setting it up, while a byte loop costs five
/// instructions a byte.
fn find_byte(c: u8, b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The lowest byte equal to `c` is the lowest zero byte of `word ^ c…c`,
    // the lowest with its high bit set here: a borrow only carries upwards
    // from a zero byte.
    let at_in = |at: usize| {
        let word = u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes")) ^ (ONES * u64::from(c));
        let zero = word.wrapping_sub(ONES) & !word & HIGHS;
        (zero != 0).then(|| at + zero.trailing_zeros() as usize / 8)
    };
    if b.len() < 8 {
        return b.iter().position(|&x| x == c);
    }
    let mut at = 0;
    while at + 8 <= b.len() {
        if let Some(i) = at_in(at) {
            return Some(i);
        }
        at += 8;
    }
    // The last eight bytes, overlapping those read already, which hold no `c`.
    if at < b.len() {
        return at_in(b.len() - 8);
    }
    None
}

/// The numbers of tabs and of pipes in a text, counted in byte lanes, a
/// chunk at a time, which the compiler vectorises.
fn separators(s: &str) -> (usize, usize) {
    s.as_bytes().chunks(255).fold((0, 0), |(tabs, pipes), chunk| {
        let (t, p) = chunk.iter().fold((0u8, 0u8), |(t, p), &b| (t + u8::from(b == b'\t'), p + u8::from(b == b'|')));
        (tabs + usize::from(t), pipes + usize::from(p))
    })
}

/// Tokenises lines `first..last` (inclusive) of a table region.
fn tokenize<'a>(text: &'a str, report: &Report, first: usize, last: usize) -> (Vec<Field<'a>>, Vec<Tok>, Layout) {
    // A line yields at most one field more than it has separators: counted
    // over the whole region at once, they size the field vector, which grown
    // row by row copied every field about twice.
    // Most regions hold no pipe, and their lines are not searched for one.
    let region = TextRange::new(report.lines[first].range.start, report.lines[last].range.end).slice(text);
    let (tabs, pipes) = separators(region);
    let mut toks = Vec::with_capacity(last + 1 - first);
    let mut fields: Vec<Field> = Vec::with_capacity(tabs + pipes + last + 1 - first);
    let mut counts = [0usize; 5];
    let mut prev_cell = false;
    for i in first..=last {
        let line = report.lines[i].range;
        let s = line.slice(text);
        // Blank lines are known already.
        if report.kinds[i] == LineKind::Blank {
            debug_assert!(s.trim().is_empty());
            toks.push(Tok::Break);
            prev_cell = false;
            continue;
        }
        let (first_tab, more_tabs, piped) = line_separators(s, pipes > 0);
        if piped {
            if is_md_separator(s) {
                counts[4] += 1;
                continue;
            }
            let start = fields.len();
            let mut n = split_fields(text, line, b'|', i, &mut fields);
            let markdown = s.trim_start().starts_with('|');
            if markdown {
                fields.remove(start);
                n -= 1;
                counts[4] += 1;
            } else {
                counts[3] += 1;
            }
            // A field's text is its segment trimmed.
            if n > 1 && fields.last().is_some_and(|f| f.text.is_empty()) {
                fields.pop();
                n -= 1;
            }
            toks.push(Tok::LineRow(n));
            prev_cell = false;
            continue;
        }
        let tabbed = first_tab < s.len();
        let lone_leading = tabbed && !more_tabs && s[..first_tab].chars().all(|c| c == ' ' || c == '\u{3000}');
        if tabbed && !lone_leading {
            counts[2] += 1;
            toks.push(Tok::LineRow(split_fields(text, line, b'\t', i, &mut fields)));
            prev_cell = false;
            continue;
        }
        if lone_leading {
            counts[0] += 1;
            let seg = TextRange::new(line.start + first_tab + 1, line.end);
            let mut f = field(text, seg, i);
            if f.text.is_empty() {
                f.range = TextRange::empty(seg.start);
            }
            fields.push(f);
            toks.push(Tok::Field);
            prev_cell = true;
            continue;
        }
        // A line without a tab after a one-cell-per-line cell continues that
        // cell's text (「商业」/「企业」).
        if prev_cell && matches!(toks.last(), Some(Tok::Field)) {
            let f = fields.last_mut().expect("a field token's field");
            if f.kind != FieldKind::Value {
                let extra = field(text, line, i);
                f.text.to_mut().push_str(&extra.text);
                f.range = f.range.cover(extra.range);
                f.reread();
                continue;
            }
        }
        counts[1] += 1;
        fields.push(field(text, line, i));
        toks.push(Tok::Field);
    }
    let layout = [Layout::CellPerLine, Layout::PlainLines, Layout::TabRows, Layout::PipeRows, Layout::Markdown]
        [counts.iter().enumerate().max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i))).map_or(0, |(i, _)| i)];
    (fields, toks, layout)
}

/// A row's fields, `fields[start..end]` of the region's.
struct RawRow {
    start: usize,
    end: usize,
    line_row: bool,
}

/// Groups the fields into rows, dropping the fields a merge of two rows
/// drops.
fn group_rows<'a>(mut fields: Vec<Field<'a>>, toks: &[Tok]) -> (Vec<Field<'a>>, Vec<RawRow>) {
    let mut rows: Vec<RawRow> = Vec::with_capacity(toks.len() / 4 + 1);
    // Fields of merged rows dropped, in ascending order (rare).
    let mut dropped: Vec<usize> = Vec::new();
    let any =
        |fields: &[Field], start: usize, end: usize, kind: FieldKind| fields[start..end].iter().any(|f| f.kind == kind);
    // The current row of single fields is `cur..at`.
    let (mut at, mut cur, mut cur_value) = (0, 0, false);
    for &t in toks {
        if !matches!(t, Tok::Field) && cur < at {
            rows.push(RawRow { start: cur, end: at, line_row: false });
        }
        match t {
            Tok::Break => {}
            Tok::LineRow(n) => {
                let (start, end) = (at, at + n);
                at = end;
                // A label-only line row followed by a values-only line row is
                // one row.
                let no_label = !any(&fields, start, end, FieldKind::Label);
                let has_value = any(&fields, start, end, FieldKind::Value);
                match rows.last_mut() {
                    Some(prev)
                        if no_label
                            && has_value
                            && prev.line_row
                            && !any(&fields, prev.start, prev.end, FieldKind::Value) =>
                    {
                        dropped.extend((prev.start..prev.end).filter(|&k| fields[k].kind != FieldKind::Label));
                        prev.end = end;
                    }
                    _ => rows.push(RawRow { start, end, line_row: true }),
                }
            }
            Tok::Field => {
                // A label after a value starts the next row.
                if fields[at].kind == FieldKind::Label && cur_value {
                    rows.push(RawRow { start: cur, end: at, line_row: false });
                    cur = at;
                    cur_value = false;
                }
                cur_value |= fields[at].kind == FieldKind::Value;
                at += 1;
                continue;
            }
        }
        cur = at;
        cur_value = false;
    }
    if cur < at {
        rows.push(RawRow { start: cur, end: at, line_row: false });
    }
    if !dropped.is_empty() {
        let before = |k: usize| dropped.partition_point(|&d| d < k);
        for r in &mut rows {
            (r.start, r.end) = (r.start - before(r.start), r.end - before(r.end));
        }
        let mut k = 0;
        fields.retain(|_| {
            k += 1;
            dropped.binary_search(&(k - 1)).is_err()
        });
    }
    (fields, rows)
}

/// A normalised label prepared for scoring once: its ordinal split off, and
/// what inexact comparison reads of the rest read when first compared
/// inexactly, so comparing it with every row of the schema allocates nothing
/// and a label equal to the expected row's costs one string comparison.
#[derive(Debug)]
struct Prepared {
    norm: String,
    star: bool,
    ordinal: Option<normalize::Ordinal>,
    /// Byte offset in `norm` where the text after the ordinal starts.
    rest: usize,
    rest_read: OnceLock<Rest>,
}

/// What inexact comparison reads of the text after a label's ordinal.
#[derive(Debug)]
struct Rest {
    /// Its characters and their bigrams, `*` removed.
    bigrams: normalize::Bigrams,
    /// Its number of characters, `*` included.
    count: usize,
    /// Its characters as a set, a bit each (by a hash): a text lacking one of
    /// them cannot hold it, which saves most substring searches.
    chars: u64,
}

impl Prepared {
    fn new(norm: String) -> Prepared {
        let (ordinal, rest) = normalize::split_ordinal(&norm);
        let rest_at = norm.len() - rest.len();
        Prepared { star: norm.contains('*'), ordinal, rest: rest_at, rest_read: OnceLock::new(), norm }
    }

    fn rest(&self) -> &str {
        &self.norm[self.rest..]
    }

    fn rest_read(&self) -> &Rest {
        self.rest_read.get_or_init(|| {
            let (count, chars) = self.rest().chars().fold((0, 0), |(n, set), c| match c {
                '*' => (n + 1, set),
                _ => (n + 1, set | char_bit(c)),
            });
            Rest { bigrams: normalize::Bigrams::new(self.rest()), count, chars }
        })
    }

    /// Whether anything but masks follows the ordinal.
    fn informative(&self) -> bool {
        self.rest().chars().any(|c| c != '*')
    }
}

/// A character's bit in [`Rest::chars`].
fn char_bit(c: char) -> u64 {
    1 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
}

/// A table spec's labels, normalised once per process: matching used to
/// normalise every schema row again for every row of the text.
#[derive(Debug)]
struct Canon {
    rows: Vec<Prepared>,
    /// The header labels and the caption.
    headers: Vec<String>,
}

fn canon(format: FormatId, id: TableId) -> Option<&'static Canon> {
    static CANON: [[OnceLock<Canon>; 7]; 2] = [const { [const { OnceLock::new() }; 7] }; 2];
    let spec = format.schema().table(id)?;
    Some(CANON[format as usize][id as usize].get_or_init(|| {
        Canon {
            rows: spec
                .rows
                .iter()
                .map(|r| {
                    let row = Prepared::new(normalize::label(r.label));
                    row.rest_read();
                    row
                })
                .collect(),
            headers: spec.header.iter().chain([&spec.caption]).map(|h| normalize::label(h)).collect(),
        }
    }))
}

/// How well an observed (normalised) label names a canonical one, 0 … 1.
fn label_score(cand: &Prepared, canon: &Prepared) -> f32 {
    if cand.norm == canon.norm {
        return 1.0;
    }
    if cand.star && normalize::wildcard_match(&cand.norm, &canon.norm) {
        return 0.95;
    }
    let (rc, rk) = (cand.rest(), canon.rest());
    let (c, k) = (cand.rest_read(), canon.rest_read());
    let rc_chars = c.bigrams.char_count();
    if rc_chars == 0 {
        return 0.0;
    }
    let mut sim = c.bigrams.similarity(&k.bigrams);
    if rc_chars >= 2 && rc_chars == c.count {
        if rk.starts_with(rc) {
            sim = sim.max(0.85);
        } else if rc.starts_with(rk) && k.count >= 2 {
            sim = sim.max(0.8);
        } else if rc_chars >= 4 && c.chars & !k.chars == 0 && rk.contains(rc) {
            sim = sim.max(0.7);
        }
    }
    match (cand.ordinal, canon.ordinal) {
        (Some(a), Some(b)) if a != b => sim * 0.6,
        (Some(_), Some(_)) => (sim + 0.1).min(1.0),
        _ => sim,
    }
}

/// Label candidates of a row: its last label field, the last two and three
/// joined (labels split across lines), and everything from the last field
/// that starts with an ordinal.
/// A row's label candidates; most rows have one, kept without a vector.
enum Candidates {
    /// The label as the schema writes it: the schema's own preparation.
    Canonical(&'static Prepared),
    One(Prepared),
    Many(Vec<Prepared>),
}

impl std::ops::Deref for Candidates {
    type Target = [Prepared];

    fn deref(&self) -> &[Prepared] {
        match self {
            Candidates::Canonical(c) => std::slice::from_ref(*c),
            Candidates::One(c) => std::slice::from_ref(c),
            Candidates::Many(v) => v,
        }
    }
}

/// `labels` are the row's label fields; `expected`, the spec row the row
/// would be by position, if any.
fn label_candidates(labels: &[&Field], expected: Option<(&'static str, &'static Prepared)>) -> Candidates {
    // Header rows have many label fields: normalise only those a candidate
    // uses, the last three and those from the last with an ordinal on.
    let n = labels.len();
    if let (1, Some((raw, canon))) = (n, expected) {
        // Most rows spell the expected label exactly as the schema does: it
        // normalises and prepares to what the schema's did.
        if labels[0].text == raw {
            return Candidates::Canonical(canon);
        }
    }
    if n == 1 {
        // The common row: one label, one candidate (its ordinal one is itself).
        // Spelled otherwise than the expected label but normalised to it
        // (「8. 属于行政查询事项」), it prepares to what the schema's did.
        let norm = normalize::label(&labels[0].text);
        return match expected {
            _ if norm.is_empty() => Candidates::Many(Vec::new()),
            Some((_, canon)) if norm == canon.norm => Candidates::Canonical(canon),
            _ => Candidates::One(Prepared::new(norm)),
        };
    }
    let mut norms: Vec<Option<String>> = vec![None; n];
    let norm = |i: usize| normalize::label(&labels[i].text);
    let mut ordinal = None;
    for i in (0..n).rev() {
        if i + 3 >= n {
            norms[i] = Some(norm(i));
        }
        if may_have_ordinal(&labels[i].text)
            && normalize::split_ordinal(norms[i].get_or_insert_with(|| norm(i))).0.is_some()
        {
            ordinal = Some(i);
            break;
        }
    }
    let from = ordinal.unwrap_or(n).min(n.saturating_sub(3));
    let norms: Vec<String> = (from..n).map(|i| norms[i].take().unwrap_or_else(|| norm(i))).collect();
    let mut out: Vec<String> = Vec::new();
    let m = norms.len();
    for k in 1..=n.min(3) {
        out.push(norms[m - k..].concat());
    }
    if let Some(p) = ordinal {
        out.push(norms[p - from..].concat());
    }
    out.retain(|s| !s.is_empty());
    out.dedup();
    Candidates::Many(out.into_iter().map(Prepared::new).collect())
}

/// Whether a label could start with an ordinal (「（一）」「一、」「1.」) once
/// normalised: the first character normalising keeps is a bracket, a digit
/// or a numeral (or a bookmark hides it).
fn may_have_ordinal(s: &str) -> bool {
    for c in s.chars() {
        let f = normalize::fold_char(c);
        if f.is_whitespace() || matches!(f, '#' | '_' | '*' | '\u{200B}' | '\u{FEFF}') {
            continue;
        }
        return matches!(
            f,
            '(' | '[' | '0'..='9' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        );
    }
    false
}

/// The best score of any candidate against spec row `i`.
fn row_score(canon: &Canon, cands: &[Prepared], i: usize) -> f32 {
    // No score beats an exact match: looked for first, it spares every
    // candidate an inexact comparison (「8.」 + 「属于…」 is a row's
    // second candidate, the last field alone its first).
    let row = &canon.rows[i];
    if cands.iter().any(|c| c.norm == row.norm) {
        return 1.0;
    }
    cands.iter().fold(0.0f32, |best, cand| best.max(label_score(cand, row)))
}

fn match_spec(canon: &Canon, cands: &[Prepared], p: usize, taken: &[bool]) -> Option<usize> {
    let n = canon.rows.len();
    if n == 1 {
        return Some(0);
    }
    let adjust = |mut s: f32, i: usize| {
        if i == p {
            s += 0.05;
        }
        if taken[i] {
            s -= 0.3;
        }
        s
    };
    // The best adjusted score, the lowest index among equals. A score is at
    // most 1, so a row whose bound cannot beat the best so far is skipped:
    // trying the expected row first, then the free ones, usually leaves one
    // row to score instead of every row of the schema. The free rows after
    // the expected one share one bound, the taken ones a lower one, and the
    // best only rises, so once a row is skipped every row after it is too.
    let order = (p < n)
        .then_some(p)
        .into_iter()
        .chain((0..n).filter(|&i| i != p && !taken[i]))
        .chain((0..n).filter(|&i| i != p && taken[i]));
    let mut best: Option<(f32, usize)> = None;
    for i in order {
        if let Some((b, bi)) = best {
            let bound = adjust(1.0, i);
            if bound < b || (bound == b && i > bi) {
                break;
            }
        }
        let s = adjust(row_score(canon, cands, i), i);
        if best.is_none_or(|(b, bi)| s > b || (s == b && i < bi)) {
            best = Some((s, i));
        }
    }
    settle(canon, cands, p, taken, best)
}

/// The row of the best adjusted score `best` if it is good enough; else, for
/// masked or missing labels, the position `p`, if the ordinal (the part
/// masking leaves) agrees.
fn settle(canon: &Canon, cands: &[Prepared], p: usize, taken: &[bool], best: Option<(f32, usize)>) -> Option<usize> {
    if let Some((s, i)) = best {
        if s >= 0.55 {
            return Some(i);
        }
    }
    if p < canon.rows.len() && !taken[p] {
        let informative = cands.iter().any(Prepared::informative);
        let ord_ok = cands.iter().all(|c| c.ordinal.is_none() || c.ordinal == canon.rows[p].ordinal);
        if !informative && ord_ok {
            return Some(p);
        }
    }
    None
}

fn is_header_label(canon: &Canon, norm: &str) -> bool {
    // Headers are a few words: a byte search, started at each byte equal to
    // the first, costs less than preparing a substring searcher per header.
    let several = norm.chars().nth(1).is_some();
    let n = norm.as_bytes();
    canon.headers.iter().any(|h| {
        let h = h.as_bytes();
        h == n
            || (several
                && n.len() <= h.len()
                && (0..=h.len() - n.len()).any(|i| h[i] == n[0] && &h[i..i + n.len()] == n))
    })
}

fn align(
    spec: &'static TableSpec,
    canon: &'static Canon,
    all: &[Field],
    raw: &[RawRow],
) -> (Vec<Row>, Vec<Option<usize>>) {
    let width = spec.width();
    let mut rows = Vec::with_capacity(raw.len());
    let mut by_spec = vec![None; spec.rows.len()];
    let mut taken = vec![false; spec.rows.len()];
    let mut p = 0;
    // One buffer for every row's label fields.
    let mut labels: Vec<&Field> = Vec::new();
    for r in raw {
        let fields = &all[r.start..r.end];
        let last_label = fields.iter().rposition(|f| f.kind == FieldKind::Label);
        let values: &[Field] = match last_label {
            Some(l) => &fields[l + 1..],
            None => fields,
        };
        labels.clear();
        if let Some(l) = last_label {
            labels.extend(fields[..=l].iter().filter(|f| f.kind == FieldKind::Label));
        }
        let jumbled = last_label.is_some_and(|l| fields[..l].iter().any(|f| f.kind == FieldKind::Value));
        let range = fields
            .iter()
            .filter(|f| f.kind != FieldKind::Empty)
            .map(|f| f.range)
            .reduce(TextRange::cover)
            .unwrap_or(fields[0].range);
        let first_line = fields.first().map_or(0, |f| f.line as usize);
        let last_line = fields.last().map_or(0, |f| f.line as usize);
        // Counted first: collected from a filter, table 三's seven values
        // would outgrow the first allocation.
        let n_values = fields.iter().filter(|f| f.kind == FieldKind::Value).count();
        let mut raw_values = Vec::with_capacity(n_values);
        raw_values.extend(fields.iter().filter(|f| f.kind == FieldKind::Value).map(|f| f.range));
        // Candidates are prepared only when asked for: a row whose own label
        // is spelled as the free expected row's is matched to it whatever
        // else the candidates hold (that row scores 1 and the bonus for the
        // expected row puts it above every other).
        let cands = OnceCell::new();
        let cands = || {
            cands.get_or_init(|| label_candidates(&labels, spec.rows.get(p).map(|r| r.label).zip(canon.rows.get(p))))
        };
        let expected_label =
            p < spec.rows.len() && !taken[p] && labels.last().is_some_and(|l| l.text == spec.rows[p].label);

        let end = values.iter().rposition(|f| f.kind != FieldKind::Empty).map_or(0, |i| i + 1);
        let f1 = &values[..end];
        let start = f1.iter().position(|f| f.kind != FieldKind::Empty).unwrap_or(f1.len());
        let f2 = &f1[start..];
        let nonempty: Vec<Field>;
        let cells_fields: Option<&[Field]> = if f2.len() == width && !f2.is_empty() {
            Some(f2)
        } else if f1.len() == width && !f1.is_empty() {
            Some(f1)
        } else if !f2.is_empty() && f2.len() == f1.len() && f1.len() < width && values.len() >= width && r.line_row {
            // Blank cells at the end of a row, before the padding: the row has
            // room for every value, so the blanks are empty value cells.
            Some(&values[..width])
        } else if !f2.is_empty() && f2.iter().filter(|f| f.kind != FieldKind::Empty).count() == width {
            // HTML grids keep colspan artefacts as empty fields between values.
            nonempty = f2.iter().filter(|f| f.kind != FieldKind::Empty).cloned().collect();
            Some(&nonempty[..])
        } else if f2.is_empty()
            && values.len() >= width
            && r.line_row
            && !cands().iter().any(|c| is_header_label(canon, &c.norm) || t2_caption(&c.norm).is_some())
            && (0..spec.rows.len()).any(|i| row_score(canon, cands(), i) >= 0.8)
        {
            // A data row whose every value is blank.
            Some(&values[..width])
        } else {
            None
        };

        if n_values == 0 && cells_fields.is_none() {
            // Captions, headers, group labels; a data label with no values at
            // all is still recorded so a missing-row check does not fire.
            // The last label, alone, is always a candidate, and nearly every
            // header is told by it: the others are prepared only when not.
            let header = labels.last().is_some_and(|l| {
                let norm = normalize::label(&l.text);
                !norm.is_empty() && is_header_label(canon, &norm)
            });
            let spec_i = if header {
                None
            } else {
                let cands = cands();
                if cands.iter().any(|c| is_header_label(canon, &c.norm)) || cands.is_empty() {
                    None
                } else {
                    match_spec(canon, cands, p, &taken).filter(|&i| row_score(canon, cands, i) >= 0.8)
                }
            };
            rows.push(Row {
                range,
                first_line,
                last_line,
                label: labels.last().map(|f| f.range),
                spec: None,
                cells: Vec::new(),
                raw_values,
                shape: Shape::Header,
            });
            if let Some(i) = spec_i {
                // A data row written without any value cell.
                let row = rows.last_mut().expect("pushed");
                row.shape = Shape::Malformed { found: 0 };
                row.spec = Some(i);
                taken[i] = true;
                by_spec[i].get_or_insert(rows.len() - 1);
                p = i + 1;
            }
            continue;
        }

        let spec_i = if expected_label { Some(p) } else { match_spec(canon, cands(), p, &taken) };
        let (cells, shape) = match cells_fields {
            Some(fs) if !jumbled => (
                fs.iter()
                    .map(|f| {
                        let value = if f.kind == FieldKind::Empty { Value::Empty } else { f.value.clone() };
                        Cell { range: f.range, value, unit: f.unit.map(str::to_string) }
                    })
                    .collect(),
                Shape::Ok,
            ),
            _ => (Vec::new(), Shape::Malformed { found: f2.iter().filter(|f| f.kind != FieldKind::Empty).count() }),
        };
        if let Some(i) = spec_i {
            taken[i] = true;
            by_spec[i].get_or_insert(rows.len());
            p = i + 1;
        }
        rows.push(Row {
            range,
            first_line,
            last_line,
            label: labels.last().map(|f| f.range),
            spec: spec_i,
            cells,
            raw_values,
            shape,
        });
    }
    (rows, by_spec)
}

/// The first non-empty field of a line, normalised. The separators are
/// ASCII: the line is split at its bytes, not decoded character by character.
fn first_field(s: &str) -> String {
    let mut start = 0;
    let first = loop {
        let end = find_separator(&s.as_bytes()[start..]).map_or(s.len(), |k| start + k);
        let field = s[start..end].trim();
        if !field.is_empty() || end == s.len() {
            break field;
        }
        start = end + 1;
    };
    normalize::label(first)
}

/// Where the first tab or pipe is.
fn find_separator(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\t' || c == b'|')
}

/// The first of lines `a..=b` that contains `marker` once normalised. Only
/// the lines holding the marker's last character are normalised (see
/// [`may_hold`]), found by one search of the region's text.
fn first_line_naming(text: &str, report: &Report, a: usize, b: usize, marker: &str) -> Option<usize> {
    let Some(end) = marker.chars().next_back().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)) else {
        return (a..=b).find(|&l| normalize::label(report.lines[l].range.slice(text)).contains(marker));
    };
    let lines = &report.lines[a..=b];
    let mut from = lines[0].range.start;
    while let Some(k) = text[from..lines[lines.len() - 1].range.end].find(end) {
        let l = lines.partition_point(|line| line.next <= from + k);
        if normalize::label(lines[l].range.slice(text)).contains(marker) {
            return Some(a + l);
        }
        from = lines[l].range.end;
    }
    None
}

/// Whether `norm_line`, the line normalised, could contain `marker`, a
/// normalised word ending with an ideograph: normalising folds and drops
/// characters but makes no ideograph, so the line holds that one already.
/// Lines of tables are normalised only when they pass.
fn may_hold(line: &str, marker: &str) -> bool {
    marker.chars().next_back().is_none_or(|c| !('\u{4E00}'..='\u{9FFF}').contains(&c) || line.contains(c))
}

/// Whether a line's first field could name a table start once normalised:
/// a caption 第二十条…, 「（本列数据…」, 「申请人情况」 or 「行政复议」. Normalising
/// only drops characters (spaces, Markdown marks, bookmarks) and folds
/// full-width ones, so the first four characters it keeps must begin one of
/// these: nearly every line is rejected by its first characters.
#[inline]
fn may_name_start(s: &str) -> bool {
    // Settled by the first byte after the ASCII characters normalising drops
    // (a table's lines start with a tab or a pipe) for nearly every line: an
    // ideograph (lead bytes E4–E9) or another ASCII character is the first
    // character kept.
    let dropped = |b: u8| matches!(b, b'\t'..=b'\r' | b' ' | b'|' | b'#' | b'_' | b'*');
    let at = s.bytes().position(|b| !dropped(b)).unwrap_or(s.len());
    let rest = &s[at..];
    // Ideographs (lead bytes E4–E9) are neither dropped nor folded: when the
    // three characters after the first are, the four kept first are the
    // text's own.
    let ideographs_at = |at: [usize; 3]| at.iter().all(|&k| matches!(rest.as_bytes().get(k), Some(0xE4..=0xE9)));
    match rest.as_bytes().first() {
        None => false,
        Some(0xE4..=0xE9) if !["第", "申", "行"].iter().any(|p| rest.starts_with(p)) => false,
        Some(0xE4..=0xE9) if ideographs_at([3, 6, 9]) => {
            ["第二十条", "申请人情", "行政复议"].iter().any(|p| rest.starts_with(p))
        }
        Some(b'(') if ideographs_at([1, 4, 7]) => rest.starts_with("(本列数"),
        Some(&b) if b.is_ascii() && !matches!(b, b'[' | b'(') => false,
        _ => may_name_start_by_chars(rest),
    }
}

/// [`may_name_start`] read character by character. Kept out of line: the
/// few lines that need it do not make every line's call save its registers.
#[inline(never)]
fn may_name_start_by_chars(s: &str) -> bool {
    let mut kept = s
        .chars()
        .map(normalize::fold_char)
        .filter(|&c| !(matches!(c, '\t' | '|' | '#' | '_' | '*' | '\u{200B}' | '\u{FEFF}') || c.is_whitespace()));
    let mut head = ['\0'; 4];
    for (k, h) in head.iter_mut().enumerate() {
        match kept.next() {
            // A bookmark may hide anything: look closer.
            Some('[') => return true,
            // Settled by the first character for nearly every line.
            Some(c) if k == 0 && !matches!(c, '第' | '(' | '申' | '行') => return false,
            Some(c) => *h = c,
            None => break,
        }
    }
    [['第', '二', '十', '条'], ['(', '本', '列', '数'], ['申', '请', '人', '情'], ['行', '政', '复', '议']]
        .contains(&head)
}

/// 「第二十条第（一）项」 → T2a … (`^第二十条第\(([一二三四五六七八九十]+)\)项`,
/// read without a regex: every table row label is asked).
pub(super) fn t2_caption(norm: &str) -> Option<TableId> {
    let rest = norm.strip_prefix("第二十条第(")?;
    let item_len: usize = rest.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).map(char::len_utf8).sum();
    if item_len == 0 || !rest[item_len..].starts_with(")项") {
        return None;
    }
    Some(match &rest[..item_len] {
        "一" => TableId::T2a,
        "五" => TableId::T2b,
        "六" => TableId::T2c,
        "八" => TableId::T2d,
        "九" => TableId::T2e,
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Start {
    T2(TableId),
    T3,
    T4,
}

fn table_start(text: &str, report: &Report, i: usize) -> Option<Start> {
    let s = report.lines[i].range.slice(text);
    if !may_name_start(s) {
        return None;
    }
    let f = first_field(s);
    if let Some(id) = t2_caption(&f) {
        return Some(Start::T2(id));
    }
    if f.starts_with("(本列数据") || f == "申请人情况" {
        return Some(Start::T3);
    }
    if f == "行政复议" {
        // The header, not a sentence: 行政诉讼 follows within a few lines.
        let near = (i..report.lines.len().min(i + 6)).any(|j| mentions_litigation(report.lines[j].range.slice(text)));
        if near {
            return Some(Start::T4);
        }
    }
    None
}

/// Prose-like: no separator and a sentence (long, or ends like one).
pub(super) fn prose_like(s: &str) -> bool {
    let t = s.trim();
    !s.contains('\t') && !s.contains('|') && (t.chars().count() > 60 || t.ends_with('。'))
}

pub(super) fn find_tables(text: &str, report: &mut Report) {
    // 1. Region starts, then regions up to the next heading or start.
    let n = report.lines.len();
    let mut starts: Vec<(usize, Start)> = Vec::new();
    for i in 0..n {
        if !matches!(report.kinds[i], LineKind::Prose) {
            continue;
        }
        if let Some(st) = table_start(text, report, i) {
            // The note and 申请人情况 both start table 三: one table.
            if starts.last().is_some_and(|l| l.1 == st) {
                continue;
            }
            starts.push((i, st));
        }
    }
    // Section 三 without its header: the first row label starts the table.
    if !starts.iter().any(|s| s.1 == Start::T3) {
        if let Some(sec) = report.section(3) {
            for i in sec.body.clone() {
                if first_field(report.lines[i].range.slice(text)).contains("本年新收") {
                    starts.push((i, Start::T3));
                    starts.sort_by_key(|s| s.0);
                    break;
                }
            }
        }
    }
    let heading_lines: Vec<usize> = report.sections.iter().map(|s| s.line).collect();
    let mut regions: Vec<(usize, usize, Start)> = Vec::new();
    for (k, &(i, st)) in starts.iter().enumerate() {
        let next_start = starts.get(k + 1).map_or(n, |s| s.0);
        let next_heading = heading_lines.iter().copied().filter(|&h| h > i).min().unwrap_or(n);
        let mut end = next_start.min(next_heading);
        // Trailing prose and blank lines are not part of the table.
        while end > i + 1 {
            let s = report.lines[end - 1].range.slice(text);
            if s.trim().is_empty() || prose_like(s) {
                end -= 1;
            } else {
                break;
            }
        }
        regions.push((i, end - 1, st));
    }

    // 2. Which format the tables' own labels show.
    let mut markers: Option<(FormatId, TextRange)> = None;
    'outer: for &(a, b, st) in &regions {
        if !matches!(st, Start::T2(_)) {
            continue;
        }
        for l in a..=b {
            let line = report.lines[l].range.slice(text);
            if !line.contains(t2_marker_ends()) {
                continue;
            }
            let norm = normalize::label(line);
            for (schema, marks) in [&FORMAT_2021, &FORMAT_2019].into_iter().zip(t2_markers()) {
                if marks.iter().any(|m| norm.contains(m.as_str())) {
                    markers = Some((schema.id, report.lines[l].range));
                    break 'outer;
                }
            }
        }
    }
    if markers.is_none() {
        for &(a, b, st) in &regions {
            if st != Start::T3 {
                continue;
            }
            if let Some(l) = first_line_naming(text, report, a, b, "缴纳费用") {
                markers = Some((FormatId::F2021, report.lines[l].range));
            }
        }
    }
    report.table_format = markers.map(|m| m.0);
    report.table_format_at = markers.map(|m| m.1);
    let format = report.format().unwrap_or(FormatId::F2021);

    // 3. Tokenise and align each region.
    for (a, b, st) in regions {
        let id = match st {
            Start::T2(id) => id,
            Start::T3 => TableId::T3,
            Start::T4 => TableId::T4,
        };
        let Some(table) = build_table(text, report, a, b, id, format) else { continue };
        let idx = report.tables.len();
        for l in a..=b {
            if report.kinds[l] != LineKind::Blank {
                report.kinds[l] = LineKind::Table(idx);
            }
        }
        report.tables.push(table);
    }
    // Flattened web text: sections found mid-line, their tables glued into it.
    if report.tables.is_empty() && report.sections.iter().any(|s| s.inline) {
        super::flattened::find_tables(text, report);
    }
}

/// Tokenises and aligns lines `a..=b` as table `id` of `format`; `None` when
/// the format has no such table (2021 has no T2e). Depends on nothing outside
/// the region, so an edit inside a table can rebuild that table alone.
pub(super) fn build_table(
    text: &str,
    report: &Report,
    a: usize,
    b: usize,
    id: TableId,
    format: FormatId,
) -> Option<Table> {
    let spec = format.schema().table(id)?;
    let canon = canon(format, id)?;
    let (fields, toks, layout) = tokenize(text, report, a, b);
    let (fields, raw) = group_rows(fields, &toks);
    let (rows, by_spec) = align(spec, canon, &fields, &raw);
    let range = TextRange::new(report.lines[a].range.start, report.lines[b].range.end);
    Some(Table { id, format, range, first_line: a, last_line: b, layout, rows, by_spec })
}

/// Whether `find_tables` could read this line as a table start, either
/// directly or as section 三's first row label when the header is missing.
/// 「行政复议」 counts whatever follows it.
pub(super) fn may_start_table(s: &str) -> bool {
    // Most lines are settled by their first characters (`may_name_start`)
    // or by having no 收 at all, without normalising a whole paragraph.
    let named = may_name_start(s) && {
        let f = first_field(s);
        t2_caption(&f).is_some() || f.starts_with("(本列数据") || f == "申请人情况" || f == "行政复议"
    };
    named || (s.contains('收') && first_field(s).contains("本年新收"))
}

/// Whether the line starts with 「行政复议」: a T4 header if 「行政诉讼」
/// follows within five lines.
pub(super) fn starts_review(s: &str) -> bool {
    may_name_start(s) && first_field(s) == "行政复议"
}

pub(super) fn mentions_litigation(s: &str) -> bool {
    may_hold(s, "行政诉讼") && normalize::label(s).contains("行政诉讼")
}

/// Whether the line holds text the table-format detection looks for.
pub(super) fn names_format(s: &str) -> bool {
    if !may_hold(s, "缴纳费用") && !s.contains(t2_marker_ends()) {
        return false;
    }
    let norm = normalize::label(s);
    norm.contains("缴纳费用") || t2_markers().iter().flatten().any(|m| norm.contains(m.as_str()))
}

/// The last characters of the table 二 markers, ideographs all: a line holds
/// one of them to hold a marker once normalised (see [`may_hold`]).
fn t2_marker_ends() -> &'static [char] {
    static ENDS: OnceLock<Vec<char>> = OnceLock::new();
    ENDS.get_or_init(|| {
        let mut ends: Vec<char> = t2_markers().iter().flatten().filter_map(|m| m.chars().next_back()).collect();
        ends.sort_unstable();
        ends.dedup();
        ends
    })
}

/// The 2021 and the 2019 format's table 二 markers, normalised once.
fn t2_markers() -> &'static [Vec<String>; 2] {
    static MARKERS: OnceLock<[Vec<String>; 2]> = OnceLock::new();
    MARKERS.get_or_init(|| {
        [&FORMAT_2021, &FORMAT_2019].map(|f| f.t2_markers.iter().map(|m| normalize::label(m)).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random cell texts over the characters cells hold.
    fn cells() -> Vec<String> {
        let parts: Vec<&str> =
            "0|1|12|123|1234|,|.|-|+| |\u{3000}|\u{a0}|元|万元|件|１|，|．|x|无|\t|99999999999999999999|信息|٣|〇|“"
                .split('|')
                .collect();
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        (0..20000).map(|_| (0..next() % 7).map(|_| parts[(next() % parts.len() as u64) as usize]).collect()).collect()
    }

    /// Deterministic pseudo-random lines over the words tables start with
    /// and the markers of their format.
    fn start_lines() -> Vec<String> {
        let parts = [
            "\t",
            "|",
            "  ",
            "\u{3000}",
            "第二十条第（一）项",
            "第二十条第(九)项",
            "（九）",
            "行政复议",
            "申请人情况",
            "𠮷",
            "\r\n",
            "\r",
            "１",
            "[bookmark: x]",
            "[bookmark: ",
            "]",
            "缴纳",
            "费用",
            "本年制发件数",
            "本年收费金额",
            "行政诉讼",
            "诉讼",
            "数",
            "量",
            "额",
            "项",
            "a",
            "_",
            "#",
            "*",
            "（本列数据",
        ];
        let mut next = crate::text::xorshift(0x1f83_d9ab_fb41_bd6bu64);
        (0..20000).map(|_| (0..next() % 8).map(|_| parts[(next() % parts.len() as u64) as usize]).collect()).collect()
    }

    /// [`first_field`] as first written: split at characters.
    fn first_field_by_chars(s: &str) -> String {
        let first = s.split(['\t', '|']).map(str::trim).find(|f| !f.is_empty()).unwrap_or("");
        normalize::label(first)
    }

    #[test]
    fn first_fields_split_at_bytes_are_those_split_at_characters() {
        for s in start_lines() {
            assert_eq!(first_field(&s), first_field_by_chars(&s), "{s:?}");
        }
    }

    #[test]
    fn table_two_markers_end_with_ideographs() {
        for m in t2_markers().iter().flatten() {
            assert!(m.chars().next_back().is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{m}");
            assert!(t2_marker_ends().contains(&m.chars().next_back().expect("a character")));
        }
    }

    #[test]
    fn lines_passed_over_by_may_hold_hold_no_marker() {
        let markers: Vec<&str> =
            t2_markers().iter().flatten().map(String::as_str).chain(["缴纳费用", "行政诉讼"]).collect();
        let mut held = 0;
        for s in start_lines() {
            let norm = normalize::label(&s);
            for m in &markers {
                let holds = norm.contains(m);
                assert_eq!(may_hold(&s, m) && holds, holds, "{s:?} {m}");
                held += usize::from(holds);
            }
            assert_eq!(
                names_format(&s),
                norm.contains("缴纳费用") || markers[..markers.len() - 2].iter().any(|m| norm.contains(m))
            );
        }
        assert!(held > 500, "{held}");
    }

    #[test]
    fn lines_found_by_searching_the_region_are_the_first_naming_the_marker() {
        let lines = start_lines();
        let mut next = crate::text::xorshift(0x5be0_cd19_137e_2179u64);
        let mut found = 0;
        for chunk in lines.chunks(12) {
            let text: String =
                chunk.iter().map(|l| format!("{l}{}", ["\n", "\r\n", "\r"][(next() % 3) as usize])).collect();
            let report = super::super::parse(&text);
            let n = report.lines.len();
            let a = (next() % n as u64) as usize;
            let b = a + (next() % (n - a) as u64) as usize;
            for marker in ["缴纳费用", "行政诉讼", "本年制发件数", "(九)", "九)项"] {
                let by_lines = (a..=b).find(|&l| normalize::label(report.lines[l].range.slice(&text)).contains(marker));
                assert_eq!(first_line_naming(&text, &report, a, b, marker), by_lines, "{text:?} {a} {b} {marker}");
                found += usize::from(by_lines.is_some());
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn captions_read_by_hand_read_as_the_regex_reads_them() {
        let re = Regex::new(r"^第二十条第\(([一二三四五六七八九十]+)\)项").expect("regex");
        let ids = [
            ("一", TableId::T2a),
            ("五", TableId::T2b),
            ("六", TableId::T2c),
            ("八", TableId::T2d),
            ("九", TableId::T2e),
        ];
        let by_regex = |s: &str| re.captures(s).and_then(|c| ids.iter().find(|(n, _)| *n == &c[1]).map(|p| p.1));
        for s in [
            "第二十条第(一)项",
            "第二十条第(五)项主动公开",
            "第二十条第(十)项",
            "第二十条第()项",
            "第二十条第(一)",
            "第二十条第(一))项",
            "第二十条第(一一)项",
            "第二十条第(1)项",
            "第二十条(一)项",
            "x第二十条第(一)项",
            "第二十条第(九)项",
            "第二十条第(八项",
        ] {
            assert_eq!(t2_caption(s), by_regex(s), "{s}");
        }
    }

    /// [`label_score`] as first written: the rest's characters collected and
    /// counted, and searched for, at every comparison.
    fn label_score_reference(cand: &Prepared, canon: &Prepared) -> f32 {
        if cand.norm == canon.norm {
            return 1.0;
        }
        if cand.star && normalize::wildcard_match(&cand.norm, &canon.norm) {
            return 0.95;
        }
        let (rc, rk) = (cand.rest(), canon.rest());
        let rc_chars = rc.chars().filter(|&c| c != '*').count();
        if rc_chars == 0 {
            return 0.0;
        }
        let mut sim = normalize::similarity(rc, rk);
        if rc_chars >= 2 && rc_chars == rc.chars().count() {
            if rk.starts_with(rc) {
                sim = sim.max(0.85);
            } else if rc.starts_with(rk) && rk.chars().count() >= 2 {
                sim = sim.max(0.8);
            } else if rk.contains(rc) && rc_chars >= 4 {
                sim = sim.max(0.7);
            }
        }
        match (cand.ordinal, canon.ordinal) {
            (Some(a), Some(b)) if a != b => sim * 0.6,
            (Some(_), Some(_)) => (sim + 0.1).min(1.0),
            _ => sim,
        }
    }

    #[test]
    fn labels_scored_from_prepared_rests_score_as_first_written() {
        let mut next = crate::text::xorshift(0x4b7e_151e_2a3c_9f01u64);
        let ids = [TableId::T2a, TableId::T2b, TableId::T2c, TableId::T2d, TableId::T2e, TableId::T3, TableId::T4];
        let noise = ["", "其他", "公开", "（二）", "1.", "*", "**", "信息", "𠮷", "ａ", " ", "，"];
        let mut checked = 0;
        for format in [FormatId::F2019, FormatId::F2021] {
            for id in ids {
                let Some(canon) = canon(format, id) else { continue };
                for _ in 0..1000 {
                    let row = &canon.rows[(next() % canon.rows.len() as u64) as usize];
                    let chars: Vec<char> = row.norm.chars().collect();
                    let a = (next() % (chars.len() as u64 + 1)) as usize;
                    let b = a + (next() % (chars.len() - a + 1) as u64) as usize;
                    let pick = |next: &mut dyn FnMut() -> u64| noise[(next() % noise.len() as u64) as usize];
                    let text =
                        format!("{}{}{}", pick(&mut next), chars[a..b].iter().collect::<String>(), pick(&mut next));
                    let cand = Prepared::new(normalize::label(&text));
                    for row in &canon.rows {
                        let (new, old) = (label_score(&cand, row), label_score_reference(&cand, row));
                        assert_eq!(new.to_bits(), old.to_bits(), "{:?} {:?}", cand.norm, row.norm);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50_000, "checked {checked}");
    }

    /// [`match_spec`]'s first choice as the best adjusted score of every row,
    /// without skipping any; the fallback to the position is the same.
    fn match_spec_scoring_every_row(canon: &Canon, cands: &[Prepared], p: usize, taken: &[bool]) -> Option<usize> {
        let n = canon.rows.len();
        if n == 1 {
            return Some(0);
        }
        let mut best: Option<(f32, usize)> = None;
        for (i, &taken) in taken.iter().enumerate() {
            let mut s = row_score(canon, cands, i);
            if i == p {
                s += 0.05;
            }
            if taken {
                s -= 0.3;
            }
            if best.is_none_or(|(b, bi)| s > b || (s == b && i < bi)) {
                best = Some((s, i));
            }
        }
        settle(canon, cands, p, taken, best)
    }

    /// One to three candidates, each a schema label (`labels`), part of one,
    /// one masked, given another ordinal, or another word.
    fn candidates_like(labels: &[&str], next: &mut dyn FnMut() -> u64) -> Vec<Prepared> {
        let n = labels.len();
        let cand = |next: &mut dyn FnMut() -> u64| -> String {
            let l = labels[(next() % n as u64) as usize];
            let chars: Vec<char> = l.chars().collect();
            let cut = (next() % (chars.len() as u64 + 1)) as usize;
            match next() % 6 {
                0 => l.to_string(),
                1 => chars[..cut].iter().collect(),
                2 => chars[cut..].iter().collect(),
                3 => chars.iter().enumerate().map(|(k, &c)| if k >= cut && k < cut + 2 { '*' } else { c }).collect(),
                4 => format!("(一){}", chars[cut..].iter().collect::<String>()),
                _ => "其他".to_string(),
            }
        };
        (0..next() % 3 + 1).map(|_| Prepared::new(normalize::label(&cand(next)))).collect()
    }

    /// [`row_score`] as first written: the candidates scored in order until
    /// one scores 1.
    fn row_score_in_order(canon: &Canon, cands: &[Prepared], i: usize) -> f32 {
        let mut best = 0.0f32;
        for cand in cands {
            best = best.max(label_score(cand, &canon.rows[i]));
            if best >= 1.0 {
                break;
            }
        }
        best
    }

    #[test]
    fn exact_matches_looked_for_first_score_as_candidates_in_order() {
        let mut next = crate::text::xorshift(0x510e_527f_ade6_82d1u64);
        let ids = [TableId::T2a, TableId::T2b, TableId::T2c, TableId::T2d, TableId::T2e, TableId::T3, TableId::T4];
        let (mut checked, mut exact_later) = (0, 0);
        for format in [FormatId::F2019, FormatId::F2021] {
            for id in ids {
                let Some(canon) = canon(format, id) else { continue };
                let labels: Vec<&str> = canon.rows.iter().map(|r| r.norm.as_str()).collect();
                for _ in 0..1000 {
                    let cands = candidates_like(&labels, &mut next);
                    for i in 0..labels.len() {
                        let score = row_score(canon, &cands, i);
                        assert_eq!(score.to_bits(), row_score_in_order(canon, &cands, i).to_bits(), "{cands:?} {i}");
                        exact_later += usize::from(score == 1.0 && cands[0].norm != canon.rows[i].norm);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50_000 && exact_later > 1000, "{checked} {exact_later}");
    }

    #[test]
    fn a_label_normalised_to_the_expected_one_prepares_as_the_schema_did() {
        let spec = &FORMAT_2021.t3;
        let canon = canon(FormatId::F2021, TableId::T3).expect("table 三");
        let mut canonical = 0;
        for (row, prepared) in spec.rows.iter().zip(&canon.rows) {
            let spaced: String = row.label.chars().flat_map(|c| [c, ' ']).collect();
            let wide: String = row.label.replace('.', "．").replace("1", "１");
            for text in [row.label.to_string(), spaced, wide, format!("  {}\t", row.label), "其他".to_string()] {
                let f = field(&text, TextRange::new(0, text.len()), 0);
                let cands = label_candidates(&[&f], Some((row.label, prepared)));
                let own = Prepared::new(normalize::label(&f.text));
                if let Candidates::Canonical(c) = cands {
                    canonical += 1;
                    assert_eq!(c.norm, own.norm);
                }
                let [cand] = &cands[..] else { panic!("{text:?}") };
                assert_eq!(
                    (&cand.norm, cand.star, cand.ordinal, cand.rest()),
                    (&own.norm, own.star, own.ordinal, own.rest()),
                    "{text:?}"
                );
            }
        }
        assert!(canonical > 3 * spec.rows.len(), "{canonical}");
    }

    #[test]
    fn rows_skipped_by_their_bound_change_no_match() {
        let mut next = crate::text::xorshift(0x3c6e_f372_fe94_f82bu64);
        let ids = [TableId::T2a, TableId::T2b, TableId::T2c, TableId::T2d, TableId::T2e, TableId::T3, TableId::T4];
        let mut checked = 0;
        for format in [FormatId::F2019, FormatId::F2021] {
            for id in ids {
                let Some(canon) = canon(format, id) else { continue };
                let labels: Vec<&str> = canon.rows.iter().map(|r| r.norm.as_str()).collect();
                let n = labels.len();
                for _ in 0..3000 {
                    let cands = candidates_like(&labels, &mut next);
                    let p = (next() % (n as u64 + 1)) as usize;
                    let taken: Vec<bool> = (0..n).map(|_| next().is_multiple_of(3)).collect();
                    assert_eq!(
                        match_spec(canon, &cands, p, &taken),
                        match_spec_scoring_every_row(canon, &cands, p, &taken),
                        "{format:?} {id:?} {cands:?} p={p} {taken:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 30000);
    }

    #[test]
    fn a_label_spelled_as_the_free_expected_row_is_matched_to_it_whatever_precedes_it() {
        let mut next = crate::text::xorshift(0x6a09_e667_bb67_ae85u64);
        let ids = [TableId::T2a, TableId::T2b, TableId::T2c, TableId::T2d, TableId::T2e, TableId::T3, TableId::T4];
        let others: Vec<&str> =
            FORMAT_2021.t3.rows.iter().map(|r| r.label).chain(["其他", "（三）不予公开", "总计"]).collect();
        let mut checked = 0;
        for format in [FormatId::F2019, FormatId::F2021] {
            for id in ids {
                let (Some(spec), Some(canon)) = (format.schema().table(id), canon(format, id)) else { continue };
                let n = spec.rows.len();
                for _ in 0..500 {
                    let p = (next() % n as u64) as usize;
                    let taken: Vec<bool> = (0..n).map(|i| i != p && next().is_multiple_of(2)).collect();
                    let before = (0..next() % 3).map(|_| others[(next() % others.len() as u64) as usize]);
                    let text = before.chain([spec.rows[p].label]).collect::<Vec<_>>().join("\n");
                    let mut at = 0;
                    let fields: Vec<Field> = text
                        .split('\n')
                        .map(|l| {
                            at += l.len() + 1;
                            field(&text, TextRange::new(at - l.len() - 1, at - 1), 0)
                        })
                        .collect();
                    let labels: Vec<&Field> = fields.iter().filter(|f| f.kind == FieldKind::Label).collect();
                    if labels.last().is_none_or(|l| l.text != spec.rows[p].label) {
                        continue;
                    }
                    let cands = label_candidates(&labels, Some((spec.rows[p].label, &canon.rows[p])));
                    assert_eq!(match_spec(canon, &cands, p, &taken), Some(p), "{text:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 4000, "checked {checked}");
    }

    /// The tokeniser and row grouping before fields were kept in one vector:
    /// each field was moved into a token, then into a row.
    mod moved_fields {
        use super::super::*;

        enum Tok<'a> {
            Field(Field<'a>),
            LineRow(Vec<Field<'a>>),
            Break,
        }

        fn split_fields(text: &str, line: TextRange, sep: u8, i: usize) -> Vec<Field<'_>> {
            let s = line.slice(text);
            let mut fields = Vec::new();
            let mut start = 0;
            for (at, _) in s.bytes().enumerate().filter(|&(_, b)| b == sep) {
                fields.push(field(text, TextRange::new(line.start + start, line.start + at), i));
                start = at + 1;
            }
            fields.push(field(text, TextRange::new(line.start + start, line.end), i));
            fields
        }

        fn tokenize<'a>(text: &'a str, report: &Report, first: usize, last: usize) -> (Vec<Tok<'a>>, Layout) {
            let mut toks = Vec::new();
            let mut counts = [0usize; 5];
            let mut prev_cell = false;
            for i in first..=last {
                let line = report.lines[i].range;
                let s = line.slice(text);
                if report.kinds[i] == LineKind::Blank {
                    toks.push(Tok::Break);
                    prev_cell = false;
                    continue;
                }
                if s.contains('|') {
                    if is_md_separator(s) {
                        counts[4] += 1;
                        continue;
                    }
                    let mut fields = split_fields(text, line, b'|', i);
                    if s.trim_start().starts_with('|') {
                        fields.remove(0);
                        counts[4] += 1;
                    } else {
                        counts[3] += 1;
                    }
                    if fields.len() > 1 && fields.last().is_some_and(|f| f.text.is_empty()) {
                        fields.pop();
                    }
                    toks.push(Tok::LineRow(fields));
                    prev_cell = false;
                    continue;
                }
                let tabs = s.matches('\t').count();
                let first_tab = s.find('\t').unwrap_or(s.len());
                let lone_leading = tabs == 1 && s[..first_tab].chars().all(|c| c == ' ' || c == '\u{3000}');
                if tabs > 0 && !lone_leading {
                    counts[2] += 1;
                    toks.push(Tok::LineRow(split_fields(text, line, b'\t', i)));
                    prev_cell = false;
                    continue;
                }
                if lone_leading {
                    counts[0] += 1;
                    let seg = TextRange::new(line.start + first_tab + 1, line.end);
                    let mut f = field(text, seg, i);
                    if f.text.is_empty() {
                        f.range = TextRange::empty(seg.start);
                    }
                    toks.push(Tok::Field(f));
                    prev_cell = true;
                    continue;
                }
                if prev_cell {
                    if let Some(Tok::Field(f)) = toks.last_mut() {
                        if f.kind != FieldKind::Value {
                            let extra = field(text, line, i);
                            f.text.to_mut().push_str(&extra.text);
                            f.range = f.range.cover(extra.range);
                            f.reread();
                            continue;
                        }
                    }
                }
                counts[1] += 1;
                toks.push(Tok::Field(field(text, line, i)));
            }
            let layout = [Layout::CellPerLine, Layout::PlainLines, Layout::TabRows, Layout::PipeRows, Layout::Markdown]
                [counts.iter().enumerate().max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i))).map_or(0, |(i, _)| i)];
            (toks, layout)
        }

        /// Each row's fields and whether it is a line row.
        pub(super) fn rows<'a>(
            text: &'a str,
            report: &Report,
            first: usize,
            last: usize,
        ) -> (Vec<(Vec<Field<'a>>, bool)>, Layout) {
            let (toks, layout) = tokenize(text, report, first, last);
            let mut rows: Vec<(Vec<Field>, bool)> = Vec::new();
            let mut cur: Vec<Field> = Vec::new();
            for t in toks {
                match t {
                    Tok::Break => {
                        if !cur.is_empty() {
                            rows.push((std::mem::take(&mut cur), false));
                        }
                    }
                    Tok::LineRow(fields) => {
                        if !cur.is_empty() {
                            rows.push((std::mem::take(&mut cur), false));
                        }
                        rows.push((fields, true));
                    }
                    Tok::Field(f) => {
                        if f.kind == FieldKind::Label && cur.iter().any(|g| g.kind == FieldKind::Value) {
                            rows.push((std::mem::take(&mut cur), false));
                        }
                        cur.push(f);
                    }
                }
            }
            if !cur.is_empty() {
                rows.push((cur, false));
            }
            let mut merged: Vec<(Vec<Field>, bool)> = Vec::new();
            for (fields, line_row) in rows {
                let no_label = fields.iter().all(|f| f.kind != FieldKind::Label);
                let has_value = fields.iter().any(|f| f.kind == FieldKind::Value);
                if line_row && no_label && has_value {
                    if let Some(prev) = merged.last_mut() {
                        if prev.1 && !prev.0.iter().any(|f| f.kind == FieldKind::Value) {
                            prev.0.retain(|f| f.kind == FieldKind::Label);
                            prev.0.extend(fields);
                            continue;
                        }
                    }
                }
                merged.push((fields, line_row));
            }
            (merged, layout)
        }
    }

    #[test]
    fn rows_grouped_over_one_field_vector_group_as_moved_fields_did() {
        let parts = [
            "规章",
            "商业",
            "企业",
            "1.",
            "（一）",
            "0",
            "12",
            "1.5",
            "无",
            "",
            " ",
            "　",
            "\t",
            "\t",
            "|",
            "|",
            "| ",
            "|---|",
            "-",
            "x",
            "元",
        ];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        let show = |rows: Vec<(Vec<&Field>, bool)>| -> Vec<String> {
            rows.iter().map(|(fs, line_row)| format!("{line_row} {:?}", fs)).collect()
        };
        let (mut merges, mut drops) = (0, 0);
        for _ in 0..5000 {
            let lines: Vec<String> = (0..next() % 12 + 1)
                .map(|_| (0..next() % 5).map(|_| parts[(next() % parts.len() as u64) as usize]).collect())
                .collect();
            let text = lines.join("\n");
            let all = crate::report::split_lines(&text);
            let kinds = all
                .iter()
                .map(|l| if l.range.slice(&text).trim().is_empty() { LineKind::Blank } else { LineKind::Prose })
                .collect();
            let report = Report { lines: all, kinds, ..Report::default() };
            let last = report.lines.len() - 1;
            let (old, old_layout) = moved_fields::rows(&text, &report, 0, last);
            let (fields, toks, layout) = tokenize(&text, &report, 0, last);
            let (line_rows, tokenized) = (toks.iter().filter(|t| matches!(t, Tok::LineRow(_))).count(), fields.len());
            let (fields, rows) = group_rows(fields, &toks);
            merges += usize::from(rows.iter().filter(|r| r.line_row).count() < line_rows);
            drops += usize::from(fields.len() < tokenized);
            let new = rows.iter().map(|r| (fields[r.start..r.end].iter().collect(), r.line_row)).collect();
            assert_eq!(layout, old_layout, "{text:?}");
            assert_eq!(show(new), show(old.iter().map(|(fs, l)| (fs.iter().collect(), *l)).collect()), "{text:?}");
        }
        assert!(merges > 300 && drops > 100, "merges {merges}, drops {drops}");
    }

    /// The number of tabs in a line, and whether it holds a pipe, as
    /// tokenising read every line before [`line_separators`].
    fn tabs_and_pipes(s: &str) -> (usize, bool) {
        let mut tabs = 0;
        let mut pipes = 0;
        for chunk in s.as_bytes().chunks(255) {
            let (t, p) =
                chunk.iter().fold((0u8, 0u8), |(t, p), &b| (t + u8::from(b == b'\t'), p | u8::from(b == b'|')));
            tabs += usize::from(t);
            pipes |= p;
        }
        (tabs, pipes != 0)
    }

    #[test]
    fn tabs_pipes_and_separators_counted_in_byte_lanes_count_as_chars_do() {
        let parts = ["\t", "|", "规章", "0", " ", "｜", "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"];
        let mut next = crate::text::xorshift(0x9b05_688c_2b3e_6c1fu64);
        let long = [255, 256, 300, 510, 511, 1000].map(|n| "\t".repeat(n));
        let generated =
            (0..5000).map(|_| (0..next() % 80).map(|_| parts[(next() % parts.len() as u64) as usize]).collect());
        for s in long.into_iter().chain(generated) {
            let (tabs, pipes) = tabs_and_pipes(&s);
            assert_eq!((tabs, pipes), (s.matches('\t').count(), s.contains('|')), "{s:?}");
            assert_eq!(separators(&s), (tabs, s.matches('|').count()), "{s:?}");
            // What tokenising reads of a line's tabs and pipes.
            let first_tab = if tabs == 0 { s.len() } else { s.bytes().position(|b| b == b'\t').unwrap_or(s.len()) };
            assert_eq!(line_separators(&s, true), (first_tab, tabs > 1, pipes), "{s:?}");
            assert_eq!(line_separators(&s, false), (first_tab, tabs > 1, false), "{s:?}");
            for c in [b'\t', b'|', 0x80, 0xE8] {
                assert_eq!(find_byte(c, s.as_bytes()), s.bytes().position(|b| b == c), "{s:?}");
            }
        }
    }

    #[test]
    fn fields_split_at_found_separators_are_the_str_split_pieces() {
        let parts = ["\t", "|", "规章", "0", " ", "｜", "𠮷", "\r\n", "\r", "１２", "　", "\t\t\t\t\t\t\t\t\t"];
        let mut next = crate::text::xorshift(0x0a2b_3c4d_5e6f_7081u64);
        for _ in 0..3000 {
            let line: String = (0..next() % 40).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            // The line inside a text, as tokenising reads it.
            let text = format!("前\n{line}\n后");
            let range = TextRange::new("前\n".len(), "前\n".len() + line.len());
            for sep in [b'\t', b'|'] {
                let mut fields = vec![field(&text, TextRange::new(0, 3), 0)];
                let n = split_fields(&text, range, sep, 7, &mut fields);
                let mut at = range.start;
                let pieces: Vec<Field> = line
                    .split(char::from(sep))
                    .map(|piece| {
                        let f = field(&text, TextRange::new(at, at + piece.len()), 7);
                        at += piece.len() + 1;
                        f
                    })
                    .collect();
                assert_eq!(n, pieces.len(), "{line:?}");
                let read = |f: &Field| (f.range, f.text.to_string(), f.kind, f.line);
                let split: Vec<_> = fields[1..].iter().map(read).collect();
                assert_eq!(split, pieces.iter().map(read).collect::<Vec<_>>(), "{line:?}");
            }
        }
    }

    #[test]
    fn fields_read_by_the_fast_paths_read_as_in_general() {
        let labels = ["无", "空", "规章", "一、总计", "信息内容", "丁", "䶵", "〇", "无效", "空白"];
        let mut next = crate::text::xorshift(0x243f_6a88_85a3_08d3u64);
        let cells = cells();
        for s in cells.iter().map(String::as_str).chain(labels).chain([
            "0",
            "007",
            "123456789012345678",
            "1234567890123456789",
            "1.属于国家秘密",
            "（七）总计",
            "1万元",
            "1.5 元",
            "１２件",
            "x件",
            "无件",
            "件",
        ]) {
            let t = s.trim();
            assert_eq!(classify(t), classify_in_general(t), "{t:?}");
            let glued = format!("{}{t}", labels[(next() % labels.len() as u64) as usize]);
            assert_eq!(classify(&glued), classify_in_general(&glued), "{glued:?}");
            // Item labels, and values with a unit, whose ideographs follow.
            let unit = ["", "元", "万元", "件", "项", "次"][(next() % 6) as usize];
            let tail = format!("{t}{}{unit}", labels[(next() % labels.len() as u64) as usize]);
            assert_eq!(classify(&tail), classify_in_general(&tail), "{tail:?}");
            let valued = format!("{t}{unit}");
            assert_eq!(classify(&valued), classify_in_general(&valued), "{valued:?}");
        }
    }

    #[test]
    fn headers_searched_by_bytes_are_found_as_by_str_contains() {
        let by_contains = |canon: &Canon, norm: &str| {
            canon.headers.iter().any(|h| h == norm || (norm.chars().count() >= 2 && h.contains(norm)))
        };
        let mut next = crate::text::xorshift(0x1319_8a2e_0370_7344u64);
        let ids = [TableId::T2a, TableId::T2b, TableId::T2c, TableId::T2d, TableId::T2e, TableId::T3, TableId::T4];
        for format in [FormatId::F2019, FormatId::F2021] {
            for id in ids {
                let Some(canon) = canon(format, id) else { continue };
                for h in canon.headers.iter().chain(canon.rows.iter().map(|r| &r.norm)) {
                    let chars: Vec<char> = h.chars().collect();
                    for _ in 0..50 {
                        let a = (next() % (chars.len() as u64 + 1)) as usize;
                        let b = a + (next() % (chars.len() - a + 1) as u64) as usize;
                        let mut norm: String = chars[a..b].iter().collect();
                        if next().is_multiple_of(4) {
                            norm.push('计');
                        }
                        assert_eq!(is_header_label(canon, &norm), by_contains(canon, &norm), "{norm:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn table_starts_told_by_the_first_byte_as_by_characters() {
        let parts = [
            "第二十条",
            "第",
            "（本列数",
            "(本列",
            "申请人情况",
            "申",
            "行政复议",
            "行",
            "规章",
            "[bookmark: x]",
            "[",
            "#",
            "_",
            "*",
            "|",
            " ",
            "\t",
            "\n",
            "　",
            "\u{feff}",
            "\u{200b}",
            "“",
            "a",
            "1",
            "(",
            "（",
            "、",
            "é",
            "𠮷",
        ];
        let mut next = crate::text::xorshift(0x7a3d_21c4_96e5_0f1bu64);
        for _ in 0..20000 {
            let s: String = (0..next() % 6).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            assert_eq!(may_name_start(&s), may_name_start_by_chars(&s), "{s:?}");
        }
    }

    #[test]
    fn cells_trimmed_by_bytes_trim_as_str_trim_does() {
        let parts: Vec<&str> =
            "0|12|规章|　|\u{a0}|\u{85}|\u{1680}|\u{2003}|\u{2028}|\u{202f}|\u{205f}|\u{feff}|·|é|１| |\t|\r|\u{b}|x|𠮷"
                .split('|')
                .collect();
        let mut next = crate::text::xorshift(0x51f1_5eed_0bad_cafeu64);
        for _ in 0..20000 {
            let s: String = (0..next() % 6).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            assert_eq!(trim_span(&s), trim_span_by_chars(&s), "{s:?}");
        }
    }

    #[test]
    fn values_read_by_hand_read_as_the_regex_reads_them() {
        let mut fast = 0;
        for s in cells().iter().map(String::as_str).chain(["1,234", "1,234.50元", "-3", "+0", "1.", ".5", "1,2345"]) {
            if let Some(v) = parse_ascii_value(s.trim()) {
                fast += 1;
                assert_eq!(v, parse_value_regex(s), "{s:?}");
            }
            assert_eq!(read_value(s.trim()), parse_value_regex(s), "{s:?}");
        }
        assert!(fast > 10000, "the fast path read only {fast}");
    }
}

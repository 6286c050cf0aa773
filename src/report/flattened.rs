//! Flattened web tables: a whole report scraped onto a few very long lines,
//! every table row glued into its label and a run of digits
//! (「一、本年新收政府信息公开申请数量21710000218二、上年结转…」).
//!
//! Sections 二/三/四 found in the middle of such a line (`Section::inline`) are
//! cut into tables (table 二's sub-tables at their 「第二十条第（X）项」
//! captions), each table into label + run pairs, and each run is split into
//! the row's values by [`split_run`]: every digit used, no leading zeros, a
//! space always between two values, and the table's row totals (schema
//! `RowTotal` relations: table 三's 总计, table 四's three 总计) holding. A run
//! with exactly one such split becomes ordinary cells, each covering its own
//! digits, so the column rules, hover and inlay hints work on it unchanged;
//! a run with none or several makes the row [`Shape::Undecodable`], and the
//! table gets NB203 once and no sums. Table 二 has no relation, so a run
//! there decodes only when the digits themselves leave one reading (「000」,
//! or one value).
//!
//! This module runs only for inline sections (which make the incremental
//! reparse fall back to a full parse), never for a report whose headings
//! start lines. It knows nothing of diagnostics or fixes; fixes leave decoded
//! tables alone (`Table::fixable`).

use std::sync::OnceLock;

use super::normalize;
use super::table::{t2_caption, Cell, Layout, Row, Shape, Table, Value};
use super::Report;
use crate::schema::{CellType, ColumnSpec, FormatId, Relation, TableId, TableSpec, FORMAT_2019, FORMAT_2021};
use crate::text::TextRange;

/// Search steps allowed per run. Real rows take far fewer; a run that
/// needs more (dozens of digits with no reading forced) counts as ambiguous.
const BUDGET: usize = 100_000;

/// The most digits a value may have (`i64` holds 18 always).
const MAX_DIGITS: usize = 18;

/// How a run splits into a row's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Split {
    /// Exactly one split: one cell per column, each covering its characters.
    One(Vec<Cell>),
    /// No split satisfies the row's rules.
    None,
    /// Two or more do, or deciding took more than the search budget.
    Several,
}

/// One character of a run: a digit, `-` or `.`, and whether whitespace
/// separates it from the previous one (no value spans whitespace).
#[derive(Clone, Copy, Debug)]
struct Atom {
    ch: u8,
    at: usize,
    gap: bool,
}

fn atoms(text: &str, run: TextRange) -> Vec<Atom> {
    let mut out = Vec::with_capacity(run.len());
    let mut gap = false;
    for (i, c) in run.slice(text).char_indices() {
        if c.is_ascii_digit() || c == '-' || c == '.' {
            out.push(Atom { ch: c as u8, at: run.start + i, gap });
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

/// Splits the run `run` of `text` into `spec.width()` values of `spec`'s
/// column types with `spec`'s row totals holding.
pub fn split_run(text: &str, run: TextRange, spec: &TableSpec) -> Split {
    let atoms = atoms(text, run);
    let k = spec.width();
    if k == 0 || atoms.len() < k {
        return Split::None;
    }
    let mut totals: Vec<Option<&'static [usize]>> = vec![None; k];
    for rel in spec.relations {
        if let Relation::RowTotal { total, parts, .. } = rel {
            if parts.iter().all(|p| p < total) {
                totals[*total] = Some(parts);
            }
        }
    }
    let mut s = Search {
        atoms: &atoms,
        columns: spec.columns,
        totals,
        picked: vec![(0, 0, 0); k],
        cols: k,
        end: atoms.len(),
        target: None,
        cap_after: vec![usize::MAX; k + 1],
        found: 0,
        first: None,
        steps: 0,
    };
    match s.totals[k - 1] {
        // The run ends with a total: try each suffix as its value, then split
        // the rest with the target known (parts no longer than it, their sum
        // at most it).
        Some(parts) => {
            let n = atoms.len();
            for start in (n.saturating_sub(MAX_DIGITS)..n).rev() {
                if start < k - 1 {
                    break;
                }
                let Some(Value::Int(t)) = read(&atoms[start..n], CellType::Count) else { continue };
                s.cols = k - 1;
                s.end = start;
                s.target = Some((t, parts, n - start));
                s.picked[k - 1] = (start, n, t);
                s.caps();
                s.dfs(0, 0);
                if s.found >= 2 || s.steps > BUDGET {
                    break;
                }
            }
        }
        None => s.dfs(0, 0),
    }
    if s.steps > BUDGET || s.found >= 2 {
        return Split::Several;
    }
    let Some(picked) = s.first else { return Split::None };
    Split::One(
        picked
            .iter()
            .zip(spec.columns)
            .map(|(&(a, b, v), column)| Cell {
                range: TextRange::new(atoms[a].at, atoms[b - 1].at + 1),
                value: match column.ty {
                    // The search read a count already: a total it spelled
                    // (`decimal`, no leading zero) or digits it read as
                    // `read` does; only a negative total or one of more
                    // than MAX_DIGITS digits is no count.
                    CellType::Count if v >= 0 && b - a <= MAX_DIGITS => Value::Int(v),
                    ty => read(&atoms[a..b], ty).unwrap_or(Value::Bad),
                },
                unit: None,
            })
            .collect(),
    )
}

struct Search<'a> {
    atoms: &'a [Atom],
    columns: &'static [ColumnSpec],
    /// Per column: the columns it is the total of.
    totals: Vec<Option<&'static [usize]>>,
    /// Per column: the atoms it takes and its value (0 for a decimal).
    picked: Vec<(usize, usize, i64)>,
    /// Columns chosen by the search (the last total is fixed beforehand).
    cols: usize,
    /// Atoms the search splits.
    end: usize,
    /// The last column's value, the columns it sums, and its digit count.
    target: Option<(i64, &'static [usize], usize)>,
    /// The most atoms columns `c..cols` can take together.
    cap_after: Vec<usize>,
    found: usize,
    first: Option<Vec<(usize, usize, i64)>>,
    steps: usize,
}

impl Search<'_> {
    fn caps(&mut self) {
        self.cap_after[self.cols] = 0;
        for c in (0..self.cols).rev() {
            let cap = match self.target {
                Some((_, parts, digits)) if parts.contains(&c) => digits,
                _ => MAX_DIGITS + 2,
            };
            self.cap_after[c] = self.cap_after[c + 1].saturating_add(cap);
        }
    }

    fn dfs(&mut self, col: usize, pos: usize) {
        self.steps += 1;
        if self.steps > BUDGET || self.found >= 2 {
            return;
        }
        if col == self.cols {
            let holds = match self.target {
                Some((t, parts, _)) => parts.iter().map(|&p| self.picked[p].2).sum::<i64>() == t,
                None => true,
            };
            if pos == self.end && holds {
                self.found += 1;
                if self.first.is_none() {
                    self.first = Some(self.picked.clone());
                }
            }
            return;
        }
        let left = self.end - pos;
        if left < self.cols - col || left > self.cap_after[col] {
            return;
        }
        if let Some(parts) = self.totals[col] {
            let sum = parts.iter().map(|&p| self.picked[p].2).sum::<i64>();
            let mut digits = [0u8; 20];
            let want = decimal(sum, &mut digits);
            let len = want.len();
            if len <= left && spells(&self.atoms[pos..pos + len], want) {
                self.take(col, pos, pos + len, sum);
            }
            return;
        }
        // The last column searched takes what is left.
        let last = col + 1 == self.cols;
        let lens = if last { left..=left } else { 1..=left.min(MAX_DIGITS + 2) };
        let in_target = self.target.filter(|(_, parts, _)| parts.contains(&col));
        // A count (most columns) grows by a digit with each length tried.
        let count = !last && self.columns[col].ty == CellType::Count;
        let mut grown = 0i64;
        for len in lens {
            let slice = &self.atoms[pos..pos + len];
            if len > 1 && slice[len - 1].gap {
                break;
            }
            let value = if count {
                // What `read` gives a count: digits only, no leading zero;
                // once a length fails, every longer one does.
                let d = slice[len - 1].ch;
                if !d.is_ascii_digit() || len > MAX_DIGITS || (len > 1 && slice[0].ch == b'0') {
                    break;
                }
                grown = grown * 10 + i64::from(d - b'0');
                Some(Value::Int(grown))
            } else {
                read(slice, self.columns[col].ty)
            };
            let Some(value) = value else { continue };
            let v = match value {
                Value::Int(v) => v,
                _ => 0,
            };
            if let Some((t, parts, _)) = in_target {
                let so_far: i64 = parts.iter().filter(|&&p| p < col).map(|&p| self.picked[p].2).sum();
                if so_far + v > t {
                    // Longer values are larger still.
                    break;
                }
            }
            self.take(col, pos, pos + len, v);
        }
    }

    fn take(&mut self, col: usize, a: usize, b: usize, v: i64) {
        self.picked[col] = (a, b, v);
        self.dfs(col + 1, b);
    }
}

/// Whether `atoms` spell `want` with no whitespace inside.
fn spells(atoms: &[Atom], want: &[u8]) -> bool {
    atoms.iter().zip(want).enumerate().all(|(i, (a, &w))| a.ch == w && (i == 0 || !a.gap))
}

/// `v` written in decimal (as `to_string` writes it) in `buf`, without an
/// allocation: the search spells a sum at every step.
fn decimal(v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// The value `atoms` hold as a cell of type `ty`: no whitespace inside, no
/// leading zeros, `-` only first and only in a signed column, `.` only in an
/// amount, between digits.
fn read(atoms: &[Atom], ty: CellType) -> Option<Value> {
    if atoms.iter().skip(1).any(|a| a.gap) {
        return None;
    }
    let (neg, digits) = match atoms.first()?.ch {
        b'-' if ty == CellType::Signed => (true, &atoms[1..]),
        _ => (false, atoms),
    };
    let dot = digits.iter().position(|a| a.ch == b'.');
    let (int, frac) = match dot {
        Some(d) if ty == CellType::Amount => (&digits[..d], Some(&digits[d + 1..])),
        Some(_) => return None,
        None => (digits, None),
    };
    let all_digits = |s: &[Atom]| !s.is_empty() && s.iter().all(|a| a.ch.is_ascii_digit());
    if !all_digits(int) || int.len() > MAX_DIGITS || (int.len() > 1 && int[0].ch == b'0') {
        return None;
    }
    let v = int.iter().fold(0i64, |v, a| v * 10 + i64::from(a.ch - b'0'));
    if neg && v == 0 {
        return None;
    }
    match frac {
        None => Some(Value::Int(if neg { -v } else { v })),
        Some(f) if all_digits(f) && f.len() <= MAX_DIGITS => {
            let s: String = digits.iter().map(|a| char::from(a.ch)).collect();
            Some(Value::Dec { value: s.parse().unwrap_or(0.0), decimals: f.len() as u32 })
        }
        Some(_) => None,
    }
}

/// A run found in a flattened region: its label text before it and itself.
struct Piece {
    label: TextRange,
    run: TextRange,
}

/// Cuts `region` into label + run pieces. Runs are digits with whitespace,
/// `-` before a digit and `.` between digits; digits inside brackets belong
/// to the label (「保留4位小数」); a digit right before `.`/`、` and a label is
/// the next row's item number (「…00000042.其他…」 → 「…0000004」 + 「2.其他」).
fn pieces(text: &str, region: TextRange) -> Vec<Piece> {
    let s = region.slice(text);
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut label_start = 0;
    let mut depth = 0i32;
    let mut opened = 0;
    let mut i = 0;
    let starts_number =
        |i: usize| b[i].is_ascii_digit() || (b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
    while i < b.len() {
        // Read by bytes, not decoded: a character's first byte gives its
        // length, and the two full-width brackets of each kind start with
        // 0xEF (（ ）) or 0xE3 (【 】).
        let lead = b[i];
        let width = match lead {
            0..=0x7F => 1,
            0x80..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let rest = &b[i..];
        let wide = |open: &str, close: &str| {
            if rest.starts_with(open.as_bytes()) {
                1
            } else if rest.starts_with(close.as_bytes()) {
                -1
            } else {
                0
            }
        };
        let bracket = match lead {
            b'(' | b'[' => 1,
            b')' | b']' => -1,
            0xEF => wide("（", "）"),
            0xE3 => wide("【", "】"),
            _ => 0,
        };
        match bracket {
            1 => {
                depth += 1;
                opened = i;
            }
            -1 => depth = (depth - 1).max(0),
            // A bracket left open does not swallow the rest of the table.
            _ if depth > 0 && i - opened > 240 => depth = 0,
            _ => {}
        }
        if depth > 0 || !starts_number(i) {
            i += width;
            continue;
        }
        let start = i;
        let (end, run_end) = run_at(s, start);
        if run_end > start {
            out.push(Piece {
                label: TextRange::new(region.start + label_start, region.start + start),
                run: TextRange::new(region.start + start, region.start + run_end),
            });
            label_start = run_end;
        }
        i = end.max(start + 1);
    }
    out
}

/// The digit run of a flattened row starting at byte `start` of `s`: where
/// its last digit ends, and where the run ends once a last digit that is
/// the next row's item number (「…12 3、」) is left out.
fn run_at(s: &str, start: usize) -> (usize, usize) {
    let b = s.as_bytes();
    let mut end = start;
    let mut j = start;
    while j < b.len() {
        let ch = b[j];
        let next_digit = b.get(j + 1).is_some_and(u8::is_ascii_digit);
        if ch.is_ascii_digit() {
            j += 1;
            end = j;
        } else if (ch == b'-' && next_digit)
            || (ch == b'.' && j > start && b[j - 1].is_ascii_digit() && next_digit)
            || ch == b' '
            || ch == b'\t'
        {
            j += 1;
        } else if s[j..].starts_with(['\u{3000}', '\u{a0}']) {
            j += s[j..].chars().next().map_or(1, char::len_utf8);
        } else {
            break;
        }
    }
    let mut run_end = end;
    let mut rest = s[end..].chars();
    if rest.next().is_some_and(|c| matches!(c, '.' | '、' | '．')) && !rest.next().is_some_and(|c| c.is_ascii_digit())
    {
        // The last digit is the next row's item number.
        run_end -= 1;
        run_end = start + s[start..run_end].trim_end().len();
    }
    (end, run_end)
}

/// The byte range of the label text `raw` (at `base`) whose normalised form
/// ends with `canon`: from where its normalised tail first covers `canon`.
fn suffix_range(raw: &str, base: usize, canon: &str) -> TextRange {
    let want = canon.chars().count();
    let trimmed = raw.trim_end().len();
    let mut start = trimmed;
    for (k, (i, _)) in raw[..trimmed].char_indices().rev().enumerate() {
        start = i;
        // Normalising never adds characters: a tail of fewer than `want`
        // cannot cover `canon`, and needs no normalising.
        if k + 1 >= want && normalize::label(&raw[i..trimmed]).chars().count() >= want {
            break;
        }
    }
    TextRange::new(base + start, base + trimmed)
}

/// Which spec row a piece's label names: a row label it ends with (the
/// expected row first), the expected row's label with a typo or mask, or,
/// in a one-row table, its header (table 四's data row follows 「…总计」).
fn match_row(canon: &[String], headers: &[String], norm: &str, p: usize, taken: &[bool]) -> Option<usize> {
    let n = canon.len();
    let suffix =
        (p..n).chain(0..p.min(n)).find(|&i| !taken[i] && !canon[i].is_empty() && norm.ends_with(canon[i].as_str()));
    if suffix.is_some() {
        return suffix;
    }
    if n == 1 {
        return (!taken[0] && headers.iter().any(|h| !h.is_empty() && norm.ends_with(h.as_str()))).then_some(0);
    }
    if p >= n || taken[p] || norm.contains('。') {
        return None;
    }
    let want = canon[p].chars().count();
    let tail: String = norm.chars().rev().take(want).collect::<Vec<_>>().into_iter().rev().collect();
    (normalize::similarity(&tail, &canon[p]) >= 0.75).then_some(p)
}

/// A table spec's row labels and header labels, normalised once per process
/// instead of once per table.
struct Labels {
    rows: Vec<String>,
    headers: Vec<String>,
}

fn labels(format: FormatId, id: TableId) -> Option<&'static Labels> {
    static LABELS: [[OnceLock<Labels>; 7]; 2] = [const { [const { OnceLock::new() }; 7] }; 2];
    let spec = format.schema().table(id)?;
    Some(LABELS[format as usize][id as usize].get_or_init(|| Labels {
        rows: spec.rows.iter().map(|r| normalize::label(r.label)).collect(),
        headers: spec.header.iter().map(|h| normalize::label(h)).collect(),
    }))
}

/// Builds one table from a flattened region. Pieces before the first row
/// and after the last that name no row are prose (「共收到申请21件」), not rows.
fn build(text: &str, region: TextRange, line: usize, id: TableId, format: FormatId) -> Option<Table> {
    let spec = format.schema().table(id)?;
    let Labels { rows: canon, headers } = labels(format, id)?;
    let pieces = pieces(text, region);
    let mut by_spec = vec![None; spec.rows.len()];
    let mut taken = vec![false; spec.rows.len()];
    let mut rows = Vec::with_capacity(pieces.len());
    let mut p = 0;
    for piece in pieces {
        if taken.last().copied().unwrap_or(true) {
            break;
        }
        let raw = piece.label.slice(text);
        let norm = normalize::label(raw);
        let spec_i = match_row(canon, headers, &norm, p, &taken);
        if spec_i.is_none() && (rows.is_empty() || norm.contains('。')) {
            continue;
        }
        let label = match spec_i {
            Some(i) if norm.ends_with(canon[i].as_str()) => suffix_range(raw, piece.label.start, &canon[i]),
            // Table 四's one row has headers for a label.
            Some(_) if canon.len() == 1 => TextRange::empty(piece.run.start),
            _ => {
                let t = raw.trim();
                let at = piece.label.start + (raw.len() - raw.trim_start().len());
                // The tail of an unmatched label: a row label is rarely longer.
                let from = t.char_indices().rev().nth(29).map_or(0, |(i, _)| i);
                TextRange::new(at + from, at + t.len())
            }
        };
        let (cells, shape) = match split_run(text, piece.run, spec) {
            Split::One(cells) => (cells, Shape::Ok),
            Split::None => (Vec::new(), Shape::Undecodable { splits: 0 }),
            Split::Several => (Vec::new(), Shape::Undecodable { splits: 2 }),
        };
        if let Some(i) = spec_i {
            by_spec[i] = Some(rows.len());
            taken[i] = true;
            p = i + 1;
        }
        rows.push(Row {
            range: TextRange::new(label.start.min(piece.run.start), piece.run.end),
            first_line: line,
            last_line: line,
            label: (!label.is_empty()).then_some(label),
            spec: spec_i,
            raw_values: match shape {
                Shape::Ok => cells.iter().map(|c| c.range).collect(),
                _ => vec![piece.run],
            },
            cells,
            shape,
        });
    }
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        id,
        format,
        range: region,
        first_line: line,
        last_line: line,
        layout: Layout::Flattened,
        rows,
        by_spec,
    })
}

/// Finds the tables of sections 二/三/四 written inline in flattened text.
/// Called only when no table was found line by line and some section is
/// inline.
pub(super) fn find_tables(text: &str, report: &mut Report) {
    let mut regions: Vec<(u8, TextRange, usize)> = Vec::new();
    for num in 2u8..=4 {
        let Some(sec) = report.section(num) else { continue };
        if !sec.inline {
            continue;
        }
        let line = report.lines[sec.line].range;
        // Up to the next heading on the same line, else the line's end.
        let end = report
            .sections
            .iter()
            .filter(|s| s.line == sec.line && s.title.start > sec.title.start)
            .map(|s| s.title.start)
            .min()
            .unwrap_or(line.end);
        regions.push((num, TextRange::new(sec.title.end, end.max(sec.title.end)), sec.line));
    }
    if regions.is_empty() {
        return;
    }
    if report.table_format.is_none() {
        detect_format(text, report, &regions);
    }
    let format = report.format().unwrap_or(FormatId::F2021);
    for (num, region, line) in regions {
        let parts: Vec<(TableId, TextRange)> = match num {
            2 => t2_regions(text, region),
            3 => vec![(TableId::T3, region)],
            _ => vec![(TableId::T4, region)],
        };
        for (id, r) in parts {
            if let Some(t) = build(text, r, line, id, format) {
                report.tables.push(t);
            }
        }
    }
}

/// Table 二's sub-tables: from each 「第二十条第（X）项」 caption to the next.
fn t2_regions(text: &str, region: TextRange) -> Vec<(TableId, TextRange)> {
    let s = region.slice(text);
    let mut caps: Vec<(usize, TableId)> = Vec::new();
    for (i, _) in s.match_indices("第二十条") {
        let head: String = s[i..].chars().take(14).collect();
        if let Some(id) = t2_caption(&normalize::label(&head)) {
            caps.push((i, id));
        }
    }
    caps.iter()
        .enumerate()
        .map(|(k, &(i, id))| {
            let end = caps.get(k + 1).map_or(s.len(), |c| c.0);
            (id, TextRange::new(region.start + i, region.start + end))
        })
        .collect()
}

/// The format table 二's (or 三's) labels show, as `find_tables` reads it
/// from lines.
fn detect_format(text: &str, report: &mut Report, regions: &[(u8, TextRange, usize)]) {
    for &(num, region, _) in regions.iter().filter(|r| r.0 <= 3) {
        let norm = normalize::label(region.slice(text));
        let found = [&FORMAT_2021, &FORMAT_2019]
            .into_iter()
            .find(|f| f.t2_markers.iter().any(|m| norm.contains(normalize::label(m).as_str())))
            .map(|f| f.id)
            .or_else(|| (num == 3 && norm.contains("缴纳费用")).then_some(FormatId::F2021));
        if let Some(f) = found {
            report.table_format = Some(f);
            report.table_format_at = report.section(num).map(|s| s.title);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: TableId) -> &'static TableSpec {
        FORMAT_2021.table(id).expect("table")
    }

    fn values(run: &str, id: TableId) -> Result<Vec<String>, Split> {
        match split_run(run, TextRange::new(0, run.len()), spec(id)) {
            Split::One(cells) => Ok(cells
                .iter()
                .map(|c| {
                    let v = match c.value {
                        Value::Int(v) => v.to_string(),
                        Value::Dec { value, .. } => value.to_string(),
                        _ => "?".into(),
                    };
                    // Each cell covers exactly its own characters.
                    assert_eq!(c.range.slice(run).replace(' ', ""), v, "{run}");
                    v
                })
                .collect()),
            other => Err(other),
        }
    }

    /// `suffix_range` normalising every tail, as it did before it skipped the
    /// tails too short to cover the label.
    fn suffix_range_reference(raw: &str, base: usize, canon: &str) -> TextRange {
        let want = canon.chars().count();
        let trimmed = raw.trim_end().len();
        let mut start = trimmed;
        for (i, _) in raw[..trimmed].char_indices().rev() {
            start = i;
            if normalize::label(&raw[i..trimmed]).chars().count() >= want {
                break;
            }
        }
        TextRange::new(base + start, base + trimmed)
    }

    #[test]
    fn label_tails_skip_only_what_cannot_cover() {
        let parts = [
            "政府",
            "信息",
            " ",
            "\u{3000}",
            "（一）",
            "１",
            "、",
            "**",
            "[bookmark: _Toc1]",
            "[bookmark:",
            "_",
            "#",
            "\t",
            "𠮷",
        ];
        let canons = ["", "规章", "行政规范性文件", "(一)自然人", "其他"];
        let mut next = crate::text::xorshift(0x5851_f42d_4c95_7f2du64);
        for _ in 0..3000 {
            let raw: String = (0..next() % 10).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let canon = canons[(next() % canons.len() as u64) as usize];
            assert_eq!(suffix_range(&raw, 7, canon), suffix_range_reference(&raw, 7, canon), "{raw:?} {canon:?}");
        }
    }

    /// The search grows a count digit by digit and stops at the first length
    /// `read` rejects: `read` agrees at every length, and rejects every
    /// longer one once it rejected one.
    #[test]
    fn counts_grow_as_read_reads_them() {
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..5000 {
            let run: String =
                (0..1 + next() % 22).map(|_| char::from(b"0123456789000-."[(next() % 15) as usize])).collect();
            let atoms = atoms(&run, TextRange::new(0, run.len()));
            let mut grown = Some(0i64);
            for len in 1..=atoms.len() {
                let d = atoms[len - 1].ch;
                grown = grown.filter(|_| d.is_ascii_digit() && len <= MAX_DIGITS && (len == 1 || atoms[0].ch != b'0'));
                grown = grown.map(|g| g * 10 + i64::from(d - b'0'));
                assert_eq!(read(&atoms[..len], CellType::Count), grown.map(Value::Int), "{run:?} at {len}");
            }
        }
    }

    #[test]
    fn sums_are_written_as_to_string_writes_them() {
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let edges = [0, 1, -1, 9, 10, -10, 99, 100, i64::MAX, i64::MIN, i64::MIN + 1];
        for v in edges.into_iter().chain((0..5000).map(|_| (next() as i64) >> (next() % 64))) {
            let mut buf = [0u8; 20];
            assert_eq!(decimal(v, &mut buf), v.to_string().as_bytes(), "{v}");
        }
    }

    #[test]
    fn a_row_total_leaves_one_split() {
        assert_eq!(values("21710000218", TableId::T3).unwrap(), ["217", "1", "0", "0", "0", "0", "218"]);
        assert_eq!(values("320000032", TableId::T3).unwrap(), ["32", "0", "0", "0", "0", "0", "32"]);
        assert_eq!(values("0000000", TableId::T3).unwrap(), ["0"; 7]);
        assert_eq!(values("1100002", TableId::T3).unwrap(), ["1", "1", "0", "0", "0", "0", "2"]);
    }

    #[test]
    fn whitespace_always_separates_two_values() {
        assert_eq!(values("230 000023", TableId::T3).unwrap(), ["23", "0", "0", "0", "0", "0", "23"]);
        assert_eq!(values("0 0 0 0 0 00", TableId::T3).unwrap(), ["0"; 7]);
        assert_eq!(values("20 0 00 0 121", TableId::T3).unwrap(), ["20", "0", "0", "0", "0", "1", "21"]);
        // 「12 3」 can never be one value 123.
        assert_eq!(values("12 3000015", TableId::T3).unwrap(), ["12", "3", "0", "0", "0", "0", "15"]);
    }

    #[test]
    fn no_split_and_several_splits() {
        // 7 digits but the total is wrong: nothing holds.
        assert_eq!(values("1000002", TableId::T3), Err(Split::None));
        // Too few digits for seven values.
        assert_eq!(values("100001", TableId::T3), Err(Split::None));
        // 1+10+0+0+0+0 = 11 and 11+0+0+0+0+0 = 11: two readings.
        assert_eq!(values("110000011", TableId::T3), Err(Split::Several));
    }

    #[test]
    fn leading_zeros_are_never_read() {
        // 「01」 is no number, so 0,1,… is the only reading.
        assert_eq!(values("0100001", TableId::T3).unwrap(), ["0", "1", "0", "0", "0", "0", "1"]);
        assert_eq!(values("0000000", TableId::T2a).unwrap_err(), Split::None);
        assert_eq!(values("000", TableId::T2a).unwrap(), ["0", "0", "0"]);
        assert_eq!(values("1000", TableId::T2a).unwrap(), ["10", "0", "0"]);
    }

    #[test]
    fn without_a_relation_only_forced_readings_decode() {
        assert_eq!(values("4529", TableId::T2b).unwrap(), ["4529"]);
        assert_eq!(values("18651.06", TableId::T2d).unwrap(), ["18651.06"]);
        assert_eq!(values("6233440", TableId::T2a), Err(Split::Several));
    }

    #[test]
    fn table_four_checks_its_three_group_totals() {
        let v = values("21317000001324019", TableId::T4).unwrap();
        assert_eq!(v, ["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"]);
        let v = values("10203120001200000", TableId::T4).unwrap();
        assert_eq!(v, ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]);
        assert_eq!(values("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0", TableId::T4).unwrap().len(), 15);
        assert_eq!(values("0000000000000001", TableId::T4), Err(Split::None));
    }

    #[test]
    fn signed_and_amount_columns() {
        let t2d_2019 = FORMAT_2019.table(TableId::T2d).expect("T2d");
        let one = |run: &str| split_run(run, TextRange::new(0, run.len()), t2d_2019);
        let Split::One(cells) = one("35-15") else { panic!("35-15") };
        assert_eq!(cells.iter().map(|c| c.value.clone()).collect::<Vec<_>>(), [Value::Int(35), Value::Int(-15)]);
        assert_eq!(cells[1].range, TextRange::new(2, 5));
        assert_eq!(one("350"), Split::Several);
        // A sign only in the signed column, never `-0`.
        assert_eq!(one("-3515"), Split::None);
        assert_eq!(one("3-0"), Split::None);
    }

    #[test]
    fn long_runs_stay_within_the_budget() {
        let start = std::time::Instant::now();
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1d);
        for len in [30, 40, 60, 120] {
            for _ in 0..3 {
                let run: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
                for id in [TableId::T3, TableId::T4, TableId::T2a] {
                    let _ = values(&run, id);
                }
            }
        }
        // A consistent long row still decodes.
        let big = "123456789 987654321 111111111 222222222 333333333 444444444 2222222220";
        assert_eq!(values(big, TableId::T3).unwrap()[6], "2222222220");
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    /// `pieces` decoding every character, as it did before it read bytes.
    fn pieces_reference(text: &str, region: TextRange) -> Vec<Piece> {
        let s = region.slice(text);
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut label_start = 0;
        let mut depth = 0i32;
        let mut opened = 0;
        let mut i = 0;
        let starts_number =
            |i: usize| b[i].is_ascii_digit() || (b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        while i < b.len() {
            let c = s[i..].chars().next().unwrap_or(' ');
            match c {
                '(' | '（' | '[' | '【' => {
                    depth += 1;
                    opened = i;
                }
                ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
                // A bracket left open does not swallow the rest of the table.
                _ if depth > 0 && i - opened > 240 => depth = 0,
                _ => {}
            }
            if depth > 0 || !starts_number(i) {
                i += c.len_utf8();
                continue;
            }
            let start = i;
            let (end, run_end) = run_at(s, start);
            if run_end > start {
                out.push(Piece {
                    label: TextRange::new(region.start + label_start, region.start + start),
                    run: TextRange::new(region.start + start, region.start + run_end),
                });
                label_start = run_end;
            }
            i = end.max(start + 1);
        }
        out
    }

    #[test]
    fn pieces_read_by_bytes_are_the_decoded_ones() {
        let parts = [
            "0",
            "1",
            "9",
            "12",
            " ",
            "\t",
            "\u{3000}",
            "\u{a0}",
            "-",
            ".",
            "、",
            "．",
            "(",
            ")",
            "（",
            "）",
            "[",
            "]",
            "【",
            "】",
            "〔",
            "＞",
            "其他",
            "2.其他",
            "𠮷",
            "é",
            "保留4位小数",
            "政府信息公开行政复议、行政诉讼情况统计表说明文字",
        ];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        let cut = |s: &str, pieces: Vec<Piece>| -> Vec<(TextRange, TextRange)> {
            pieces
                .into_iter()
                .inspect(|p| assert!(s.is_char_boundary(p.label.start)))
                .map(|p| (p.label, p.run))
                .collect()
        };
        for _ in 0..20000 {
            let s: String = (0..next() % 80).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let lo = s.char_indices().nth((next() % 3) as usize).map_or(0, |(i, _)| i);
            let region = TextRange::new(lo, s.len());
            assert_eq!(cut(&s, pieces(&s, region)), cut(&s, pieces_reference(&s, region)), "{s:?}");
        }
    }

    /// `split_run` takes a count's value from the search instead of reading
    /// its digits again: it is what `read` reads there, big totals and
    /// negative ones included. Half the runs are rows whose totals hold.
    #[test]
    fn cells_hold_what_read_reads() {
        let parts = ["0", "1", "2", "5", "9", "10", "99", "999999999", "123456789012345678", " ", "-", ".", "\u{3000}"];
        let values = [0i64, 0, 0, 1, 3, 12, 217, 99_999, 400_000_000_000_000_000, 999_999_999_999_999_999];
        let tables: Vec<&TableSpec> =
            [&FORMAT_2021, &FORMAT_2019].iter().flat_map(|f| f.t2.iter().chain([&f.t3, &f.t4])).collect();
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut decoded = 0;
        for round in 0..4000 {
            let spec = tables[(next() % tables.len() as u64) as usize];
            let run: String = if round % 2 == 0 {
                (0..next() % 16).map(|_| parts[(next() % parts.len() as u64) as usize]).collect()
            } else {
                let mut row: Vec<i64> =
                    spec.columns.iter().map(|_| values[(next() % values.len() as u64) as usize]).collect();
                for rel in spec.relations {
                    if let Relation::RowTotal { total, parts, .. } = rel {
                        row[*total] = parts.iter().map(|&p| row[p]).fold(0i64, i64::wrapping_add);
                    }
                }
                row.iter().map(|v| format!("{v}{}", [" ", ""][(next() % 2) as usize])).collect()
            };
            let Split::One(cells) = split_run(&run, TextRange::new(0, run.len()), spec) else { continue };
            decoded += 1;
            for (cell, column) in cells.iter().zip(spec.columns) {
                let want = read(&atoms(&run, cell.range), column.ty).unwrap_or(Value::Bad);
                assert_eq!(cell.value, want, "{run:?} {:?}", cell.range);
            }
        }
        assert!(decoded > 1000, "{decoded}");
    }

    #[test]
    fn any_text_cuts_and_splits_without_panicking() {
        let parts = ["0", "1", "9", "12", " ", "\u{3000}", "-", ".", "、", "．", "（", "）", "其他", "2.其他", "𠮷"];
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15);
        let tables: Vec<&TableSpec> =
            [&FORMAT_2021, &FORMAT_2019].iter().flat_map(|f| f.t2.iter().chain([&f.t3, &f.t4])).collect();
        for _ in 0..3000 {
            let s: String = (0..next() % 30).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            for piece in pieces(&s, TextRange::new(0, s.len())) {
                assert!(s.is_char_boundary(piece.run.start) && s.is_char_boundary(piece.run.end), "{s:?}");
                let spec = tables[(next() % tables.len() as u64) as usize];
                if let Split::One(cells) = split_run(&s, piece.run, spec) {
                    assert_eq!(cells.len(), spec.width());
                    assert!(cells.iter().all(|c| piece.run.start <= c.range.start && c.range.end <= piece.run.end));
                }
            }
        }
    }

    #[test]
    fn item_numbers_after_a_run_go_to_the_next_label() {
        let s = "1.属于国家秘密40000042.其他法律0000000（四）无法提供1.本机关3750000075 2.没有";
        let got: Vec<(&str, &str)> =
            pieces(s, TextRange::new(0, s.len())).iter().map(|p| (p.label.slice(s), p.run.slice(s))).collect();
        assert_eq!(
            got,
            [("1.属于国家秘密", "4000004"), ("2.其他法律", "0000000"), ("（四）无法提供1.本机关", "3750000075")]
        );
        let s = "采购总金额(单位:万元,保留4位小数)政府集中采购12";
        let got: Vec<&str> = pieces(s, TextRange::new(0, s.len())).iter().map(|p| p.run.slice(s)).collect();
        assert_eq!(got, ["12"]);
    }
}

//! What the editor features show, computed from a parsed report: hover text,
//! the outline, folding ranges, inlay hints and the code-action ladder.
//!
//! Everything here speaks the core's byte ranges and returns plain data;
//! `to_proto` turns it into LSP types. Nothing here awaits, locks or knows
//! the protocol, so each handler is one call into this module between two
//! conversions.

use crate::fix::{corrected_value, derived_values, report_edits, Derived};
use crate::report::{Report, Shape, Table};
use crate::rules::{Analysis, FixKind, Locale, TextEdit};
use crate::schema::{FormatId, Relation, TableSpec};
use crate::text::TextRange;

use super::settings::InlayHints;

fn msg(locale: Locale, zh: String, en: String) -> String {
    match locale {
        Locale::Zh => zh,
        Locale::En => en,
    }
}

/// Does `a` touch `b` (closed intervals, so a cursor at either edge counts)?
fn touches(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

// ---------------------------------------------------------------- hover

/// The Markdown hover for the cell or section heading at `offset`.
pub fn hover(report: &Report, text: &str, offset: usize, locale: Locale) -> Option<(TextRange, String)> {
    // An inline heading's line is the whole flattened report: only its title counts.
    let heading = |s: &crate::report::Section| if s.inline { s.title } else { s.heading };
    if let Some(s) = report.sections.iter().find(|s| touches(heading(s), TextRange::empty(offset))) {
        let spec = report.format().unwrap_or(FormatId::F2021).schema().section(s.num);
        let title = s.title.slice(text).trim();
        let body = msg(
            locale,
            format!("**{title}**\n\n本节应包含：{}", spec.requires_zh),
            format!("**{title}**\n\nThis section must contain: {}", spec.requires_en),
        );
        return Some((heading(s), body));
    }
    let (ti, ri, col) = cell_at(report, offset)?;
    let table = &report.tables[ti];
    let cell = &table.rows[ri].cells[col];
    Some((cell.range, cell_hover(table, ri, col, text, locale)))
}

/// The (table, row, column) of the value cell at `offset`.
fn cell_at(report: &Report, offset: usize) -> Option<(usize, usize, usize)> {
    let at = TextRange::empty(offset);
    report.tables.iter().enumerate().filter(|(_, t)| touches(t.range, at)).find_map(|(ti, t)| {
        t.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.shape == Shape::Ok && r.spec.is_some())
            .find_map(|(ri, r)| r.cells.iter().position(|c| touches(c.range, at)).map(|col| (ti, ri, col)))
    })
}

fn row_label(spec: &TableSpec, table: &Table, row: usize) -> String {
    let Some(i) = table.rows[row].spec else { return "?".into() };
    let r = &spec.rows[i];
    match r.group {
        Some(g) => format!("{g} · {}", r.label),
        None => r.label.to_string(),
    }
}

/// The column's own name, without the header path above it.
fn col_short(spec: &TableSpec, col: usize) -> &'static str {
    let label = spec.columns.get(col).map_or("?", |c| c.label);
    label.rsplit('·').next().unwrap_or(label)
}

fn value_text(v: Option<i64>) -> String {
    v.map_or_else(|| "?".to_string(), |v| v.to_string())
}

fn cell_hover(table: &Table, ri: usize, col: usize, text: &str, locale: Locale) -> String {
    let spec = table.spec();
    let name = match locale {
        Locale::Zh => spec.name_zh,
        Locale::En => spec.name_en,
    };
    let column = spec.columns.get(col).map_or("?", |c| c.label);
    let cell = &table.rows[ri].cells[col];
    let shown = cell.range.slice(text).trim();
    let mut out = format!("**{name}**\n\n{} × {column}\n\n", row_label(spec, table, ri));
    out += &msg(
        locale,
        format!("值：{}", if shown.is_empty() { "（空）" } else { shown }),
        format!("Value: {}", if shown.is_empty() { "(empty)" } else { shown }),
    );
    let derived = derived_values(table);
    let part_name = |d: &Derived, (r, c): (usize, usize)| {
        if r == d.row {
            col_short(spec, c).to_string()
        } else {
            row_label(spec, table, r)
        }
    };
    let mut lines = Vec::new();
    if let Some(d) = derived.iter().find(|d| d.row == ri && d.col == col) {
        let sum = d
            .parts
            .iter()
            .map(|&p| format!("{} {}", part_name(d, p), value_text(corrected_value(table, &derived, p.0, p.1))))
            .collect::<Vec<_>>()
            .join(" + ");
        let agrees = cell.int() == Some(d.value);
        lines.push(msg(
            locale,
            format!("{}：计算值 {} = {sum}{}", d.code, d.value, if agrees { "，一致" } else { "，与表中数值不符" }),
            format!(
                "{}: computed {} = {sum}{}",
                d.code,
                d.value,
                if agrees { ", matches" } else { ", differs from the cell" }
            ),
        ));
    }
    for d in derived.iter().filter(|d| d.parts.contains(&(ri, col))) {
        let target = if d.row == ri { col_short(spec, d.col).to_string() } else { row_label(spec, table, d.row) };
        lines.push(msg(
            locale,
            format!("计入「{target}」（{}，计算值 {}）", d.code, d.value),
            format!("Summed into 「{target}」 ({}, computed {})", d.code, d.value),
        ));
    }
    if let Some(line) = balance_line(table, &derived, ri, col, locale) {
        lines.push(line);
    }
    for l in lines {
        out += "\n\n- ";
        out += &l;
    }
    out
}

/// NB303's equation for this column, when the row takes part in it.
fn balance_line(table: &Table, derived: &[Derived], ri: usize, col: usize, locale: Locale) -> Option<String> {
    let spec = table.spec();
    let (plus, minus, carry) = spec.relations.iter().find_map(|r| match r {
        Relation::Balance { plus, minus, carry, .. } => Some((*plus, *minus, *carry)),
        _ => None,
    })?;
    let id = spec.rows[table.rows[ri].spec?].id;
    if !plus.iter().chain(minus).any(|&r| r == id) && carry != id {
        return None;
    }
    let val = |rid: &str| {
        let r = spec.row_index(rid).and_then(|i| table.by_spec[i]);
        value_text(r.and_then(|r| corrected_value(table, derived, r, col)))
    };
    let join = |ids: &[&str]| ids.iter().map(|r| val(r)).collect::<Vec<_>>().join(" + ");
    Some(msg(
        locale,
        format!("NB303：一 + 二 = （七）总计 + 四，本列 {} = {} + {}", join(plus), join(minus), val(carry)),
        format!("NB303: 一 + 二 = （七）总计 + 四; this column {} = {} + {}", join(plus), join(minus), val(carry)),
    ))
}

// ---------------------------------------------------------------- outline

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Section,
    Table,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: TextRange,
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// The last non-blank line of `lines`, if any.
fn last_content_line(report: &Report, lines: std::ops::Range<usize>) -> Option<usize> {
    lines.rev().find(|&l| report.kinds.get(l).is_some_and(|k| *k != crate::report::LineKind::Blank))
}

fn section_range(report: &Report, s: &crate::report::Section) -> TextRange {
    let end = last_content_line(report, s.body.clone()).map_or(s.heading.end, |l| report.lines[l].range.end);
    TextRange::new(s.heading.start, end.max(s.heading.end))
}

fn table_symbol(t: &Table, locale: Locale) -> Symbol {
    let spec = t.spec();
    let name = match locale {
        Locale::Zh => spec.name_zh,
        Locale::En => spec.name_en,
    };
    let rows = t.rows.iter().filter(|r| r.spec.is_some()).count();
    Symbol {
        name: name.to_string(),
        detail: Some(msg(
            locale,
            format!("{} 格式，{rows} 行", t.format.as_str()),
            format!("{} format, {rows} rows", t.format.as_str()),
        )),
        kind: SymbolKind::Table,
        range: t.range,
        selection: t.range,
        children: Vec::new(),
    }
}

/// Sections, each with the tables that start inside it; tables before the
/// first heading stand alone.
pub fn symbols(report: &Report, text: &str, locale: Locale) -> Vec<Symbol> {
    let mut out: Vec<Symbol> = Vec::new();
    // A section found mid-line (flattened web text) spans bytes, not lines:
    // its title up to the next heading on the line.
    let inline_span = |s: &crate::report::Section| {
        let next = report.sections.iter().filter(|o| o.line == s.line && o.title.start > s.title.start);
        let end = next.map(|o| o.title.start).min().unwrap_or(report.lines[s.line].range.end);
        TextRange::new(s.title.start, end.max(s.title.end))
    };
    let mut sections: Vec<(std::ops::Range<usize>, Option<TextRange>, Symbol)> = report
        .sections
        .iter()
        .map(|s| {
            let (range, selection, span) = match s.inline {
                true => (inline_span(s), s.title, Some(inline_span(s))),
                false => (section_range(report, s), s.heading, None),
            };
            let sym = Symbol {
                name: selection.slice(text).trim().to_string(),
                detail: None,
                kind: SymbolKind::Section,
                range,
                selection,
                children: Vec::new(),
            };
            (s.line..s.body.end.max(s.line + 1), span, sym)
        })
        .collect();
    for t in &report.tables {
        let holds = |lines: &std::ops::Range<usize>, span: &Option<TextRange>| match span {
            Some(b) => b.start <= t.range.start && t.range.start < b.end.max(b.start + 1),
            None => lines.contains(&t.first_line),
        };
        match sections.iter_mut().rev().find(|(lines, span, _)| holds(lines, span)) {
            Some((_, _, s)) => {
                s.range = s.range.cover(t.range);
                s.children.push(table_symbol(t, locale));
            }
            None => out.push(table_symbol(t, locale)),
        }
    }
    out.extend(sections.into_iter().map(|(_, _, s)| s));
    out.sort_by_key(|s| s.range.start);
    out
}

/// Folding ranges, as (first line, last line): sections and tables.
pub fn folds(report: &Report) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = report
        .sections
        .iter()
        .filter(|s| !s.inline)
        .filter_map(|s| Some((s.line, last_content_line(report, s.body.clone())?)))
        .chain(report.tables.iter().map(|t| (t.first_line, t.last_line)))
        .filter(|(a, b)| b > a)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

// ---------------------------------------------------------------- inlay hints

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The computed value beside derived cells in `range`: only where it
/// disagrees with the cell, or everywhere (`InlayHints::All`).
pub fn inlay_hints(report: &Report, range: TextRange, mode: InlayHints, locale: Locale) -> Vec<Hint> {
    if mode == InlayHints::Off {
        return Vec::new();
    }
    let mut out = Vec::new();
    for table in report.tables.iter().filter(|t| touches(t.range, range)) {
        let derived = derived_values(table);
        for d in &derived {
            let cell = &table.rows[d.row].cells[d.col];
            if !touches(cell.range, range) {
                continue;
            }
            let agrees = cell.int() == Some(d.value);
            if agrees && mode != InlayHints::All {
                continue;
            }
            let parts: Vec<String> =
                d.parts.iter().map(|&(r, c)| value_text(corrected_value(table, &derived, r, c))).collect();
            let label = match (agrees, locale) {
                (true, _) => format!("= {}", d.value),
                (false, Locale::Zh) => format!("应为 {}", d.value),
                (false, Locale::En) => format!("should be {}", d.value),
            };
            out.push(Hint { offset: cell.range.end, label, tooltip: format!("{}: {}", d.code, parts.join(" + ")) });
        }
    }
    out
}

// ---------------------------------------------------------------- code actions

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    /// `source.fixAll.nianbao`.
    FixAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub preferred: bool,
    /// Indices into `Analysis::diagnostics` of the problems it fixes.
    pub diagnostics: Vec<usize>,
    pub edits: Vec<TextEdit>,
}

/// Which kinds the client asked for (`CodeActionContext.only`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wanted {
    pub quickfix: bool,
    pub fix_all: bool,
    /// The client named `source.fixAll` (on save): offer it whatever the range.
    pub fix_all_explicit: bool,
}

/// The ladder of product-spec §4 for `range`: this cell (preferred) and the
/// insertions, this table, the whole document, NB303's secondary action.
pub fn code_actions(
    report: &Report,
    analysis: &Analysis,
    range: TextRange,
    want: Wanted,
    locale: Locale,
) -> Vec<Action> {
    let mut ladder: Vec<(FixKind, Action)> = Vec::new();
    let mut fix_all: Option<Action> = None;
    for (i, d) in analysis.diagnostics.iter().enumerate().filter(|(_, d)| touches(d.range, range)) {
        let mut preferred = true;
        for f in &d.fixes {
            if f.kind == FixKind::Document {
                let a = fix_all.get_or_insert_with(|| Action {
                    title: f.title.clone(),
                    kind: ActionKind::FixAll,
                    preferred: false,
                    diagnostics: Vec::new(),
                    edits: f.edits.clone(),
                });
                a.diagnostics.push(i);
                continue;
            }
            if let Some((_, a)) = ladder.iter_mut().find(|(k, a)| *k == f.kind && a.edits == f.edits) {
                a.diagnostics.push(i);
                continue;
            }
            let is_preferred = f.kind == FixKind::Cell && std::mem::take(&mut preferred);
            ladder.push((
                f.kind,
                Action {
                    title: f.title.clone(),
                    kind: ActionKind::QuickFix,
                    preferred: is_preferred,
                    diagnostics: vec![i],
                    edits: f.edits.clone(),
                },
            ));
        }
    }
    if want.fix_all_explicit && fix_all.is_none() && analysis.format.is_some() {
        let edits = report_edits(report);
        if !edits.is_empty() {
            fix_all = Some(Action {
                title: msg(locale, "重新计算全部总计".into(), "Recompute all totals in the document".into()),
                kind: ActionKind::FixAll,
                preferred: false,
                diagnostics: Vec::new(),
                edits,
            });
        }
    }
    // A stable sort keeps the rules' order within each rung.
    ladder.sort_by_key(|(k, _)| *k);
    let mut out = Vec::new();
    let (before, after): (Vec<_>, Vec<_>) = ladder.into_iter().partition(|(k, _)| *k < FixKind::Document);
    if want.quickfix {
        out.extend(before.into_iter().map(|(_, a)| a));
    }
    if want.fix_all {
        out.extend(fix_all);
    }
    if want.quickfix {
        out.extend(after.into_iter().map(|(_, a)| a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = include_str!("../../fixtures/rules/NB301-fires.txt");

    /// The hover on the first number `skip` lines below the line holding `label`.
    fn hover_below(label: &str, skip: usize, locale: Locale) -> String {
        let report = crate::report::parse(REPORT);
        let at = report.lines.iter().position(|l| l.range.slice(REPORT).contains(label)).unwrap() + skip;
        let line = report.lines[at].range;
        let off = line.start + line.slice(REPORT).find(|c: char| c.is_ascii_digit()).unwrap();
        hover(&report, REPORT, off, locale).map(|(_, s)| s).unwrap_or_default()
    }

    #[test]
    fn hover_and_hints_work_on_decoded_flattened_cells() {
        // Corpus 003: 「一、本年新收…数量21710000218」, decoded as 217 1 0 0 0 0 218.
        let text = include_str!("../../fixtures/corpus/003.txt");
        let report = crate::report::parse(text);
        let at = text.find("数量21710000218").unwrap() + "数量".len() + "2171000000".len();
        let (range, h) = hover(&report, text, at, Locale::En).expect("hover on the 总计 cell");
        assert_eq!(range.slice(text), "218");
        assert!(h.contains("218"), "{h}");
        // Corpus 018: （七）总计's 自然人 cell is 20 where its leaves sum to 26.
        let text = include_str!("../../fixtures/corpus/018.txt");
        let report = crate::report::parse(text);
        let hints = inlay_hints(&report, TextRange::new(0, text.len()), InlayHints::Mismatch, Locale::Zh);
        let at = text.find("（七）总计20").unwrap() + "（七）总计20".len();
        assert!(hints.iter().any(|h| h.offset == at && h.label == "应为 26"), "{:?}", hints);
    }

    #[test]
    fn flattened_sections_are_named_by_their_title_and_hold_their_tables() {
        let text = include_str!("../../fixtures/corpus/003.txt");
        let report = crate::report::parse(text);
        let syms = symbols(&report, text, Locale::Zh);
        let names: Vec<(&str, usize)> = syms.iter().map(|s| (s.name.as_str(), s.children.len())).collect();
        assert_eq!(
            names,
            [
                ("一、总体情况", 0),
                ("二、主动公开政府信息情况", 4),
                ("三、收到和处理政府信息公开申请情况", 1),
                ("四、政府信息公开行政复议、行政诉讼情况", 1),
                ("五、存在的主要问题及改进情况", 0),
                ("六、其他需要报告的事项", 0)
            ]
        );
    }

    #[test]
    fn hover_explains_cells_of_every_table() {
        // Table 二: a plain input cell, no relation.
        let h = hover_below("行政许可", 1, Locale::Zh);
        assert!(h.starts_with("**第二十条第（五）项**"), "{h}");
        assert!(h.contains("值：81155") && !h.contains("NB3"), "{h}");
        // Table 三's （七）总计 in the 自然人 column: a column total, itself summed into its row total.
        let h = hover_below("（七）总计", 1, Locale::En);
        assert!(h.contains("NB302: computed 11 = "), "{h}");
        assert!(h.contains("Summed into 「总计」 (NB301, computed 11)"), "{h}");
        assert!(h.contains("NB303: 一 + 二 = （七）总计 + 四; this column 11 + 0 = 11 + 0"), "{h}");
        // Table 四: the first review result, summed into the review group's total.
        let h = hover_below("复议后起诉", 26, Locale::Zh);
        assert!(h.contains("行政复议、行政诉讼情况表") && h.contains("（NB304，计算值 1）"), "{h}");
    }

    #[test]
    fn hover_on_prose_is_nothing() {
        let report = crate::report::parse(REPORT);
        assert_eq!(hover(&report, REPORT, 5, Locale::Zh), None);
    }

    #[test]
    fn folds_and_symbols_cover_sections_and_tables() {
        let report = crate::report::parse(REPORT);
        let syms = symbols(&report, REPORT, Locale::Zh);
        assert_eq!(syms.iter().map(|s| s.children.len()).collect::<Vec<_>>(), [0, 4, 1, 1, 0, 0]);
        for s in &syms {
            assert!(s.range.start <= s.selection.start && s.selection.end <= s.range.end, "{s:?}");
            for c in &s.children {
                assert!(s.range.start <= c.range.start && c.range.end <= s.range.end, "{c:?} outside {s:?}");
            }
        }
        let folds = folds(&report);
        assert_eq!(folds.len(), 6 + 6, "{folds:?}");
    }
}

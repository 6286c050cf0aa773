//! Table shape and cells: NB201 missing table, NB202 missing row, NB203 cell
//! count, NB204 bad number, NB205 empty cell, NB206 unknown row, NB207 format
//! mismatch, NB208 amount format.

use super::{arith, Ctx, Diagnostic, Fix, FixKind, TextEdit};
use crate::fix::{line_ending, render_rows, skeleton_table, table_layout, zero_row};
use crate::report::{Shape, Table, Value};
use crate::schema::{CellType, TableId, TableSpec};
use crate::text::TextRange;

pub(super) fn check(cx: &mut Ctx) {
    format_mismatch(cx);
    missing_tables(cx);
    for (ti, table) in cx.report.tables.iter().enumerate() {
        shape(cx, table);
        missing_rows(cx, table);
        cells(cx, ti, table);
    }
}

fn format_mismatch(cx: &mut Ctx) {
    let r = cx.report;
    let (Some(year), Some(table)) = (r.year_format, r.table_format) else { return };
    if year == table {
        return;
    }
    let at = r.table_format_at.unwrap_or_default();
    let y = r.year.unwrap_or_default();
    cx.push(Diagnostic::new(
        "NB207",
        at,
        cx.msgf(format_args!("{y}年度报告应使用{}年格式，但表格使用{}年格式；按表格所用格式检查", year.as_str(), table.as_str()), format_args!(
                "a {y} report should use the {} format but its tables use the {} format; checked against the tables' format",
                year.as_str(),
                table.as_str()
            )),
    ));
}

fn missing_tables(cx: &mut Ctx) {
    let report = cx.report;
    let schema = report.format().expect("checked").schema();
    for num in 2u8..=4 {
        let Some(section) = report.section(num) else { continue };
        let specs: Vec<&TableSpec> = match num {
            2 => schema.t2.iter().collect(),
            3 => vec![&schema.t3],
            _ => vec![&schema.t4],
        };
        if specs.iter().any(|s| report.table(s.id).is_some()) {
            continue;
        }
        if section.inline {
            // Flattened web text: the table is there, glued into runs of digits.
            let mut d = Diagnostic::new(
                "NB203",
                section.title,
                cx.msg(
                    "本部分的表格被展平为连续文字，无法对齐各列；不作合计校验",
                    "this section's table was flattened into running text; its values cannot be aligned to columns, so its sums are not checked",
                ),
            );
            d.fixes.clear();
            cx.push(d);
            continue;
        }
        // Insert right after the heading line.
        let (eol, layout) = (line_ending(cx.text), table_layout(report));
        let at = report.lines[section.line].next;
        let mut text = String::new();
        if at == report.len && !cx.text.ends_with(['\n', '\r']) {
            text.push_str(eol);
        }
        for s in &specs {
            text.push_str(&skeleton_table(s, layout, eol));
        }
        let name = if num == 2 { "第二十条统计表".to_string() } else { specs[0].name_zh.to_string() };
        let mut d = Diagnostic::new(
            "NB201",
            section.title,
            cx.msgf(
                format_args!("第{}部分没有可识别的{name}", ["", "", "二", "三", "四"][usize::from(num)]),
                format_args!("section {num} has no recognisable table"),
            ),
        );
        d.fixes.push(Fix {
            title: cx.msg("插入空白统计表（全部为0）", "Insert a skeleton table with zeros"),
            kind: FixKind::Cell,
            edits: vec![TextEdit { range: TextRange::empty(at), new_text: text }],
        });
        cx.push(d);
    }
}

fn shape(cx: &mut Ctx, table: &Table) {
    let spec = table.spec();
    // Once per table: the sums are skipped, so one diagnostic says why.
    if let Some(row) = table.malformed() {
        if let Shape::Undecodable { splits } = row.shape {
            undecodable(cx, table, row, splits);
        }
        let Shape::Malformed { found } = row.shape else { return };
        let range = row.raw_values.iter().copied().reduce(TextRange::cover).unwrap_or(row.range);
        let name = row.spec.map_or("", |i| spec.rows[i].label);
        let (open, close) = if name.is_empty() { ("", "") } else { ("「", "」") };
        let mut d = Diagnostic::new(
            "NB203",
            range,
            cx.msgf(format_args!(
                    "{open}{name}{close}该行有{found}个数值，应为{}个；无法对齐各列，本表不作合计校验",
                    spec.width()
                ), format_args!(
                    "this row{}{open}{name}{close} has {found} values where {} belong; its columns cannot be aligned, so the table's sums are not checked",
                    if name.is_empty() { "" } else { " " },
                    spec.width()
                )),
        );
        d.expected = Some(spec.width().to_string());
        d.found = Some(found.to_string());
        cx.push(d);
    }
    for row in &table.rows {
        // In a table that could not be aligned, unknown labels are fallout of
        // the misalignment already reported as NB203.
        if row.spec.is_none() && row.shape != Shape::Header && table.id != TableId::T4 && table.readable() {
            let at = row.label.unwrap_or(row.range);
            cx.push(Diagnostic::new(
                "NB206",
                at,
                cx.msgf(
                    format_args!("行标题「{}」与{}的任何一行都不匹配", cx.quote(at), spec.name_zh),
                    format_args!("row label 「{}」 matches no row of the {}", cx.quote(at), spec.name_en),
                ),
            ));
        }
    }
}

/// NB203 for a flattened table with a digit run that does not split into
/// its row's values exactly one way.
fn undecodable(cx: &mut Ctx, table: &Table, row: &crate::report::Row, splits: u8) {
    let spec = table.spec();
    let range = row.raw_values.first().copied().unwrap_or(row.range);
    let name = row.spec.map_or("", |i| spec.rows[i].label);
    let run = cx.quote(range);
    let open = if name.is_empty() { "" } else { "「" };
    let w = spec.width();
    let relation = spec.relations.iter().any(|r| matches!(r, crate::schema::Relation::RowTotal { .. }));
    let (how_zh, how_en) = match (splits, relation) {
        (0, true) => ("无论怎样拆分都不满足行内合计关系", "in no way that satisfies the row's totals"),
        (0, false) => ("无法拆分", "in no way"),
        (_, true) => ("满足行内合计关系的拆分不止一种", "in more than one way that satisfies the row's totals"),
        (_, false) => ("拆分方式不止一种", "in more than one way"),
    };
    let mut d = Diagnostic::new(
        "NB203",
        range,
        cx.msgf(
            format_args!(
                "{open}{name}{}表格被展平为连续数字「{run}」，拆成{w}个数值时{how_zh}；本表不作合计校验",
                if name.is_empty() { "" } else { "」：" },
            ),
            format_args!(
                "{open}{name}{}the table was flattened into the digit run 「{run}」, which splits into {w} values {how_en}; the table's sums are not checked",
                if name.is_empty() { "" } else { "」: " },
            ),
        ),
    );
    d.expected = Some(w.to_string());
    cx.push(d);
}

fn missing_rows(cx: &mut Ctx, table: &Table) {
    let spec = table.spec();
    for (i, r) in spec.rows.iter().enumerate() {
        if table.by_spec[i].is_some() {
            continue;
        }
        // Where it belongs: before the next row present, else after the previous.
        let next = (i + 1..spec.rows.len()).find_map(|j| table.by_spec[j]);
        let prev = (0..i).rev().find_map(|j| table.by_spec[j]);
        let at = match (next, prev) {
            // Flattened: the line holds the whole report; point at the row.
            (Some(n), _) if !table.fixable() => table.rows[n].range.start,
            (None, Some(p)) if !table.fixable() => table.rows[p].range.end,
            _ if !table.fixable() => table.range.end,
            (Some(n), _) => cx.report.lines[table.rows[n].first_line].range.start,
            (None, Some(p)) => cx.report.lines[table.rows[p].last_line].next,
            (None, None) => cx.report.lines[table.last_line].next,
        };
        // Only now: most tables lack no row, and the search for the first
        // line break crosses kilobytes of flattened text.
        let eol = line_ending(cx.text);
        let fields = zero_row(spec, r);
        let mut text = String::new();
        if at == cx.report.len && !cx.text.ends_with(['\n', '\r']) {
            text.push_str(eol);
        }
        text.push_str(&render_rows(&[fields], table.layout, eol));
        let mut d = Diagnostic::new(
            "NB202",
            TextRange::empty(at),
            cx.msgf(
                format_args!("{}缺少「{}」行", spec.name_zh, r.label),
                format_args!("the {} lacks the row 「{}」", spec.name_en, r.label),
            ),
        );
        // No insertion into a flattened line: it would be glued to a digit run.
        d.fixes.extend(table.fixable().then(|| Fix {
            title: cx.msgf(
                format_args!("插入「{}」行（全部为0）", r.label),
                format_args!("Insert the row 「{}」 with zeros", r.label),
            ),
            kind: FixKind::Cell,
            edits: vec![TextEdit { range: TextRange::empty(at), new_text: text }],
        }));
        cx.push(d);
    }
}

fn cells(cx: &mut Ctx, ti: usize, table: &Table) {
    let spec = table.spec();
    for (ri, row) in table.rows.iter().enumerate() {
        if row.shape != Shape::Ok {
            continue;
        }
        let Some(si) = row.spec else { continue };
        for (ci, cell) in row.cells.iter().enumerate() {
            let col = &spec.columns[ci];
            let path = CellPath(spec.rows[si].label, col.label);
            match (&cell.value, col.ty) {
                (Value::Empty, _) => {
                    let mut d = Diagnostic::new(
                        "NB205",
                        cell.range,
                        cx.cat(
                            ["单元格为空：", path.0, " × ", path.1, "（空白不按0处理）"],
                            ["empty cell: ", path.0, " × ", path.1, " (a blank is not read as 0)"],
                        ),
                    );
                    if spec.is_derived(si, ci) {
                        if let Some(dv) = cx.derived(ti).iter().find(|d| d.row == ri && d.col == ci) {
                            d.fixes = arith::ladder(cx, ti, cell.range, dv.value);
                        }
                    } else {
                        d.fixes.push(Fix {
                            title: cx.msg("填入0", "Fill in 0"),
                            kind: FixKind::Cell,
                            edits: vec![TextEdit { range: cell.range, new_text: "0".into() }],
                        });
                    }
                    cx.push(d);
                }
                (Value::Bad, _) => bad(cx, cell.range, path, col.ty),
                (Value::Int(v), CellType::Count | CellType::Amount) if *v < 0 => bad(cx, cell.range, path, col.ty),
                (Value::Dec { .. }, CellType::Count | CellType::Signed) => bad(cx, cell.range, path, col.ty),
                (Value::Dec { value, .. }, CellType::Amount) if *value < 0.0 => bad(cx, cell.range, path, col.ty),
                _ => {}
            }
            if col.ty == CellType::Amount {
                amount(cx, cell, path);
            }
            if cell.unit.is_some() && col.ty != CellType::Amount {
                bad(cx, cell.range, path, col.ty);
            }
        }
    }
}

/// 「row × column」 for messages: the labels of a cell's row and column.
#[derive(Clone, Copy)]
struct CellPath(&'static str, &'static str);

impl std::fmt::Display for CellPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} × {}", self.0, self.1)
    }
}

fn bad(cx: &mut Ctx, range: TextRange, path: CellPath, ty: CellType) {
    let (zh, en) = match ty {
        CellType::Count => ("应为非负整数", "must be a non-negative integer"),
        CellType::Signed => ("应为整数（可为负数）", "must be an integer (it may be negative)"),
        CellType::Amount => ("应为非负数", "must be a non-negative number"),
    };
    let q = cx.quote(range);
    cx.push(Diagnostic::new(
        "NB204",
        range,
        cx.cat(
            ["「", &q, "」不是有效数值：", path.0, " × ", path.1, zh],
            ["「", &q, "」 is not a valid value: ", path.0, " × ", path.1, " ", en],
        ),
    ));
}

fn amount(cx: &mut Ctx, cell: &crate::report::Cell, path: CellPath) {
    if let Some(unit) = &cell.unit {
        cx.push(Diagnostic::new(
            "NB208",
            cell.range,
            cx.msgf(
                format_args!("金额单元格带有单位「{unit}」：{path}；单位应在表头中（万元）"),
                format_args!(
                    "the amount cell carries the unit 「{unit}」: {path}; the unit belongs in the header (万元)"
                ),
            ),
        ));
        return;
    }
    let Some(want) = cx.config.amount_decimals else { return };
    let have = match cell.value {
        Value::Int(_) => 0,
        Value::Dec { decimals, .. } => decimals,
        _ => return,
    };
    if have != want {
        let mut d = Diagnostic::new(
            "NB208",
            cell.range,
            cx.msgf(
                format_args!("金额应保留{want}位小数，实际为{have}位：{path}"),
                format_args!("the amount should have {want} decimals, it has {have}: {path}"),
            ),
        );
        d.expected = Some(want.to_string());
        d.found = Some(have.to_string());
        cx.push(d);
    }
}

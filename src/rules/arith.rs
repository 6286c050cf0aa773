//! Arithmetic: NB301 row total, NB302 （七）总计, NB303 balance, NB304 section
//! 四 group totals. Only on tables whose values were aligned; the expected
//! values come from `fix::derived_values`, so a diagnostic and its fix never
//! disagree.

use super::{Ctx, Diagnostic, Fix, FixKind, Related, TextEdit};
use crate::fix::{corrected_cell_value, DerivedCell};
use crate::report::Table;
use crate::schema::{Relation, TableId};
use crate::text::TextRange;

pub(super) fn check(cx: &mut Ctx) {
    let report = cx.report;
    let mut out = Vec::new();
    for (ti, table) in report.tables.iter().enumerate() {
        if !table.readable() {
            continue;
        }
        let spec = table.spec();
        let derived = cx.derived(ti);
        for d in derived {
            let cell = &table.rows[d.row].cells[d.col];
            let Some(found) = cell.int() else { continue };
            if found == d.value {
                continue;
            }
            // A decoded flattened row holds its own total (it chose the split):
            // a total off only through a corrected （七） cell is that NB302.
            if d.code == "NB301" && !table.fixable() {
                continue;
            }
            let row_label = table.rows[d.row].spec.map_or("", |i| spec.rows[i].label);
            let col_label = spec.columns[d.col].label;
            let parts = d.parts(table);
            let terms: Vec<String> = parts
                .iter()
                .map(|&(r, c)| {
                    let v = table.rows[r].cells[c].int().unwrap_or_default();
                    let name = if d.code == "NB302" {
                        table.rows[r].spec.map_or("?", |i| spec.rows[i].label).to_string()
                    } else {
                        spec.columns[c].label.rsplit('·').next().unwrap_or("").to_string()
                    };
                    format!("{name} {v}")
                })
                .collect();
            let shown: Vec<&String> = terms.iter().filter(|p| !p.ends_with(" 0")).collect();
            let summary = if shown.is_empty() {
                "全部为0".to_string()
            } else {
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" + ")
            };
            let summary_en = if shown.is_empty() { "all 0".to_string() } else { summary.clone() };
            let what_zh = match d.code {
                "NB302" => format!("（七）总计 × {}", col_label),
                "NB304" => col_label.to_string(),
                _ => format!("「{row_label}」的总计"),
            };
            let what_en = match d.code {
                "NB302" => format!("（七）总计 × {col_label}"),
                "NB304" => col_label.to_string(),
                _ => format!("the 总计 of 「{row_label}」"),
            };
            let mut diag = Diagnostic::new(
                d.code,
                cell.range,
                cx.msgf(
                    format_args!("{what_zh}应为 {}，实际为 {found}（{summary}）", d.value),
                    format_args!("{what_en} should be {}, found {found} ({summary_en})", d.value),
                ),
            );
            diag.expected = Some(d.value.to_string());
            diag.found = Some(found.to_string());
            diag.related = parts
                .iter()
                .map(|&(r, c)| {
                    let cell = &table.rows[r].cells[c];
                    let name = format!(
                        "{} × {}",
                        table.rows[r].spec.map_or("?", |i| spec.rows[i].label),
                        spec.columns[c].label
                    );
                    Related::here(cell.range, cx.msgf(format_args!("被加数：{name}"), format_args!("summed: {name}")))
                })
                .collect();
            diag.fixes = ladder(cx, ti, cell.range, d.value);
            out.push(diag);
        }
        if table.id == TableId::T3 {
            balance(cx, ti, table, derived, &mut out);
        }
    }
    cx.out.extend(out);
}

/// The code-action ladder of product-spec §4 for a derived cell.
/// None on a decoded flattened table ([`Table::fixable`]).
pub(super) fn ladder(cx: &Ctx, ti: usize, range: TextRange, value: i64) -> Vec<Fix> {
    if !cx.report.tables[ti].fixable() {
        return Vec::new();
    }
    let mut fixes = vec![Fix {
        title: cx.msgf(format_args!("将此单元格改为 {value}"), format_args!("Set this cell to {value}")),
        kind: FixKind::Cell,
        edits: vec![TextEdit { range, new_text: value.to_string() }],
    }];
    let table_fix = cx.table_edits(ti);
    if !table_fix.is_empty() {
        fixes.push(Fix {
            title: cx.msg("重新计算本表全部总计", "Recompute all totals in this table"),
            kind: FixKind::Table,
            edits: table_fix.to_vec(),
        });
    }
    let doc = cx.report_edits();
    if !doc.is_empty() {
        fixes.push(Fix {
            title: cx.msg("重新计算全部总计", "Recompute all totals in the document"),
            kind: FixKind::Document,
            edits: doc.to_vec(),
        });
    }
    fixes
}

/// NB303: 一 + 二 = （七）总计 + 四, per column, with （七） as corrected by the
/// derived-cell fixes (so one wrong （七） cell is reported once, as NB302).
fn balance(cx: &Ctx, ti: usize, table: &Table, derived: &[DerivedCell], out: &mut Vec<Diagnostic>) {
    let spec = table.spec();
    for rel in spec.relations {
        let Relation::Balance { code, plus, minus, carry } = rel else { continue };
        let idx = |id: &str| spec.row_index(id).and_then(|i| table.by_spec[i]);
        let plus: Option<Vec<usize>> = plus.iter().map(|id| idx(id)).collect();
        let minus: Option<Vec<usize>> = minus.iter().map(|id| idx(id)).collect();
        let (Some(plus), Some(minus), Some(carry)) = (plus, minus, idx(carry)) else { continue };
        for c in 0..spec.width() {
            let get = |r: usize| corrected_cell_value(table, derived, r, c);
            let p: Option<i64> = plus.iter().map(|&r| get(r)).sum();
            let m: Option<i64> = minus.iter().map(|&r| get(r)).sum();
            let (Some(p), Some(m), Some(found)) = (p, m, table.rows[carry].cells.get(c).and_then(|x| x.int())) else {
                continue;
            };
            let expected = p - m;
            if expected == found {
                continue;
            }
            let col = spec.columns[c].label;
            let range = table.rows[carry].cells[c].range;
            let mut d = Diagnostic::new(
                code,
                range,
                cx.msgf(
                    format_args!(
                        "{col}：一 + 二 = {p}，但（七）总计 + 四 = {m} + {found} = {}；四应为 {expected}",
                        m + found
                    ),
                    format_args!(
                        "{col}: 一 + 二 = {p}, but （七）总计 + 四 = {m} + {found} = {}; 四 should be {expected}",
                        m + found
                    ),
                ),
            );
            d.expected = Some(expected.to_string());
            d.found = Some(found.to_string());
            for &r in plus.iter().chain(&minus) {
                let name = table.rows[r].spec.map_or("?", |i| spec.rows[i].label);
                d.related.push(Related::here(
                    table.rows[r].cells[c].range,
                    cx.msgf(format_args!("{name} × {col}"), format_args!("{name} × {col}")),
                ));
            }
            // The totals ladder (table, document) when other totals are wrong, then
            // the secondary action.
            let mut fixes = ladder(cx, ti, range, expected);
            if !fixes.is_empty() {
                fixes.remove(0);
            }
            if expected >= 0 && table.fixable() {
                fixes.push(Fix {
                    title: cx.msgf(
                        format_args!("将「四、结转下年度继续办理」设为 一 + 二 − （七） = {expected}"),
                        format_args!("Set 四、结转下年度继续办理 to 一 + 二 − （七） = {expected}"),
                    ),
                    kind: FixKind::Secondary,
                    edits: vec![TextEdit { range, new_text: expected.to_string() }],
                });
            }
            d.fixes = fixes;
            out.push(d);
        }
    }
}

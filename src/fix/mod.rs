//! Fixes: literal text edits computed from the current text.
//!
//! Only derived cells are ever changed (row 总计, the （七）总计 row, the three
//! section 四 总计), plus the insertions the rules offer (headings, skeleton
//! tables, rows, fill 0). An edit keeps the line's separator style and touches
//! nothing but the number. No I/O here: the CLI writes files, the server sends
//! `WorkspaceEdit`s.

mod derive;
mod skeleton;

pub use derive::{corrected_cell_value, corrected_value, derived_cells, derived_values, Derived, DerivedCell};
pub use skeleton::{line_ending, render_rows, skeleton_table, table_layout, zero_row};

use crate::report::{Report, Table};
use crate::rules::{Config, TextEdit};

/// The edits that set every wrong or empty derived cell of `table`.
pub fn table_edits(table: &Table) -> Vec<TextEdit> {
    edits_of(table, &derived_cells(table))
}

/// [`table_edits`] from the table's [`derived_cells`], already computed.
/// None for a decoded flattened table ([`Table::fixable`]).
pub fn edits_of(table: &Table, derived: &[DerivedCell]) -> Vec<TextEdit> {
    if !table.fixable() {
        return Vec::new();
    }
    derived
        .iter()
        .filter_map(|d| {
            let cell = &table.rows[d.row].cells[d.col];
            (cell.int() != Some(d.value)).then(|| TextEdit { range: cell.range, new_text: d.value.to_string() })
        })
        .collect()
}

/// Every safe total fix of the report (the `source.fixAll.nianbao` edit),
/// sorted by position.
pub fn report_edits(report: &Report) -> Vec<TextEdit> {
    merge_edits(report.tables.iter().flat_map(table_edits))
}

/// The tables' edits as one document edit: sorted, one per range.
pub fn merge_edits(edits: impl IntoIterator<Item = TextEdit>) -> Vec<TextEdit> {
    let mut edits: Vec<TextEdit> = edits.into_iter().collect();
    edits.sort();
    edits.dedup_by(|a, b| a.range == b.range);
    edits
}

/// Every safe total fix in the document. Empty when there is nothing to fix
/// or the text is not a report.
pub fn fix_all(text: &str, config: &Config) -> Vec<TextEdit> {
    let report = crate::report::parse(text);
    if !report.is_report && !config.force_report {
        return Vec::new();
    }
    if report.format().is_none() {
        return Vec::new();
    }
    report_edits(&report)
}

/// Applies non-overlapping edits to `text`. Edits may come in any order.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut at = 0;
    for e in sorted {
        if e.range.start < at || e.range.end > text.len() {
            // Overlapping or out-of-range edits are dropped rather than
            // corrupting the text; callers produce non-overlapping edits.
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.new_text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

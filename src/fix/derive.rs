//! The value every derived cell should hold, computed in the order of
//! product-spec §4: （七） per column first, then row totals (with the
//! corrected （七）), and section 四's group totals. Shared by the arithmetic
//! rules (what is wrong) and the fixes (what to write).

use crate::report::{Shape, Table};
use crate::schema::{Relation, RowKind};

/// A derived cell and the value its inputs give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    pub code: &'static str,
    /// Index into `table.rows`.
    pub row: usize,
    pub col: usize,
    pub value: i64,
    /// The summed cells: (row index, column).
    pub parts: Vec<(usize, usize)>,
}

fn cell_int(table: &Table, row: usize, col: usize) -> Option<i64> {
    let r = &table.rows[row];
    if r.shape != Shape::Ok {
        return None;
    }
    r.cells.get(col)?.int()
}

/// Every derived cell whose inputs are all readable integers. Empty when the
/// table's values could not be aligned.
pub fn derived_values(table: &Table) -> Vec<Derived> {
    if !table.readable() {
        return Vec::new();
    }
    let spec = table.spec();
    let mut out: Vec<Derived> = Vec::new();
    // Corrected values of cells already derived, so row totals use the fixed （七）.
    let mut corrected: Vec<((usize, usize), i64)> = Vec::new();
    let value = |corrected: &[((usize, usize), i64)], row: usize, col: usize| {
        corrected.iter().find(|(k, _)| *k == (row, col)).map(|(_, v)| *v).or_else(|| cell_int(table, row, col))
    };
    for rel in spec.relations {
        if let Relation::ColumnTotal { code, total, cols } = rel {
            let Some(t) = spec.row_index(total).and_then(|i| table.by_spec[i]) else { continue };
            let leaves: Vec<Option<usize>> = spec
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == RowKind::Leaf)
                .map(|(i, _)| table.by_spec[i])
                .collect();
            if leaves.iter().any(Option::is_none) {
                continue;
            }
            let leaves: Vec<usize> = leaves.into_iter().flatten().collect();
            // （七）'s own 总计 column follows from its row total below.
            for &c in cols.iter().filter(|&&c| !is_row_total_col(spec, c)) {
                let sum: Option<i64> = leaves.iter().map(|&r| cell_int(table, r, c)).sum();
                let Some(v) = sum else { continue };
                if table.rows[t].shape != Shape::Ok {
                    continue;
                }
                corrected.push(((t, c), v));
                out.push(Derived { code, row: t, col: c, value: v, parts: leaves.iter().map(|&r| (r, c)).collect() });
            }
        }
    }
    for rel in spec.relations {
        if let Relation::RowTotal { code, total, parts } = rel {
            for (ri, row) in table.rows.iter().enumerate() {
                if row.shape != Shape::Ok || row.spec.is_none() {
                    continue;
                }
                let sum: Option<i64> = parts.iter().map(|&c| value(&corrected, ri, c)).sum();
                let Some(sum) = sum else { continue };
                if row.cells.get(*total).is_none() {
                    continue;
                }
                out.push(Derived {
                    code,
                    row: ri,
                    col: *total,
                    value: sum,
                    parts: parts.iter().map(|&c| (ri, c)).collect(),
                });
            }
        }
    }
    out
}

fn is_row_total_col(spec: &crate::schema::TableSpec, col: usize) -> bool {
    spec.relations.iter().any(|r| matches!(r, Relation::RowTotal { total, .. } if *total == col))
}

/// The value of cell (row, col) after every derived cell is corrected.
pub fn corrected_value(table: &Table, derived: &[Derived], row: usize, col: usize) -> Option<i64> {
    derived.iter().find(|d| d.row == row && d.col == col).map(|d| d.value).or_else(|| cell_int(table, row, col))
}

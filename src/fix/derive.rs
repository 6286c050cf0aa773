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

/// A [`Derived`] cell without the list of its summed cells, which only a
/// message about a wrong total reads ([`DerivedCell::parts`]): the rules
/// check every table, and a list per cell was most of the cost.
#[derive(Clone, Copy, Debug)]
pub struct DerivedCell {
    pub code: &'static str,
    /// Index into `table.rows`.
    pub row: usize,
    pub col: usize,
    pub value: i64,
    /// The relation that derives it.
    relation: &'static Relation,
}

impl DerivedCell {
    /// The summed cells: (row index, column).
    pub fn parts(&self, table: &Table) -> Vec<(usize, usize)> {
        match self.relation {
            Relation::RowTotal { parts, .. } => parts.iter().map(|&c| (self.row, c)).collect(),
            // Every leaf row is present: the total was derived.
            _ => leaf_rows(table).flatten().map(|r| (r, self.col)).collect(),
        }
    }
}

fn cell_int(table: &Table, row: usize, col: usize) -> Option<i64> {
    let r = &table.rows[row];
    if r.shape != Shape::Ok {
        return None;
    }
    r.cells.get(col)?.int()
}

/// The rows matched to the spec's leaf rows, in the spec's order.
fn leaf_rows(table: &Table) -> impl Iterator<Item = Option<usize>> + '_ {
    let spec = table.spec();
    spec.rows.iter().zip(&table.by_spec).filter(|(r, _)| r.kind == RowKind::Leaf).map(|(_, &row)| row)
}

/// Every derived cell whose inputs are all readable integers. Empty when the
/// table's values could not be aligned.
pub fn derived_values(table: &Table) -> Vec<Derived> {
    let cells = derived_cells(table);
    cells
        .iter()
        .map(|d| Derived { code: d.code, row: d.row, col: d.col, value: d.value, parts: d.parts(table) })
        .collect()
}

/// [`derived_values`] without their summed cells.
pub fn derived_cells(table: &Table) -> Vec<DerivedCell> {
    if !table.readable() || table.spec().relations.is_empty() {
        return Vec::new();
    }
    let spec = table.spec();
    let width = spec.width();
    // Every cell's integer, read once: the relations read most cells
    // several times, and a row total reads （七）'s corrected values below.
    let mut values: Vec<Option<i64>> = Vec::with_capacity(table.rows.len() * width);
    for row in 0..table.rows.len() {
        values.extend((0..width).map(|col| cell_int(table, row, col)));
    }
    let at =
        |values: &[Option<i64>], row: usize, col: usize| if col < width { values[row * width + col] } else { None };
    let mut out: Vec<DerivedCell> = Vec::with_capacity(
        spec.relations
            .iter()
            .map(|rel| match rel {
                Relation::ColumnTotal { cols, .. } => cols.len(),
                Relation::RowTotal { .. } => table.rows.len(),
                Relation::Balance { .. } => 0,
            })
            .sum(),
    );
    // Corrected values of cells already derived, so row totals use the fixed （七）.
    let mut corrected: Vec<((usize, usize), i64)> = Vec::new();
    for relation in spec.relations {
        if let Relation::ColumnTotal { code, total, cols } = relation {
            let Some(t) = spec.row_index(total).and_then(|i| table.by_spec[i]) else { continue };
            let Some(leaves) = leaf_rows(table).collect::<Option<Vec<usize>>>() else { continue };
            // （七）'s own 总计 column follows from its row total below.
            for &c in cols.iter().filter(|&&c| !is_row_total_col(spec, c)) {
                let sum: Option<i64> = leaves.iter().map(|&r| at(&values, r, c)).sum();
                let Some(v) = sum else { continue };
                if table.rows[t].shape != Shape::Ok {
                    continue;
                }
                corrected.push(((t, c), v));
                out.push(DerivedCell { code, row: t, col: c, value: v, relation });
            }
        }
    }
    // In reverse, so that the first correction of a cell is the one it keeps.
    for &((row, col), v) in corrected.iter().rev() {
        if col < width {
            values[row * width + col] = Some(v);
        }
    }
    for relation in spec.relations {
        if let Relation::RowTotal { code, total, parts } = relation {
            for (ri, row) in table.rows.iter().enumerate() {
                if row.shape != Shape::Ok || row.spec.is_none() {
                    continue;
                }
                let sum: Option<i64> = parts.iter().map(|&c| at(&values, ri, c)).sum();
                let Some(sum) = sum else { continue };
                if row.cells.get(*total).is_none() {
                    continue;
                }
                out.push(DerivedCell { code, row: ri, col: *total, value: sum, relation });
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
    corrected(table, derived.iter().map(|d| (d.row, d.col, d.value)), row, col)
}

/// [`corrected_value`] from [`derived_cells`].
pub fn corrected_cell_value(table: &Table, derived: &[DerivedCell], row: usize, col: usize) -> Option<i64> {
    corrected(table, derived.iter().map(|d| (d.row, d.col, d.value)), row, col)
}

/// The derived value of (row, col) among `derived` (row, column, value),
/// else the cell's own.
fn corrected(
    table: &Table,
    mut derived: impl Iterator<Item = (usize, usize, i64)>,
    row: usize,
    col: usize,
) -> Option<i64> {
    derived.find(|&(r, c, _)| r == row && c == col).map(|(_, _, v)| v).or_else(|| cell_int(table, row, col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::parse;
    use crate::text::TextRange;

    /// [`derived_values`] as it was: each relation read its cells anew, and
    /// each part of a row total was looked up among the corrected cells.
    fn derived_values_as_it_was(table: &Table) -> Vec<Derived> {
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
                    out.push(Derived {
                        code,
                        row: t,
                        col: c,
                        value: v,
                        parts: leaves.iter().map(|&r| (r, c)).collect(),
                    });
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

    /// The seeds and a few corpus reports (tab rows, cell per line, pipes,
    /// Markdown), with one to four cells of their arithmetic tables rewritten
    /// (blank, digits, full-width, a decimal, negative, a unit, 𠮷), some
    /// with CRLF or lone CR line breaks.
    #[test]
    fn derived_values_are_the_ones_computed_as_they_were() {
        let reports = [
            include_str!("../../fixtures/seeds/000_8c402685963ba8a5.txt"),
            include_str!("../../fixtures/seeds/001_164254f647ab523c.txt"),
            include_str!("../../fixtures/seeds/002_1afd807652ea93b8.txt"),
            include_str!("../../fixtures/seeds/003_42380e1adf95d416.txt"),
            include_str!("../../fixtures/seeds/004_446d20770044734b.txt"),
            include_str!("../../fixtures/corpus/001.txt"),
            include_str!("../../fixtures/corpus/007.txt"),
        ];
        let values = ["", "0", "7", "12", "123", "-3", "1.5", "x", "１２", "3件", "𠮷", " 4 ", "0.00"];
        let mut next = crate::text::xorshift(0xde71_7ed0_0000_0302u64);
        let mut derived = 0;
        for report in reports {
            let cells: Vec<TextRange> = parse(report)
                .tables
                .iter()
                .filter(|t| !t.spec().relations.is_empty())
                .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.range)))
                .collect();
            assert!(!cells.is_empty(), "a report without arithmetic tables");
            for _ in 0..150 {
                let mut picked: Vec<TextRange> =
                    (0..1 + next() % 4).map(|_| cells[(next() % cells.len() as u64) as usize]).collect();
                picked.sort_by_key(|r| r.start);
                picked.dedup();
                // From the last, so that the ranges before stay put.
                let mut text = report.to_string();
                for r in picked.iter().rev() {
                    text.replace_range(r.start..r.end, values[(next() % values.len() as u64) as usize]);
                }
                match next() % 4 {
                    0 => text = text.replace('\n', "\r\n"),
                    1 => text = text.replace('\n', "\r"),
                    _ => {}
                }
                for table in &parse(&text).tables {
                    let want = derived_values_as_it_was(table);
                    assert_eq!(derived_values(table), want, "{:?} in {text:?}", table.id);
                    derived += want.len();
                }
            }
        }
        assert!(derived > 10_000, "few derived cells compared: {derived}");
    }
}

//! The official report formats as data: the six sections, the tables of
//! sections 二/三/四 with every row and column label, and the arithmetic
//! relations between their cells.
//!
//! This is the single place that knows labels. The parser aligns rows against
//! it, the rules interpret its relations, the fixer writes its skeletons. It
//! holds no logic beyond lookups, and does no I/O.

mod data;

pub use data::{FORMAT_2019, FORMAT_2021};

/// Which official format a report follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormatId {
    /// 《…年度报告格式（试行）》, 国办公开办函〔2019〕60号: the 2019 and 2020 reports.
    F2019,
    /// 国办公开办函〔2021〕30号: the 2021 reports on.
    F2021,
}

impl FormatId {
    pub fn as_str(self) -> &'static str {
        match self {
            FormatId::F2019 => "2019",
            FormatId::F2021 => "2021",
        }
    }

    /// The format a report of `year` must follow; `None` for 2018 and earlier.
    pub fn for_year(year: u16) -> Option<FormatId> {
        match year {
            2019 | 2020 => Some(FormatId::F2019),
            y if y >= 2021 => Some(FormatId::F2021),
            _ => None,
        }
    }

    pub fn schema(self) -> &'static Schema {
        match self {
            FormatId::F2019 => &FORMAT_2019,
            FormatId::F2021 => &FORMAT_2021,
        }
    }
}

#[derive(Debug)]
pub struct Schema {
    pub id: FormatId,
    pub sections: &'static [SectionSpec],
    /// Section 二's sub-tables, in order (T2a …).
    pub t2: &'static [TableSpec],
    pub t3: TableSpec,
    pub t4: TableSpec,
    /// Column-header labels that only this format's table 二 uses (format detection).
    pub t2_markers: &'static [&'static str],
}

impl Schema {
    pub fn tables(&self) -> impl Iterator<Item = &TableSpec> {
        self.t2.iter().chain([&self.t3, &self.t4])
    }

    pub fn table(&self, id: TableId) -> Option<&TableSpec> {
        self.tables().find(|t| t.id == id)
    }

    pub fn section(&self, num: u8) -> &SectionSpec {
        &self.sections[usize::from(num - 1)]
    }
}

#[derive(Debug)]
pub struct SectionSpec {
    /// 1…6.
    pub num: u8,
    pub numeral: char,
    /// The canonical heading, with its numeral: 「一、总体情况」.
    pub heading: &'static str,
    /// Accepted variants of the heading text, without numeral.
    pub variants: &'static [&'static str],
    /// A heading (masks removed) that contains any of these is this section.
    pub keywords: &'static [&'static str],
    /// What the format requires here (hover text), zh and en.
    pub requires_zh: &'static str,
    pub requires_en: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    /// 第二十条第（一）项: 规章, (行政)规范性文件.
    T2a,
    /// 第二十条第（五）项: 行政许可 (…).
    T2b,
    /// 第二十条第（六）项: 行政处罚, 行政强制.
    T2c,
    /// 第二十条第（八）项: 行政事业性收费.
    T2d,
    /// 第二十条第（九）项: 政府集中采购 (2019 format only).
    T2e,
    /// Section 三: applications.
    T3,
    /// Section 四: administrative review and litigation.
    T4,
}

impl TableId {
    pub fn section(self) -> u8 {
        match self {
            TableId::T3 => 3,
            TableId::T4 => 4,
            _ => 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellType {
    /// A non-negative integer count.
    Count,
    /// A signed integer (2019 本年增/减).
    Signed,
    /// A non-negative decimal amount (收费金额, 采购总金额).
    Amount,
}

#[derive(Debug)]
pub struct ColumnSpec {
    pub id: &'static str,
    /// The full path of the column, for hover: 「申请人情况·法人或其他组织·商业企业」.
    pub label: &'static str,
    pub ty: CellType,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// Typed in by the author.
    Input,
    /// A leaf of 三、本年度办理结果; summed into （七）总计.
    Leaf,
    /// Computed from other rows (（七）总计).
    Derived,
}

#[derive(Debug)]
pub struct RowSpec {
    pub id: &'static str,
    /// The exact official label.
    pub label: &'static str,
    /// The group label printed before it (「（三）不予公开」), if any.
    pub group: Option<&'static str>,
    pub kind: RowKind,
}

/// An arithmetic relation of the format (format-spec §5.1).
#[derive(Debug)]
pub enum Relation {
    /// A1/NB301, every row: `cols[total] = Σ cols[parts]`.
    RowTotal { code: &'static str, total: usize, parts: &'static [usize] },
    /// A2/NB302, every column in `cols`: `row[total] = Σ rows of kind Leaf`.
    ColumnTotal { code: &'static str, total: &'static str, cols: &'static [usize] },
    /// A3/NB303, every column: `Σ plus = Σ minus + carry`.
    Balance { code: &'static str, plus: &'static [&'static str], minus: &'static [&'static str], carry: &'static str },
}

#[derive(Debug)]
pub struct TableSpec {
    pub id: TableId,
    /// The caption that starts the table: 「第二十条第（一）项」, or a header label.
    pub caption: &'static str,
    /// Header labels printed between caption and data (「信息内容」 …).
    pub header: &'static [&'static str],
    pub columns: &'static [ColumnSpec],
    pub rows: &'static [RowSpec],
    pub relations: &'static [Relation],
    /// Human name, zh and en.
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

impl TableSpec {
    pub fn row_index(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// Is column `col` of row `row` computed from other cells (a fix may set it)?
    pub fn is_derived(&self, row: usize, col: usize) -> bool {
        self.relations.iter().any(|rel| match rel {
            Relation::RowTotal { total, .. } => *total == col,
            Relation::ColumnTotal { total, cols, .. } => self.rows[row].id == *total && cols.contains(&col),
            Relation::Balance { .. } => false,
        })
    }
}

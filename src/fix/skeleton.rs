//! Text for insertions (missing sections, tables and rows), written in the
//! document's own table layout and line ending.

use crate::report::{Layout, Report};
use crate::schema::{RowSpec, TableSpec};

/// The document's line ending: the first one it uses, else `\n`.
pub fn line_ending(text: &str) -> &'static str {
    // Two byte searches (memchr): the first line of flattened web text runs
    // for kilobytes, and a search for either character goes char by char.
    let lf = text.find('\n').unwrap_or(text.len());
    match text[..lf].find('\r') {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(_) => "\r",
        None => "\n",
    }
}

/// The layout most of the document's tables use (tab rows when it has none).
pub fn table_layout(report: &Report) -> Layout {
    let layouts = [Layout::CellPerLine, Layout::PlainLines, Layout::TabRows, Layout::PipeRows, Layout::Markdown];
    layouts
        .into_iter()
        .max_by_key(|l| (report.tables.iter().filter(|t| t.layout == *l).count(), *l == Layout::TabRows))
        .unwrap_or(Layout::TabRows)
}

/// Renders rows of fields in `layout`, each row ending with `eol`.
pub fn render_rows(rows: &[Vec<String>], layout: Layout, eol: &str) -> String {
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        match layout {
            Layout::TabRows => {
                out.push_str(&row.join("\t"));
                out.push_str(eol);
            }
            Layout::PipeRows => {
                out.push_str(&row.join(" | "));
                out.push_str(" |");
                out.push_str(eol);
            }
            Layout::Markdown => {
                out.push_str("| ");
                out.push_str(&row.join(" | "));
                out.push_str(" |");
                out.push_str(eol);
                if i == 0 {
                    out.push('|');
                    out.push_str(&"---|".repeat(row.len()));
                    out.push_str(eol);
                }
            }
            Layout::CellPerLine => {
                for f in row {
                    out.push('\t');
                    out.push_str(f);
                    out.push_str(eol);
                }
                out.push_str(eol);
            }
            // Never asked for: decoded flattened tables get no insertions.
            Layout::PlainLines | Layout::Flattened => {
                for f in row {
                    out.push_str(f);
                    out.push_str(eol);
                }
            }
        }
    }
    out
}

/// A data row with zeros: its label and one `0` per column.
pub fn zero_row(spec: &TableSpec, row: &RowSpec) -> Vec<String> {
    let mut fields = vec![row.label.to_string()];
    fields.extend(std::iter::repeat_n("0".to_string(), spec.width()));
    fields
}

/// A whole table with zeros: caption, headers, every row.
pub fn skeleton_table(spec: &TableSpec, layout: Layout, eol: &str) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if spec.caption.starts_with("第二十条") {
        rows.push(vec![spec.caption.to_string()]);
        rows.push(spec.header.iter().map(|s| s.to_string()).collect());
    } else if spec.id == crate::schema::TableId::T4 {
        // The official header: 行政复议 / 行政诉讼, then each column's own label.
        rows.push(vec!["行政复议".to_string(), "行政诉讼".to_string()]);
        rows.push(spec.columns.iter().map(|c| c.label.rsplit('·').next().unwrap_or(c.label).to_string()).collect());
    } else {
        let mut head = vec![spec.caption.to_string()];
        head.extend(spec.columns.iter().map(|c| c.label.rsplit('·').next().unwrap_or(c.label).to_string()));
        rows.push(head);
    }
    for r in spec.rows {
        if spec.id == crate::schema::TableId::T4 {
            rows.push(std::iter::repeat_n("0".to_string(), spec.width()).collect());
        } else {
            rows.push(zero_row(spec, r));
        }
    }
    render_rows(&rows, layout, eol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_ending_is_the_first_break_character() {
        let parts = ["a", "报", "\r", "\n", "\r\n", "\n\r", "𠮷"];
        let mut next = crate::text::xorshift(0x5851_f42d_4c95_7f2du64);
        for _ in 0..3000 {
            let text: String = (0..next() % 8).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            let want = match text.find(['\r', '\n']) {
                Some(i) if text[i..].starts_with("\r\n") => "\r\n",
                Some(i) if text.as_bytes()[i] == b'\r' => "\r",
                _ => "\n",
            };
            assert_eq!(line_ending(&text), want, "{text:?}");
        }
    }
}

//! A readable rendering of a parsed report, one line per item, for the
//! report layer's snapshot tests and for debugging the parser.

use std::fmt::Write;

use super::{Report, Shape, Value};

fn quote(text: &str, r: crate::text::TextRange) -> String {
    let s = r.slice(text).replace('\t', "→").replace(['\r', '\n'], "⏎");
    if s.chars().count() > 24 {
        format!("「{}…」", s.chars().take(24).collect::<String>())
    } else {
        format!("「{s}」")
    }
}

/// Renders the outline and every table row with its matched spec row and values.
pub fn dump(text: &str, report: &Report) -> String {
    let mut out = String::new();
    let line_of = |offset: usize| report.lines.partition_point(|l| l.next <= offset) + 1;
    let _ = writeln!(
        out,
        "report={} year={:?} year_format={:?} table_format={:?}",
        report.is_report,
        report.year,
        report.year_format.map(|f| f.as_str()),
        report.table_format.map(|f| f.as_str())
    );
    if let Some(t) = &report.title {
        let _ = writeln!(out, "title L{} {} org={:?}", line_of(t.range.start), quote(text, t.range), t.org);
    }
    if let Some(p) = &report.period {
        let _ = writeln!(out, "period {} L{}", p.year, line_of(p.range.start));
    }
    for s in &report.sections {
        let _ = writeln!(out, "section {} L{} {}", s.num, s.line + 1, quote(text, s.title));
    }
    for s in &report.subheadings {
        let _ = writeln!(out, "  sub ({}) L{}", s.number, s.line + 1);
    }
    for (l, r) in &report.stray_numerals {
        let _ = writeln!(out, "  stray L{} {}", l + 1, quote(text, *r));
    }
    for t in &report.tables {
        let _ = writeln!(
            out,
            "table {:?} {} L{}-L{} {:?}",
            t.id,
            t.format.as_str(),
            t.first_line + 1,
            t.last_line + 1,
            t.layout
        );
        let spec = t.spec();
        for r in &t.rows {
            let name = r.spec.map_or("?", |i| spec.rows[i].id);
            let label = r.label.map(|l| quote(text, l)).unwrap_or_default();
            match &r.shape {
                Shape::Header => {
                    let _ = writeln!(out, "  header L{} {label}", r.first_line + 1);
                }
                Shape::Malformed { found } => {
                    let _ = writeln!(out, "  {name} L{} {label} MALFORMED found={found}", r.first_line + 1);
                }
                Shape::Undecodable { splits } => {
                    let run = r.raw_values.first().map(|v| quote(text, *v)).unwrap_or_default();
                    let _ = writeln!(out, "  {name} L{} {label} UNDECODABLE {run} splits={splits}", r.first_line + 1);
                }
                Shape::Ok => {
                    let vals: Vec<String> = r
                        .cells
                        .iter()
                        .map(|c| match &c.value {
                            Value::Empty => "_".to_string(),
                            Value::Int(v) => v.to_string(),
                            Value::Dec { value, .. } => value.to_string(),
                            Value::Bad => format!("!{}", c.range.slice(text)),
                        })
                        .collect();
                    let _ = writeln!(out, "  {name} L{} {label} [{}]", r.first_line + 1, vals.join(" "));
                }
            }
        }
    }
    out
}

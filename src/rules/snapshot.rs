//! The one-line rendering of diagnostics used by snapshot tests (style.md):
//! `CODE severity L:C-L:C 「covered text」 message`, fixes indented below.
//! Lines and columns are 1-based, columns in characters.

use std::fmt::Write;

use super::Analysis;
use crate::text::{LineIndex, PositionEncoding};

pub fn render(text: &str, analysis: &Analysis) -> String {
    let index = LineIndex::new(text);
    let pos = |o: usize| {
        let lc = index.line_col(text, o, PositionEncoding::Utf32);
        format!("{}:{}", lc.line + 1, lc.col + 1)
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "report={} year={} format={}",
        analysis.is_report,
        analysis.year.map_or("-".to_string(), |y| y.to_string()),
        analysis.format.unwrap_or("-")
    );
    for d in &analysis.diagnostics {
        let covered: String =
            d.range.slice(text).chars().take(30).collect::<String>().replace('\t', "→").replace(['\r', '\n'], "⏎");
        let _ = write!(
            out,
            "{} {} {}-{} 「{}」 {}",
            d.code,
            d.severity.as_str(),
            pos(d.range.start),
            pos(d.range.end),
            covered,
            d.message
        );
        if let (Some(e), Some(f)) = (&d.expected, &d.found) {
            let _ = write!(out, " [expected {e}, found {f}]");
        }
        out.push('\n');
        for r in &d.related {
            let _ = writeln!(out, "    related {} {}", pos(r.range.start), r.message);
        }
        for f in &d.fixes {
            let edits: Vec<String> = f
                .edits
                .iter()
                .take(3)
                .map(|e| {
                    let t: String =
                        e.new_text.chars().take(20).collect::<String>().replace('\t', "→").replace(['\r', '\n'], "⏎");
                    format!("{}-{}=「{}」", pos(e.range.start), pos(e.range.end), t)
                })
                .collect();
            let more = if f.edits.len() > 3 { format!(" (+{} more)", f.edits.len() - 3) } else { String::new() };
            let _ = writeln!(out, "    fix {:?} {}: {}{}", f.kind, f.title, edits.join(" "), more);
        }
    }
    out
}

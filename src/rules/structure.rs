//! Structure: NB101 missing section, NB102 order, NB103 duplicates, NB104
//! numbering.

use super::signature::is_date_line;
use super::{Ctx, Diagnostic, Fix, FixKind, TextEdit};
use crate::fix::{line_ending, skeleton_table, table_layout};
use crate::report::LineKind;
use crate::schema::TableId;
use crate::text::TextRange;

const NUMERALS: [char; 7] = ['〇', '一', '二', '三', '四', '五', '六'];

pub(super) fn check(cx: &mut Ctx) {
    missing_sections(cx);
    order_and_duplicates(cx);
    numbering(cx);
}

/// Where trailing signature and date lines begin (a missing 六 goes before them).
fn signature_start(cx: &Ctx) -> usize {
    let report = cx.report;
    let mut at = report.len;
    for i in (0..report.lines.len()).rev() {
        let s = report.line_text(cx.text, i);
        if s.trim().is_empty() {
            continue;
        }
        let short = s.trim().chars().count() <= 30;
        let indented = s.starts_with("    ") || s.starts_with('\u{3000}');
        if short && (is_date_line(s) || indented) && report.kinds[i] != LineKind::Heading(0) {
            at = report.lines[i].range.start;
            continue;
        }
        break;
    }
    at
}

fn missing_sections(cx: &mut Ctx) {
    let report = cx.report;
    let schema = report.format().expect("checked").schema();
    let eol = line_ending(cx.text);
    let layout = table_layout(report);
    for spec in schema.sections {
        if report.section(spec.num).is_some() {
            continue;
        }
        // Where it belongs: before the next section present, else before the
        // signature at the end.
        let at = report
            .sections
            .iter()
            .filter(|s| s.num > spec.num)
            .map(|s| s.heading.start)
            .min()
            .unwrap_or_else(|| signature_start(cx));
        let mut insert = String::new();
        if at > 0 && !cx.text[..at].ends_with(['\n', '\r']) {
            insert.push_str(eol);
        }
        insert.push_str(spec.heading);
        insert.push_str(eol);
        let tables: Vec<TableId> = match spec.num {
            2 => schema.t2.iter().map(|t| t.id).collect(),
            3 => vec![TableId::T3],
            4 => vec![TableId::T4],
            _ => Vec::new(),
        };
        for id in tables {
            if let Some(t) = schema.table(id) {
                insert.push_str(&skeleton_table(t, layout, eol));
            }
        }
        let mut d = Diagnostic::new(
            "NB101",
            TextRange::empty(at),
            cx.msgf(
                format_args!("缺少第{}部分「{}」", spec.numeral, spec.heading),
                format_args!("section {} 「{}」 is missing", spec.num, spec.heading),
            ),
        );
        d.fixes.push(Fix {
            title: cx.msgf(format_args!("插入「{}」", spec.heading), format_args!("Insert 「{}」", spec.heading)),
            kind: FixKind::Cell,
            edits: vec![TextEdit { range: TextRange::empty(at), new_text: insert }],
        });
        cx.push(d);
    }
}

fn order_and_duplicates(cx: &mut Ctx) {
    let mut seen = [false; 7];
    let mut max_seen = 0u8;
    let sections = &cx.report.sections;
    let mut out = Vec::new();
    for s in sections {
        let n = usize::from(s.num);
        if seen[n] {
            out.push(Diagnostic::new(
                "NB103",
                s.title,
                cx.msgf(
                    format_args!("第{}部分重复出现", NUMERALS[n]),
                    format_args!("section {} appears a second time", s.num),
                ),
            ));
            continue;
        }
        seen[n] = true;
        if s.num < max_seen {
            out.push(Diagnostic::new(
                "NB102",
                s.title,
                cx.msgf(
                    format_args!("第{}部分应在第{}部分之前", NUMERALS[n], NUMERALS[usize::from(max_seen)]),
                    format_args!("section {} should come before section {}", s.num, max_seen),
                ),
            ));
        }
        max_seen = max_seen.max(s.num);
    }
    cx.out.extend(out);
}

fn han(n: u32) -> String {
    const D: [&str; 11] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match n {
        0..=10 => D[n as usize].to_string(),
        11..=19 => format!("十{}", D[(n - 10) as usize]),
        _ => n.to_string(),
    }
}

fn numbering(cx: &mut Ctx) {
    let mut out = Vec::new();
    let mut prev: Option<(Option<usize>, u32)> = None;
    for sub in &cx.report.subheadings {
        let expected = match prev {
            Some((sec, n)) if sec == sub.section => n + 1,
            _ => 1,
        };
        // A restart at （一） inside the same section starts a new list.
        if sub.number != expected && sub.number != 1 {
            let (zh, en) = if prev.is_some_and(|(s, n)| s == sub.section && n == sub.number) {
                (format!("小标题编号（{}）重复", han(sub.number)), format!("sub-heading ({}) is repeated", sub.number))
            } else {
                (
                    format!("小标题编号跳号：应为（{}），实际为（{}）", han(expected), han(sub.number)),
                    format!("sub-heading numbering skips: expected ({expected}), found ({})", sub.number),
                )
            };
            out.push(Diagnostic::new("NB104", sub.range, cx.msg(&zh, &en)));
        }
        prev = Some((sub.section, sub.number));
    }
    for &(line, range) in &cx.report.stray_numerals {
        let Some(sec) = cx.report.section_of_line(line) else { continue };
        out.push(Diagnostic::new(
            "NB104",
            range,
            cx.msgf(
                format_args!(
                    "第{}部分内出现一级编号「{}」，编号顺序错乱",
                    NUMERALS[usize::from(sec.num)],
                    cx.quote(range)
                ),
                format_args!("top-level numeral 「{}」 inside section {} is out of sequence", cx.quote(range), sec.num),
            ),
        ));
    }
    cx.out.extend(out);
}

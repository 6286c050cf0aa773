//! Prose: NB401 numbers that contradict the tables, NB402 year mismatch and
//! malformed dates, NB404 placeholders.
//!
//! Prose is matched on paragraphs joined across line breaks (web exports put
//! every number of a sentence on its own line). The parser keeps what each
//! line states ([`crate::report::prose`]); this module folds those facts and
//! reads joined only the few runs of lines that a sentence may cross, so a
//! keystroke in a long report does not rescan every paragraph.

use super::{Ctx, Diagnostic, Related};
use crate::report::prose::mentions_in;
use crate::report::{LineKind, MentionKind, PlaceholderKind, Report, Table};
use crate::schema::TableId;
use crate::text::TextRange;

pub(super) fn check(cx: &mut Ctx) {
    year_mismatch(cx);
    placeholders(cx);
    prose_numbers(cx);
}

/// Runs of prose lines (first, last) that a mention may cross: each line
/// but the last ends open, and the next line is prose too.
fn joined_runs(report: &Report) -> Vec<(usize, usize)> {
    let open = &report.prose.open_lines;
    let n = report.lines.len();
    let prose = |l: usize| l < n && report.kinds[l] == LineKind::Prose;
    let mut runs = Vec::new();
    let mut k = 0;
    while k < open.len() {
        let first = open[k];
        let mut last = first;
        // `open[k]` is `last` while `last` ends open.
        while prose(last + 1) {
            last += 1;
            if open.get(k + 1) == Some(&last) {
                k += 1;
            } else {
                break;
            }
        }
        if last > first {
            runs.push((first, last));
        }
        k += 1;
    }
    runs
}

/// Lines `first..=last` joined without their line breaks, with the original
/// byte offset of every byte.
fn joined(cx: &Ctx, first: usize, last: usize) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut map = Vec::new();
    for line in &cx.report.lines[first..=last] {
        text.push_str(line.range.slice(cx.text));
        map.extend(line.range.start..line.range.end);
    }
    (text, map)
}

fn year_mismatch(cx: &mut Ctx) {
    let r = cx.report;
    if let (Some(title), Some(period)) = (&r.title, &r.period) {
        if let Some((ty, trange)) = title.year {
            if ty != period.year {
                let mut d = Diagnostic::new(
                    "NB402",
                    period.range,
                    cx.msg(
                        &format!("标题年度为{ty}年，统计期限却是{}年", period.year),
                        &format!("the title says {ty} but the statistics period is {}", period.year),
                    ),
                );
                d.expected = Some(ty.to_string());
                d.found = Some(period.year.to_string());
                d.related.push(Related::here(trange, cx.msg("标题中的年度", "the year in the title")));
                cx.push(d);
            }
        }
    }
    for &range in &r.bad_dates {
        let q = cx.quote(range);
        cx.push(Diagnostic::new(
            "NB402",
            range,
            cx.msg(
                &format!("日期「{q}」格式错误（年份应为四位，月、日应有效）"),
                &format!("the date 「{q}」 is malformed (a four-digit year, a valid month and day)"),
            ),
        ));
    }
}

fn placeholders(cx: &mut Ctx) {
    let mut out = Vec::new();
    for p in &cx.report.prose.placeholders {
        let message = match p.kind {
            PlaceholderKind::Mask => {
                let m = p.range.slice(cx.text);
                cx.msg(&format!("遮盖或模板文字「{m}」未替换"), &format!("masked or template text 「{m}」 left in"))
            }
            PlaceholderKind::MissingNumber => cx.msg("此处缺少数字", "a number is missing here"),
        };
        out.push(Diagnostic::new("NB404", p.range, message));
    }
    cx.out.extend(out);
}

fn t3_int(t: &Table, row: &str, col: usize) -> Option<i64> {
    t.row(row)?.cells.get(col)?.int()
}

fn prose_numbers(cx: &mut Ctx) {
    let report = cx.report;
    let t3 = report.table(TableId::T3).filter(|t| t.readable());
    let t4 = report.table(TableId::T4).filter(|t| t.readable());
    let c7 = 6;
    type Figures = Vec<(&'static str, i64)>;
    let mut checks: Vec<(MentionKind, &str, &str, Figures)> = Vec::new();
    if let Some(t) = t3 {
        let mut f = Vec::new();
        if let Some(v) = t3_int(t, "R1", c7) {
            f.push(("一、本年新收", v));
            if let Some(w) = t3_int(t, "R2", c7) {
                f.push(("一 + 二", v + w));
            }
        }
        if let Some(v) = t3_int(t, "R3.7", c7) {
            f.push(("（七）总计", v));
        }
        checks.push((MentionKind::Applications, "申请", "applications", f));
        let mut f = Vec::new();
        for (name, id) in [("二、上年结转", "R2"), ("四、结转下年度继续办理", "R4")] {
            if let Some(v) = t3_int(t, id, c7) {
                f.push((name, v));
            }
        }
        checks.push((MentionKind::CarriedOver, "结转", "carried over", f));
    }
    if let Some(t) = t4 {
        let row = &t.rows[t.by_spec[0].unwrap_or(0)];
        let get = |c: usize| row.cells.get(c).and_then(|x| x.int());
        if let Some(v) = get(4) {
            checks.push((MentionKind::Reviews, "行政复议", "administrative reviews", vec![("行政复议总计", v)]));
        }
        let mut f = Vec::new();
        if let Some(a) = get(9) {
            f.push(("未经复议直接起诉总计", a));
        }
        if let Some(b) = get(14) {
            f.push(("复议后起诉总计", b));
        }
        if let (Some(a), Some(b)) = (get(9), get(14)) {
            f.push(("两项诉讼总计之和", a + b));
        }
        checks.push((MentionKind::Lawsuits, "行政诉讼", "lawsuits", f));
    }
    checks.retain(|c| !c.3.is_empty());
    if checks.is_empty() {
        return;
    }
    // A paragraph states what its lines state, except where a sentence may run
    // from one line into the next: those runs are read joined.
    let runs = joined_runs(report);
    let in_run = |line: usize| {
        let k = runs.partition_point(|r| r.1 < line);
        runs.get(k).is_some_and(|r| r.0 <= line)
    };
    let texts: Vec<(String, Vec<usize>)> = runs.iter().map(|&(a, b)| joined(cx, a, b)).collect();
    let mut out = Vec::new();
    // Check by check, as the paragraphs used to be read: where two checks read
    // the same number, their diagnostics keep that order.
    for (kind, zh, en, figures) in &checks {
        let single = report
            .prose
            .mentions
            .iter()
            .filter(|m| m.kind == *kind && report.kinds[m.line] == LineKind::Prose && !in_run(m.line));
        let stated = single.map(|m| (m.range, m.value)).chain(texts.iter().flat_map(|(text, map)| {
            mentions_in(*kind, text).map(move |(r, n)| {
                let start = map[r.start];
                let end = if r.end == 0 { start } else { map[r.end - 1] + 1 };
                (TextRange::new(start, end.max(start)), n)
            })
        }));
        for (range, n) in stated {
            if figures.iter().any(|(_, v)| *v == n) {
                continue;
            }
            let list: Vec<String> = figures.iter().map(|(name, v)| format!("{name} {v}")).collect();
            let mut d = Diagnostic::new(
                "NB401",
                range,
                cx.msg(
                    &format!("正文称{zh} {n} 件，与表格不符（{}）", list.join("，")),
                    &format!("the text states {n} {en}, which matches no table figure ({})", list.join(", ")),
                ),
            );
            d.found = Some(n.to_string());
            out.push(d);
        }
    }
    cx.out.extend(out);
}

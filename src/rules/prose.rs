//! Prose: NB401 numbers that contradict the tables, NB402 year mismatch and
//! malformed dates, NB404 placeholders.
//!
//! Prose is matched on paragraphs joined across line breaks (web exports put
//! every number of a sentence on its own line), with a byte map back to the
//! text so every range points at the original characters.

use std::sync::OnceLock;

use regex::Regex;

use super::{Ctx, Diagnostic, Related};
use crate::report::{re, LineKind, Table};
use crate::schema::TableId;
use crate::text::TextRange;

pub(super) fn check(cx: &mut Ctx) {
    year_mismatch(cx);
    placeholders(cx);
    for block in blocks(cx) {
        prose_numbers(cx, &block);
    }
}

/// Consecutive prose lines joined without their line breaks.
struct Block {
    text: String,
    /// Original byte offset of every byte of `text`.
    map: Vec<usize>,
}

impl Block {
    fn range(&self, start: usize, end: usize) -> TextRange {
        let s = self.map[start];
        let e = if end == 0 { s } else { self.map[end - 1] + 1 };
        TextRange::new(s, e.max(s))
    }
}

fn blocks(cx: &Ctx) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur = Block { text: String::new(), map: Vec::new() };
    for (i, line) in cx.report.lines.iter().enumerate() {
        let prose = matches!(cx.report.kinds[i], LineKind::Prose);
        if !prose {
            if !cur.text.is_empty() {
                out.push(std::mem::replace(&mut cur, Block { text: String::new(), map: Vec::new() }));
            }
            continue;
        }
        let s = line.range.slice(cx.text);
        cur.text.push_str(s);
        cur.map.extend(line.range.start..line.range.end);
    }
    if !cur.text.is_empty() {
        out.push(cur);
    }
    out
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

static MASK: OnceLock<Regex> = OnceLock::new();
static EMPTY_NUMBER: OnceLock<Regex> = OnceLock::new();

fn placeholders(cx: &mut Ctx) {
    let mask = re(&MASK, r"\*{2,}|[XＸ]{2,}|×{2,}|某某");
    let empty =
        re(&EMPTY_NUMBER, r"(?:信息|申请|公开|发布|收到|办理|受理|共|计)([ \u{3000}]{2,})(?:条|件|篇|个|次|项)");
    let mut out = Vec::new();
    for (i, line) in cx.report.lines.iter().enumerate() {
        if matches!(cx.report.kinds[i], LineKind::Blank) {
            continue;
        }
        let s = line.range.slice(cx.text);
        for m in mask.find_iter(s) {
            // `**标题**` is Markdown bold, not a mask.
            let bold = m.as_str() == "**" && (s[m.end()..].contains("**") || s[..m.start()].contains("**"));
            let ascii_word = m.as_str().starts_with('X')
                && (s[..m.start()].ends_with(|c: char| c.is_ascii_alphanumeric())
                    || s[m.end()..].starts_with(|c: char| c.is_ascii_alphanumeric()));
            if bold || ascii_word {
                continue;
            }
            let range = TextRange::new(line.range.start + m.start(), line.range.start + m.end());
            out.push(Diagnostic::new(
                "NB404",
                range,
                cx.msg(
                    &format!("遮盖或模板文字「{}」未替换", m.as_str()),
                    &format!("masked or template text 「{}」 left in", m.as_str()),
                ),
            ));
        }
        for c in empty.captures_iter(s) {
            let g = c.get(1).expect("group");
            let range = TextRange::new(line.range.start + g.start(), line.range.start + g.end());
            out.push(Diagnostic::new("NB404", range, cx.msg("此处缺少数字", "a number is missing here")));
        }
    }
    cx.out.extend(out);
}

static APPLY: OnceLock<Regex> = OnceLock::new();
static REVIEW: OnceLock<Regex> = OnceLock::new();
static SUIT: OnceLock<Regex> = OnceLock::new();
static CARRY: OnceLock<Regex> = OnceLock::new();

fn t3_int(t: &Table, row: &str, col: usize) -> Option<i64> {
    t.row(row)?.cells.get(col)?.int()
}

/// Approximate numbers (「1100余条」, 「约300件」) are never compared.
fn approximate(block: &str, start: usize, end: usize) -> bool {
    let after = &block[end..];
    let before = &block[..start];
    let after = after.trim_start();
    after.starts_with(['余', '多'])
        || ["约", "近", "超过", "逾", "达", "上"].iter().any(|w| before.ends_with(w))
        || after.starts_with('%')
        || after.starts_with('．')
        || after.starts_with('.')
}

fn prose_numbers(cx: &mut Ctx, block: &Block) {
    let report = cx.report;
    let t3 = report.table(TableId::T3).filter(|t| t.readable());
    let t4 = report.table(TableId::T4).filter(|t| t.readable());
    let apply = re(
        &APPLY,
        r"(?:收到|受理|办理|接收|处理|办结)[^。；;，,：:\d]{0,24}?申请[^。；;，,\d（(]{0,12}?(\d+)\s*(?:件|条|个|宗|次|份)",
    );
    let review = re(&REVIEW, r"行政复议[^。；;，,、\d和及与]{0,6}?(\d+)\s*(?:件|次|起|宗)");
    let suit = re(&SUIT, r"(?:行政)?诉讼[^。；;，,、\d和及与]{0,6}?(\d+)\s*(?:件|次|起|宗)");
    let carry = re(&CARRY, r"结转[^。；;，,\d]{0,10}?(\d+)\s*(?:件|条)");
    let c7 = 6;
    type Figures = Vec<(&'static str, i64)>;
    let mut checks: Vec<(&Regex, &str, &str, Figures)> = Vec::new();
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
        checks.push((apply, "申请", "applications", f));
        let mut f = Vec::new();
        for (name, id) in [("二、上年结转", "R2"), ("四、结转下年度继续办理", "R4")] {
            if let Some(v) = t3_int(t, id, c7) {
                f.push((name, v));
            }
        }
        checks.push((carry, "结转", "carried over", f));
    }
    if let Some(t) = t4 {
        let row = &t.rows[t.by_spec[0].unwrap_or(0)];
        let get = |c: usize| row.cells.get(c).and_then(|x| x.int());
        if let Some(v) = get(4) {
            checks.push((review, "行政复议", "administrative reviews", vec![("行政复议总计", v)]));
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
        checks.push((suit, "行政诉讼", "lawsuits", f));
    }
    let mut out = Vec::new();
    for (regex, zh, en, figures) in checks {
        if figures.is_empty() {
            continue;
        }
        for c in regex.captures_iter(&block.text) {
            let g = c.get(1).expect("group");
            if approximate(&block.text, g.start(), g.end()) {
                continue;
            }
            let Ok(n) = g.as_str().parse::<i64>() else { continue };
            if figures.iter().any(|(_, v)| *v == n) {
                continue;
            }
            let list: Vec<String> = figures.iter().map(|(name, v)| format!("{name} {v}")).collect();
            let mut d = Diagnostic::new(
                "NB401",
                block.range(g.start(), g.end()),
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

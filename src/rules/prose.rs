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

/// What the prose states, paragraph by paragraph: a paragraph states what its
/// lines state, except where a sentence may run from one line into the next;
/// those runs of lines are read joined.
struct Stated<'a> {
    report: &'a Report,
    /// Runs of prose lines (first, last) a mention may cross: each line but
    /// the last ends open and the next line is prose too.
    runs: Vec<(usize, usize)>,
    /// Each run's lines joined without their breaks, with the original byte
    /// offset of every byte.
    joined: Vec<(String, Vec<usize>)>,
}

impl<'a> Stated<'a> {
    fn new(report: &'a Report, text: &str) -> Stated<'a> {
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
        let joined = runs
            .iter()
            .map(|&(first, last)| {
                let mut s = String::new();
                let mut map = Vec::new();
                for line in &report.lines[first..=last] {
                    s.push_str(line.range.slice(text));
                    map.extend(line.range.start..line.range.end);
                }
                (s, map)
            })
            .collect();
        Stated { report, runs, joined }
    }

    fn in_run(&self, line: usize) -> bool {
        let k = self.runs.partition_point(|r| r.1 < line);
        self.runs.get(k).is_some_and(|r| r.0 <= line)
    }

    /// The numbers of `kind` the prose states: (digits, value), lines outside
    /// the runs first, then each run.
    fn of(&self, kind: MentionKind) -> impl Iterator<Item = (TextRange, i64)> + '_ {
        let report = self.report;
        let single = report
            .prose
            .mentions
            .iter()
            .filter(move |m| m.kind == kind && report.kinds[m.line] == LineKind::Prose && !self.in_run(m.line));
        single.map(|m| (m.range, m.value)).chain(self.joined.iter().flat_map(move |(text, map)| {
            mentions_in(kind, text).map(move |(r, n)| {
                let start = map[r.start];
                let end = if r.end == 0 { start } else { map[r.end - 1] + 1 };
                (TextRange::new(start, end.max(start)), n)
            })
        }))
    }
}

fn year_mismatch(cx: &mut Ctx) {
    let r = cx.report;
    if let (Some(title), Some(period)) = (&r.title, &r.period) {
        if let Some((ty, trange)) = title.year {
            if ty != period.year {
                let mut d = Diagnostic::new(
                    "NB402",
                    period.range,
                    cx.msgf(
                        format_args!("标题年度为{ty}年，统计期限却是{}年", period.year),
                        format_args!("the title says {ty} but the statistics period is {}", period.year),
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
            cx.msgf(
                format_args!("日期「{q}」格式错误（年份应为四位，月、日应有效）"),
                format_args!("the date 「{q}」 is malformed (a four-digit year, a valid month and day)"),
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
                cx.cat(["遮盖或模板文字「", m, "」未替换"], ["masked or template text 「", m, "」 left in"])
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
    let stated = Stated::new(report, cx.text);
    let mut out = Vec::new();
    // Check by check, as the paragraphs used to be read: where two checks read
    // the same number, their diagnostics keep that order.
    for (kind, zh, en, figures) in &checks {
        for (range, n) in stated.of(*kind) {
            if figures.iter().any(|(_, v)| *v == n) {
                continue;
            }
            let list: Vec<String> = figures.iter().map(|(name, v)| format!("{name} {v}")).collect();
            let mut d = Diagnostic::new(
                "NB401",
                range,
                cx.msgf(
                    format_args!("正文称{zh} {n} 件，与表格不符（{}）", list.join("，")),
                    format_args!("the text states {n} {en}, which matches no table figure ({})", list.join(", ")),
                ),
            );
            d.found = Some(n.to_string());
            out.push(d);
        }
    }
    cx.out.extend(out);
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;
    use crate::report::{parse, prose::pattern};

    /// The pattern as it was, with line breaks allowed: joined text has none.
    fn pattern_as_it_was(kind: MentionKind) -> String {
        pattern(kind).as_str().replace("\\r\\n]", "]").replace("[\\s&&[^]]", "\\s")
    }

    #[test]
    fn the_patterns_are_the_old_ones_but_for_line_breaks() {
        assert_eq!(
            pattern_as_it_was(MentionKind::Applications),
            r"(?:收到|受理|办理|接收|处理|办结)[^。；;，,：:0-9０-９]{0,24}?申请[^。；;，,0-9０-９（(]{0,12}?([0-9０-９]+)\s*(?:件|条|个|宗|次|份)"
        );
        assert_eq!(
            pattern_as_it_was(MentionKind::Reviews),
            r"行政复议[^。；;，,、0-9０-９和及与]{0,6}?([0-9０-９]+)\s*(?:件|次|起|宗)"
        );
        assert_eq!(
            pattern_as_it_was(MentionKind::Lawsuits),
            r"(?:行政)?诉讼[^。；;，,、0-9０-９和及与]{0,6}?([0-9０-９]+)\s*(?:件|次|起|宗)"
        );
        assert_eq!(
            pattern_as_it_was(MentionKind::CarriedOver),
            r"结转[^。；;，,0-9０-９]{0,10}?([0-9０-９]+)\s*(?:件|条)"
        );
    }

    /// The numbers as this rule used to find them: every paragraph (a run of
    /// prose lines) joined without its line breaks, then scanned.
    fn stated_reference(report: &Report, text: &str, kind: MentionKind) -> Vec<(TextRange, i64)> {
        let re = Regex::new(&pattern_as_it_was(kind)).expect("regex");
        let mut out = Vec::new();
        let mut line = 0;
        while line < report.lines.len() {
            if report.kinds[line] != LineKind::Prose {
                line += 1;
                continue;
            }
            let (mut block, mut map) = (String::new(), Vec::new());
            while line < report.lines.len() && report.kinds[line] == LineKind::Prose {
                let r = report.lines[line].range;
                block.push_str(r.slice(text));
                map.extend(r.start..r.end);
                line += 1;
            }
            for c in re.captures_iter(&block) {
                let g = c.get(1).expect("group");
                let after = block[g.end()..].trim_start();
                let before = &block[..g.start()];
                let approximate = after.starts_with(['余', '多', '%', '．', '.'])
                    || ["约", "近", "超过", "逾", "达", "上"].iter().any(|w| before.ends_with(w));
                let Ok(n) = g.as_str().parse::<i64>() else { continue };
                if !approximate {
                    out.push((TextRange::new(map[g.start()], map[g.end() - 1] + 1), n));
                }
            }
        }
        out
    }

    /// Seed 004 with random paragraphs of web-export-like lines added to
    /// section 一: numbers broken over lines, blank lines, sentences.
    #[test]
    fn folded_line_facts_state_what_joined_paragraphs_state() {
        let seed = include_str!("../../fixtures/seeds/004_446d20770044734b.txt");
        let words: Vec<&str> = "收到|受理|办理|政府信息公开申请|申请|行政复议|行政诉讼|诉讼|结转|件|条|次|1|23|0|约|余|。|，|、|和| |信息|公开|共|\n|\n|\n\n|其中"
            .split('|')
            .collect();
        let mut state = 0x243f_6a88_85a3_08d3u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let at = seed.find("（一）主动公开方面").expect("section 一");
        let mut runs = 0;
        for _ in 0..200 {
            let added: String = (0..next() % 60).map(|_| words[(next() % words.len() as u64) as usize]).collect();
            let text = format!("{}{added}\n{}", &seed[..at], &seed[at..]);
            let report = parse(&text);
            let stated = Stated::new(&report, &text);
            runs += stated.runs.len();
            for kind in MentionKind::ALL {
                let mut got: Vec<(TextRange, i64)> = stated.of(kind).collect();
                got.sort_by_key(|g| g.0.start);
                assert_eq!(got, stated_reference(&report, &text, kind), "{kind:?} in {added:?}");
            }
        }
        assert!(runs > 50, "only {runs} joined runs: the test says little");
    }
}

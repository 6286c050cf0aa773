//! Incremental reparse equals a full parse: random edit sequences over the
//! seed reports (property test), and the paths typing should take (a
//! paragraph of section 一, a cell of table 三) on the 7 KB seed and on a
//! 1 MB report grown from it.

use std::time::{Duration, Instant};

use nianbao::report::{parse, reparse, reparse_with_stats, LineKind, Reparse, Report};
use nianbao::schema::TableId;
use nianbao::text::{Splice, TextRange};
use proptest::prelude::*;

const SEEDS: [&str; 5] = [
    include_str!("../fixtures/seeds/000_8c402685963ba8a5.txt"),
    include_str!("../fixtures/seeds/001_164254f647ab523c.txt"),
    include_str!("../fixtures/seeds/002_1afd807652ea93b8.txt"),
    include_str!("../fixtures/seeds/003_42380e1adf95d416.txt"),
    include_str!("../fixtures/seeds/004_446d20770044734b.txt"),
];
const SEED_004: &str = SEEDS[4];

/// Flattened web reports (whole report on a few lines, tables decoded from
/// digit runs): every edit there takes the full path, which must agree too.
const FLATTENED: [&str; 2] = [include_str!("../fixtures/corpus/003.txt"), include_str!("../fixtures/corpus/018.txt")];

/// The documents the property tests edit: the seeds, [`tricky`], the flattened ones.
const DOCUMENTS: usize = SEEDS.len() + 1 + FLATTENED.len();

/// Fails with the first field that differs, not two 7 KB debug dumps.
#[track_caller]
fn assert_same(text: &str, got: &Report, want: &Report) {
    if got == want {
        return;
    }
    let fields: [(&str, String, String); 17] = [
        ("len", format!("{:?}", got.len), format!("{:?}", want.len)),
        ("lines", format!("{:?}", got.lines), format!("{:?}", want.lines)),
        ("kinds", format!("{:?}", got.kinds), format!("{:?}", want.kinds)),
        ("title", format!("{:?}", got.title), format!("{:?}", want.title)),
        ("period", format!("{:?}", got.period), format!("{:?}", want.period)),
        ("bad_dates", format!("{:?}", got.bad_dates), format!("{:?}", want.bad_dates)),
        ("year", format!("{:?}", got.year), format!("{:?}", want.year)),
        ("year_format", format!("{:?}", got.year_format), format!("{:?}", want.year_format)),
        ("table_format", format!("{:?}", got.table_format), format!("{:?}", want.table_format)),
        ("table_format_at", format!("{:?}", got.table_format_at), format!("{:?}", want.table_format_at)),
        ("sections", format!("{:?}", got.sections), format!("{:?}", want.sections)),
        ("subheadings", format!("{:?}", got.subheadings), format!("{:?}", want.subheadings)),
        ("stray_numerals", format!("{:?}", got.stray_numerals), format!("{:?}", want.stray_numerals)),
        ("tables.len", format!("{:?}", got.tables.len()), format!("{:?}", want.tables.len())),
        ("tables", format!("{:?}", got.tables), format!("{:?}", want.tables)),
        ("is_report", format!("{:?}", got.is_report), format!("{:?}", want.is_report)),
        ("prose", format!("{:?}", got.prose), format!("{:?}", want.prose)),
    ];
    for (k, (g, w)) in got.tables.iter().zip(&want.tables).enumerate() {
        if g == w {
            continue;
        }
        let row = g.rows.iter().zip(&w.rows).position(|(a, b)| a != b);
        panic!(
            "reparse differs from parse in table {k} ({:?}), row {row:?}\n got: {:?}\nwant: {:?}\ngot table: {:?}\nwant table: {:?}",
            w.id,
            row.map(|r| &g.rows[r]),
            row.map(|r| &w.rows[r]),
            (g.first_line, g.last_line, g.range, g.layout, g.rows.len(), &g.by_spec),
            (w.first_line, w.last_line, w.range, w.layout, w.rows.len(), &w.by_spec),
        );
    }
    for (name, g, w) in fields {
        if g != w {
            let cut = |s: &str| s.chars().take(3000).collect::<String>();
            panic!(
                "reparse differs from parse in `{name}`\n got: {}\nwant: {}\ntext:\n{}",
                cut(&g),
                cut(&w),
                nianbao::report::dump::dump(text, want)
            );
        }
    }
    panic!("reparse differs from parse");
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Replaces `range` of `text` by `ins`: the new text and the edit's splice.
fn edit(text: &str, range: TextRange, ins: &str) -> (String, Splice) {
    let mut out = String::with_capacity(text.len() + ins.len());
    out.push_str(&text[..range.start]);
    out.push_str(ins);
    out.push_str(&text[range.end..]);
    (out, Splice::edit(range, ins.len()))
}

/// Reparses after one edit and checks the result against a full parse.
#[track_caller]
fn check_edit(text: &str, range: TextRange, ins: &str) -> (String, Reparse) {
    let old = parse(text);
    let (new_text, splice) = edit(text, range, ins);
    let (got, path) = reparse_with_stats(text, &old, &new_text, splice);
    assert_same(&new_text, &got, &parse(&new_text));
    (new_text, path)
}

/// Byte offset of the middle (by characters) of the first line starting with `prefix`.
fn middle_of_line(text: &str, prefix: &str) -> usize {
    let start = text
        .match_indices(prefix)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || matches!(text.as_bytes()[i - 1], b'\n' | b'\r'))
        .expect("line");
    let line = &text[start..start + text[start..].find(['\r', '\n']).unwrap_or(text.len() - start)];
    let n = line.chars().count();
    start + line.char_indices().nth(n / 2).expect("middle").0
}

// ---- property tests ----

/// What an edit inserts: the characters and line breaks typing produces,
/// and a few things that change the outline.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("公开".to_string()),
        2 => Just("的".to_string()),
        3 => Just("7".to_string()),
        1 => Just("2024".to_string()),
        1 => Just("𠮷".to_string()),
        1 => Just("a".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\r".to_string()),
        1 => Just("\n\n".to_string()),
        1 => Just("\t".to_string()),
        1 => Just("\t0".to_string()),
        1 => Just("|".to_string()),
        1 => Just("三、".to_string()),
        1 => Just("一、".to_string()),
        1 => Just("（二）".to_string()),
        1 => Just("二、下步打算".to_string()),
        1 => Just("。".to_string()),
        1 => Just("]".to_string()),
        1 => Just("[bookmark: _Toc1".to_string()),
        1 => Just("2024年13月1日".to_string()),
        1 => Just("数据统计期限为2023年1月1日至".to_string()),
        1 => Just("行政复议".to_string()),
        1 => Just("本年制发件数".to_string()),
        1 => Just("".to_string()),
        3 => "[一二三、，。0-9a-z\t\n\r （）]{1,6}",
    ]
}

#[derive(Clone, Debug)]
struct RawEdit {
    /// Where, as a fraction of the text (the text's length changes as edits
    /// apply), or, when `near`, as a distance of `at % 41 - 20` bytes from
    /// the end of the previous edit, as typing goes.
    at: u32,
    near: bool,
    /// How many bytes to remove, before snapping to a character boundary.
    del: usize,
    ins: String,
}

fn raw_edit() -> impl Strategy<Value = RawEdit> {
    let del = prop_oneof![4 => Just(0usize), 2 => 1usize..8, 1 => 1usize..200, 1 => 1usize..2000];
    (any::<u32>(), prop::bool::weighted(0.6), del, insertion()).prop_map(|(at, near, del, ins)| RawEdit {
        at,
        near,
        del,
        ins,
    })
}

/// The byte range a raw edit removes from `text`, on character boundaries.
fn place(text: &str, e: &RawEdit, last: Option<usize>) -> TextRange {
    let at = match last {
        Some(last) if e.near => (last + (e.at % 41) as usize).saturating_sub(20),
        _ => (e.at as u64 * (text.len() as u64 + 1) / (u32::MAX as u64 + 1)) as usize,
    };
    let start = floor_boundary(text, at);
    let end = floor_boundary(text, start + e.del).max(start);
    TextRange::new(start, end)
}

/// Seed 004 with lines that make the outline depend on their neighbours:
/// headings split over lines, a bookmark left open that swallows the lines
/// after it, 「行政复议」 without 「行政诉讼」 yet, a sentence after table 四.
fn tricky() -> String {
    let mut lines: Vec<&str> = SEED_004.lines().collect();
    let at = |lines: &[&str], prefix: &str| lines.iter().position(|l| l.contains(prefix)).expect(prefix) + 1;
    let five = at(&lines, "五、存在的主要问题");
    lines.splice(
        five + 1..five + 1,
        ["二、[bookmark: _Toc1", "被书签吞掉的一行", "又一行文字", "三、", "收到的意见", "**", "一、", ""],
    );
    let one = at(&lines, "2024年，綦江区公安局在区委");
    lines.splice(one..one, ["四、[bookmark: _Toc2", "一段", "二段", "", "行政复议", "工作", "x", "y", "z", "w"]);
    let four = at(&lines, "四、政府信息公开行政复议");
    let after_table = four + lines[four..].iter().position(|l| l.contains("五、存在的主要问题")).expect("五") - 1;
    lines.splice(after_table..after_table, ["这是一句话。"]);
    lines.join("\n")
}

/// The seeds as they are (index 5: [`tricky`], then [`FLATTENED`]), and in
/// other line endings.
fn document(seed: usize, ending: usize) -> String {
    let text = match seed {
        s if s < SEEDS.len() => SEEDS[s].replace("\r\n", "\n"),
        s if s == SEEDS.len() => tricky(),
        s => FLATTENED[s - SEEDS.len() - 1].replace("\r\n", "\n"),
    };
    match ending {
        0 => text,
        1 => text.replace('\n', "\r\n"),
        _ => text.replace('\n', "\r"),
    }
}

proptest! {
    // 64 cases keep `cargo test` quick in debug; PROPTEST_CASES=5000 for a soak.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn each_edit_reparses_to_a_full_parse(
        seed in 0..DOCUMENTS,
        ending in prop_oneof![6 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)],
        edits in proptest::collection::vec(raw_edit(), 1..20),
    ) {
        let mut text = document(seed, ending);
        let mut report = parse(&text);
        let mut last = None;
        for e in &edits {
            let range = place(&text, e, last);
            last = Some(range.start + e.ins.len());
            let (new_text, splice) = edit(&text, range, &e.ins);
            let got = reparse(&text, &report, &new_text, splice);
            let want = parse(&new_text);
            assert_same(&new_text, &got, &want);
            text = new_text;
            report = got;
        }
    }

    #[test]
    fn composed_edits_reparse_to_a_full_parse(
        seed in 0..DOCUMENTS,
        edits in proptest::collection::vec(raw_edit(), 1..8),
    ) {
        let base = document(seed, 0);
        let old = parse(&base);
        let mut text = base.clone();
        let mut splice: Option<Splice> = None;
        let mut last = None;
        for e in &edits {
            let range = place(&text, e, last);
            last = Some(range.start + e.ins.len());
            let (new_text, one) = edit(&text, range, &e.ins);
            splice = Some(match splice {
                None => one,
                Some(s) => s.then(range, e.ins.len()),
            });
            text = new_text;
        }
        let got = reparse(&base, &old, &text, splice.expect("one edit at least"));
        assert_same(&text, &got, &parse(&text));
    }
}

// ---- the paths typing takes ----

#[test]
fn typing_in_a_paragraph_of_section_one_reparses_one_line() {
    let at = middle_of_line(SEED_004, "2024年，綦江区公安局在区委");
    let report = parse(SEED_004);
    assert_eq!(report.section_of_line(report.lines.partition_point(|l| l.next <= at)).map(|s| s.num), Some(1));
    for ins in ["的", "7", "𠮷", "公开工作"] {
        let (_, path) = check_edit(SEED_004, TextRange::empty(at), ins);
        assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 }, "typing {ins:?}");
    }
    // Deleting a character, and splitting the paragraph in two.
    let next = at + SEED_004[at..].chars().next().expect("char").len_utf8();
    let (_, path) = check_edit(SEED_004, TextRange::new(at, next), "");
    assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 });
    let (_, path) = check_edit(SEED_004, TextRange::empty(at), "\n");
    assert_eq!(path, Reparse::Incremental { lines_reparsed: 2 });
}

#[test]
fn typing_a_run_of_keystrokes_stays_incremental() {
    let mut text = SEED_004.to_string();
    let mut report = parse(&text);
    let mut at = middle_of_line(&text, "（三）政府信息管理方面");
    for ch in "按照要求2025年完成".chars() {
        let ins = ch.to_string();
        let (new_text, splice) = edit(&text, TextRange::empty(at), &ins);
        let (got, path) = reparse_with_stats(&text, &report, &new_text, splice);
        assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 });
        assert_same(&new_text, &got, &parse(&new_text));
        at += ins.len();
        text = new_text;
        report = got;
    }
}

#[test]
fn typing_a_digit_in_a_cell_of_table_three_reparses_only_that_table() {
    let report = parse(SEED_004);
    let t = report.tables.iter().position(|t| t.id == TableId::T3).expect("table 三");
    let table = &report.tables[t];
    let row = table.rows.iter().filter(|r| !r.cells.is_empty()).nth(3).expect("a row with cells");
    let cell = row.cells[2].range;
    let lines = table.last_line + 1 - table.first_line;
    assert!(lines < report.lines.len());
    let (new_text, path) = check_edit(SEED_004, TextRange::empty(cell.end), "3");
    assert_eq!(path, Reparse::Incremental { lines_reparsed: lines });
    // The new value is read.
    let after = parse(&new_text);
    let old_value = row.cells[2].int().expect("a number");
    let new_row = &after.tables[t].rows[table.rows.iter().position(|r| r == row).expect("row")];
    assert_eq!(new_row.cells[2].int(), Some(old_value * 10 + 3));
    // Clearing the cell.
    let (_, path) = check_edit(SEED_004, cell, "");
    assert_eq!(path, Reparse::Incremental { lines_reparsed: lines });
}

#[test]
fn a_new_heading_falls_back_to_a_full_parse() {
    let report = parse(SEED_004);
    let first = report.sections[0].line;
    let blank = (first..report.lines.len())
        .find(|&i| report.kinds[i] == LineKind::Blank && report.section_of_line(i).is_some_and(|s| s.num == 2))
        .expect("a blank line in section 二");
    let at = report.lines[blank].range.start;
    let (new_text, path) = check_edit(SEED_004, TextRange::empty(at), "三、");
    assert_eq!(path, Reparse::Full);
    // And finishing the heading makes a section.
    let (_, path) = check_edit(&new_text, TextRange::empty(at + "三、".len()), "收到和处理政府信息公开申请情况");
    assert_eq!(path, Reparse::Full);
}

#[test]
fn front_matter_edits_fall_back() {
    let at = SEED_004.find("年度报告").expect("title");
    let (_, path) = check_edit(SEED_004, TextRange::empty(at), "工作");
    assert_eq!(path, Reparse::Full);
}

#[test]
fn crlf_and_lone_cr_documents() {
    for ending in ["\r\n", "\r"] {
        let text = SEED_004.replace("\r\n", "\n").replace('\n', ending);
        let at = middle_of_line(&text, "2024年，綦江区公安局在区委");
        let (_, path) = check_edit(&text, TextRange::empty(at), "的");
        assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 }, "{ending:?}");
        // A line break typed in a paragraph, in either style.
        let (_, path) = check_edit(&text, TextRange::empty(at), ending);
        assert_eq!(path, Reparse::Incremental { lines_reparsed: 2 }, "{ending:?}");
        // At the start of the next line: after a lone CR an LF joins it into a CRLF.
        let report = parse(&text);
        let line = report.lines.partition_point(|l| l.next <= at);
        let next_start = report.lines[line + 1].range.start;
        for ins in ["\n", "\r", "\r\n", "x\n", "\nx"] {
            check_edit(&text, TextRange::empty(next_start), ins);
        }
        // Removing the break, or half of a CRLF.
        let end = report.lines[line].range.end;
        check_edit(&text, TextRange::new(end, report.lines[line].next), "");
        check_edit(&text, TextRange::new(end, end + 1), "");
        check_edit(&text, TextRange::new(end + 1, report.lines[line].next.max(end + 1)), "");
    }
}

#[test]
fn edits_at_the_very_start_and_end() {
    for text in [SEED_004.to_string(), SEED_004.trim_end().to_string(), format!("{}\r\n", SEED_004.trim_end())] {
        let len = text.len();
        for ins in ["", "的", "\n", "\r", "\r\n", "一、总体情况\n", "7"] {
            check_edit(&text, TextRange::empty(0), ins);
            check_edit(&text, TextRange::empty(len), ins);
        }
        let last_char = floor_boundary(&text, len - 1);
        check_edit(&text, TextRange::new(last_char, len), "");
        check_edit(&text, TextRange::new(0, 3), "");
        check_edit(&text, TextRange::new(0, len), "");
        check_edit(&text, TextRange::new(0, len), "一、总体情况");
    }
}

#[test]
fn a_wrong_splice_falls_back_instead_of_panicking() {
    let report = parse(SEED_004);
    let text = format!("{SEED_004}x");
    let bad = Splice { start: SEED_004.len() + 5, old_end: SEED_004.len() + 5, new_end: SEED_004.len() + 6 };
    let (got, path) = reparse_with_stats(SEED_004, &report, &text, bad);
    assert_eq!(path, Reparse::Full);
    assert_same(&text, &got, &parse(&text));
    // In the middle of a character.
    let at = SEED_004.find("总体情况").expect("heading") + 1;
    let (got, path) = reparse_with_stats(SEED_004, &report, SEED_004, Splice { start: at, old_end: at, new_end: at });
    assert_eq!(path, Reparse::Full);
    assert_same(SEED_004, &got, &report);
}

// ---- the 1 MB report of product-spec §8 ----

/// Seed 004 with the lines of section 一 (their run-in markers （一）…（五）
/// removed) repeated until the text is 1 MB.
fn one_megabyte_report() -> String {
    let report = parse(SEED_004);
    let one = report.section(1).expect("section 一");
    let body: Vec<String> = one
        .body
        .clone()
        .map(|i| report.line_text(SEED_004, i))
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim_start();
            match l.strip_prefix('（').and_then(|r| r.split_once('）')) {
                Some((n, rest)) if ["一", "二", "三", "四", "五"].contains(&n) => rest.to_string(),
                _ => l.to_string(),
            }
        })
        .collect();
    let head = &SEED_004[..report.lines[one.body.start].range.start];
    let tail = &SEED_004[report.lines[one.body.end].range.start..];
    let mut out = String::with_capacity(1 << 20);
    out.push_str(head);
    let mut k = 0;
    while out.len() + tail.len() < 1 << 20 {
        out.push_str(&body[k % body.len()]);
        out.push('\n');
        k += 1;
    }
    out.push_str(tail);
    out
}

/// The median of `runs` timings of `f`.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut times = Vec::with_capacity(runs);
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (out.expect("one run"), times[runs / 2])
}

#[test]
fn one_keystroke_in_a_one_megabyte_report() {
    let text = one_megabyte_report();
    assert!(text.len() >= 1 << 20);
    let (report, full) = median(3, || parse(&text));
    assert_eq!(parse(SEED_004).tables.len(), report.tables.len());
    assert!(report.subheadings.iter().all(|s| report.sections[s.section.unwrap_or(0)].num != 1));

    let one = report.section(1).expect("section 一");
    let middle = (one.body.start + one.body.end) / 2;
    let line = report.lines[middle].range;
    let at = line.start + report.line_text(&text, middle).char_indices().nth(10).expect("char").0;
    let (new_text, splice) = edit(&text, TextRange::empty(at), "的");
    let ((got, path), incremental) = median(21, || reparse_with_stats(&text, &report, &new_text, splice));
    assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 });
    assert_same(&new_text, &got, &parse(&new_text));

    // A digit typed into a cell of table 三 rebuilds that table alone.
    let t3 = report.tables.iter().find(|t| t.id == TableId::T3).expect("table 三");
    let cell = t3.rows.iter().find_map(|r| r.cells.get(1)).expect("a cell").range;
    let (new_text, splice) = edit(&text, TextRange::empty(cell.end), "3");
    let ((got, path), in_table) = median(21, || reparse_with_stats(&text, &report, &new_text, splice));
    assert_eq!(path, Reparse::Incremental { lines_reparsed: t3.last_line + 1 - t3.first_line });
    assert_same(&new_text, &got, &parse(&new_text));

    // Timings are printed for the benchmark notes, never asserted.
    eprintln!(
        "1 MB report ({} lines), medians: full parse {full:?}; one keystroke in section 一 {incremental:?}, \
         in a cell of table 三 {in_table:?}",
        report.lines.len()
    );
}

// ---- headings split over lines ----

#[test]
fn a_bookmark_left_open_swallows_typing_until_it_is_closed() {
    let text = tricky();
    let report = parse(&text);
    let swallowed = middle_of_line(&text, "又一行文字");
    // Typing inside the swallowed lines changes nothing across lines.
    let (_, path) = check_edit(&text, TextRange::empty(swallowed), "的");
    assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 });
    // Closing the bookmark there turns 「二、」 + the rest into a heading.
    let (new_text, path) = check_edit(&text, TextRange::empty(swallowed), "]主动公开政府信息情况");
    assert_eq!(path, Reparse::Full);
    assert_eq!(parse(&new_text).sections.len(), report.sections.len() + 1);
}

#[test]
fn completing_a_split_heading_or_a_review_header_falls_back() {
    let text = tricky();
    let report = parse(&text);
    // 「三、」 / 「收到的意见」 is not a heading until the second line names section 三.
    let at = text.find("收到的意见").expect("line");
    let (new_text, path) =
        check_edit(&text, TextRange::new(at, at + "收到的意见".len()), "收到和处理政府信息公开申请情况");
    assert_eq!(path, Reparse::Full);
    assert_eq!(parse(&new_text).sections.len(), report.sections.len() + 1);
    // 「行政复议」 becomes table 四's header once 「行政诉讼」 follows.
    let at = text.find("\n工作\n").expect("line") + 1;
    let (new_text, path) = check_edit(&text, TextRange::empty(at), "行政诉讼");
    assert_eq!(path, Reparse::Full);
    assert_eq!(parse(&new_text).tables.len(), report.tables.len() + 1);
}

#[test]
fn a_short_line_after_a_table_may_join_it() {
    let text = tricky();
    let at = text.find("这是一句话。").expect("line");
    let report = parse(&text);
    let t4 = report.tables.iter().find(|t| t.id == TableId::T4).expect("table 四");
    assert!(t4.range.end < at);
    // Still a sentence, so still trailing prose: the table keeps its extent.
    let (_, path) = check_edit(&text, TextRange::empty(at + "这是".len()), "另");
    assert_eq!(path, Reparse::Incremental { lines_reparsed: 1 });
    // No longer a sentence, or a row of values: the table may grow.
    let stop = at + "这是一句话".len();
    let (new_text, path) = check_edit(&text, TextRange::new(stop, stop + "。".len()), "");
    assert_eq!(path, Reparse::Full);
    assert!(parse(&new_text).tables.iter().any(|t| t.id == TableId::T4 && t.range.end > at));
    let (_, path) = check_edit(&text, TextRange::new(at, stop + "。".len()), "1\t2");
    assert_eq!(path, Reparse::Full);
}

#[test]
fn an_edit_reaching_the_last_line_of_a_table() {
    // Seed 002's table 四: the end of the header row and its line break
    // replaced by a blank line, so the values row is the table's last line.
    let text = SEEDS[2];
    let at = text.find("\t其他 结果\t尚未 审结\t总计\n1\t").expect("header row end");
    let end = at + "\t其他 结果\t尚未 审结\t总计\n".len();
    let (_, path) = check_edit(text, TextRange::new(at, end), "\n\n");
    assert!(matches!(path, Reparse::Incremental { .. }));
    // The values row itself, and a blank line in its place.
    let row = end..end + text[end..].find('\n').expect("row");
    let (_, path) = check_edit(text, TextRange::new(row.start, row.start + 1), "2");
    assert!(matches!(path, Reparse::Incremental { .. }));
    let (_, path) = check_edit(text, TextRange::new(row.start, row.end), "");
    assert_eq!(path, Reparse::Full);
}

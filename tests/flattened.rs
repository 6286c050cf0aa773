//! Flattened web tables on the real corpus files (003, 010, 011, 018, 019:
//! whole reports on a few lines, every table row a label glued to a run of
//! digits): which rows decode to what, where the arithmetic rules fire, and
//! that a run that splits in no way or in several gives NB203 once and no
//! sums, with no fixes on decoded tables.

use nianbao::report::{parse, Layout, Report, Shape, Value};
use nianbao::schema::TableId;
use nianbao::{analyze, Analysis, Config};

const C003: &str = include_str!("../fixtures/corpus/003.txt");
const C010: &str = include_str!("../fixtures/corpus/010.txt");
const C011: &str = include_str!("../fixtures/corpus/011.txt");
const C018: &str = include_str!("../fixtures/corpus/018.txt");
const C019: &str = include_str!("../fixtures/corpus/019.txt");

/// The values of row `id` of table `t`, each checked to cover exactly its
/// own digits in the text.
fn row(text: &str, report: &Report, t: TableId, id: &str) -> Vec<String> {
    let table = report.table(t).unwrap_or_else(|| panic!("no {t:?}"));
    assert_eq!(table.layout, Layout::Flattened);
    let row = table.row(id).unwrap_or_else(|| panic!("no row {id}"));
    assert_eq!(row.shape, Shape::Ok, "{id}");
    row.cells
        .iter()
        .map(|c| {
            let v = match c.value {
                Value::Int(v) => v.to_string(),
                Value::Dec { value, .. } => value.to_string(),
                ref other => panic!("{other:?}"),
            };
            assert_eq!(c.range.slice(text), v, "{id}");
            v
        })
        .collect()
}

fn codes(a: &Analysis, prefix: &str) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.code).filter(|c| c.starts_with(prefix)).collect()
}

fn check(text: &str) -> Analysis {
    analyze(text, &Config::default())
}

#[test]
fn corpus_003_decodes_every_table_but_one_of_table_two() {
    let report = parse(C003);
    assert_eq!(row(C003, &report, TableId::T3, "R1"), ["217", "1", "0", "0", "0", "0", "218"]);
    // 「5.属于三类内部事务信息3200000326.属于…」: the 6 is the next row's item number.
    assert_eq!(row(C003, &report, TableId::T3, "R3.3.5"), ["32", "0", "0", "0", "0", "0", "32"]);
    assert_eq!(row(C003, &report, TableId::T3, "R3.7"), ["217", "1", "0", "0", "0", "0", "218"]);
    assert_eq!(
        row(C003, &report, TableId::T4, "T4"),
        ["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"]
    );
    assert_eq!(row(C003, &report, TableId::T2b, "licensing"), ["4529"]);
    assert_eq!(row(C003, &report, TableId::T2d, "fees"), ["18651.06"]);
    assert_eq!(row(C003, &report, TableId::T2a, "rules"), ["0", "0", "0"]);
    // 「行政规范性文件6233440」: three values without a relation, many readings.
    let t2a = report.table(TableId::T2a).unwrap();
    assert_eq!(t2a.row("normative").unwrap().shape, Shape::Undecodable { splits: 2 });

    // The real data is consistent: no arithmetic diagnostic, one NB203.
    let a = check(C003);
    assert_eq!(codes(&a, "NB"), ["NB203"]);
    assert_eq!(a.diagnostics[0].range.slice(C003), "6233440");
}

#[test]
fn corpus_010_is_the_2019_format_and_consistent() {
    let report = parse(C010);
    assert_eq!(report.format().map(|f| f.as_str()), Some("2019"));
    // 「230 000023」: the space is a boundary, not every boundary a space.
    assert_eq!(row(C010, &report, TableId::T3, "R1"), ["23", "0", "0", "0", "0", "0", "23"]);
    assert_eq!(row(C010, &report, TableId::T3, "R3.7"), ["23", "0", "0", "0", "0", "0", "23"]);
    assert_eq!(row(C010, &report, TableId::T4, "T4"), ["0"; 15]);
    let a = check(C010);
    assert!(codes(&a, "NB3").is_empty(), "{:?}", a.diagnostics);
    // Table 二 of 2019 has three values a row and no relation: every sub-table
    // with more than zeros is ambiguous, each reported once.
    assert_eq!(codes(&a, "NB203").len(), 5);
}

#[test]
fn corpus_011_finds_section_four_despite_its_typo() {
    // 「四、政府信息公开行政法复议、行政诉讼情况」 was NB101: the exact heading
    // is not in the text, and flattened text has no line-start heading.
    let a = check(C011);
    assert!(codes(&a, "NB1").is_empty(), "{:?}", a.diagnostics);
    let report = parse(C011);
    assert_eq!(row(C011, &report, TableId::T3, "R1"), ["71", "3", "0", "0", "0", "0", "74"]);
    assert_eq!(row(C011, &report, TableId::T3, "R3.6.3"), ["0", "2", "0", "0", "0", "0", "2"]);
    let t4 = row(C011, &report, TableId::T4, "T4");
    assert_eq!(t4, ["0", "1", "1", "0", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]);
    assert!(codes(&a, "NB3").is_empty());
}

#[test]
fn corpus_018_is_inconsistent_and_says_where() {
    let report = parse(C018);
    // 「（七）总计20 0 00 0 121」 against leaves whose 自然人 column sums to 26.
    assert_eq!(row(C018, &report, TableId::T3, "R3.7"), ["20", "0", "0", "0", "0", "1", "21"]);
    assert_eq!(row(C018, &report, TableId::T3, "R3.6"), ["4", "0", "0", "0", "0", "0", "4"]);
    let a = check(C018);
    let arith: Vec<_> = a.diagnostics.iter().filter(|d| d.code.starts_with("NB3")).collect();
    // NB302 on （七）'s 自然人 cell; NB303 in the 自然人 and the 总计 column
    // (with （七） corrected to 26 and 27, 一 + 二 = 20 and 21 leave 四 = −6).
    assert_eq!(arith.iter().map(|d| d.code).collect::<Vec<_>>(), ["NB302", "NB303", "NB303"]);
    assert_eq!(arith[1].expected.as_deref(), Some("-6"));
    let nb302 = arith[0];
    assert_eq!((nb302.expected.as_deref(), nb302.found.as_deref()), (Some("26"), Some("20")));
    assert_eq!(nb302.range.slice(C018), "20");
    assert!(C018[..nb302.range.start].ends_with("（七）总计"));
    // Decoded tables are never edited.
    assert!(arith.iter().all(|d| d.fixes.is_empty()));
    assert!(nianbao::fix::fix_all(C018, &Config::default()).is_empty());
}

#[test]
fn corpus_019_has_an_ambiguous_row_so_table_three_is_not_summed() {
    // 「（一）予以公开270020130」: 27+0+0+2+0+1 = 30 and 2+7+0+0+20+1 = 30.
    let report = parse(C019);
    let t3 = report.table(TableId::T3).unwrap();
    assert_eq!(t3.row("R3.1").unwrap().shape, Shape::Undecodable { splits: 2 });
    assert_eq!(row(C019, &report, TableId::T3, "R1"), ["64", "0", "0", "2", "0", "4", "70"]);
    let a = check(C019);
    let t3_203: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "NB203" && t3.range.start <= d.range.start && d.range.end <= t3.range.end)
        .collect();
    assert_eq!(t3_203.len(), 1);
    assert_eq!(t3_203[0].range.slice(C019), "270020130");
    assert!(codes(&a, "NB3").is_empty());
    assert_eq!(
        row(C019, &report, TableId::T4, "T4"),
        ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
    );
}

#[test]
fn no_decoded_row_gets_nb301() {
    for text in [C003, C010, C011, C018, C019] {
        assert!(codes(&check(text), "NB301").is_empty());
    }
}

#[test]
fn an_impossible_row_gives_nb203_once_and_no_sums() {
    // R1 217+1 ≠ 219 whatever the split; and a wrong （七） elsewhere that
    // would otherwise be NB302.
    let text = C003.replacen("数量21710000218", "数量21710000219", 1).replacen(
        "（七）总计21710000218",
        "（七）总计21810000219",
        1,
    );
    let report = parse(&text);
    assert_eq!(report.table(TableId::T3).unwrap().row("R1").unwrap().shape, Shape::Undecodable { splits: 0 });
    let a = check(&text);
    let nb203: Vec<_> = a.diagnostics.iter().filter(|d| d.code == "NB203").collect();
    assert_eq!(nb203.len(), 2, "table 二's and table 三's");
    assert_eq!(nb203[1].range.slice(&text), "21710000219");
    assert!(nb203[1].message.contains("无论怎样拆分都不满足行内合计关系"), "{}", nb203[1].message);
    assert!(codes(&a, "NB3").is_empty());
}

#[test]
fn a_wrong_total_in_a_decoded_row_is_nb302_without_fixes() {
    // （七）总计 written 218 1 … 219: consistent within the row, one more than its leaves.
    let text = C003.replacen("（七）总计21710000218", "（七）总计21810000219", 1);
    let a = check(&text);
    let arith: Vec<_> = a.diagnostics.iter().filter(|d| d.code.starts_with("NB3")).collect();
    assert_eq!(arith.iter().map(|d| d.code).collect::<Vec<_>>(), ["NB302"], "{:?}", a.diagnostics);
    assert_eq!(arith[0].range.slice(&text), "218");
    assert_eq!(arith[0].expected.as_deref(), Some("217"));
    assert!(arith[0].fixes.is_empty());
    assert!(nianbao::fix::fix_all(&text, &Config::default()).is_empty());
    // The same text made consistent again passes.
    assert!(codes(&check(C003), "NB3").is_empty());
}

#[test]
fn reports_whose_headings_start_lines_build_no_flattened_table() {
    for text in [include_str!("../fixtures/seeds/003_42380e1adf95d416.txt"), include_str!("../fixtures/corpus/001.txt")]
    {
        assert!(parse(text).tables.iter().all(|t| t.layout != Layout::Flattened));
    }
}

#[test]
fn prose_with_numbers_around_a_flattened_table_is_not_a_row() {
    // A sentence before table 三 and after table 四, in the same sections.
    let text = C003
        .replacen("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况本年度共收到申请218件。", 1)
        .replacen("21317000001324019", "21317000001324019本年度行政复议7件，诉讼19件。", 1);
    let report = parse(&text);
    assert_eq!(row(&text, &report, TableId::T3, "R1"), ["217", "1", "0", "0", "0", "0", "218"]);
    assert_eq!(report.table(TableId::T3).unwrap().rows.len(), 25);
    assert_eq!(report.table(TableId::T4).unwrap().rows.len(), 1);
    let a = check(&text);
    assert_eq!(codes(&a, "NB2"), ["NB203"], "{:?}", a.diagnostics);
    assert!(codes(&a, "NB3").is_empty());
}

//! The content rules (NB105 overview topics, NB106 rectification, NB107 fee
//! statement, NB405 late signature date) on real reports from `fixtures/`,
//! each both firing and not.

use std::path::Path;
use std::process::Command;

use nianbao::{analyze, Config, Diagnostic, Locale, RuleLevel, Severity};

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SEED_000: &str = "seeds/000_8c402685963ba8a5.txt";
const SEED_001: &str = "seeds/001_164254f647ab523c.txt";
const SEED_002: &str = "seeds/002_1afd807652ea93b8.txt";
const SEED_003: &str = "seeds/003_42380e1adf95d416.txt";
const SEED_004: &str = "seeds/004_446d20770044734b.txt";

fn of(text: &str, code: &str) -> Vec<Diagnostic> {
    analyze(text, &Config::default()).diagnostics.into_iter().filter(|d| d.code == code).collect()
}

/// `text` with `from` replaced by `to` once, where `from` must occur.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

/// `text` with the last `from` replaced by `to` (the signature, not a date
/// quoted under the title).
fn edit_last(text: &str, from: &str, to: &str) -> String {
    let at = text.rfind(from).unwrap_or_else(|| panic!("{from:?} not in the text"));
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

// NB105 overview-topic

#[test]
fn overview_with_all_five_topics_is_quiet() {
    // Seed 002: （一）主动公开 … （五）监督保障; seed 000 and 004 run the topics in.
    for f in [SEED_000, SEED_002, SEED_004] {
        assert!(of(&fixture(f), "NB105").is_empty(), "{f}");
    }
}

#[test]
fn overview_without_information_management_names_that_topic_on_the_heading() {
    // Seed 002 without its （三）政府信息管理 paragraph.
    let text = fixture("rules/NB105-fires.txt");
    let d = of(&text, "NB105");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Info);
    assert_eq!(d[0].range.slice(&text), "一、总体情况");
    assert!(d[0].message.contains("政府信息管理"), "{}", d[0].message);
    let en = analyze(&text, &Config { locale: Locale::En, ..Config::default() });
    let en = en.diagnostics.iter().find(|d| d.code == "NB105").unwrap();
    assert!(en.message.contains("government information management"), "{}", en.message);
    // 三明市 2024 (corpus 015) covers 主动公开, 依申请公开, 解读回应, 平台建设,
    // 监督保障: no 政府信息管理 at all.
    let d = of(&fixture("corpus/015.txt"), "NB105");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("政府信息管理"));
}

#[test]
fn overview_topics_in_older_wording_masked_or_broken_over_lines_count() {
    // Seed 003 (2020): 「（四）政府信息资源的规范化、标准化管理及政府信息公开平台建设」.
    assert!(of(&fixture(SEED_003), "NB105").is_empty());
    // Seed 001: 「(四)信息公**台建设情况」: the mask hides 平.
    assert!(of(&fixture(SEED_001), "NB105").is_empty());
    // Seed 002 with every 信息管理 of section 一 broken by a line break.
    let text = fixture(SEED_002);
    let at = text.find("二、主动公开政府信息情况").unwrap();
    let broken = format!("{}{}", text[..at].replace("信息管理", "信息\n管理"), &text[at..]);
    assert!(!broken[..at].contains("信息管理"));
    assert!(of(&broken, "NB105").is_empty());
    // Without any of it, the topic is missing.
    let gone = format!("{}{}", text[..at].replace("信息管理", "信息工作"), &text[at..]);
    assert_eq!(of(&gone, "NB105").len(), 1);
}

#[test]
fn overview_topics_are_not_checked_without_section_one() {
    let text = edit(&fixture("rules/NB105-fires.txt"), "一、总体情况", "总体情况如下");
    assert!(of(&text, "NB105").is_empty());
    assert!(!of(&text, "NB101").is_empty());
}

// NB106 no-rectification

#[test]
fn section_five_with_last_years_rectification_is_quiet() {
    // Seed 000 line 405: 「上年整改情况：」.
    assert!(of(&fixture(SEED_000), "NB106").is_empty());
    let text =
        edit(&fixture(SEED_002), "六、其他需要报告的事项", "上年整改情况：已全部整改到位。\n\n六、其他需要报告的事项");
    assert!(of(&text, "NB106").is_empty());
}

#[test]
fn section_five_without_rectification_fires_on_its_heading_in_2021_reports_only() {
    // Seeds 001, 002 and 004 (format-spec §8), and 三明市 2023 (corpus 001).
    for f in [SEED_001, SEED_002, SEED_004, "corpus/001.txt"] {
        let text = fixture(f);
        let d = of(&text, "NB106");
        assert_eq!(d.len(), 1, "{f}");
        assert!(d[0].range.slice(&text).starts_with("五、"), "{f}");
        assert_eq!(d[0].severity, Severity::Info);
    }
    // Seed 003 is a 2020 report: the 2019 format asks nothing of the kind.
    assert!(of(&fixture(SEED_003), "NB106").is_empty());
}

// NB107 no-fee-statement

#[test]
fn section_six_reporting_fees_is_quiet() {
    // 「2023年未收取信息公开处理费用。」, 「…本年度没有产生信息公开处理费。」, 「…未发生收费情况。」
    for f in [SEED_002, SEED_000, "corpus/021.txt", "corpus/013.txt"] {
        assert!(of(&fixture(f), "NB107").is_empty(), "{f}");
    }
}

#[test]
fn section_six_without_fees_is_info_and_a_warning_when_fee_notices_went_unpaid() {
    // Seed 001: 六 is only 「(无)」; 三明市 2021 (corpus 012): 「无。」.
    for f in [SEED_001, "corpus/012.txt"] {
        let text = fixture(f);
        let d = of(&text, "NB107");
        assert_eq!(d.len(), 1, "{f}");
        assert_eq!(d[0].severity, Severity::Info, "{f}");
        assert_eq!(d[0].range.slice(&text), "六、其他需要报告的事项");
    }
    // Seed 002 with 六 reduced to 「无」 and one application dropped for an unpaid fee.
    let text = edit(&fixture(SEED_002), "2023年未收取信息公开处理费用。", "无");
    assert_eq!(of(&text, "NB107")[0].severity, Severity::Info);
    let unpaid = edit(
        &text,
        "缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0",
        "缴纳费用、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1",
    );
    let d = of(&unpaid, "NB107");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("1 件"), "{}", d[0].message);
    // Seed 003 (2020): 「无」 is fine before the fee measure.
    assert!(of(&fixture(SEED_003), "NB107").is_empty());
}

// NB405 late-date

#[test]
fn signature_dates_in_time_are_quiet() {
    // 公安局 2024 → 2025年1月24日; 沐阳县人民政府 2025 → 2026年1月23日;
    // 三明市 2019 → 2020年3月6日 (a city's own report: 3月31日);
    // 莆田市人民政府办公室 2019 → 2020年1月20日; 莆田市城市管理局 2020 → 「202/1/年/1月/13/日」.
    for f in [SEED_004, "corpus/004.txt", "corpus/007.txt", "corpus/020.txt", "corpus/023.txt", "corpus/021.txt"] {
        assert!(of(&fixture(f), "NB405").is_empty(), "{f}");
    }
    // No trailing date at all.
    assert!(of(&fixture(SEED_002), "NB405").is_empty());
}

#[test]
fn a_departments_report_signed_after_31_january_fires_on_the_date() {
    let text = fixture("rules/NB405-fires.txt");
    let d = of(&text, "NB405");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].range.slice(&text), "2025年2月10日");
    assert!(d[0].message.contains("2025年1月31日"), "{}", d[0].message);
    // In Chinese numerals too.
    let text = edit(&fixture(SEED_004), "2025年1月24日", "二〇二五年二月十日");
    assert_eq!(of(&text, "NB405")[0].range.slice(&text), "二〇二五年二月十日");
    // The same date as the end of a sentence is no signature.
    let text = edit(&fixture(SEED_004), "                      2025年1月24日", "本报告于2025年2月10日");
    assert!(of(&text, "NB405").is_empty());
}

#[test]
fn a_governments_report_is_due_on_31_march() {
    let text = edit_last(&fixture("corpus/004.txt"), "2026年1月23日", "2026年3月31日");
    assert!(of(&text, "NB405").is_empty());
    let text = edit_last(&fixture("corpus/004.txt"), "2026年1月23日", "2026年4月1日");
    let d = of(&text, "NB405");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("2026年3月31日"), "{}", d[0].message);
    // The same date on a department's report (三明市 → 三明市财政局) is late.
    let text = edit(&fixture("corpus/007.txt"), "标题：三明市2019年", "标题：三明市财政局2019年");
    assert_eq!(of(&text, "NB405").len(), 1);
}

#[test]
fn a_date_broken_over_lines_is_read_whole() {
    // Corpus 023 ends 「202」「1」「年」「1月」「13」「日」「（此件主动公开）」.
    let text = edit(&fixture("corpus/023.txt"), "1月\n13\n日", "2月\n13\n日");
    let d = of(&text, "NB405");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].range.slice(&text), "202\n1\n年\n2月\n13\n日");
}

// Configuration and the CLI

#[test]
fn the_content_rules_can_be_turned_off() {
    let text = fixture(SEED_001);
    let mut config = Config::default();
    for code in ["NB105", "NB106", "NB107", "NB405"] {
        config.rules.insert(code.into(), RuleLevel::Off);
    }
    let codes: Vec<_> = analyze(&text, &config).diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.iter().any(|c| ["NB106", "NB107"].contains(c)), "{codes:?}");
    let bin = env!("CARGO_BIN_EXE_nianbao");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/NB405-fires.txt");
    let out = Command::new(bin).arg("check").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[NB405]"));
    let out = Command::new(bin).args(["check", "--rule", "NB405=off"]).arg(&path).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("[NB405]"));
}

#[test]
fn explain_knows_the_content_rules() {
    let bin = env!("CARGO_BIN_EXE_nianbao");
    for (code, name) in [
        ("NB105", "overview-topic"),
        ("NB106", "no-rectification"),
        ("NB107", "no-fee-statement"),
        ("NB405", "late-date"),
    ] {
        let out = Command::new(bin).args(["explain", code]).output().unwrap();
        assert!(out.status.success(), "{code}");
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(s.starts_with(&format!("{code} {name} (info)")), "{s}");
        assert!(s.contains("What: ") && s.contains("Why: ") && s.contains("Example: "), "{s}");
    }
}

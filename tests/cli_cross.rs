//! `nianbao check` pairs reports of one body in consecutive years (NB403):
//! named on the command line or found under a directory, in any order, in
//! the human, JSON and SARIF outputs, with the related location in the other
//! file. The reports are 三明市人民政府's real 2023 and 2024 reports
//! (`fixtures/cross/`), the 2024 one with 上年结转 (自然人) edited from 0 to 2.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_nianbao");

fn fixture(name: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cross").join(name)).unwrap()
}

/// A directory `reports/` with the 2023 report and a 2024 report whose
/// carry-over disagrees with it (line 83, 「2」; the 自然人 cell of 2023's 四 row
/// is on line 373).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).unwrap();
    fs::write(reports.join("sanming-2023.txt"), fixture("sanming-2023.txt")).unwrap();
    let cur = fixture("sanming-2024.txt");
    let at = cur.find("二、上年结转政府信息公开申请数量\r\n0\r\n").unwrap();
    let cur = format!("{}{}", &cur[..at], cur[at..].replacen("\r\n0\r\n", "\r\n2\r\n", 1));
    fs::write(reports.join("sanming-2024.txt"), cur).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).current_dir(dir).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn nb403_lines(stdout: &str) -> Vec<String> {
    let lines: Vec<&str> = stdout.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.contains("[NB403]") {
            out.push(l.to_string());
            if let Some(next) = lines.get(i + 1).filter(|n| n.starts_with("  ")) {
                out.push(next.to_string());
            }
        }
    }
    out
}

#[test]
fn human_output_names_the_other_file() {
    let dir = workspace();
    let (code, stdout, stderr) = run(dir.path(), &["check", "reports"]);
    assert_eq!(code, 1, "NB303 in the edited 2024 report is an error: {stdout}{stderr}");
    let lines = nb403_lines(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[0].starts_with("reports/sanming-2024.txt:41:1: info[NB403] 行政规范性文件现行有效件数为 3097"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "  reports/sanming-2023.txt:125:1: note: 2023年报告：行政规范性文件现行有效件数为 2787");
    assert_eq!(
        lines[2],
        "reports/sanming-2024.txt:83:1: warning[NB403] 上年结转（自然人）为 2，但2023年报告的结转下年度继续办理为 0"
    );
    assert_eq!(lines[3], "  reports/sanming-2023.txt:373:1: note: 2023年报告：结转下年度继续办理（自然人）为 0");
}

#[test]
fn the_later_year_may_come_first_and_alone_it_has_nothing_to_compare() {
    let dir = workspace();
    let (_, stdout, _) =
        run(dir.path(), &["check", "reports/sanming-2024.txt", "reports/./sanming-2023.txt", "--locale", "en"]);
    let lines = nb403_lines(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[3], "  reports/./sanming-2023.txt:373:1: note: 2023 report: carried into next year (自然人) = 0");
    // Files are still written in argument order.
    let first_2023 = stdout.find("reports/./sanming-2023.txt:").unwrap();
    let first_2024 = stdout.find("reports/sanming-2024.txt:").unwrap();
    assert!(first_2024 < first_2023);
    let (_, stdout, _) = run(dir.path(), &["check", "reports/sanming-2024.txt"]);
    assert!(!stdout.contains("NB403"), "{stdout}");
}

#[test]
fn json_related_carries_the_other_path() {
    let dir = workspace();
    let (_, stdout, _) = run(dir.path(), &["check", "--format", "json", "reports/"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[1]["path"], "reports/sanming-2024.txt");
    let d: Vec<&Value> = files[1]["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "NB403").collect();
    assert_eq!(d.len(), 2);
    // Sorted by start: X2 (line 41) before X1 (line 84).
    assert_eq!(d[0]["severity"], "info");
    assert_eq!(d[1]["severity"], "warning");
    assert_eq!(d[1]["range"]["start"], serde_json::json!({"line": 82, "character": 0}));
    assert_eq!((d[1]["expected"].as_str(), d[1]["found"].as_str()), (Some("0"), Some("2")));
    let r = &d[1]["related"][0];
    assert_eq!(r["path"], "reports/sanming-2023.txt");
    assert_eq!(
        r["range"],
        serde_json::json!({"start": {"line": 372, "character": 0}, "end": {"line": 372, "character": 1}})
    );
    // Diagnostics of the file stay sorted with NB403 among them.
    let starts: Vec<(u64, u64)> = files[1]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["range"]["start"]["line"].as_u64().unwrap(), d["range"]["start"]["character"].as_u64().unwrap()))
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    // A related location in the same file carries no path.
    assert!(files[1]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "NB403")
        .flat_map(|d| d["related"].as_array().cloned().unwrap_or_default())
        .all(|r| r.get("path").is_none()));
    assert_eq!(v["summary"]["warnings"].as_u64().map(|w| w >= 1), Some(true));
}

#[test]
fn sarif_related_locations_point_into_the_other_file() {
    let dir = workspace();
    let (_, stdout, _) = run(dir.path(), &["check", "--format", "sarif", "reports"]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let x1 = results.iter().find(|r| r["ruleId"] == "NB403" && r["level"] == "warning").unwrap();
    assert_eq!(x1["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "reports/sanming-2024.txt");
    let rel = &x1["relatedLocations"][0]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], "reports/sanming-2023.txt");
    assert_eq!(rel["region"]["startLine"], 373);
    assert_eq!(rel["region"]["startColumn"], 1);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "NB403" && r["name"] == "carry-over"));
}

#[test]
fn unreadable_files_and_other_bodies_do_not_disturb_the_pairing() {
    let dir = workspace();
    let reports = dir.path().join("reports");
    // Binary, not UTF-8 nor GB18030, a directory named like a report, and another body.
    fs::write(reports.join("a-binary.txt"), b"\x00\x01\x02").unwrap();
    fs::write(reports.join("b-not-text.md"), b"\xff\xfe\xfd\x80").unwrap();
    fs::create_dir(reports.join("c.txt")).unwrap();
    fs::write(
        reports.join("d-nanping-2023.txt"),
        fixture("sanming-2023.txt").replacen("三明市2023年", "南平市2023年", 1),
    )
    .unwrap();
    // A UTF-16 copy of the 2023 report far down the order, and an empty file.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(fixture("sanming-2022.txt").encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(reports.join("z-2022-utf16.txt"), utf16).unwrap();
    fs::write(reports.join("z-empty.txt"), b"").unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["check", "reports"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a-binary.txt"), "{stderr}");
    let lines = nb403_lines(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[3].starts_with("  reports/sanming-2023.txt:373:1"), "{}", lines[3]);
    // 2022 → 2023 agree, the 2022 one in UTF-16: nothing on 2023.
    assert!(!stdout.lines().any(|l| l.starts_with("reports/sanming-2023.txt") && l.contains("NB403")), "{stdout}");
}

#[test]
fn rule_settings_apply_to_both_relations() {
    let dir = workspace();
    let (code, stdout, _) =
        run(dir.path(), &["check", "--rule", "NB403=error", "reports/sanming-2023.txt", "reports/sanming-2024.txt"]);
    assert_eq!(code, 1);
    let lines = nb403_lines(&stdout);
    assert!(lines[0].contains("error[NB403]") && lines[2].contains("error[NB403]"), "{stdout}");
    let (_, stdout, _) = run(dir.path(), &["check", "--rule", "NB403=off", "reports"]);
    assert!(!stdout.contains("NB403"), "{stdout}");
}

#[test]
fn of_two_reports_for_last_year_the_first_in_the_order_counts() {
    let dir = workspace();
    // A second 2023 report that carries 2 into 2024, as the edited 2024 report says.
    let prev = fixture("sanming-2023.txt");
    let at = prev.find("四、结转下年度继续办理\r\n0\r\n").unwrap();
    let agreeing = format!("{}{}", &prev[..at], prev[at..].replacen("\r\n0\r\n", "\r\n2\r\n", 1));
    fs::write(dir.path().join("agreeing-2023.txt"), agreeing).unwrap();
    let x1 = |stdout: &str| stdout.lines().any(|l| l.contains("warning[NB403]"));
    let (_, stdout, _) = run(dir.path(), &["check", "reports/sanming-2024.txt", "reports", "agreeing-2023.txt"]);
    assert!(x1(&stdout), "reports/sanming-2023.txt comes first: {stdout}");
    let (_, stdout, _) = run(dir.path(), &["check", "agreeing-2023.txt", "reports"]);
    assert!(!x1(&stdout), "agreeing-2023.txt comes first: {stdout}");
}

#[test]
fn a_title_below_a_long_header_is_still_found() {
    let dir = workspace();
    // 6 KB of scraper header before last year's title: more than the first
    // look reads at first, and last year's report comes later in the order.
    let path = dir.path().join("reports/sanming-2023.txt");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("来源：{}\r\n{text}", "网".repeat(2000))).unwrap();
    let (_, stdout, _) = run(dir.path(), &["check", "reports/sanming-2024.txt", "reports/sanming-2023.txt"]);
    let lines = nb403_lines(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines[2].starts_with("reports/sanming-2024.txt:83:1: warning[NB403]"), "{}", lines[2]);
    assert!(lines[3].starts_with("  reports/sanming-2023.txt:374:1: note:"), "{}", lines[3]);
}

#[test]
fn explain_nb403() {
    let (code, stdout, _) = run(Path::new(env!("CARGO_MANIFEST_DIR")), &["explain", "NB403"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("carry-over"), "{stdout}");
    assert!(stdout.contains("info"), "{stdout}");
}

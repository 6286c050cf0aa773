//! NB406 prose-sum on real reports from `fixtures/`: the five corpus reports
//! whose stated total and listed parts disagree fire, on the total, with the
//! parts as related locations; every other fixture stays quiet, and so do the
//! sentences the rule must not compare (approximate numbers, another unit, a
//! nested 「其中」, a list of a few notable parts, a paragraph break).

use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao::report::{parse, reparse};
use nianbao::rules::analyze_report;
use nianbao::text::{Splice, TextRange};
use nianbao::{analyze, Config, Diagnostic, Locale, RuleLevel, Severity};

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn of(text: &str) -> Vec<Diagnostic> {
    analyze(text, &Config::default()).diagnostics.into_iter().filter(|d| d.code == "NB406").collect()
}

/// `text` with `from` replaced by `to`, where `from` occurs exactly once.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?}");
    text.replacen(from, to, 1)
}

/// The one NB406 of `text`: (total as covered, expected, found, parts as covered).
fn one(text: &str) -> (String, String, String, Vec<String>) {
    let d = of(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    let d = &d[0];
    assert_eq!(d.severity, Severity::Warning);
    let parts = d.related.iter().map(|r| r.range.slice(text).to_string()).collect();
    (d.range.slice(text).to_string(), d.expected.clone().unwrap(), d.found.clone().unwrap(), parts)
}

#[test]
fn corpus_018_parts_in_parentheses_sum_to_one_more() {
    // 「共公布政府信息2602条(其中机构职能类信息82条，…，其他应主动公开政府信息1053条)」
    let text = fixture("corpus/018.txt");
    let (total, expected, found, parts) = one(&text);
    assert_eq!((total.as_str(), expected.as_str(), found.as_str()), ("2602", "2603", "2602"));
    assert_eq!(parts.len(), 11);
    assert_eq!((parts[0].as_str(), parts[10].as_str()), ("82", "1053"));
    let d = &of(&text)[0];
    assert_eq!(d.related[0].message, "分项：机构职能类信息82条");
    assert!(d.related.iter().all(|r| r.path.is_none()));
    assert_eq!(
        d.message,
        "所列分项之和为 2603 条（82 + 80 + 21 + 40 + 390 + 69 + 143 + 208 + 246 + 271 + 1053），与所称总数 2602 条不符"
    );
}

#[test]
fn corpus_010_a_flattened_report_on_one_line() {
    // The whole report, headings and tables too, is line 10.
    let text = fixture("corpus/010.txt");
    let (total, expected, found, parts) = one(&text);
    assert_eq!((total.as_str(), expected.as_str(), found.as_str()), ("2599", "2533", "2599"));
    assert_eq!(parts.len(), 11);
    // 「今年共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条、
    // 部门预决算公开165条）…」 adds up (and names no total right before 其中).
}

#[test]
fn corpus_013_total_and_parts_across_line_breaks() {
    // 「累计主动公开政府信息\n15836\n件，包括机构职能类信息\n1927\n件，…其他类信息\n6347\n件。」
    let text = fixture("corpus/013.txt");
    let (total, expected, found, parts) = one(&text);
    assert_eq!((total.as_str(), expected.as_str(), found.as_str()), ("15836", "15515", "15836"));
    assert_eq!(parts, ["1927", "620", "622", "1028", "645", "661", "459", "656", "1354", "1196", "6347"]);
    let d = &of(&text)[0];
    let line = |at: usize| text[..at].matches('\n').count();
    assert!(line(d.related[10].range.start) > line(d.range.start) + 20);
}

#[test]
fn corpus_022_colon_after_the_cue_and_parts_over_many_lines() {
    let text = fixture("corpus/022.txt");
    let (total, expected, found, parts) = one(&text);
    assert_eq!((total.as_str(), expected.as_str(), found.as_str()), ("346", "344", "346"));
    assert_eq!(parts, ["28", "1", "195", "24", "17", "1", "78"]);
}

#[test]
fn corpus_024_and_its_corrected_twin() {
    let text = fixture("corpus/024.txt");
    let (total, expected, found, parts) = one(&text);
    assert_eq!((total.as_str(), expected.as_str(), found.as_str()), ("132", "128", "132"));
    assert_eq!(parts, ["7", "2", "2", "24", "19", "10", "64"]);
    assert!(of(&fixture("rules/NB406-ok.txt")).is_empty());
    assert_eq!(fixture("rules/NB406-fires.txt"), text);
}

#[test]
fn a_number_broken_over_a_line_break_is_still_read() {
    let text = edit(
        &fixture("corpus/024.txt"),
        "政府信息共132件，其中机构职能类信息7件，",
        "政府信息共13\n2件，其\n中机构职能类信息\n7件，",
    );
    let (total, expected, found, parts) = one(&text);
    assert_eq!((total.as_str(), expected.as_str(), found.as_str()), ("13\n2", "128", "132"));
    assert_eq!(parts[0], "7");
    // A blank line ends the paragraph: the parts are no longer the total's.
    let text = edit(&fixture("corpus/013.txt"), "15836\r\n件，包括", "15836\r\n件，\r\n\r\n包括");
    assert!(of(&text).is_empty());
}

#[test]
fn every_other_fixture_is_quiet() {
    let fires = ["corpus/010.txt", "corpus/013.txt", "corpus/018.txt", "corpus/022.txt", "corpus/024.txt"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["corpus", "seeds", "rules"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 60);
    for p in files {
        let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let n = of(&text).len();
        let want = usize::from(fires.contains(&rel.as_str()) || rel == "rules/NB406-fires.txt");
        assert_eq!(n, want, "{rel}");
    }
}

#[test]
fn approximate_numbers_are_never_compared() {
    let text = fixture("corpus/018.txt");
    for (from, to) in [
        ("共公布政府信息2602条", "共公布政府信息2600余条"),
        ("共公布政府信息2602条", "共公布政府信息约2602条"),
        ("共公布政府信息2602条", "共公布政府信息近2602条"),
        ("机构职能类信息82条", "机构职能类信息约82条"),
        ("机构职能类信息82条", "机构职能类信息80余条"),
        ("机构职能类信息82条", "机构职能类信息80多条"),
        ("其他应主动公开政府信息1053条", "其他应主动公开政府信息1053条左右"),
        ("其他应主动公开政府信息1053条", "其他应主动公开政府信息1000条以上"),
    ] {
        assert!(of(&edit(&text, from, to)).is_empty(), "{to}");
    }
}

#[test]
fn what_is_not_a_complete_list_in_the_totals_unit_is_not_compared() {
    let text = fixture("corpus/024.txt");
    for (from, to) in [
        // A part in another unit.
        ("其他类信息64件", "其他类信息64条"),
        // A nested 其中.
        ("科教文体卫生类信息19件，", "科教文体卫生类信息19件，其中教育类信息9件，"),
        // No 「其他…」 last: a few notable parts, not a breakdown.
        ("，其他类信息64件。", "。"),
        // A percentage among the parts.
        ("行政许可类信息2件，", "行政许可类信息2件，占1.5%，"),
    ] {
        assert!(of(&edit(&text, from, to)).is_empty(), "{to}");
    }
    // 「现有权责事项350项，其中：行政许可审批件76件，行政处罚16件」: another unit.
    assert!(text.contains("350项，其中：行政许可审批件76件"));
    // Seed 004: 「124条，其中政府门户网站公开信息66条，政务新媒体公开信息58条」 adds up,
    // and still says nothing when it would not: two channels, no 「其他」.
    let seed = fixture("seeds/004_446d20770044734b.txt");
    assert!(of(&edit(&seed, "各类政府信息124条", "各类政府信息125条")).is_empty());
    // Corpus 023 lists two totals that add up (33 条, 112 项), each ending in 其他.
    let t = fixture("corpus/023.txt");
    assert_eq!(one(&edit(&t, "其他信息\n4\n", "其他信息\n5\n")).0, "33");
}

#[test]
fn the_message_in_english() {
    let config = Config { locale: Locale::En, ..Config::default() };
    let text = fixture("corpus/024.txt");
    let d: Vec<_> = analyze(&text, &config).diagnostics.into_iter().filter(|d| d.code == "NB406").collect();
    assert_eq!(d[0].message, "the listed parts sum to 128 (7 + 2 + 2 + 24 + 19 + 10 + 64), not the stated total 132");
    assert_eq!(d[0].related[6].message, "part: 其他类信息 64");
}

#[test]
fn an_edit_in_the_list_is_seen_by_an_incremental_reparse() {
    let text = fixture("corpus/013.txt");
    let report = parse(&text);
    // Correct the total (15515), and then break a part's number.
    let at = text.find("15836").unwrap();
    let new_text = format!("{}15515{}", &text[..at], &text[at + 5..]);
    let splice = Splice::edit(TextRange::new(at, at + 5), 5);
    let got = reparse(&text, &report, &new_text, splice);
    assert_eq!(got, parse(&new_text));
    let diags = analyze_report(&new_text, &got, &Config::default()).diagnostics;
    assert!(diags.iter().all(|d| d.code != "NB406"));
    let at = new_text.find("6347").unwrap();
    let newer = format!("{}6348{}", &new_text[..at], &new_text[at + 4..]);
    let again = reparse(&new_text, &got, &newer, Splice::edit(TextRange::new(at, at + 4), 4));
    assert_eq!(again, parse(&newer));
    let diags: Vec<_> = analyze_report(&newer, &again, &Config::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "NB406")
        .collect();
    assert_eq!(diags.len(), 1);
    assert_eq!((diags[0].expected.as_deref(), diags[0].found.as_deref()), (Some("15516"), Some("15515")));
}

#[test]
fn nb406_can_be_turned_off_and_explained() {
    let text = fixture("corpus/018.txt");
    let mut config = Config::default();
    config.rules.insert("NB406".into(), RuleLevel::Off);
    assert!(analyze(&text, &config).diagnostics.iter().all(|d| d.code != "NB406"));
    let bin = env!("CARGO_BIN_EXE_nianbao");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/NB406-fires.txt");
    let out = Command::new(bin).arg("check").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[NB406]"));
    let out = Command::new(bin).args(["check", "--rule", "NB406=off"]).arg(&path).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("[NB406]"));
    let out = Command::new(bin).args(["explain", "NB406"]).output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.starts_with("NB406 prose-sum (warning)"), "{s}");
    assert!(s.contains("What: ") && s.contains("Why: ") && s.contains("Example: "), "{s}");
}

/// A cheap deterministic generator (tests cannot reach the crate's own).
fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// The statements that do not add up are cached in the report and found again
/// only near an edit: random edits near and far from them reparse to exactly
/// what a full parse finds.
#[test]
fn random_edits_around_the_statements_reparse_to_a_full_parse() {
    let pieces = [
        "1", "23", "件", "条", "，", "。", "其中", "其他", "包括", "\n", "\r\n", "\n\n", "（", "）", "约", "余",
        "信息", "X",
    ];
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    let (mut incremental, mut with_sums) = (0, 0);
    for name in ["corpus/013.txt", "corpus/022.txt", "corpus/024.txt", "corpus/018.txt", "corpus/023.txt"] {
        let (mut text, mut report) = (String::new(), parse(""));
        for step in 0..150u32 {
            // Runs of ten edits, each from the report as published.
            if step.is_multiple_of(10) {
                text = fixture(name);
                report = parse(&text);
            }
            // Mostly near a cue, sometimes anywhere.
            let cues: Vec<usize> = text.match_indices("其中").map(|(i, _)| i).collect();
            let centre = if next().is_multiple_of(4) || cues.is_empty() {
                (next() % text.len() as u64) as usize
            } else {
                cues[(next() % cues.len() as u64) as usize]
            };
            let mut at = (centre + (next() % 400) as usize).saturating_sub(200).min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + (next() % 4) as usize).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let ins = if next().is_multiple_of(3) { "" } else { pieces[(next() % pieces.len() as u64) as usize] };
            let new_text = format!("{}{ins}{}", &text[..at], &text[end..]);
            let splice = Splice::edit(TextRange::new(at, end), ins.len());
            let (got, path) = nianbao::report::reparse_with_stats(&text, &report, &new_text, splice);
            let want = parse(&new_text);
            assert_eq!(got.prose.sums, want.prose.sums, "{name}: {:?} at {at}", ins);
            assert_eq!(got, want, "{name}");
            incremental += usize::from(path != nianbao::report::Reparse::Full);
            with_sums += usize::from(!want.prose.sums.is_empty());
            text = new_text;
            report = got;
        }
    }
    assert!(incremental > 300, "only {incremental} incremental reparses");
    assert!(with_sums > 300, "only {with_sums} edits left a statement to find");
}

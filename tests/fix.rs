//! `fix`: only derived cells change, each layout keeps its separators, and a
//! second run changes nothing.

use nianbao::fix::{apply_edits, fix_all};
use nianbao::{analyze, Config};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn fixed(text: &str) -> String {
    apply_edits(text, &fix_all(text, &Config::default()))
}

/// The changed lines, old → new.
fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
    a.lines().zip(b.lines()).filter(|(x, y)| x != y).map(|(x, y)| (x.to_string(), y.to_string())).collect()
}

#[test]
fn fixes_a_row_total_one_cell_per_line() {
    let text = fixture("rules/NB301-fires.txt");
    let out = fixed(&text);
    assert_eq!(out, fixture("seeds/000_8c402685963ba8a5.txt"));
    assert_eq!(fixed(&out), out, "second run changes nothing");
}

#[test]
fn fixes_the_result_total_row_in_tab_rows() {
    let text = fixture("rules/NB302-fires.txt");
    let out = fixed(&text);
    assert_eq!(
        changed_lines(&text, &out),
        vec![("(七) 总计\t\t31\t0\t0\t0\t0\t0\t31\t".into(), "(七) 总计\t\t32\t0\t0\t0\t0\t0\t32\t".into())]
    );
    assert!(!analyze(&out, &Config::default()).diagnostics.iter().any(|d| d.code.starts_with("NB3")));
}

#[test]
fn fixes_a_review_total_and_writes_an_empty_derived_cell_in_pipe_rows() {
    let text = fixture("rules/NB304-fires.txt");
    assert_eq!(fixed(&text), fixture("seeds/002_1afd807652ea93b8.txt"));
    let text = fixture("rules/NB205-fires.txt");
    let out = fixed(&text);
    // The empty （七）总计 总计 is derived: fix writes 4 and keeps the pipes; the
    // blank input cell (行政许可) is never filled by `fix`.
    assert_eq!(
        changed_lines(&text, &out),
        vec![("(七)总计 | 4 | 0 | 0 | 0 | 0 | 0 |  | ||".into(), "(七)总计 | 4 | 0 | 0 | 0 | 0 | 0 | 4 | ||".into())]
    );
    assert!(out.contains("行政许可 |  | ||"));
}

#[test]
fn inputs_and_the_balance_are_never_changed_by_fix() {
    let text = fixture("rules/NB303-fires.txt");
    assert_eq!(fix_all(&text, &Config::default()), vec![]);
}

#[test]
fn nothing_to_fix_on_clean_reports_and_non_reports() {
    for f in [
        "seeds/000_8c402685963ba8a5.txt",
        "seeds/001_164254f647ab523c.txt",
        "seeds/002_1afd807652ea93b8.txt",
        "seeds/003_42380e1adf95d416.txt",
    ] {
        assert_eq!(fix_all(&fixture(f), &Config::default()), vec![], "{f}");
    }
    assert_eq!(fix_all("一、买菜\n二、做饭\n", &Config::default()), vec![]);
}

#[test]
fn fix_keeps_crlf_and_lone_cr() {
    let text = fixture("rules/NB302-fires.txt");
    for eol in ["\r\n", "\r"] {
        let t = text.replace('\n', eol);
        let out = fixed(&t);
        assert_eq!(out, fixture("rules/NB302-ok.txt").replace('\n', eol));
    }
}

#[test]
fn insertion_fixes_use_the_documents_layout() {
    // NB202 inserts the missing row as a tab row with zeros.
    let text = fixture("rules/NB202-fires.txt");
    let a = analyze(&text, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB202").unwrap();
    assert_eq!(d.fixes[0].edits[0].new_text, "2.重复申请\t0\t0\t0\t0\t0\t0\t0\n");
    // NB101 inserts the heading before the signature of seed 004.
    let text = fixture("seeds/004_446d20770044734b.txt");
    let a = analyze(&text, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB101").unwrap();
    let out = apply_edits(&text, &d.fixes[0].edits);
    assert!(
        out.contains("改进措施。一是围绕公安领域")
            && out.contains("六、其他需要报告的事项\n                     重庆市綦江区公安局")
    );
    // NB201 inserts a whole table 四 that then parses and checks clean.
    let text = fixture("rules/NB201-fires.txt");
    let a = analyze(&text, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB201").unwrap();
    let out = apply_edits(&text, &d.fixes[0].edits);
    let b = analyze(&out, &Config::default());
    assert!(!b.diagnostics.iter().any(|d| d.severity == nianbao::Severity::Error), "{:?}", b.diagnostics);
    // NB205 on an input cell offers fill 0.
    let text = fixture("rules/NB205-fires.txt");
    let a = analyze(&text, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB205" && d.fixes.len() == 1).unwrap();
    assert_eq!(d.fixes[0].edits[0].new_text, "0");
}

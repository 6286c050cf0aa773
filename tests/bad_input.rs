//! Bad input: nothing panics, and what is wrong is said where.

use nianbao::{analyze, Config, Severity};

fn seed(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn empty_and_non_report_texts_get_nothing() {
    for text in ["", "\n", "\r\n\r", "今天天气很好。\n一、买菜\n二、做饭\n", "𠮷\t|\t|"] {
        let a = analyze(text, &Config::default());
        assert!(!a.is_report && a.diagnostics.is_empty() && a.format.is_none(), "{text:?}");
    }
}

#[test]
fn a_report_cut_off_in_the_middle_of_a_table_is_still_checked() {
    let text = seed("002_1afd807652ea93b8.txt");
    let cut = &text[..text.find("(三) 不予公开").unwrap()];
    let a = analyze(cut, &Config::default());
    assert!(a.diagnostics.iter().any(|d| d.code == "NB202"));
    assert!(a.diagnostics.iter().any(|d| d.code == "NB101"));
    // Every prefix parses without panicking, including ones inside a character.
    for end in (0..text.len()).step_by(97).filter(|&e| text.is_char_boundary(e)) {
        analyze(&text[..end], &Config::default());
    }
}

#[test]
fn a_table_with_every_value_blank_gets_nb205_per_cell_and_no_sums() {
    let text = seed("002_1afd807652ea93b8.txt");
    let start = text.find("一、本年新收").unwrap();
    let end = text.find("\n\n四、政府信息公开行政复议").unwrap();
    let blanked: String = text[start..end]
        .lines()
        .map(|l| {
            l.split('\t')
                .map(|f| if f.chars().all(|c| c.is_ascii_digit()) { "" } else { f })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let t = format!("{}{}{}", &text[..start], blanked, &text[end..]);
    let a = analyze(&t, &Config::default());
    let empties = a.diagnostics.iter().filter(|d| d.code == "NB205").count();
    assert_eq!(empties, 25 * 7);
    assert!(!a.diagnostics.iter().any(|d| d.code.starts_with("NB30")), "no sums over blank cells");
}

#[test]
fn thousands_separators_and_full_width_digits_are_numbers() {
    let text = seed("002_1afd807652ea93b8.txt")
        .replace("行政许可\t9156", "行政许可\t9,156")
        .replace("(七) 总计\t\t32\t0\t0\t0\t0\t0\t32", "(七) 总计\t\t３２\t0\t0\t0\t0\t0\t３２");
    let a = analyze(&text, &Config::default());
    assert!(!a.diagnostics.iter().any(|d| d.severity == Severity::Error), "{:?}", a.diagnostics);
    // A malformed separator is a bad number, named where it is.
    let bad = text.replace("行政许可\t9,156", "行政许可\t91,56");
    let a = analyze(&bad, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB204").unwrap();
    assert_eq!(d.range.slice(&bad), "91,56");
    assert!(d.message.contains("行政许可"));
}

#[test]
fn a_huge_report_is_checked_without_trouble() {
    // ~50 MB: section 一's paragraphs repeated, as product-spec §8 builds its big report.
    let text = seed("004_446d20770044734b.txt");
    let para = "（一）主动公开方面。遵循公开、公正、合法、便民的原则，积极围绕群众关心关切的治安动态、政务服务等重点领域，加大政府门户网站和政务新媒体警务公开力度。\n";
    let at = text.find("[bookmark: _Hlk122684884]").unwrap();
    let big = format!("{}{}{}", &text[..at], para.repeat(50_000_000 / para.len()), &text[at..]);
    assert!(big.len() > 49_000_000);
    let a = analyze(&big, &Config::default());
    assert_eq!(
        a.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.code).collect::<Vec<_>>(),
        vec!["NB101"]
    );
}

//! NB403 across two reports (format-spec §5.3 X1 and X2) at the library
//! level, on real reports of one body in consecutive years: 三明市人民政府's
//! 2022, 2023 and 2024 reports (`fixtures/cross/`, corpus 013, 001, 015),
//! and variants of them with one number or the title edited.

use std::path::Path;

use nianbao::report::parse;
use nianbao::rules::carry::{self, front_key};
use nianbao::rules::{CarrySummary, Front};
use nianbao::{Config, Locale, RuleLevel, Severity};

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cross").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn summary(text: &str) -> CarrySummary {
    CarrySummary::of(&parse(text))
}

fn nb403(current: &str, previous: &str, config: &Config) -> Vec<nianbao::rules::Diagnostic> {
    carry::check(&summary(current), &summary(previous), "prev.txt", config)
}

/// Replaces the `nth` value line (0-based) after the line `label`.
fn set_value(text: &str, label: &str, nth: usize, value: &str) -> String {
    let at = text.find(label).unwrap_or_else(|| panic!("{label} not found"));
    let mut lines: Vec<String> = text[at..].split("\r\n").map(str::to_owned).collect();
    lines[1 + nth] = value.to_owned();
    format!("{}{}", &text[..at], lines.join("\r\n"))
}

/// The 0-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    nianbao::text::LineIndex::new(text).line_of(offset)
}

const CARRIED_IN: &str = "二、上年结转政府信息公开申请数量";
const CARRIED_OUT: &str = "四、结转下年度继续办理";

#[test]
fn the_real_reports_pair_by_body_and_year() {
    let s = summary(&fixture("sanming-2023.txt"));
    assert_eq!(s.key(), Some(("三明市", 2023)));
    assert_eq!(s.carried_in.len(), 7);
    assert_eq!(s.carried_out.len(), 7);
    assert_eq!(s.documents.len(), 2);
    // The look at the first lines agrees with the parse.
    assert_eq!(front_key(&fixture("sanming-2023.txt"), true), Front::Known(Some(("三明市".into(), 2023))));
}

#[test]
fn consecutive_real_reports_that_agree_give_nothing() {
    // 2022 carries 1 (自然人) into 2023, and 2023 says it received 1.
    assert_eq!(nb403(&fixture("sanming-2023.txt"), &fixture("sanming-2022.txt"), &Config::default()), vec![]);
}

#[test]
fn a_carry_over_that_disagrees_fires_with_the_cell_in_last_years_file() {
    let prev = fixture("sanming-2023.txt");
    let cur = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "2");
    let found = nb403(&cur, &prev, &Config::default());
    let warnings: Vec<_> = found.iter().filter(|d| d.severity == Severity::Warning).collect();
    assert_eq!(warnings.len(), 1, "{found:#?}");
    let d = warnings[0];
    assert_eq!(d.code, "NB403");
    assert_eq!(d.range.slice(&cur), "2");
    assert_eq!(line_of(&cur, d.range.start), line_of(&cur, cur.find(CARRIED_IN).unwrap()) + 1);
    assert_eq!((d.expected.as_deref(), d.found.as_deref()), (Some("0"), Some("2")));
    assert_eq!(d.message, "上年结转（自然人）为 2，但2023年报告的结转下年度继续办理为 0");
    assert_eq!(d.related.len(), 1);
    let r = &d.related[0];
    assert_eq!(r.path.as_deref(), Some("prev.txt"));
    assert_eq!(r.range.slice(&prev), "0");
    assert_eq!(line_of(&prev, r.range.start), line_of(&prev, prev.find(CARRIED_OUT).unwrap()) + 1);
    assert!(r.message.contains("2023年报告"), "{}", r.message);
    // Sorted by start.
    assert!(found.windows(2).all(|w| w[0].range.start <= w[1].range.start));
}

#[test]
fn english_messages_when_configured() {
    let cur = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "2");
    let config = Config { locale: Locale::En, ..Config::default() };
    let found = nb403(&cur, &fixture("sanming-2023.txt"), &config);
    let d = found.iter().find(|d| d.severity == Severity::Warning).unwrap();
    assert_eq!(d.message, "carried over from last year (自然人) is 2, but the 2023 report carries 0 into this year");
}

#[test]
fn other_bodies_other_years_and_titles_without_a_body_give_nothing() {
    let prev = fixture("sanming-2023.txt");
    let cur = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "2");
    let config = Config::default();
    assert!(!nb403(&cur, &prev, &config).is_empty());
    // Another body.
    let other = prev.replacen("三明市2023年", "南平市2023年", 1);
    assert_eq!(summary(&other).key(), Some(("南平市", 2023)));
    assert_eq!(nb403(&cur, &other, &config), vec![]);
    // Not consecutive: 2022 → 2024.
    assert_eq!(nb403(&cur, &fixture("sanming-2022.txt"), &config), vec![]);
    // The wrong way round: 2024 is no predecessor of 2023.
    assert_eq!(nb403(&prev, &cur, &config), vec![]);
    // A title that names no body, on either side.
    let bare = prev.replacen("三明市2023年", "2023年", 1);
    assert_eq!(summary(&bare).key(), None);
    assert_eq!(nb403(&cur, &bare, &config), vec![]);
    let bare_cur = cur.replacen("三明市2024年", "2024年", 1);
    assert_eq!(nb403(&bare_cur, &prev, &config), vec![]);
}

#[test]
fn body_names_are_compared_normalised() {
    let prev = fixture("sanming-2023.txt").replacen("标题：三明市2023年", "标题：（三明市） 2023 年", 1);
    assert_eq!(summary(&prev).key(), Some(("三明市", 2023)));
    let cur = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "2");
    assert!(nb403(&cur, &prev, &Config::default()).iter().any(|d| d.severity == Severity::Warning));
}

#[test]
fn unreadable_tables_and_cells_are_skipped() {
    let cur = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "2");
    // Last year's 四 row loses a value: NB203 there, and its table is not read.
    let prev = fixture("sanming-2023.txt");
    let at = prev.find(CARRIED_OUT).unwrap();
    let broken = format!("{}{}", &prev[..at], prev[at..].replacen("\r\n0\r\n", "\r\n", 1));
    let analysis = nianbao::analyze(&broken, &Config::default());
    assert!(analysis.diagnostics.iter().any(|d| d.code == "NB203"));
    assert!(summary(&broken).carried_out.is_empty());
    assert!(!nb403(&cur, &broken, &Config::default()).iter().any(|d| d.severity == Severity::Warning));
    // This year's cell is not a number: skipped (NB204 says so).
    let bad = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "两");
    assert!(!nb403(&bad, &prev, &Config::default()).iter().any(|d| d.severity == Severity::Warning));
}

#[test]
fn documents_in_force_x2_is_info_and_follows_the_nb403_setting() {
    let (cur, prev) = (fixture("sanming-2024.txt"), fixture("sanming-2023.txt"));
    // Real numbers: 2787 in force in 2023, + 427 issued − 192 repealed = 3022, but 3097 stated.
    let found = nb403(&cur, &prev, &Config::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d.code, d.severity), ("NB403", Severity::Info));
    assert_eq!(d.range.slice(&cur), "3097");
    assert_eq!((d.expected.as_deref(), d.found.as_deref()), (Some("3022"), Some("3097")));
    assert!(d.message.contains("修订可能造成差异"), "{}", d.message);
    assert_eq!(d.related[0].range.slice(&prev), "2787");
    assert_eq!(d.related[0].path.as_deref(), Some("prev.txt"));
    // 规章: 6 + 0 − 0 = 6, as stated: nothing.
    // A configured severity applies to X1 and X2 alike; off turns both off.
    let bad = set_value(&cur, CARRIED_IN, 0, "2");
    let mut config = Config::default();
    config.rules.insert("NB403".into(), RuleLevel::On(Severity::Error));
    let found = nb403(&bad, &prev, &config);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|d| d.severity == Severity::Error));
    config.rules.insert("NB403".into(), RuleLevel::Off);
    assert_eq!(nb403(&bad, &prev, &config), vec![]);
}

#[test]
fn x2_needs_the_2021_format_in_both_years() {
    // 三明 2020 used the 2019 format, whose T2a counts other things.
    let s = summary(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/012.txt")).unwrap(),
    );
    assert_eq!(s.key(), Some(("三明市", 2021)));
    let mut prev = summary(&fixture("sanming-2023.txt"));
    prev.format = Some(nianbao::schema::FormatId::F2019);
    let cur = summary(&fixture("sanming-2024.txt"));
    assert_eq!(carry::check(&cur, &prev, "prev.txt", &Config::default()), vec![]);
}

#[test]
fn front_key_of_partial_heads() {
    let text = fixture("sanming-2023.txt");
    // A head cut anywhere in the first lines says the same as the whole text
    // once it holds the title line, and Unknown before.
    let title_end = text.find(['\r', '\n']).unwrap();
    for cut in (0..200).filter(|&c| text.is_char_boundary(c)) {
        let f = front_key(&text[..cut], false);
        if cut > title_end {
            assert_eq!(f, Front::Known(Some(("三明市".into(), 2023))), "cut {cut}");
        } else {
            assert_eq!(f, Front::Unknown, "cut {cut}");
        }
    }
    // Forty lines without a title: no key, whatever follows.
    let lines = "正文\n".repeat(45);
    assert_eq!(front_key(&lines, false), Front::Known(None));
}

#[test]
fn check_reads_the_key_from_heads_in_every_encoding() {
    use nianbao::cli::check::front_of_bytes;
    use nianbao::cli::encoding::{encode, Enc};
    let text = fixture("sanming-2023.txt");
    let want = Front::Known(Some(("三明市".into(), 2023)));
    for enc in [Enc::Utf8, Enc::Utf8Bom, Enc::Utf16Le, Enc::Utf16Be, Enc::Gb18030] {
        let bytes = encode(&text, enc);
        assert_eq!(front_of_bytes(&bytes, true), want, "{enc:?} whole");
        // Cut anywhere after the title line, even inside a character.
        for cut in [200, 201, 202, 203, 5001] {
            assert_eq!(front_of_bytes(&bytes[..cut], false), want, "{enc:?} cut at {cut}");
        }
        // Cut inside the title: cannot tell yet.
        assert_eq!(front_of_bytes(&bytes[..20], false), Front::Unknown, "{enc:?}");
    }
    // Not text at all: no key (checking it fails anyway).
    assert_eq!(front_of_bytes(b"\x00\x01", true), Front::Known(None));
}

#[test]
fn line_ends_do_not_matter() {
    let prev = fixture("sanming-2023.txt");
    let cur = set_value(&fixture("sanming-2024.txt"), CARRIED_IN, 0, "2");
    for eol in ["\n", "\r"] {
        let (p, c) = (prev.replace("\r\n", eol), cur.replace("\r\n", eol));
        let found = nb403(&c, &p, &Config::default());
        let d = found.iter().find(|d| d.severity == Severity::Warning).unwrap_or_else(|| panic!("{eol:?}"));
        assert_eq!(d.range.slice(&c), "2");
        assert_eq!(d.related[0].range.slice(&p), "0");
        assert_eq!(line_of(&p, d.related[0].range.start), 372, "{eol:?}");
    }
}

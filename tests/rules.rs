//! Every rule has a fixture that fires it and one that does not
//! (`fixtures/rules/CODE-fires.txt`, `CODE-ok.txt`).

use std::path::Path;

use nianbao::{analyze, rules::RULES, Config, Locale};

fn codes(path: &Path, config: &Config) -> Vec<&'static str> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    analyze(&text, config).diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_the_other() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    for rule in RULES {
        if rule.code == "NB403" {
            // Needs last year's report too: tests/cross.rs.
            continue;
        }
        let config = Config::default();
        let fires = dir.join(format!("{}-fires.txt", rule.code));
        let ok = dir.join(format!("{}-ok.txt", rule.code));
        assert!(codes(&fires, &config).contains(&rule.code), "{} does not fire on {}", rule.code, fires.display());
        assert!(!codes(&ok, &config).contains(&rule.code), "{} fires on {}", rule.code, ok.display());
    }
}

#[test]
fn rules_can_be_turned_off_or_reseverified() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let text = std::fs::read_to_string(dir.join("NB301-fires.txt")).unwrap();
    let mut config = Config::default();
    config.rules.insert("NB301".into(), nianbao::RuleLevel::Off);
    assert!(!analyze(&text, &config).diagnostics.iter().any(|d| d.code == "NB301"));
    config.rules.insert("NB301".into(), nianbao::RuleLevel::On(nianbao::Severity::Info));
    let a = analyze(&text, &config);
    let d = a.diagnostics.iter().find(|d| d.code == "NB301").expect("NB301");
    assert_eq!(d.severity, nianbao::Severity::Info);
}

#[test]
fn messages_follow_the_locale() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let text = std::fs::read_to_string(dir.join("NB301-fires.txt")).unwrap();
    let zh = analyze(&text, &Config::default());
    let en = analyze(&text, &Config { locale: Locale::En, ..Config::default() });
    let zh = zh.diagnostics.iter().find(|d| d.code == "NB301").unwrap();
    let en = en.diagnostics.iter().find(|d| d.code == "NB301").unwrap();
    assert!(zh.message.contains("应为 11，实际为 12"), "{}", zh.message);
    assert!(en.message.contains("should be 11, found 12"), "{}", en.message);
    assert_eq!((zh.expected.as_deref(), zh.found.as_deref()), (Some("11"), Some("12")));
}

#[test]
fn arithmetic_diagnostic_sits_on_the_derived_cell_with_the_summed_cells_related() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let text = std::fs::read_to_string(dir.join("NB302-fires.txt")).unwrap();
    let a = analyze(&text, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB302").unwrap();
    assert_eq!(d.range.slice(&text), "31");
    assert_eq!(d.expected.as_deref(), Some("32"));
    // 21 leaf rows of the 2021 format are summed.
    assert_eq!(d.related.len(), 21);
    // The ladder: this cell, this table, the document.
    let kinds: Vec<_> = d.fixes.iter().map(|f| f.kind).collect();
    use nianbao::rules::FixKind::*;
    assert_eq!(kinds, vec![Cell, Table, Document]);
}

#[test]
fn balance_offers_the_secondary_fix_last() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let text = std::fs::read_to_string(dir.join("NB303-fires.txt")).unwrap();
    let a = analyze(&text, &Config::default());
    let d = a.diagnostics.iter().find(|d| d.code == "NB303").unwrap();
    assert_eq!(d.range.slice(&text), "3");
    assert_eq!((d.expected.as_deref(), d.found.as_deref()), (Some("2"), Some("3")));
    let last = d.fixes.last().unwrap();
    assert_eq!(last.kind, nianbao::rules::FixKind::Secondary);
    assert_eq!(last.edits[0].new_text, "2");
}

#[test]
fn prose_numbers_are_compared_exactly_and_approximations_skipped() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let text = std::fs::read_to_string(dir.join("NB401-fires.txt")).unwrap();
    let a = analyze(&text, &Config::default());
    let d: Vec<_> = a.diagnostics.iter().filter(|d| d.code == "NB401").collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].range.slice(&text), "35");
    // 「1100余条」 in seed 000 is approximate: nothing is compared there.
    let seed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/000_8c402685963ba8a5.txt"))
            .unwrap();
    let approx = seed.replace("共收到政府信息公开申请11件", "共收到政府信息公开申请20余件");
    assert!(!analyze(&approx, &Config::default()).diagnostics.iter().any(|d| d.code == "NB401"));
}

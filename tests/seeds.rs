//! The error-level diagnostics on the five seed reports, exactly as the issue
//! and format-spec §8 state them.

use nianbao::{analyze, Config, Severity};

fn errors(name: &str) -> Vec<(String, String)> {
    let path = format!("{}/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let index = nianbao::text::LineIndex::new(&text);
    analyze(&text, &Config::default())
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let lc = index.line_col(&text, d.range.start, nianbao::text::PositionEncoding::Utf32);
            (d.code.to_string(), format!("line {}", lc.line + 1))
        })
        .collect()
}

#[test]
fn seed_000_has_no_error() {
    assert_eq!(errors("000_8c402685963ba8a5.txt"), vec![]);
}

#[test]
fn seed_001_has_no_error() {
    assert_eq!(errors("001_164254f647ab523c.txt"), vec![]);
}

#[test]
fn seed_002_has_no_error() {
    assert_eq!(errors("002_1afd807652ea93b8.txt"), vec![]);
}

#[test]
fn seed_003_has_nb203_on_the_section_four_row() {
    assert_eq!(errors("003_42380e1adf95d416.txt"), vec![("NB203".to_string(), "line 87".to_string())]);
}

#[test]
fn seed_004_misses_section_six() {
    let e = errors("004_446d20770044734b.txt");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, "NB101");
}

#[test]
fn seeds_have_their_years_and_formats() {
    for (name, year, format) in [
        ("000_8c402685963ba8a5.txt", 2024, "2021"),
        ("001_164254f647ab523c.txt", 2024, "2021"),
        ("002_1afd807652ea93b8.txt", 2023, "2021"),
        ("003_42380e1adf95d416.txt", 2020, "2019"),
        ("004_446d20770044734b.txt", 2024, "2021"),
    ] {
        let text = std::fs::read_to_string(format!("{}/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let a = analyze(&text, &Config::default());
        assert_eq!((a.year, a.format), (Some(year), Some(format)), "{name}");
    }
}

//! The properties the fuzz targets (`fuzz/`) and their proptest twins
//! (`tests/properties.rs`) check, in one place so both check the same thing.
//! Each function panics, with the reason, when a property fails.

use crate::fix::{apply_edits, derived_values, fix_all};
use crate::report::parse;
use crate::rules::{analyze, Config};
use crate::text::TextRange;

/// Any text: the analysis finishes, and every range it reports (diagnostics,
/// related locations, fix edits) lies inside the text on character
/// boundaries; diagnostics come sorted by start, then code.
pub fn check_analysis(text: &str) {
    for force_report in [false, true] {
        let config = Config { force_report, ..Config::default() };
        let a = analyze(text, &config);
        let inside = |r: TextRange, what: &str| {
            assert!(
                r.start <= r.end
                    && r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end),
                "{what} range {r:?} is not inside the text ({} bytes)",
                text.len()
            );
        };
        for d in &a.diagnostics {
            inside(d.range, d.code);
            for r in &d.related {
                if r.path.is_none() {
                    inside(r.range, "related");
                }
            }
            for f in &d.fixes {
                for e in &f.edits {
                    inside(e.range, "fix edit");
                }
            }
        }
        let keys: Vec<_> = a.diagnostics.iter().map(|d| (d.range.start, d.code)).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "diagnostics out of order: {keys:?}");
    }
}

/// Any text: `fix` edits only derived cells (each edit replaces exactly a
/// derived cell of a table, with a number), and fixing twice changes nothing
/// the first run did not.
pub fn check_fix(text: &str) {
    let config = Config::default();
    let edits = fix_all(text, &config);
    if edits.is_empty() {
        return;
    }
    let report = parse(text);
    let derived: Vec<TextRange> = report
        .tables
        .iter()
        .flat_map(|t| derived_values(t).into_iter().map(move |d| t.rows[d.row].cells[d.col].range))
        .collect();
    for e in &edits {
        assert!(derived.contains(&e.range), "fix edits {:?}, which is no derived cell", e.range);
        assert!(e.new_text.parse::<i64>().is_ok(), "fix writes {:?}, which is no number", e.new_text);
    }
    let once = apply_edits(text, &edits);
    let again = fix_all(&once, &config);
    assert!(again.is_empty(), "a second fix still changes {again:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_properties_hold_on_a_report_with_a_wrong_total() {
        let text = include_str!("../fixtures/editors/report.nianbao.txt");
        check_analysis(text);
        check_fix(text);
        assert!(!fix_all(text, &Config::default()).is_empty(), "there was something to fix");
    }
}

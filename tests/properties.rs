//! The fuzz targets' properties (`nianbao::fuzzing`, `fuzz/`) as property
//! tests over the seed reports, so a regression fails `cargo test` without
//! cargo-fuzz: no input panics and every reported range is inside the text;
//! `fix` changes derived cells only and is idempotent; LSP edit sequences
//! leave the rope equal to a `String` edited the same way. (Incremental
//! reparse equals a full parse: `tests/incremental.rs`.) Every input the
//! fuzzers found a failure with is replayed from `fuzz/regressions/`.

use nianbao::fuzzing::{check_analysis, check_fix};
use nianbao::server::fuzzing::{check_edits, Edit};
use nianbao::text::PositionEncoding;
use proptest::prelude::*;

const SEEDS: [&str; 6] = [
    include_str!("../fixtures/seeds/000_8c402685963ba8a5.txt"),
    include_str!("../fixtures/seeds/001_164254f647ab523c.txt"),
    include_str!("../fixtures/seeds/002_1afd807652ea93b8.txt"),
    include_str!("../fixtures/seeds/003_42380e1adf95d416.txt"),
    include_str!("../fixtures/seeds/004_446d20770044734b.txt"),
    include_str!("../fixtures/editors/report.nianbao.txt"),
];

/// Flattened web reports: tables decoded from runs of digits.
const FLATTENED: [&str; 3] = [
    include_str!("../fixtures/corpus/003.txt"),
    include_str!("../fixtures/corpus/011.txt"),
    include_str!("../fixtures/corpus/019.txt"),
];

/// The seeds, then the flattened reports.
fn document(i: usize) -> &'static str {
    SEEDS.get(i).copied().unwrap_or_else(|| FLATTENED[i - SEEDS.len()])
}

fn cases() -> u32 {
    // Few cases keep `cargo test` quick in debug; PROPTEST_CASES=5000 for a soak.
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48)
}

/// Pieces that move a report's parse around: digits, separators, line
/// breaks of every kind, headings, markers, astral characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("7".to_string()),
        2 => Just("0".to_string()),
        1 => Just("12345678901234567890".to_string()),
        1 => Just("-3".to_string()),
        1 => Just("1,234".to_string()),
        1 => Just("２".to_string()),
        2 => Just("\t".to_string()),
        1 => Just("|".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\r".to_string()),
        1 => Just("总计".to_string()),
        1 => Just("三、".to_string()),
        1 => Just("（七）总计\t1\t2\t3".to_string()),
        1 => Just("行政复议".to_string()),
        1 => Just("[bookmark: _Toc1]".to_string()),
        1 => Just("𠮷".to_string()),
        1 => Just("\u{feff}".to_string()),
        1 => Just("2024年1月1日".to_string()),
        1 => Just("万元".to_string()),
        1 => Just("00000042.其他".to_string()),
        1 => Just(" ".to_string()),
    ]
}

/// A seed with a few random cuts and insertions, on character boundaries.
fn mutated() -> impl Strategy<Value = String> {
    let edit = (any::<u32>(), prop_oneof![3 => Just(0usize), 2 => 1usize..6, 1 => 1usize..400], piece());
    (0..SEEDS.len() + FLATTENED.len(), proptest::collection::vec(edit, 1..8)).prop_map(|(seed, edits)| {
        let mut text = document(seed).to_string();
        for (at, del, ins) in edits {
            let mut start = (at as u64 * (text.len() as u64 + 1) / (u32::MAX as u64 + 1)) as usize;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + del).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(start..end.max(start), &ins);
        }
        text
    })
}

fn lsp_edit() -> impl Strategy<Value = Edit> {
    // Lines and characters mostly inside the text, sometimes far past it.
    let line = prop_oneof![8 => 0u32..400, 1 => Just(u32::MAX), 1 => 400u32..100_000];
    let character = prop_oneof![8 => 0u32..80, 1 => Just(u32::MAX), 1 => 80u32..5_000];
    let range = (line.clone(), character.clone(), line, character);
    let text = prop_oneof![4 => piece(), 2 => Just(String::new()), 1 => Just("政务公开".repeat(50))];
    (prop_oneof![30 => range.prop_map(Some), 1 => Just(None)], text)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics_and_every_range_is_inside(text in mutated()) {
        check_analysis(&text);
    }

    #[test]
    fn fix_changes_derived_cells_only_and_is_idempotent(text in mutated()) {
        check_fix(&text);
    }

    #[test]
    fn edits_leave_the_rope_equal_to_a_string(
        seed in 0..SEEDS.len(),
        utf8 in any::<bool>(),
        edits in proptest::collection::vec(lsp_edit(), 1..24),
    ) {
        let enc = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
        check_edits(SEEDS[seed], &edits, enc);
    }
}

#[test]
fn the_properties_hold_on_every_fixture() {
    for text in SEEDS.into_iter().chain(FLATTENED) {
        check_analysis(text);
        check_fix(text);
        for eol in ["\r\n", "\r"] {
            check_analysis(&text.replace('\n', eol));
            check_fix(&text.replace('\n', eol));
        }
    }
}

/// Inputs the fuzzers failed on (minimised), kept as regressions: a text
/// file per input for `analysis` and `fix`.
#[test]
fn fuzz_regressions_stay_fixed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (target, check) in [("analysis", check_analysis as fn(&str)), ("fix", check_fix as fn(&str))] {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else { continue };
        for entry in dir {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            check(&String::from_utf8_lossy(&bytes));
            replayed += 1;
        }
    }
    eprintln!("{replayed} fuzz regressions replayed");
}

//! Engine benchmarks for product-spec §8: parse + rules on each seed, the
//! 1 MB report (full parse, full parse + rules, one keystroke reparsed
//! incrementally + rules), `fix_all` on a report whose every total is wrong,
//! and `analyze` throughput over every fixture report.
//!
//! Run with `cargo bench --bench engine`; sample sizes are kept small so the
//! whole run takes about a minute. The 1 MB report is built here from seed 004
//! exactly as product-spec §8 describes it (and as `tests/incremental.rs` does).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nianbao::fix::{apply_edits, derived_values, fix_all};
use nianbao::report::{parse, reparse, Report};
use nianbao::rules::analyze_report;
use nianbao::text::{Splice, TextRange};
use nianbao::{analyze, Config, TextEdit};

const SEEDS: [(&str, &str); 5] = [
    ("000", include_str!("../fixtures/seeds/000_8c402685963ba8a5.txt")),
    ("001", include_str!("../fixtures/seeds/001_164254f647ab523c.txt")),
    ("002", include_str!("../fixtures/seeds/002_1afd807652ea93b8.txt")),
    ("003", include_str!("../fixtures/seeds/003_42380e1adf95d416.txt")),
    ("004", include_str!("../fixtures/seeds/004_446d20770044734b.txt")),
];
const SEED_004: &str = SEEDS[4].1;

/// Seed 004 with the lines of section 一 (their run-in markers （一）…（五）
/// removed) repeated until the text is 1 MB.
fn one_megabyte_report() -> String {
    let report = parse(SEED_004);
    let one = report.section(1).expect("section 一");
    let body: Vec<String> = one
        .body
        .clone()
        .map(|i| report.line_text(SEED_004, i))
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim_start();
            match l.strip_prefix('（').and_then(|r| r.split_once('）')) {
                Some((n, rest)) if ["一", "二", "三", "四", "五"].contains(&n) => rest.to_string(),
                _ => l.to_string(),
            }
        })
        .collect();
    let head = &SEED_004[..report.lines[one.body.start].range.start];
    let tail = &SEED_004[report.lines[one.body.end].range.start..];
    let mut out = String::with_capacity(1 << 20);
    out.push_str(head);
    let mut k = 0;
    while out.len() + tail.len() < 1 << 20 {
        out.push_str(&body[k % body.len()]);
        out.push('\n');
        k += 1;
    }
    out.push_str(tail);
    out
}

/// Where a keystroke lands: the tenth character of the middle line of section 一.
fn middle_of_section_one(text: &str, report: &Report) -> usize {
    let one = report.section(1).expect("section 一");
    let middle = (one.body.start + one.body.end) / 2;
    let line = report.lines[middle].range;
    line.start + report.line_text(text, middle).char_indices().nth(10).expect("char").0
}

fn edit(text: &str, range: TextRange, ins: &str) -> (String, Splice) {
    let mut out = String::with_capacity(text.len() + ins.len());
    out.push_str(&text[..range.start]);
    out.push_str(ins);
    out.push_str(&text[range.end..]);
    (out, Splice::edit(range, ins.len()))
}

/// Seed 000 with every derived cell off by one, so `fix_all` has every total to write.
fn every_total_wrong() -> String {
    let text = SEEDS[0].1;
    let report = parse(text);
    let edits: Vec<TextEdit> = report
        .tables
        .iter()
        .flat_map(|t| {
            derived_values(t).into_iter().map(move |d| {
                let cell = &t.rows[d.row].cells[d.col];
                TextEdit { range: cell.range, new_text: (d.value + 1).to_string() }
            })
        })
        .collect();
    assert!(edits.len() > 20, "seed 000 has {} derived cells", edits.len());
    apply_edits(text, &edits)
}

/// Every `.txt` under `fixtures/` that decodes as UTF-8, sorted by path.
fn fixture_reports() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "txt") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut paths);
    paths.sort();
    paths.into_iter().filter_map(|p| String::from_utf8(std::fs::read(p).ok()?).ok()).collect()
}

fn parse_and_rules(c: &mut Criterion) {
    let config = Config::default();
    let mut g = c.benchmark_group("parse_and_rules");
    g.sample_size(50).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for (name, text) in SEEDS {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| b.iter(|| analyze(text, &config)));
    }
    g.finish();
}

fn one_mb(c: &mut Criterion) {
    let config = Config::default();
    let text = one_megabyte_report();
    let report = parse(&text);
    let at = middle_of_section_one(&text, &report);
    let (new_text, splice) = edit(&text, TextRange::empty(at), "的");
    // The incremental path must give what a full parse gives, or the timing means nothing.
    assert!(reparse(&text, &report, &new_text, splice) == parse(&new_text));

    let mut g = c.benchmark_group("one_mb");
    g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("full_parse", |b| b.iter(|| parse(black_box(&text))));
    g.bench_function("full_parse_and_rules", |b| b.iter(|| analyze(black_box(&text), &config)));
    g.throughput(Throughput::Elements(1));
    g.bench_function("keystroke_incremental", |b| {
        b.iter(|| {
            let new = reparse(&text, black_box(&report), &new_text, splice);
            analyze_report(&new_text, &new, &config)
        })
    });
    g.finish();
}

/// One keystroke in the middle of section 一 of the 7 KB seed: what the
/// server does per keystroke on a small report.
fn seed_keystroke(c: &mut Criterion) {
    let config = Config::default();
    let text = SEED_004;
    let report = parse(text);
    let at = middle_of_section_one(text, &report);
    let (new_text, splice) = edit(text, TextRange::empty(at), "的");
    assert!(reparse(text, &report, &new_text, splice) == parse(&new_text));
    let mut g = c.benchmark_group("seed_004");
    g.sample_size(50).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    g.bench_function("keystroke_incremental", |b| {
        b.iter(|| {
            let new = reparse(text, black_box(&report), &new_text, splice);
            analyze_report(&new_text, &new, &config)
        })
    });
    g.bench_function("reparse_only", |b| b.iter(|| reparse(text, black_box(&report), &new_text, splice)));
    let new_report = parse(&new_text);
    g.bench_function("rules_only", |b| b.iter(|| analyze_report(&new_text, black_box(&new_report), &config)));
    g.finish();
}

fn fix(c: &mut Criterion) {
    let config = Config::default();
    let text = every_total_wrong();
    let mut g = c.benchmark_group("fix");
    g.sample_size(30).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    g.bench_function("every_total_wrong", |b| b.iter(|| fix_all(black_box(&text), &config)));
    g.finish();
}

fn check_throughput(c: &mut Criterion) {
    let config = Config::default();
    let reports = fixture_reports();
    let bytes: usize = reports.iter().map(String::len).sum();
    let mut g = c.benchmark_group("check_throughput");
    g.sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("{}_fixtures", reports.len()), |b| {
        b.iter(|| reports.iter().map(|t| analyze(black_box(t), &config).diagnostics.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, parse_and_rules, seed_keystroke, one_mb, fix, check_throughput);
criterion_main!(benches);

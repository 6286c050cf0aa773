//! `nianbao check` over a directory of 1,000 reports (product-spec §8): the
//! reports are generated here from the seed and corpus fixtures (each copy
//! gets its own title line, so no two files are the same), written to a
//! temporary directory, and checked by the built binary as a reviewer would.
//!
//! Both output formats are measured on the same files the same way: the
//! human format (the default) and `--format json`.
//!
//! Printed, per format: wall time, the CPU time the process used (user + system, from
//! `getrusage` of the child), MB/s per core (bytes / CPU seconds) and how
//! many cores were busy on average (CPU / wall). Start-up is measured
//! separately, as a run over a directory holding one of the reports (the
//! process, its threads and the patterns it compiles on first use), and
//! subtracted with that report's bytes: the figures are what the other 999
//! cost. Run with `cargo bench --bench batch`; nothing here asserts a time.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in ["seeds", "corpus"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.extension().is_some_and(|x| x == "txt")) {
            out.push(std::fs::read_to_string(f).unwrap());
        }
    }
    out
}

/// CPU time (user + system) of all waited-for children so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut u: libc_rusage = unsafe { std::mem::zeroed() };
    unsafe { getrusage(RUSAGE_CHILDREN, &mut u) };
    let tv = |t: Timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(u.ru_utime) + tv(u.ru_stime)
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Timeval {
    tv_sec: i64,
    tv_usec: i64,
}

/// `struct rusage` on Linux x86-64: two timevals, then 14 longs.
#[repr(C)]
struct libc_rusage {
    ru_utime: Timeval,
    ru_stime: Timeval,
    _rest: [i64; 14],
}

const RUSAGE_CHILDREN: i32 = -1;

extern "C" {
    fn getrusage(who: i32, usage: *mut libc_rusage) -> i32;
}

/// Runs `nianbao check` with `args` (the output format) on `dir`: (wall, cpu).
fn check(args: &[&str], dir: &Path) -> (Duration, Duration) {
    let cpu0 = children_cpu();
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("check")
        .args(args)
        .arg(dir)
        .output()
        .expect("run nianbao check");
    let wall = t.elapsed();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    (wall, children_cpu() - cpu0)
}

fn main() {
    // `cargo test --all-targets` runs this without `--bench`: a smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let (files, runs) = if smoke { (50, 1) } else { (1000, 3) };
    let sources = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = 0usize;
    for i in 0..files {
        let src = &sources[i % sources.len()];
        // A distinct first line per copy: every file is its own report.
        let text = format!("（副本 {i}）\n{src}");
        bytes += text.len();
        std::fs::write(dir.path().join(format!("{i:04}.txt")), text).unwrap();
    }
    // Start-up: the same run over one report (the first copy).
    let one = tempfile::tempdir().unwrap();
    let first = std::fs::read(dir.path().join("0000.txt")).unwrap();
    std::fs::write(one.path().join("0000.txt"), &first).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mb = bytes as f64 / 1e6;
    let rest = (bytes - first.len()) as f64 / 1e6;
    println!("nianbao check over {files} reports ({mb:.1} MB, {cores} cores available)");
    for (name, args) in [("human", &[][..]), ("--format json", &["--format", "json"][..])] {
        // Warm the page cache, then take the best of three runs (one in a smoke run).
        check(args, dir.path());
        let start = (0..runs).map(|_| check(args, one.path())).min().unwrap();
        let (wall, cpu) = (0..runs).map(|_| check(args, dir.path())).min().unwrap();
        let (wall, cpu) = (wall.saturating_sub(start.0), cpu.saturating_sub(start.1));
        println!("{name}");
        println!(
            "  start-up          {:.1} ms wall, {:.1} ms CPU (one report; subtracted)",
            start.0.as_secs_f64() * 1e3,
            start.1.as_secs_f64() * 1e3
        );
        println!("  wall              {:.1} ms  → {:.0} MB/s", wall.as_secs_f64() * 1e3, rest / wall.as_secs_f64());
        println!(
            "  CPU (user+sys)    {:.1} ms  → {:.0} MB/s per core",
            cpu.as_secs_f64() * 1e3,
            rest / cpu.as_secs_f64()
        );
        println!("  cores busy        {:.2} of {cores}", cpu.as_secs_f64() / wall.as_secs_f64());
    }
}

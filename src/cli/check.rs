//! `nianbao check`: walk the paths, check every file on all cores, print the
//! results in walk order.
//!
//! Each worker reads, decodes and analyses one file at a time and keeps only
//! the resolved [`FileReport`] (positions, not text), so memory stays at a
//! few files' worth however many reports a reviewer passes. A file that cannot
//! be read or decoded, or on which the checker panics, becomes an error for
//! that file; the others are still checked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::cli::args::{CheckArgs, Format};
use crate::cli::encoding;
use crate::cli::output::{self, Stdout};
use crate::cli::render::{self, FileError, FileReport, Outcome, Summary};
use crate::cli::walk::{self, Entry};
use crate::rules::{Config, Severity};

/// Runs `check` and returns the exit code.
pub fn run(args: &CheckArgs) -> i32 {
    let entries = walk::walk(&args.paths);
    let outcomes = check_all(&entries, &args.config);

    let mut out = Stdout::new();
    let written = match args.format {
        Format::Json => out.write(&render::json(&outcomes)),
        Format::Sarif => out.write(&render::sarif(&outcomes, args.config.locale)),
        Format::Human => write_human(&mut out, &outcomes, args),
    };
    let flushed = written.and_then(|()| out.flush());
    if args.format != Format::Human {
        // JSON and SARIF carry the errors inside; repeat them on stderr so a
        // person running the command sees why the exit code is 2.
        for o in &outcomes {
            if let Outcome::Failed(e) = o {
                output::file_error(&e.path, &e.message);
            }
        }
    }
    if let Err(e) = flushed {
        output::error(&format!("cannot write the output: {e}"));
        return 2;
    }
    exit_code(&outcomes)
}

fn write_human(out: &mut Stdout, outcomes: &[Outcome], args: &CheckArgs) -> std::io::Result<()> {
    let mut unreadable = 0;
    for o in outcomes {
        match o {
            Outcome::Checked(f) => out.write(&render::human_file(f))?,
            Outcome::Failed(e) => {
                // Keep stdout and stderr in order when both go to a terminal.
                out.flush()?;
                output::file_error(&e.path, &e.message);
                unreadable += 1;
            }
        }
    }
    let summary = Summary::of(outcomes);
    out.write(&render::human_summary(&summary, unreadable, args.config.locale))
}

/// 2 when any file could not be checked, else 1 when any diagnostic is an
/// error, else 0.
pub fn exit_code(outcomes: &[Outcome]) -> i32 {
    let mut code = 0;
    for o in outcomes {
        match o {
            Outcome::Failed(_) => return 2,
            Outcome::Checked(f) => {
                if f.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                    code = 1;
                }
            }
        }
    }
    code
}

/// Checks every entry, in parallel, and returns the outcomes in entry order.
pub fn check_all(entries: &[Entry], config: &Config) -> Vec<Outcome> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get()).min(entries.len()).max(1);
    if threads == 1 {
        return entries.iter().map(|e| check_one(e, config)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut indexed: Vec<(usize, Outcome)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = entries.get(i) else { break };
                        done.push((i, check_one(entry, config)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            // check_one contains the analyser's panics; a worker itself
            // cannot panic short of allocation failure.
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, o)| o).collect()
}

/// Reads, decodes and checks one file.
pub fn check_one(entry: &Entry, config: &Config) -> Outcome {
    let failed = |message: String| Outcome::Failed(FileError { path: entry.display.clone(), message });
    if let Some(message) = &entry.error {
        return failed(message.clone());
    }
    if has_extension(&entry.path, "docx") {
        return failed("Word (.docx) files are not supported yet; save the report as text".into());
    }
    let decoded = match encoding::read_text(&entry.path) {
        Ok((_, decoded)) => decoded,
        Err(message) => return failed(message),
    };
    let config = config_for(&entry.path, config);
    let text = decoded.text.as_str();
    let analysis = match catch_unwind(AssertUnwindSafe(|| crate::analyze(text, &config))) {
        Ok(analysis) => analysis,
        Err(_) => return failed("internal error: the checker panicked on this file (please report it)".into()),
    };
    // NB403's related locations point into another report; read it once to
    // resolve their positions.
    let mut others: HashMap<String, Option<String>> = HashMap::new();
    let mut other = |path: &str| -> Option<String> {
        others
            .entry(path.to_owned())
            .or_insert_with(|| encoding::read_text(Path::new(path)).ok().map(|(_, d)| d.text))
            .clone()
    };
    Outcome::Checked(FileReport::new(&entry.display, text, &analysis, &mut other))
}

/// `*.nianbao.txt` / `*.nianbao.md` are always reports, as in the editors,
/// where those names get the `nianbao` language id (product-spec §2, §7).
fn config_for<'a>(path: &Path, config: &'a Config) -> Cow<'a, Config> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if name.ends_with(".nianbao.txt") || name.ends_with(".nianbao.md") {
        let mut forced = config.clone();
        forced.force_report = true;
        Cow::Owned(forced)
    } else {
        Cow::Borrowed(config)
    }
}

pub fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

//! `nianbao check`: walk the paths, check every file on all cores, print the
//! results in walk order.
//!
//! Each worker reads, decodes, analyses and (human and JSON formats) renders
//! one file at a time; the main thread writes each file's output as soon as
//! the files before it are written, so memory stays at a few files' worth
//! however many reports a reviewer passes (SARIF keeps every resolved
//! [`FileReport`], positions and not text, until the end). A file that cannot
//! be read or decoded, or on which the checker panics, becomes an error for
//! that file; the others are still checked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use crate::cli::args::{CheckArgs, Format};
use crate::cli::docx;
use crate::cli::output::{self, Stdout};
use crate::cli::render::{self, FileError, FileReport, Outcome, Summary};
use crate::cli::walk::{self, Entry};
use crate::rules::{Config, Severity};

/// Runs `check` and returns the exit code.
pub fn run(args: &CheckArgs) -> i32 {
    let entries = walk::walk(&args.paths, true);
    let format = args.format;
    let mut out = Stdout::new();
    let mut summary = Summary::default();
    let mut code = 0;
    let mut failed: Vec<FileError> = Vec::new();
    let mut kept: Vec<Outcome> = Vec::new();
    let mut written = Ok(());
    let mut first = true;
    if format == Format::Json {
        written = out.write(render::JSON_HEAD);
    }
    // The human and JSON formats are rendered file by file on the workers
    // and written here in walk order as soon as the files before are; SARIF
    // needs every result first.
    let render = |o: &Outcome, buf: &mut Vec<u8>| match (format, o) {
        (Format::Human, Outcome::Checked(f)) => render::human_file(f, buf),
        (Format::Json, Outcome::Checked(f)) => render::json_file(f, buf),
        _ => {}
    };
    check_each(&entries, &args.config, &render, |outcome, rendered| {
        summary.add(&outcome);
        code = code.max(outcome_code(&outcome));
        let result = match (format, outcome) {
            (Format::Sarif, o) => {
                kept.push(o);
                Ok(())
            }
            (_, Outcome::Failed(e)) => {
                // Keep stdout and stderr in order when both go to a terminal;
                // JSON repeats its errors on stderr at the end.
                let flushed = if format == Format::Human { out.flush() } else { Ok(()) };
                if format == Format::Human {
                    output::file_error(&e.path, &e.message);
                }
                failed.push(e);
                flushed
            }
            (_, Outcome::Checked(_)) if written.is_err() => Ok(()),
            (Format::Json, Outcome::Checked(_)) if !std::mem::take(&mut first) => {
                out.write(",").and_then(|()| out.write_bytes(&rendered))
            }
            (_, Outcome::Checked(_)) => out.write_bytes(&rendered),
        };
        if written.is_ok() {
            written = result;
        }
    });
    written = written.and_then(|()| match format {
        Format::Human => out.write(&render::human_summary(&summary, failed.len(), args.config.locale)),
        Format::Json => {
            let mut tail = Vec::new();
            render::json_tail(&summary, &failed, &mut tail);
            out.write_bytes(&tail)
        }
        Format::Sarif => {
            failed.extend(kept.iter().filter_map(|o| match o {
                Outcome::Failed(e) => Some(e.clone()),
                Outcome::Checked(_) => None,
            }));
            out.write(&render::sarif(&kept, args.config.locale))
        }
    });
    let flushed = written.and_then(|()| out.flush());
    if format != Format::Human {
        // JSON and SARIF carry the errors inside; repeat them on stderr so a
        // person running the command sees why the exit code is 2.
        for e in &failed {
            output::file_error(&e.path, &e.message);
        }
    }
    if let Err(e) = flushed {
        output::error(&format!("cannot write the output: {e}"));
        return 2;
    }
    code
}

/// 2 when any file could not be checked, else 1 when any diagnostic is an
/// error, else 0.
pub fn exit_code(outcomes: &[Outcome]) -> i32 {
    outcomes.iter().map(outcome_code).max().unwrap_or(0)
}

/// One file's part of the exit code: 2, 1 or 0.
fn outcome_code(o: &Outcome) -> i32 {
    match o {
        Outcome::Failed(_) => 2,
        Outcome::Checked(f) => i32::from(f.diagnostics.iter().any(|d| d.severity == Severity::Error)),
    }
}

/// Checks every entry, in parallel, and returns the outcomes in entry order.
pub fn check_all(entries: &[Entry], config: &Config) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(entries.len());
    check_each(entries, config, &|_, _| {}, |o, _| outcomes.push(o));
    outcomes
}

/// Checks every entry on all cores; each worker renders its outcome with
/// `render` into a buffer, and `emit` receives outcomes and buffers on this
/// thread in entry order, each as soon as those before it are done.
pub fn check_each(
    entries: &[Entry],
    config: &Config,
    render: &(dyn Fn(&Outcome, &mut Vec<u8>) + Sync),
    mut emit: impl FnMut(Outcome, Vec<u8>),
) {
    let one = |entry: &Entry| {
        let outcome = check_one(entry, config);
        let mut rendered = Vec::new();
        render(&outcome, &mut rendered);
        (outcome, rendered)
    };
    let threads = thread::available_parallelism().map_or(1, |n| n.get()).min(entries.len()).max(1);
    if threads == 1 {
        for entry in entries {
            let (outcome, rendered) = one(entry);
            emit(outcome, rendered);
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..threads {
            let (tx, next, one) = (tx.clone(), &next, &one);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(entry) = entries.get(i) else { break };
                // The receiver lives until every worker is done.
                let _ = tx.send((i, one(entry)));
            });
        }
        drop(tx);
        // Workers finish out of order; hold the early ones back. check_one
        // contains the analyser's panics, so every index arrives.
        let mut waiting: Vec<Option<(Outcome, Vec<u8>)>> = Vec::new();
        waiting.resize_with(entries.len(), || None);
        let mut k = 0;
        for (i, done) in rx {
            waiting[i] = Some(done);
            while let Some((outcome, rendered)) = waiting.get_mut(k).and_then(Option::take) {
                emit(outcome, rendered);
                k += 1;
            }
        }
    });
}

/// Reads, decodes and checks one file.
pub fn check_one(entry: &Entry, config: &Config) -> Outcome {
    let failed = |message: String| Outcome::Failed(FileError { path: entry.display.clone(), message });
    if let Some(message) = &entry.error {
        return failed(message.clone());
    }
    let text = match docx::report_text(&entry.path) {
        Ok(text) => text,
        Err(message) => return failed(message),
    };
    let config = config_for(&entry.path, config);
    let text = text.as_str();
    let analysis = match catch_unwind(AssertUnwindSafe(|| crate::analyze(text, &config))) {
        Ok(analysis) => analysis,
        Err(_) => return failed("internal error: the checker panicked on this file (please report it)".into()),
    };
    // NB403's related locations point into another report; read it once to
    // resolve their positions.
    let mut others: HashMap<String, Option<String>> = HashMap::new();
    let mut other = |path: &str| -> Option<String> {
        others.entry(path.to_owned()).or_insert_with(|| docx::report_text(Path::new(path)).ok()).clone()
    };
    Outcome::Checked(FileReport::new(&entry.display, text, analysis, &mut other))
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

//! `nianbao check`: walk the paths, check every file on all cores, print the
//! results in walk order.
//!
//! Each worker reads, decodes, analyses and (human and JSON formats) renders
//! one file at a time; the main thread is one of the workers, and writes each
//! file's output (between its own files, and at the end) as soon as the files
//! before it are written, so results in memory stay at a few files' worth
//! however many reports a reviewer passes (SARIF keeps every resolved
//! [`FileReport`], positions and not text, until the end; the first look
//! below keeps files' bytes, 256 MiB at most, until their check). A file that cannot
//! be read or decoded, or on which the checker panics, becomes an error for
//! that file; the others are still checked.
//!
//! NB403 compares a report with last year's report of the same body among
//! the files given. No file is parsed twice and no parsed report is kept: a
//! first look at every file's first lines ([`front_of_bytes`]) says which bodies
//! and years are there (it reads small files whole and keeps them, so that
//! each is read once); each worker hands back, with its outcome, the file's
//! [`CarrySummary`] and the positions of its cells ([`Carry`]); and a file is
//! written once its predecessor is known: the first file in entry order
//! that is last year's report of its body, so it waits only for the files
//! before that one which may be it (and when the predecessor comes later in
//! the order); NB403 from the two summaries is added and the file rendered
//! again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Barrier, Mutex, OnceLock};
use std::thread;

use crate::cli::args::{CheckArgs, Format};
use crate::cli::docx;
use crate::cli::output::{self, Stdout};
use crate::cli::render::{self, FileError, FileReport, Outcome, Positions, Span, Summary};
use crate::cli::walk::{self, Entry};
use crate::rules::{CarrySummary, Config, Front, Severity};

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
    check_each(&entries, &args.config, &render, format == Format::Sarif, |done, rendered| {
        // A checked file's outcome comes whole only when SARIF keeps it, or
        // when NB403 may have been added to it.
        let outcome = match done {
            Done::Outcome(outcome) => {
                summary.add(&outcome);
                code = code.max(outcome_code(&outcome));
                Some(outcome)
            }
            Done::Counted(counts) => {
                summary.merge(&counts);
                code = code.max(i32::from(counts.errors > 0));
                None
            }
        };
        let result = match (format, outcome) {
            (Format::Sarif, Some(o)) => {
                kept.push(o);
                Ok(())
            }
            (_, Some(Outcome::Failed(e))) => {
                // Keep stdout and stderr in order when both go to a terminal;
                // JSON repeats its errors on stderr at the end.
                let flushed = if format == Format::Human { out.flush() } else { Ok(()) };
                if format == Format::Human {
                    output::file_error(&e.path, &e.message);
                }
                failed.push(e);
                flushed
            }
            _ if written.is_err() => Ok(()),
            (Format::Json, _) if !std::mem::take(&mut first) => {
                out.write(",").and_then(|()| out.write_bytes(&rendered))
            }
            _ => out.write_bytes(&rendered),
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
    check_each(entries, config, &|_, _| {}, true, |done, _| match done {
        Done::Outcome(o) => outcomes.push(o),
        Done::Counted(_) => unreachable!("every outcome is kept"),
    });
    outcomes
}

/// A file's NB403 summary, with the positions of its cells resolved while
/// its text was at hand: all `check` keeps of a file once it is written.
pub struct Carry {
    pub summary: CarrySummary,
    pub positions: Positions,
}

/// A file as [`check_each`] hands it on: its outcome, or, when the caller
/// keeps no outcome and NB403 cannot be added to this one, only its counts
/// (one file's [`Summary`]). The worker that built such an outcome then frees
/// it too: freed on the thread that writes, the outcomes cost that thread's
/// allocator ~3% of a `check` in taking back blocks of the other threads.
pub enum Done {
    Outcome(Outcome),
    Counted(Summary),
}

/// Checks every entry on all cores; each worker renders its outcome with
/// `render` into a buffer, and `emit` receives outcomes (all of them when
/// `keep`) and buffers on this thread in entry order, each as soon as those
/// before it are done and, for a report whose body has a report of the year
/// before in the set (NB403), once that one is checked too.
pub fn check_each(
    entries: &[Entry],
    config: &Config,
    render: &(dyn Fn(&Outcome, &mut Vec<u8>) + Sync),
    keep: bool,
    mut emit: impl FnMut(Done, Vec<u8>),
) {
    if entries.is_empty() {
        return;
    }
    let threads = thread::available_parallelism().map_or(1, |n| n.get()).min(entries.len()).max(1);
    // The same threads first look at every file's first lines (which bodies
    // and years are there, so that only a file with a predecessor in the set
    // waits for it), then check the files: a thread started for the check
    // alone would touch fresh memory where the first look's threads, gone,
    // had warm pages.
    let budget = AtomicUsize::new(KEEP_BUDGET);
    let next_look = AtomicUsize::new(0);
    let look = || {
        let mut looked = Vec::new();
        loop {
            let i = next_look.fetch_add(1, Ordering::Relaxed);
            if i >= entries.len() {
                return looked;
            }
            looked.push((i, front_of(&entries[i], &budget)));
        }
    };
    // What the check needs of the first look, set by this thread once every
    // thread's look is in.
    let looked: OnceLock<(Vec<Kept>, Keys)> = OnceLock::new();
    let all_looked = Barrier::new(threads);
    let one = |i: usize| {
        let (kept, keys) = looked.get().expect("set before the check");
        // Each index is taken by one worker once; a poisoned lock (a worker
        // panicked) only means the file is read again.
        let bytes = kept[i].lock().ok().and_then(|mut k| k.take());
        let (outcome, carry) = check_one_carry(&entries[i], config, bytes);
        let mut rendered = Vec::new();
        render(&outcome, &mut rendered);
        let follows = carry.as_ref().is_some_and(|c| keys.may_follow(i, &c.summary));
        let done = match outcome {
            Outcome::Checked(_) if !keep && !follows => Done::Counted(Summary::of(std::slice::from_ref(&outcome))),
            outcome => Done::Outcome(outcome),
        };
        (done, rendered, carry)
    };
    let next = AtomicUsize::new(0);
    let take = || Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&i| i < entries.len());
    let (tx, rx) = mpsc::channel();
    let (looks_tx, looks_rx) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 1..threads {
            let (tx, looks_tx, take, one, look, all_looked) =
                (tx.clone(), looks_tx.clone(), &take, &one, &look, &all_looked);
            scope.spawn(move || {
                // The receivers live until every worker is done; `look` and
                // `one` do not panic (a file that cannot be read has a front
                // and an outcome too), so every thread reaches the barrier.
                let _ = looks_tx.send(look());
                drop(looks_tx);
                all_looked.wait();
                while let Some(i) = take() {
                    let _ = tx.send((i, one(i)));
                }
            });
        }
        drop((tx, looks_tx));
        let mut fronts: Vec<Front> = vec![Front::Unknown; entries.len()];
        let mut kept: Vec<Kept> = Vec::new();
        kept.resize_with(entries.len(), || Mutex::new(None));
        for (i, (front, bytes)) in look().into_iter().chain(looks_rx.iter().flatten()) {
            fronts[i] = front;
            kept[i] = Mutex::new(bytes);
        }
        let _ = looked.set((kept, Keys::new(&fronts)));
        all_looked.wait();
        let keys = &looked.get().expect("just set").1;
        let mut pairing = Pairing::new(keys, entries.len());
        // Workers finish out of order; hold the early ones back. check_one
        // contains the analyser's panics, so every index arrives.
        let mut waiting: Vec<Option<(Done, Vec<u8>)>> = Vec::new();
        waiting.resize_with(entries.len(), || None);
        let mut k = 0;
        let mut arrived = |i: usize, (done, rendered, carry): (Done, Vec<u8>, Option<Carry>)| {
            waiting[i] = Some((done, rendered));
            pairing.arrived(i, carry);
            while waiting.get(k).is_some_and(Option::is_some) && pairing.ready(k) {
                let (mut done, mut rendered) = waiting[k].take().expect("arrived");
                if let Done::Outcome(outcome) = &mut done {
                    if pairing.add_carry_over(k, outcome, entries, config) {
                        rendered.clear();
                        render(outcome, &mut rendered);
                    }
                }
                emit(done, rendered);
                k += 1;
            }
        };
        // This thread checks files too, and takes in what the workers sent
        // between its own: it waits for them only at the end, so a worker's
        // result seldom wakes it (a context switch per file otherwise).
        while let Some(i) = take() {
            arrived(i, one(i));
            for (j, done) in rx.try_iter() {
                arrived(j, done);
            }
        }
        for (j, done) in rx {
            arrived(j, done);
        }
    });
}

/// A file's bytes the first look kept, until a worker takes them.
type Kept = Mutex<Option<Vec<u8>>>;

/// How much of a file's start [`front_of`] looks at, at first and at most.
const HEAD: usize = 2 << 10;
const MAX_HEAD: usize = 64 << 10;

/// Files up to this size are read whole by the first look and kept for their
/// check, up to [`KEEP_BUDGET`] bytes in all: each is then opened and read
/// once (opening, `statx` and reading a file a second time was ~4% of a
/// `check` of 1,000 reports).
const KEEP_MAX: u64 = 1 << 20;
const KEEP_BUDGET: usize = 256 << 20;

/// The pairing key of a file from its first lines, without parsing it, and
/// the file's bytes when it was read whole to be kept. `.docx` files and
/// heads that cannot be decoded are `Unknown`: files of any body wait for
/// them. A file that cannot be read has no key (it will fail to check
/// anyway, with the reason).
fn front_of(entry: &Entry, budget: &AtomicUsize) -> (Front, Option<Vec<u8>>) {
    if entry.error.is_some() {
        return (Front::Known(None), None);
    }
    if has_extension(&entry.path, "docx") {
        return (Front::Unknown, None);
    }
    let Ok(file) = std::fs::File::open(&entry.path) else { return (Front::Known(None), None) };
    match read_to_keep(&file, budget) {
        Some(Ok(bytes)) => return (front_in(&bytes), Some(bytes)),
        Some(Err(_)) => return (Front::Known(None), None),
        None => {}
    }
    // A large file (or one past the budget): its head only, as much as the
    // first look may need.
    let mut head = Vec::new();
    if std::io::Read::read_to_end(&mut std::io::Read::take(&file, MAX_HEAD as u64), &mut head).is_err() {
        return (Front::Known(None), None);
    }
    (front_in(&head), None)
}

/// The whole of a regular file of at most [`KEEP_MAX`] bytes, as large as
/// it was when its size was read (the bytes a file gained since are not
/// waited for: a read that stops at the known size saves each file the
/// system call that would find its end), while the budget lasts; `None`
/// when it was not read (read its head instead).
fn read_to_keep(file: &std::fs::File, budget: &AtomicUsize) -> Option<std::io::Result<Vec<u8>>> {
    let meta = file.metadata().ok().filter(|m| m.is_file() && m.len() <= KEEP_MAX)?;
    let size = meta.len() as usize;
    budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(size)).ok()?;
    Some(read_at_most(file, size))
}

/// At most `size` bytes from `file`'s current position: fewer when it ends
/// before. Read into a buffer of that size, so that a file read whole takes
/// one call (`read_to_end` through `Take` read the first 8 KiB alone, a
/// second call for every file over 8 KiB).
fn read_at_most(mut file: &std::fs::File, size: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0; size];
    let mut filled = 0;
    while filled < size {
        match std::io::Read::read(&mut file, &mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// The key from a file's first bytes (all of them, or its first
/// [`MAX_HEAD`]): its first [`HEAD`] bytes, and [`MAX_HEAD`] if those do not tell.
fn front_in(bytes: &[u8]) -> Front {
    let mut want = HEAD;
    loop {
        let head = &bytes[..bytes.len().min(want)];
        let whole = head.len() < want;
        match front_of_bytes(head, whole) {
            Front::Unknown if !whole && want < MAX_HEAD => want = MAX_HEAD,
            front => return front,
        }
    }
}

/// The pairing key from a file's first bytes; `whole` when they are the whole file.
pub fn front_of_bytes(head: &[u8], whole: bool) -> Front {
    use crate::cli::encoding::decode;
    if whole {
        return decode(head).map_or(Front::Known(None), |d| crate::rules::carry::front_key(&d.text, true));
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let cut = if utf16 {
        // Whole code units; a surrogate pair cut in two fails to decode.
        head.len() & !1
    } else {
        // No byte of a UTF-8 or GB18030 multi-byte character is a line break.
        match memchr::memrchr2(b'\n', b'\r', head) {
            Some(p) => p + 1,
            None => return Front::Unknown,
        }
    };
    match decode(&head[..cut]) {
        Ok(d) => crate::rules::carry::front_key(&d.text, false),
        Err(_) => Front::Unknown,
    }
}

/// The bodies and years the first look found: which files may be last
/// year's report of a file.
struct Keys {
    /// (body, year) from the files' first lines → files, in entry order.
    by_key: HashMap<(String, u16), Vec<usize>>,
    /// Files whose first lines did not tell.
    unknown: Vec<usize>,
}

impl Keys {
    fn new(fronts: &[Front]) -> Keys {
        let mut by_key: HashMap<(String, u16), Vec<usize>> = HashMap::new();
        let mut unknown = Vec::new();
        for (i, f) in fronts.iter().enumerate() {
            match f {
                Front::Known(Some(key)) => by_key.entry(key.clone()).or_default().push(i),
                Front::Known(None) => {}
                Front::Unknown => unknown.push(i),
            }
        }
        Keys { by_key, unknown }
    }

    /// The files other than `k` that may be last year's report of `body`
    /// for `year`, in entry order; none when `year` is 0.
    fn candidates(&self, k: usize, body: &str, year: u16) -> Vec<usize> {
        let Some(want) = year.checked_sub(1) else { return Vec::new() };
        let listed = self.by_key.get(&(body.to_owned(), want)).map_or(&[][..], Vec::as_slice);
        let mut candidates: Vec<usize> = listed.iter().chain(&self.unknown).copied().filter(|&j| j != k).collect();
        candidates.sort_unstable();
        candidates
    }

    /// Whether NB403 may be added to file `k`, whose summary this is: some
    /// other file may be last year's report of its body.
    fn may_follow(&self, k: usize, summary: &CarrySummary) -> bool {
        summary.key().is_some_and(|(body, year)| !self.candidates(k, body, year).is_empty())
    }
}

/// Which files are checked, their summaries, and who waits for whom.
struct Pairing<'k> {
    keys: &'k Keys,
    arrived: Vec<bool>,
    carries: Vec<Option<Carry>>,
}

impl<'k> Pairing<'k> {
    fn new(keys: &'k Keys, n: usize) -> Pairing<'k> {
        let mut carries = Vec::new();
        carries.resize_with(n, || None);
        Pairing { keys, arrived: vec![false; n], carries }
    }

    fn arrived(&mut self, i: usize, carry: Option<Carry>) {
        self.arrived[i] = true;
        self.carries[i] = carry;
    }

    /// Last year's report of file `k` (arrived): the first file in entry
    /// order, among those that may be it, that is; `Err` while one before it
    /// is still being checked.
    fn previous(&self, k: usize) -> Result<Option<usize>, ()> {
        let Some((body, year)) = self.carries[k].as_ref().and_then(|c| c.summary.key()) else { return Ok(None) };
        for j in self.keys.candidates(k, body, year) {
            if !self.arrived[j] {
                return Err(());
            }
            let key = self.carries[j].as_ref().and_then(|c| c.summary.key());
            if key == Some((body, year - 1)) {
                return Ok(Some(j));
            }
        }
        Ok(None)
    }

    /// Can file `k` (arrived) be written: is its predecessor, if any, known?
    fn ready(&self, k: usize) -> bool {
        self.previous(k).is_ok()
    }

    /// Adds NB403 against last year's report to file `k`'s outcome; returns
    /// whether anything was added.
    fn add_carry_over(&self, k: usize, outcome: &mut Outcome, entries: &[Entry], config: &Config) -> bool {
        let (Outcome::Checked(file), Some(cur)) = (outcome, &self.carries[k]) else { return false };
        let Ok(Some(j)) = self.previous(k) else { return false };
        let Some(prev) = &self.carries[j] else { return false };
        let found = crate::rules::carry::check(&cur.summary, &prev.summary, &entries[j].display, config);
        if found.is_empty() {
            return false;
        }
        file.add(found, &|r| cur.positions.span(r), &mut |_, r| prev.positions.span(r));
        true
    }
}

/// Reads, decodes and checks one file.
pub fn check_one(entry: &Entry, config: &Config) -> Outcome {
    check_one_carry(entry, config, None).0
}

/// [`check_one`] of the file whose bytes the first look kept, if it did, and
/// the file's NB403 summary.
pub fn check_one_carry(entry: &Entry, config: &Config, kept: Option<Vec<u8>>) -> (Outcome, Option<Carry>) {
    let failed = |message: String| (Outcome::Failed(FileError { path: entry.display.clone(), message }), None);
    if let Some(message) = &entry.error {
        return failed(message.clone());
    }
    let read = match kept {
        Some(bytes) => crate::cli::encoding::decode_owned(bytes).map(|d| d.text).map_err(|e| e.to_string()),
        None => docx::report_text(&entry.path),
    };
    let text = match read {
        Ok(text) => text,
        Err(message) => return failed(message),
    };
    let config = config_for(&entry.path, config);
    let text = text.as_str();
    let checked = catch_unwind(AssertUnwindSafe(|| {
        let report = crate::report::parse(text);
        let analysis = crate::rules::analyze_report(text, &report, &config);
        (analysis, CarrySummary::of(&report), report.lines)
    }));
    let (analysis, summary, lines) = match checked {
        Ok(done) => done,
        Err(_) => return failed("internal error: the checker panicked on this file (please report it)".into()),
    };
    // One pass over the text resolves the diagnostics' positions and those
    // of the cells NB403 may point at.
    let mut offsets: Vec<usize> = summary.ranges().into_iter().flat_map(|r| [r.start, r.end]).collect();
    FileReport::offsets(&analysis, &mut offsets);
    let positions = Positions::of_lines(text, &lines, offsets);
    // Analysis alone never points into another file.
    let outcome =
        Outcome::Checked(FileReport::resolved(&entry.display, analysis, &positions, &mut |_, _| Span::default()));
    (outcome, Some(Carry { positions, summary }))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &Path) -> Entry {
        Entry { display: path.display().to_string(), path: path.to_owned(), error: None }
    }

    /// A file read whole and kept gets the key its head alone gives; a file
    /// over [`KEEP_MAX`], or past the budget, is not kept.
    #[test]
    fn kept_files_key_as_their_heads_do() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut texts: Vec<Vec<u8>> = ["cross/sanming-2023.txt", "seeds/004_446d20770044734b.txt", "corpus/013.txt"]
            .iter()
            .map(|f| std::fs::read(root.join(f)).unwrap())
            .collect();
        // A title only past the first 2 KB, and a file over the limit.
        texts.push([vec![b'\n'; 3000], texts[0].clone()].concat());
        texts.push(texts[0].repeat((KEEP_MAX as usize / texts[0].len()) + 1));
        for (k, text) in texts.iter().enumerate() {
            let path = dir.path().join(format!("{k}.txt"));
            std::fs::write(&path, text).unwrap();
            let (kept_front, kept) = front_of(&entry(&path), &AtomicUsize::new(KEEP_BUDGET));
            let (head_front, none) = front_of(&entry(&path), &AtomicUsize::new(0));
            assert_eq!(kept_front, head_front, "file {k}");
            assert!(none.is_none());
            let big = text.len() as u64 > KEEP_MAX;
            assert_eq!(kept.as_ref(), (!big).then_some(text), "file {k}");
        }
        assert!(matches!(
            front_of(&entry(&dir.path().join("0.txt")), &AtomicUsize::new(KEEP_BUDGET)).0,
            Front::Known(Some(_))
        ));
        // The budget is spent file by file.
        let budget = AtomicUsize::new(texts[0].len() + 10);
        assert!(front_of(&entry(&dir.path().join("0.txt")), &budget).1.is_some());
        assert!(front_of(&entry(&dir.path().join("0.txt")), &budget).1.is_none());
        assert_eq!(budget.load(Ordering::Relaxed), 10);
    }

    /// Without `keep`, a checked file comes as its counts unless NB403 may be
    /// added to it: the counts and the rendered output are those of the whole
    /// outcome, and the files with last year's report in the set (三明's 2023
    /// and 2024 reports) still come whole, with NB403 in them (2024's).
    #[test]
    fn files_come_counted_unless_kept_or_followed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let entries = walk::walk(&[root.join("cross"), root.join("seeds"), root.join("missing.txt")], false);
        let config = Config::default();
        let render = |o: &Outcome, buf: &mut Vec<u8>| {
            if let Outcome::Checked(f) = o {
                render::human_file(f, buf);
            }
        };
        let mut whole = Vec::new();
        check_each(&entries, &config, &render, true, |done, rendered| match done {
            Done::Outcome(o) => whole.push((o, rendered)),
            Done::Counted(_) => panic!("kept"),
        });
        let mut i = 0;
        let mut counted = 0;
        check_each(&entries, &config, &render, false, |done, rendered| {
            let (outcome, want) = &whole[i];
            assert_eq!(&rendered, want, "{}", entries[i].display);
            let follows = entries[i].display.contains("sanming-2023") || entries[i].display.contains("sanming-2024");
            match done {
                Done::Outcome(o) => {
                    assert_eq!(&o, outcome);
                    assert!(follows || matches!(o, Outcome::Failed(_)), "{}", entries[i].display);
                }
                Done::Counted(counts) => {
                    assert_eq!(counts, Summary::of(std::slice::from_ref(outcome)));
                    assert!(!follows, "{}", entries[i].display);
                    counted += 1;
                }
            }
            i += 1;
        });
        assert_eq!(i, entries.len());
        assert!(counted >= 6, "{counted} counted");
        let nb403 = |name: &str| {
            whole.iter().any(|(o, _)| {
                matches!(o, Outcome::Checked(f) if f.path.contains(name) && f.diagnostics.iter().any(|d| d.code == "NB403"))
            })
        };
        assert!(nb403("sanming-2024"));
    }

    /// A file read for keeping gives the bytes it has up to the size asked:
    /// all of a file that is shorter (it shrank since its size was read),
    /// the first `size` of one that is longer (it grew), none of an empty one.
    #[test]
    fn files_are_read_up_to_the_size_asked() {
        let dir = tempfile::tempdir().unwrap();
        let text: Vec<u8> = "报告𠮷\r\n".repeat(2000).into_bytes();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, &text).unwrap();
        for size in [0, 1, 8191, 8192, 8193, text.len() - 1, text.len(), text.len() + 1, 2 * text.len()] {
            let file = std::fs::File::open(&path).unwrap();
            assert_eq!(read_at_most(&file, size).unwrap(), text[..size.min(text.len())], "size {size}");
        }
        std::fs::write(&path, b"").unwrap();
        assert!(read_at_most(&std::fs::File::open(&path).unwrap(), 100).unwrap().is_empty());
    }
}

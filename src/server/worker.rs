//! One analysis worker per open document.
//!
//! Handlers only apply edits and wake the worker (a `watch` channel, so a
//! burst of keystrokes coalesces into one wake). The worker lets the input
//! loop run first, takes the latest text and the edits since its last look,
//! and reparses under `catch_unwind`: a keystroke's incremental reparse (tens
//! of microseconds) right on the runtime's thread, anything bigger on the
//! blocking pool. It stores the result for requests, and
//! publishes it (push clients only) if that version is still current. A
//! version superseded before its analysis starts is never analysed; a
//! version analysed is published at most once. When the document closes the
//! worker clears what it published and exits.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use tokio::sync::watch;
use tower_lsp::lsp_types::Url;

use super::documents::{Pending, Positions};
use super::settings::InlayHints;
use super::workspace::Previous;
use super::{log, AnalyzeFn, State};
use crate::report::{self, Reparse, Report};
use crate::rules::{Analysis, Config};
use crate::text::{Splice, TextRange};

/// One analysed version of a document: what every request handler reads.
#[derive(Debug)]
pub struct Snapshot {
    /// Which opening of the URI this belongs to (a reopened document starts over).
    pub epoch: u64,
    pub version: i32,
    /// The settings generation it was analysed with.
    pub generation: u64,
    /// Which predecessor change (NB403) it was analysed after.
    pub carry: u64,
    /// Last year's report of the same body, when one is known (NB403's
    /// related locations point into it).
    pub previous: Option<Previous>,
    pub positions: Positions,
    /// The text, copied out of the rope only when a request needs it.
    text: OnceLock<String>,
    pub report: Arc<Report>,
    pub analysis: Analysis,
    pub config: Config,
    pub inlay_hints: InlayHints,
    /// How the report was parsed: incrementally from the previous snapshot,
    /// or whole (`None`: reused unchanged).
    pub parse: Option<Reparse>,
    /// Set when the analysis panicked: the report and analysis are empty.
    pub failed: Option<String>,
}

impl Snapshot {
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.positions.text())
    }

    /// Is the text a report nianbao checks (or forced by the language id)?
    pub fn checked(&self) -> bool {
        self.failed.is_none() && self.analysis.is_report
    }
}

/// What the worker takes from the document, under the lock.
pub(super) struct Job {
    pub epoch: u64,
    pub version: i32,
    pub generation: u64,
    pub carry: u64,
    pub positions: Positions,
    pub pending: Pending,
    pub config: Config,
    pub inlay_hints: InlayHints,
}

/// Documents up to this size are analysed whole on the runtime's thread
/// (about 0.1 ms).
const INLINE_FULL: usize = 64 << 10;
/// An edit is analysed incrementally on the runtime's thread in documents up
/// to this size (the base text is spliced in place, a memmove of its tail;
/// should the edit change the outline, the full reparse this falls back to
/// stays within a few milliseconds)...
const INLINE_DOC: usize = 2 << 20;
/// ...when it inserts and removes at most this much.
const INLINE_SPLICE: usize = 4 << 10;

impl Job {
    /// Is this job cheap enough (well under a millisecond) to run on the
    /// runtime's thread rather than the blocking pool (a hop there and back
    /// costs more than a keystroke's analysis)? `based`: the worker has
    /// the previous text and report to splice into.
    fn cheap(&self, based: bool) -> bool {
        let len = self.positions.len();
        match self.pending {
            _ if len <= INLINE_FULL => true,
            Pending::Splice(s) => {
                based && len <= INLINE_DOC && s.old_end - s.start + s.new_end - s.start <= INLINE_SPLICE
            }
            Pending::Nothing => based,
            Pending::Full => false,
        }
    }
}

pub(super) enum Take {
    Job(Box<Job>),
    UpToDate,
    Closed,
}

pub(super) async fn run(
    state: Arc<State>,
    uri: Url,
    epoch: u64,
    mut wake: watch::Receiver<()>,
    results: watch::Sender<Option<Arc<Snapshot>>>,
) {
    // The text and report of the last snapshot taken: the base of the next
    // pending splice.
    let mut base: Option<Base> = None;
    let mut done: Option<(i32, u64, u64)> = None;
    loop {
        // Let the input loop first handle whatever else has arrived: in a
        // burst of keystrokes, the edits that follow coalesce into this job.
        tokio::task::yield_now().await;
        wake.borrow_and_update();
        match state.take_job(&uri, epoch, done) {
            Take::Closed => break,
            Take::UpToDate => {}
            Take::Job(job) => {
                done = Some((job.version, job.generation, job.carry));
                let analyze = state.analyze;
                let prev = base.take();
                let (snap, next) = if job.cheap(prev.is_some()) {
                    // Tens of microseconds: a hop to the blocking pool and
                    // back would cost more than the analysis.
                    compute(*job, prev, analyze)
                } else {
                    match tokio::task::spawn_blocking(move || compute(*job, prev, analyze)).await {
                        Ok(done) => done,
                        Err(e) => {
                            // `compute` contains its own panics; this is a cancelled runtime.
                            log(format_args!("analysis of {uri} did not finish: {e}"));
                            break;
                        }
                    }
                };
                base = next;
                let mut snap = snap;
                state.carry_over(&uri, &mut snap);
                let snap = Arc::new(snap);
                results.send_replace(Some(snap.clone()));
                state.publish(&uri, &snap).await;
            }
        }
        if wake.changed().await.is_err() {
            break;
        }
    }
    state.publish_closed(&uri).await;
}

/// The worker's own copy of the text, kept in step by splices instead of
/// being copied out of the rope for every version (a 1 MB copy per keystroke
/// would cost more than the analysis of it).
pub(super) struct Base {
    text: String,
    report: Arc<Report>,
    /// The text before the last splice: behind `text` by `lag`. Reused as
    /// the buffer of the next version, so no version costs a full copy.
    spare: String,
    lag: Option<Splice>,
}

impl Base {
    fn full(text: String) -> Base {
        let report = Arc::new(report::parse(&text));
        Base { text, report, spare: String::new(), lag: None }
    }

    /// Applies `splice` (whose new bytes are in `positions`): returns the
    /// next base and how its report was made.
    fn advance(mut self, positions: &Positions, splice: Splice) -> (Base, Reparse) {
        // Bring the spare buffer up to the current text, then make it the next.
        match self.lag {
            Some(p) => self.spare.replace_range(p.start..p.old_end, &self.text[p.start..p.new_end]),
            None => self.spare.clone_from(&self.text),
        }
        let inserted = positions.slice(TextRange::new(splice.start, splice.new_end));
        let mut next = self.spare;
        next.replace_range(splice.start..splice.old_end, &inserted);
        // The copy must equal the rope. Checked in full in debug builds (the
        // tests' 2,000-edit runs), for documents small enough to afford it.
        debug_assert_eq!(next.len(), positions.len());
        if cfg!(debug_assertions) && next.len() < 1 << 20 {
            assert!(next == positions.text(), "the worker's text drifted from the rope");
        }
        let (report, how) = report::reparse_with_stats(&self.text, &self.report, &next, splice);
        (Base { text: next, report: Arc::new(report), spare: self.text, lag: Some(splice) }, how)
    }
}

/// Parses (incrementally when it can) and checks one version. Never panics:
/// a panic in the engine becomes a failed snapshot, and the next version is
/// parsed whole.
fn compute(job: Job, base: Option<Base>, analyze: AnalyzeFn) -> (Snapshot, Option<Base>) {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let (base, how) = match (base, job.pending) {
            (Some(b), Pending::Splice(splice)) => {
                let (b, how) = b.advance(&job.positions, splice);
                (b, Some(how))
            }
            (Some(b), Pending::Nothing) => (b, None),
            _ => (Base::full(job.positions.text()), Some(Reparse::Full)),
        };
        let analysis = analyze(&base.text, &base.report, &job.config);
        (base, analysis, how)
    }));
    let (base, report, analysis, parse, failed) = match result {
        Ok((base, analysis, how)) => {
            let report = base.report.clone();
            (Some(base), report, analysis, how, None)
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            log(format_args!("analysis of version {} panicked: {what}", job.version));
            (None, Arc::new(Report::default()), Analysis::default(), Some(Reparse::Full), Some(what))
        }
    };
    let snap = Snapshot {
        epoch: job.epoch,
        version: job.version,
        generation: job.generation,
        carry: job.carry,
        previous: None,
        positions: job.positions,
        text: OnceLock::new(),
        report,
        analysis,
        config: job.config,
        inlay_hints: job.inlay_hints,
        parse,
        failed,
    };
    (snap, base)
}

impl State {
    /// Publishes a snapshot to a push client, if it is still the current
    /// version of this opening of the document. Publishing is serialised so
    /// a stale or closing worker can never overtake a newer publish.
    async fn publish(&self, uri: &Url, snap: &Snapshot) {
        if !self.session().push {
            return;
        }
        let _order = self.publish_lock.lock().await;
        let current = self.docs().get(uri).is_some_and(|s| s.epoch == snap.epoch && s.doc.version == snap.version)
            && self.session().generation == snap.generation;
        if !current || snap.failed.is_some() {
            return;
        }
        let diags = super::diagnostics(snap, uri);
        self.client.publish_diagnostics(uri.clone(), diags, Some(snap.version)).await;
    }

    /// Clears what a push client was shown for a closed document, unless it
    /// was opened again meanwhile (its new worker publishes).
    async fn publish_closed(&self, uri: &Url) {
        if !self.session().push {
            return;
        }
        let _order = self.publish_lock.lock().await;
        if self.docs().contains_key(uri) {
            return;
        }
        self.client.publish_diagnostics(uri.clone(), Vec::new(), None).await;
    }
}

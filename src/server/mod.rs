//! The language server (`nianbao lsp`, product-spec §6): a thin layer of
//! tower-lsp over the engine. This is the only module that knows tower-lsp,
//! lsp-types, tokio or ropey.
//!
//! `transport` reads the frames and hands each message to tower-lsp's
//! `LspService` (which routes it, refuses requests before `initialize` and
//! implements `$/cancelRequest`); a broken frame is answered or skipped and
//! reading goes on. Handlers are short: notifications apply edits to the
//! document's rope before any `.await` (handlers run concurrently,
//! ebkalderon/tower-lsp#284) and wake that document's worker; requests wait
//! for the worker's snapshot of the current version, make one call into
//! `features`, and convert the result. Analysis never runs on a handler, so a
//! huge document does not delay a hover elsewhere. Nothing is printed to
//! stdout but protocol messages; logs go to stderr.

mod compat;
mod documents;
mod features;
#[doc(hidden)]
pub mod fuzzing;
mod settings;
mod to_proto;
mod transport;
mod worker;
mod workspace;

use std::collections::HashMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};

use serde_json::Value;
use tokio::sync::watch;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, ClientSocket, LanguageServer, LspService};

use crate::report::Report;
use crate::rules::{Analysis, Config, Locale};
use crate::text::PositionEncoding;
use documents::{Document, Pending};
use features::Wanted;
pub use settings::{InlayHints, Settings};
pub use transport::{serve, MAX_BODY};
pub use worker::Snapshot;
use worker::{Job, Take};

/// A real report (seed 000 with one wrong total) analysed once at start-up.
const WARM_UP: &str = include_str!("../../fixtures/editors/report.nianbao.txt");

/// The engine call the workers make; tests substitute one that panics.
pub type AnalyzeFn = fn(&str, &Report, &Config) -> Analysis;

pub(crate) fn log(args: fmt::Arguments) {
    eprintln!("nianbao lsp: {args}");
}

/// What `initialize` settled, and the current settings.
#[derive(Debug, Default)]
struct Session {
    enc: PositionEncoding,
    /// The client cannot pull diagnostics: publish them.
    push: bool,
    client_locale: Locale,
    settings: Settings,
    /// Bumped whenever the settings change; snapshots record theirs.
    generation: u64,
    versioned_edits: bool,
    diagnostic_refresh: bool,
    inlay_refresh: bool,
    configuration: bool,
}

struct Slot {
    doc: Document,
    /// Which opening of the URI this is.
    epoch: u64,
    wake: watch::Sender<()>,
    results: watch::Receiver<Option<Arc<Snapshot>>>,
    /// Bumped when last year's report of this document changed (NB403): the
    /// worker analyses the same version again.
    carry: u64,
    /// The body and year of the last analysis (which documents follow it).
    carry_key: Option<(String, u16)>,
}

/// Everything the handlers and workers share.
pub struct State {
    client: Client,
    docs: Mutex<HashMap<Url, Slot>>,
    session: RwLock<Session>,
    analyze: AnalyzeFn,
    publish_lock: tokio::sync::Mutex<()>,
    /// Summaries of the workspace's reports and the open documents (NB403).
    workspace: Mutex<workspace::Index>,
    /// The workspace folders, from `initialize`.
    folders: Mutex<Vec<PathBuf>>,
    /// One scan of the folders at a time.
    scan_lock: tokio::sync::Mutex<()>,
    /// A scan is waiting for the lock: another request joins it.
    scan_queued: AtomicBool,
    next_epoch: AtomicU64,
    shutdown: AtomicBool,
    /// Notified when the client sends `exit`.
    exited: Arc<tokio::sync::Notify>,
}

impl State {
    // A panic elsewhere must not take the documents with it: a poisoned lock
    // still holds consistent data (every edit is applied whole or not at all).
    fn docs(&self) -> MutexGuard<'_, HashMap<Url, Slot>> {
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn session(&self) -> RwLockReadGuard<'_, Session> {
        self.session.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server's current text of a document (for tests and diagnostics).
    pub fn text(&self, uri: &Url) -> Option<String> {
        self.docs().get(uri).map(|s| s.doc.rope.to_string())
    }

    /// The open documents' URIs.
    pub fn open_documents(&self) -> Vec<Url> {
        self.docs().keys().cloned().collect()
    }

    /// Completes once the client has sent `exit`.
    pub async fn exited(&self) {
        self.exited.notified().await;
    }

    /// Did the client ask for `shutdown` before the connection ended?
    pub fn shut_down_cleanly(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    fn take_job(&self, uri: &Url, epoch: u64, done: Option<(i32, u64, u64)>) -> Take {
        let mut docs = self.docs();
        let Some(slot) = docs.get_mut(uri).filter(|s| s.epoch == epoch) else { return Take::Closed };
        let session = self.session();
        if done == Some((slot.doc.version, session.generation, slot.carry)) {
            return Take::UpToDate;
        }
        let force = slot.doc.language_id == "nianbao";
        Take::Job(Box::new(Job {
            epoch,
            version: slot.doc.version,
            generation: session.generation,
            carry: slot.carry,
            positions: documents::Positions { rope: slot.doc.rope.clone(), enc: session.enc },
            pending: std::mem::replace(&mut slot.doc.pending, Pending::Nothing),
            config: session.settings.config(session.client_locale, force),
            inlay_hints: session.settings.inlay_hints,
        }))
    }

    /// The analysed snapshot of the document's current version, waiting for
    /// its worker if need be. `None` for a document that is not open.
    pub async fn snapshot(&self, uri: &Url) -> Option<Arc<Snapshot>> {
        loop {
            let mut rx = {
                let docs = self.docs();
                let slot = docs.get(uri)?;
                let want = (slot.epoch, slot.doc.version, self.session().generation, slot.carry);
                let mut rx = slot.results.clone();
                if let Some(s) = rx.borrow_and_update().as_ref() {
                    if (s.epoch, s.version, s.generation, s.carry) == want {
                        return Some(s.clone());
                    }
                }
                rx
            };
            if rx.changed().await.is_err() {
                return None;
            }
        }
    }

    fn open(self: &Arc<Self>, uri: Url, doc: Document) {
        let epoch = self.next_epoch.fetch_add(1, Ordering::SeqCst);
        let (wake, wake_rx) = watch::channel(());
        let (results_tx, results) = watch::channel(None);
        // Replacing an open document drops its old slot: the old worker exits.
        self.docs().insert(uri.clone(), Slot { doc, epoch, wake, results, carry: 0, carry_key: None });
        tokio::spawn(worker::run(self.clone(), uri, epoch, wake_rx, results_tx));
    }

    fn apply_settings(self: &Arc<Self>, value: &Value) {
        let (settings, problems) = Settings::from_json(value);
        for p in problems {
            log(format_args!("settings: {p} (ignored)"));
        }
        let (diagnostic_refresh, inlay_refresh) = {
            let mut session = self.session.write().unwrap_or_else(PoisonError::into_inner);
            session.settings = settings;
            session.generation += 1;
            (session.diagnostic_refresh && !session.push, session.inlay_refresh)
        };
        for slot in self.docs().values() {
            slot.wake.send_replace(());
        }
        // Never await a client request in a notification handler: spawn it.
        let client = self.client.clone();
        tokio::spawn(async move {
            if diagnostic_refresh {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    log(format_args!("workspace/diagnostic/refresh failed: {e}"));
                }
            }
            if inlay_refresh {
                if let Err(e) = client.inlay_hint_refresh().await {
                    log(format_args!("workspace/inlayHint/refresh failed: {e}"));
                }
            }
        });
    }
}

impl State {
    /// The workspace index. When both are held, it is taken before
    /// [`State::docs`] (as `carry_over` does), never while `docs` is held.
    fn index(&self) -> MutexGuard<'_, workspace::Index> {
        self.workspace.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// NB403 for a fresh snapshot: summarises it (a few cells), looks up
    /// last year's report among the summaries (no disk), adds what differs,
    /// records this document's summary, and wakes the open documents of the
    /// year after when it changed for them.
    fn carry_over(&self, uri: &Url, snap: &mut Snapshot) {
        if snap.failed.is_some() {
            return;
        }
        let summary = crate::rules::CarrySummary::of(&snap.report);
        let key = summary.key().map(|(b, y)| (b.to_owned(), y));
        let entry = Arc::new(workspace::Entry::open(summary, snap.positions.clone()));
        // This document's key is set before its predecessor is looked up, and
        // who follows it is read under the index lock, where its entry goes
        // in: of two documents analysed at once, the later to take the lock
        // either finds the other's entry or sees the other's key and wakes
        // it. (With the key set after the lookup, each could miss the other
        // and last year's report stay unknown until the next edit.)
        let last = match self.docs().get_mut(uri).filter(|s| s.epoch == snap.epoch) {
            Some(slot) => std::mem::replace(&mut slot.carry_key, key.clone()),
            None => None,
        };
        let (previous, changed) = {
            let mut index = self.index();
            // Only an open document that follows this one (by its last key or
            // this one) is woken by a change: without one, what changed is
            // not worked out, and no position is converted on a keystroke.
            let followed = {
                let docs = self.docs();
                let follows = |k: &(String, u16), f: &Option<(String, u16)>| {
                    f.as_ref().is_some_and(|(b, y)| *b == k.0 && k.1.checked_add(1) == Some(*y))
                };
                docs.iter()
                    .any(|(u, s)| u != uri && [&key, &last].into_iter().flatten().any(|k| follows(k, &s.carry_key)))
            };
            let previous = key.as_ref().and_then(|(b, y)| index.previous(b, *y, uri));
            if followed {
                (previous, index.set_open(uri, entry.clone()))
            } else {
                index.replace_open(uri, entry.clone());
                (previous, Vec::new())
            }
        };
        if let (Some(p), true) = (&previous, snap.analysis.is_report) {
            let found = crate::rules::carry::check(&entry.summary, &p.entry.summary, p.uri.as_str(), &snap.config);
            crate::rules::carry::merge(&mut snap.analysis.diagnostics, found);
        }
        snap.previous = previous;
        self.successors_changed(uri, &changed);
    }

    /// Wakes the open documents (other than `uri`) that follow one of the
    /// `changed` keys, so they are analysed again with the new predecessor.
    fn successors_changed(&self, uri: &Url, changed: &[(String, u16)]) {
        if changed.is_empty() {
            return;
        }
        let mut woken = false;
        for (u, slot) in self.docs().iter_mut() {
            let follows = slot
                .carry_key
                .as_ref()
                .is_some_and(|(b, y)| changed.iter().any(|(cb, cy)| cb == b && cy.checked_add(1) == Some(*y)));
            if follows && u != uri {
                slot.carry += 1;
                slot.wake.send_replace(());
                woken = true;
            }
        }
        let session = self.session();
        if woken && !session.push && session.diagnostic_refresh {
            // A pull client asks again; the requests wait for the new analysis.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    log(format_args!("workspace/diagnostic/refresh failed: {e}"));
                }
            });
        }
    }

    /// Scans the workspace folders on the blocking pool (only files whose
    /// modification time changed are read) and wakes the documents whose
    /// predecessor changed. One scan at a time, and requests made while one
    /// waits to start (a client opening many documents) join it.
    fn rescan(self: Arc<Self>) {
        let folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if folders.is_empty() || self.scan_queued.swap(true, Ordering::SeqCst) {
            return;
        }
        tokio::spawn(async move {
            let _one = self.scan_lock.lock().await;
            // From here on, a change needs a scan of its own.
            self.scan_queued.store(false, Ordering::SeqCst);
            let known = self.index().disk_times();
            let enc = self.session().enc;
            let scan = tokio::task::spawn_blocking(move || {
                catch_unwind(AssertUnwindSafe(|| workspace::scan(&folders, &known, enc))).unwrap_or_else(|_| {
                    log(format_args!("the workspace scan panicked"));
                    workspace::Scan::default()
                })
            })
            .await;
            let Ok(scan) = scan else { return };
            let changed = self.index().apply_scan(scan.fresh, scan.kept);
            // No document is the scan's own: every follower is woken.
            let nobody = Url::parse("file:///").expect("a URL");
            self.successors_changed(&nobody, &changed);
        });
    }
}

/// The `LanguageServer` implementation.
pub struct Backend {
    state: Arc<State>,
}

impl Backend {
    pub fn state(&self) -> Arc<State> {
        self.state.clone()
    }
}

/// The service as served: tower-lsp's, behind the request repairs of
/// [`compat`].
pub type Service = compat::Compat<LspService<Backend>>;

/// The service, ready to be served over any transport, its client socket,
/// and a handle on its state (for tests).
pub fn service(analyze: AnalyzeFn) -> (Service, ClientSocket, Arc<State>) {
    let (service, socket) = LspService::new(move |client| Backend {
        state: Arc::new(State {
            client,
            docs: Mutex::new(HashMap::new()),
            session: RwLock::new(Session::default()),
            analyze,
            publish_lock: tokio::sync::Mutex::new(()),
            workspace: Mutex::new(workspace::Index::default()),
            folders: Mutex::new(Vec::new()),
            scan_lock: tokio::sync::Mutex::new(()),
            scan_queued: AtomicBool::new(false),
            next_epoch: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
            exited: Arc::new(tokio::sync::Notify::new()),
        }),
    });
    let state = service.inner().state();
    let exited = state.exited.clone();
    (compat::Compat { inner: service, exited }, socket, state)
}

/// Serves LSP on stdin/stdout until `exit`. Returns the process exit code:
/// 0 after `shutdown` then `exit`, 1 when the connection ended without
/// `shutdown` (the LSP rule), 2 when the runtime could not start.
pub fn run_stdio() -> i32 {
    // One thread for the protocol and the keystroke-sized analyses: no
    // wake-ups across threads on the path from `didChange` to
    // `publishDiagnostics`. Whole documents above 64 KB are analysed on the
    // blocking pool, so reading goes on meanwhile.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            log(format_args!("cannot start the async runtime: {e}"));
            return 2;
        }
    };
    let code = runtime.block_on(async {
        let (service, socket, state) = service(crate::rules::analyze_report);
        // Serve until `exit` or the end of stdin, whichever comes first (see
        // `compat`: tower-lsp alone would wait for another message).
        tokio::select! {
            _ = serve(tokio::io::stdin(), tokio::io::stdout(), service, socket) => {}
            _ = state.exited() => {}
        }
        if state.shut_down_cleanly() {
            0
        } else {
            1
        }
    });
    // An analysis of a huge document may still be running on the blocking
    // pool; it has nobody to report to.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

/// Runs `f`, turning a panic into a logged internal error: the server keeps
/// serving and keeps every document.
fn contain<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        log(format_args!("{what} panicked; answered with an internal error"));
        Error { code: ErrorCode::InternalError, message: format!("nianbao: {what} failed").into(), data: None }
    })
}

/// Which code-action kinds `only` asks for (kinds are hierarchical:
/// `source` includes `source.fixAll.nianbao`).
fn wanted(only: Option<&[CodeActionKind]>) -> Wanted {
    let Some(only) = only else { return Wanted { quickfix: true, fix_all: true, fix_all_explicit: false } };
    let covers = |target: &str| {
        only.iter().any(|k| {
            let k = k.as_str();
            target == k || target.strip_prefix(k).is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let fix_all = covers(to_proto::FIX_ALL_KIND);
    Wanted { quickfix: covers("quickfix"), fix_all, fix_all_explicit: fix_all }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        {
            let mut s = self.state.session.write().unwrap_or_else(PoisonError::into_inner);
            s.enc = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
            s.push = text.and_then(|t| t.diagnostic.as_ref()).is_none();
            s.client_locale = params.locale.as_deref().map_or(Locale::Zh, Locale::from_tag);
            s.versioned_edits =
                workspace.and_then(|w| w.workspace_edit.as_ref()).and_then(|e| e.document_changes).unwrap_or(false);
            s.diagnostic_refresh =
                workspace.and_then(|w| w.diagnostic.as_ref()).and_then(|d| d.refresh_support).unwrap_or(false);
            s.inlay_refresh =
                workspace.and_then(|w| w.inlay_hint.as_ref()).and_then(|d| d.refresh_support).unwrap_or(false);
            s.configuration = workspace.and_then(|w| w.configuration).unwrap_or(false);
            let (settings, problems) =
                Settings::from_json(params.initialization_options.as_ref().unwrap_or(&Value::Null));
            for p in problems {
                log(format_args!("initializationOptions: {p} (ignored)"));
            }
            s.settings = settings;
        }
        *self.state.folders.lock().unwrap_or_else(PoisonError::into_inner) =
            workspace::folders(params.workspace_folders.as_deref(), params.root_uri.as_ref());
        // Compile the engine's regexes and normalise the schema's labels now,
        // while the client is still starting, not on the first document.
        let analyze = self.state.analyze;
        tokio::task::spawn_blocking(move || {
            let _ = catch_unwind(|| analyze(WARM_UP, &crate::report::parse(WARM_UP), &Config::default()));
        });
        Ok(InitializeResult { capabilities: capabilities(utf8), server_info: Some(server_info()) })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.state.clone().rescan();
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        self.state.open(d.uri, Document::new(&d.text, d.version, d.language_id));
        // Last year's report may have been written meanwhile.
        self.state.clone().rescan();
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        self.state.clone().rescan();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied whole, under the lock, before any `.await`: the order of
        // the client's edits is the order of application.
        let enc = self.state.session().enc;
        let mut docs = self.state.docs();
        let uri = params.text_document.uri;
        let Some(slot) = docs.get_mut(&uri) else {
            log(format_args!("didChange for {uri}, which is not open (ignored)"));
            return;
        };
        let version = params.text_document.version;
        if version <= slot.doc.version {
            log(format_args!("didChange for {uri}: version {version} after {} (applied)", slot.doc.version));
        }
        for change in &params.content_changes {
            slot.doc.apply(change, enc);
        }
        slot.doc.version = version;
        slot.wake.send_replace(());
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        // Dropping the slot ends its worker, which clears what it published.
        let uri = params.text_document.uri;
        self.state.docs().remove(&uri);
        let changed = self.state.index().close(&uri);
        self.state.successors_changed(&uri, &changed);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let empty = params.settings.is_null() || params.settings.as_object().is_some_and(|o| o.is_empty());
        if empty && self.state.session().configuration {
            // The pull model (vscode-languageclient sends `settings: null`):
            // ask, in a task of its own.
            let state = self.state.clone();
            tokio::spawn(async move {
                let item = ConfigurationItem { scope_uri: None, section: Some("nianbao".into()) };
                match state.client.configuration(vec![item]).await {
                    Ok(values) => state.apply_settings(values.first().unwrap_or(&Value::Null)),
                    Err(e) => log(format_args!("workspace/configuration failed: {e}")),
                }
            });
            return;
        }
        self.state.apply_settings(&params.settings);
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let Some(snap) = self.state.snapshot(&uri).await else { return Ok(full_report(None, Vec::new())) };
        if let Some(why) = &snap.failed {
            return Err(Error {
                code: ErrorCode::InternalError,
                message: format!("nianbao: analysis failed: {why}").into(),
                data: None,
            });
        }
        let id = format!("{}.{}.{}.{}", snap.epoch, snap.version, snap.generation, snap.carry);
        if params.previous_result_id.as_deref() == Some(id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
                RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id: id },
                },
            )));
        }
        let items = contain("diagnostic", || diagnostics(&snap, &uri))?;
        Ok(full_report(Some(id), items))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(snap) = self.state.snapshot(&uri).await.filter(|s| s.checked()) else { return Ok(None) };
        let range = snap.positions.text_range(params.range);
        let want = wanted(params.context.only.as_deref());
        let locale = snap.config.locale;
        let versioned = self.state.session().versioned_edits;
        contain("codeAction", || {
            let actions = features::code_actions(&snap.report, &snap.analysis, range, want, locale);
            let diagnostics = diagnostics(&snap, &uri);
            let cx = to_proto::ActionContext {
                pos: &snap.positions,
                uri: &uri,
                version: snap.version,
                versioned,
                diagnostics: &diagnostics,
            };
            Some(actions.iter().map(|a| to_proto::code_action(&cx, a)).collect())
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some(snap) = self.state.snapshot(&p.text_document.uri).await.filter(|s| s.checked()) else {
            return Ok(None);
        };
        let offset = snap.positions.offset(p.position);
        contain("hover", || {
            let (range, markdown) = features::hover(&snap.report, snap.text(), offset, snap.config.locale)?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
                range: Some(snap.positions.range(range)),
            })
        })
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let Some(snap) = self.state.snapshot(&params.text_document.uri).await.filter(|s| s.checked()) else {
            return Ok(None);
        };
        contain("documentSymbol", || {
            let symbols = features::symbols(&snap.report, snap.text(), snap.config.locale);
            let symbols = symbols.iter().map(|s| to_proto::symbol(&snap.positions, s)).collect();
            Some(DocumentSymbolResponse::Nested(symbols))
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some(snap) = self.state.snapshot(&params.text_document.uri).await.filter(|s| s.checked()) else {
            return Ok(None);
        };
        contain("foldingRange", || {
            Some(features::folds(&snap.report).into_iter().map(to_proto::folding_range).collect())
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some(snap) = self.state.snapshot(&params.text_document.uri).await.filter(|s| s.checked()) else {
            return Ok(None);
        };
        let range = snap.positions.text_range(params.range);
        contain("inlayHint", || {
            let hints = features::inlay_hints(&snap.report, range, snap.inlay_hints, snap.config.locale);
            Some(hints.iter().map(|h| to_proto::inlay_hint(&snap.positions, h)).collect())
        })
    }
}

fn diagnostics(snap: &Snapshot, uri: &Url) -> Vec<tower_lsp::lsp_types::Diagnostic> {
    let other = |path: &str, r| snap.previous.as_ref().and_then(|p| p.location(path, r));
    snap.analysis.diagnostics.iter().map(|d| to_proto::diagnostic(&snap.positions, uri, d, &other)).collect()
}

fn full_report(
    result_id: Option<String>,
    items: Vec<tower_lsp::lsp_types::Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    }))
}

fn server_info() -> ServerInfo {
    ServerInfo { name: "nianbao".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }
}

fn capabilities(utf8: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(if utf8 { PositionEncodingKind::UTF8 } else { PositionEncodingKind::UTF16 }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            // A save may be last year's report written to disk (NB403).
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("nianbao".into()),
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(to_proto::FIX_ALL_KIND)]),
            work_done_progress_options: WorkDoneProgressOptions::default(),
            resolve_provider: None,
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..Default::default()
    }
}

//! Last year's reports for NB403: a small summary ([`CarrySummary`]) of every
//! report in the workspace folders and of every open document, with the
//! positions of its cells in the negotiated encoding, so that a document's
//! analysis finds its predecessor (same body, year before) with one lookup
//! and converts the related location without that file's text.
//!
//! Files on disk (`.txt` and `.md` under the workspace folders) are read and
//! parsed on the blocking pool ([`scan`]); a file is read again only when its
//! modification time changes. An open document's live text wins over the
//! same file on disk. Nothing here awaits; the lookup never touches the disk.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use tower_lsp::lsp_types::{Location, Position, Range, Url};

use super::documents::Positions;

use crate::rules::CarrySummary;
use crate::text::{LineIndex, PositionEncoding, TextRange};

/// How deep and how many files a scan goes, at most: a workspace folder may
/// be a home directory.
const MAX_DEPTH: usize = 8;
const MAX_FILES: usize = 20_000;

/// One file's summary and where its cells are.
#[derive(Debug)]
pub struct Entry {
    pub summary: CarrySummary,
    /// Byte offset → position, for every end of the summary's ranges, sorted.
    positions: OnceLock<Vec<(usize, Position)>>,
    /// An open document's text at the analysis: its positions are converted
    /// only when asked for (a related location in a follower, or a follower
    /// to wake), not on every keystroke.
    text: Option<Positions>,
    /// For files on disk: the modification time read.
    mtime: Option<SystemTime>,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.summary == other.summary && self.mtime == other.mtime && self.positions() == other.positions()
    }
}

/// Every end of the summary's ranges with its position, sorted.
fn convert(summary: &CarrySummary, position: impl Fn(usize) -> Position) -> Vec<(usize, Position)> {
    let mut offsets: Vec<usize> = summary.ranges().into_iter().flat_map(|r| [r.start, r.end]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    offsets.into_iter().map(|o| (o, position(o))).collect()
}

impl Entry {
    /// An entry for `summary`, its offsets converted by `position`.
    pub fn new(summary: CarrySummary, position: impl Fn(usize) -> Position, mtime: Option<SystemTime>) -> Entry {
        let positions = OnceLock::from(convert(&summary, position));
        Entry { summary, positions, text: None, mtime }
    }

    /// An open document's entry, its positions converted from `text` when
    /// first asked for.
    pub fn open(summary: CarrySummary, text: Positions) -> Entry {
        Entry { summary, positions: OnceLock::new(), text: Some(text), mtime: None }
    }

    fn positions(&self) -> &[(usize, Position)] {
        self.positions.get_or_init(|| match &self.text {
            Some(text) => convert(&self.summary, |o| text.position(o)),
            None => Vec::new(),
        })
    }

    /// The position of a range the summary holds.
    pub fn range(&self, r: TextRange) -> Option<Range> {
        let positions = self.positions();
        let pos = |o: usize| positions.binary_search_by_key(&o, |p| p.0).ok().map(|k| positions[k].1);
        Some(Range::new(pos(r.start)?, pos(r.end)?))
    }

    fn key(&self) -> Option<(&str, u16)> {
        self.summary.key()
    }
}

/// Last year's report of a document: where it is, and its summary.
#[derive(Debug)]
pub struct Previous {
    pub uri: Url,
    pub entry: Arc<Entry>,
}

impl Previous {
    /// The LSP location of a related range NB403 put in this file.
    pub fn location(&self, path: &str, r: TextRange) -> Option<Location> {
        if path != self.uri.as_str() {
            return None;
        }
        Some(Location::new(self.uri.clone(), self.entry.range(r)?))
    }
}

/// Every summary the server knows.
#[derive(Debug, Default)]
pub struct Index {
    disk: HashMap<Url, Arc<Entry>>,
    open: HashMap<Url, Arc<Entry>>,
}

/// The keys whose successors (same body, the year after) must be analysed
/// again: those of an entry that changed, before and after.
pub type Changed = Vec<(String, u16)>;

impl Index {
    /// Last year's report of `body` for `year`, other than `uri`: an open
    /// document first, else a file on disk that is not open; the smallest URI
    /// when several qualify. One pass over the summaries, no I/O.
    pub fn previous(&self, body: &str, year: u16, uri: &Url) -> Option<Previous> {
        let want = (body, year.checked_sub(1)?);
        let pick = |map: &HashMap<Url, Arc<Entry>>, skip_open: bool| {
            map.iter()
                .filter(|(u, e)| *u != uri && e.key() == Some(want) && !(skip_open && self.open.contains_key(*u)))
                .min_by(|a, b| a.0.cmp(b.0))
                .map(|(u, e)| Previous { uri: u.clone(), entry: e.clone() })
        };
        pick(&self.open, false).or_else(|| pick(&self.disk, true))
    }

    /// Records an open document's summary; returns the keys whose successors
    /// see a difference (values, positions or the key itself).
    pub fn set_open(&mut self, uri: &Url, entry: Arc<Entry>) -> Changed {
        let old = self.open.insert(uri.clone(), entry.clone());
        changed(old.as_deref().or_else(|| self.disk.get(uri).map(|e| &**e)), Some(&entry))
    }

    /// Records an open document's summary when no open document follows it
    /// (nothing to wake): what changed is not worked out.
    pub fn replace_open(&mut self, uri: &Url, entry: Arc<Entry>) {
        self.open.insert(uri.clone(), entry);
    }

    /// Forgets an open document (its file on disk, if any, counts again).
    pub fn close(&mut self, uri: &Url) -> Changed {
        let old = self.open.remove(uri);
        changed(old.as_deref(), self.disk.get(uri).map(|e| &**e))
    }

    /// The disk entries' modification times, for the next scan.
    pub fn disk_times(&self) -> HashMap<Url, Option<SystemTime>> {
        self.disk.iter().map(|(u, e)| (u.clone(), e.mtime)).collect()
    }

    /// Replaces the disk entries with a scan's result: `fresh` entries were
    /// read again, `kept` URIs are unchanged; every other disk entry is gone.
    pub fn apply_scan(&mut self, fresh: Vec<(Url, Arc<Entry>)>, kept: Vec<Url>) -> Changed {
        let mut out = Changed::new();
        let mut disk: HashMap<Url, Arc<Entry>> = HashMap::new();
        for u in kept {
            if let Some(e) = self.disk.remove(&u) {
                disk.insert(u, e);
            }
        }
        for (u, e) in fresh {
            if !self.open.contains_key(&u) {
                out.extend(changed(self.disk.get(&u).map(|e| &**e), Some(&e)));
            }
            self.disk.remove(&u);
            disk.insert(u, e);
        }
        for (u, e) in self.disk.drain() {
            if !self.open.contains_key(&u) {
                out.extend(changed(Some(&e), None));
            }
        }
        self.disk = disk;
        out
    }
}

fn changed(old: Option<&Entry>, new: Option<&Entry>) -> Changed {
    let same = match (old, new) {
        (Some(a), Some(b)) => a == b,
        (None, None) => true,
        _ => false,
    };
    if same {
        return Vec::new();
    }
    let mut keys: Changed =
        [old, new].into_iter().flatten().filter_map(|e| e.key()).map(|(b, y)| (b.to_owned(), y)).collect();
    keys.dedup();
    keys
}

/// The workspace folders' paths, from `InitializeParams`.
pub fn folders(
    workspace_folders: Option<&[tower_lsp::lsp_types::WorkspaceFolder]>,
    root: Option<&Url>,
) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        workspace_folders.unwrap_or_default().iter().filter_map(|f| f.uri.to_file_path().ok()).collect();
    if out.is_empty() {
        out.extend(root.and_then(|u| u.to_file_path().ok()));
    }
    out
}

/// What a scan found: entries read afresh, and files whose modification time
/// had not changed.
#[derive(Debug, Default)]
pub struct Scan {
    pub fresh: Vec<(Url, Arc<Entry>)>,
    pub kept: Vec<Url>,
}

/// Walks the folders for `.txt` and `.md` files and summarises those whose
/// modification time differs from `known`'s. Blocking: run it on the
/// blocking pool. A file or folder that cannot be read is logged and left
/// out; the walk goes on.
pub fn scan(folders: &[PathBuf], known: &HashMap<Url, Option<SystemTime>>, enc: PositionEncoding) -> Scan {
    let mut files = Vec::new();
    for f in folders {
        walk(f, 0, &mut files);
    }
    let mut out = Scan::default();
    for path in files {
        let Ok(uri) = Url::from_file_path(&path) else { continue };
        let mtime = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        if mtime.is_some() && known.get(&uri) == Some(&mtime) {
            out.kept.push(uri);
            continue;
        }
        match summarise(&path, mtime, enc) {
            Ok(Some(entry)) => out.fresh.push((uri, Arc::new(entry))),
            Ok(None) => {}
            Err(e) => super::log(format_args!("workspace: {}: {e} (skipped)", path.display())),
        }
    }
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH || out.len() >= MAX_FILES {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            super::log(format_args!("workspace: {}: {e} (skipped)", dir.display()));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        if out.len() >= MAX_FILES {
            return;
        }
        let name = path.file_name().unwrap_or_default();
        if is_dir {
            if name != "target" && name != "node_modules" {
                walk(&path, depth + 1, out);
            }
        } else if crate::cli::walk::is_checked_extension(name, false) {
            out.push(path);
        }
    }
}

/// Reads, parses and summarises one file; `None` when it names no body.
fn summarise(path: &Path, mtime: Option<SystemTime>, enc: PositionEncoding) -> Result<Option<Entry>, String> {
    let text = crate::cli::encoding::read_decoded(path)?.text;
    let summary = catch_unwind(AssertUnwindSafe(|| CarrySummary::of(&crate::report::parse(&text))))
        .map_err(|_| "internal error: the parser panicked".to_owned())?;
    if summary.key().is_none() {
        return Ok(None);
    }
    let index = LineIndex::new(&text);
    let position = |o: usize| {
        let lc = index.line_col(&text, o, enc);
        Position::new(lc.line, lc.col)
    };
    Ok(Some(Entry::new(summary, position, mtime)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = include_str!("../../fixtures/cross/sanming-2023.txt");

    fn entry(text: &str, line: u32) -> Arc<Entry> {
        let summary = CarrySummary::of(&crate::report::parse(text));
        Arc::new(Entry::new(summary, |o| Position::new(line, o as u32), None))
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn open_documents_win_and_changes_name_the_keys_to_wake() {
        let mut index = Index::default();
        let (a, b) = (url("file:///r/a.txt"), url("file:///r/b.txt"));
        let me = url("file:///r/2024.txt");
        assert!(index.previous("三明市", 2024, &me).is_none());
        let changed = index.apply_scan(vec![(a.clone(), entry(TEXT, 0))], Vec::new());
        assert_eq!(changed, [("三明市".to_owned(), 2023)]);
        assert_eq!(index.previous("三明市", 2024, &me).unwrap().uri, a);
        // The same file opened: its live summary is used, and nothing changed.
        assert!(index.set_open(&a, entry(TEXT, 0)).is_empty());
        // Lines inserted above: the positions moved, so followers are woken.
        assert_eq!(index.set_open(&a, entry(TEXT, 3)).len(), 1);
        // Another open document of the same body and year: the smaller URI wins.
        index.set_open(&b, entry(TEXT, 1));
        assert_eq!(index.previous("三明市", 2024, &me).unwrap().uri, a);
        assert!(index.previous("三明市", 2024, &a).is_some_and(|p| p.uri == b), "never itself");
        // Closing a falls back to its file on disk (line 0 again: a change).
        assert_eq!(index.close(&a).len(), 1);
        // A scan that no longer finds a: gone.
        let changed = index.apply_scan(Vec::new(), Vec::new());
        assert_eq!(changed.len(), 1);
        assert_eq!(index.previous("三明市", 2024, &me).unwrap().uri, b);
        assert!(index.previous("三明市", 0, &me).is_none());
    }

    #[test]
    fn locations_only_for_the_previous_file_and_known_ranges() {
        let p = Previous { uri: url("file:///r/a.txt"), entry: entry(TEXT, 0) };
        assert_eq!(p.location("file:///r/other.txt", TextRange::new(0, 1)), None);
        assert_eq!(p.location("file:///r/a.txt", TextRange::new(0, 1)), None, "not a range of the summary");
        let cell = p.entry.summary.carried_out[0].as_ref().unwrap().range;
        let at = p.location("file:///r/a.txt", cell).unwrap();
        assert_eq!(at.range.start, Position::new(0, cell.start as u32));
    }

    #[test]
    fn unreadable_folders_and_files_are_skipped() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("bad.txt"), b"\x00\xff").unwrap();
        std::fs::write(dir.join("plain.md"), "no title").unwrap();
        let scan = scan(&[dir.join("missing"), dir.clone()], &HashMap::new(), PositionEncoding::Utf16);
        assert!(scan.fresh.is_empty() && scan.kept.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nianbao-ws-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

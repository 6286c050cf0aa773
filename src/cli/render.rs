//! Check results → text: the human format, JSON (product-spec §5) and SARIF
//! 2.1.0.
//!
//! Diagnostics arrive in byte ranges; [`FileReport::new`] converts every range
//! once, all of a file's offsets in one forward pass over its text, into a
//! [`Pos`] carrying both the UTF-16 column (JSON, SARIF) and the character
//! column (human format), so the text can be dropped before rendering. The
//! human and JSON formats render one file at a time into a buffer (`check`
//! does it on the worker that checked the file and streams the buffers in
//! order). Rendering is pure; printing is `output`'s job.

use serde::Serialize;
use serde_json::json;

use crate::report::Line;
use crate::rules::{self, Analysis, Diagnostic, Locale, Severity};
use crate::text::{char_and_utf16_units, floor_char_boundary, to_u32, ForwardCols, TextRange};

/// A position: 0-based line, 0-based columns in UTF-16 units and characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub utf16: u32,
    pub chars: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

/// The positions of a set of byte offsets in one text, resolved together in
/// one forward pass ([`ForwardCols`]) and looked up by offset.
pub struct Positions {
    offsets: Vec<usize>,
    pos: Vec<Pos>,
}

impl Positions {
    /// Resolves `offsets` (any order, repeats allowed) against `text`.
    pub fn new(text: &str, mut offsets: Vec<usize>) -> Positions {
        offsets.sort_unstable();
        offsets.dedup();
        let mut cols = ForwardCols::new(text);
        let pos = offsets
            .iter()
            .map(|&o| {
                let c = cols.get(o);
                Pos { line: c.line, utf16: c.utf16, chars: c.chars }
            })
            .collect();
        Positions { offsets, pos }
    }

    /// [`Positions::new`] from the text's lines as [`crate::report::split_lines`]
    /// gives them (the parse has them at hand): each offset's line by binary
    /// search instead of a walk over every line break before it, its columns
    /// counted on from the previous offset when that is in the same line (a
    /// flattened table is one line of thousands of cells).
    pub fn of_lines(text: &str, lines: &[Line], mut offsets: Vec<usize>) -> Positions {
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        // The previous offset: its line, where it was, and its columns.
        let mut last = (usize::MAX, 0, 0, 0);
        let pos = offsets
            .iter()
            .map(|&o| {
                let o = floor_char_boundary(text, o.min(text.len()));
                // Line `k` runs up to `next`, its break included; the last
                // line also holds the end of the text.
                let k = lines.partition_point(|l| l.next <= o).min(lines.len().saturating_sub(1));
                let (from, chars, utf16) = if last.0 == k {
                    (last.1, last.2, last.3)
                } else {
                    (lines.get(k).map_or(0, |l| l.range.start), 0, 0)
                };
                let (more, more16) = char_and_utf16_units(&bytes[from..o]);
                last = (k, o, chars + more, utf16 + more16);
                Pos { line: to_u32(k), utf16: to_u32(last.3), chars: to_u32(last.2) }
            })
            .collect();
        Positions { offsets, pos }
    }

    /// The position of an offset given to [`Positions::new`].
    pub fn pos(&self, offset: usize) -> Pos {
        self.offsets.binary_search(&offset).map_or_else(|_| Pos::default(), |k| self.pos[k])
    }

    pub fn span(&self, range: TextRange) -> Span {
        Span { start: self.pos(range.start), end: self.pos(range.end) }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelatedOut {
    /// Set when the location is in another file (NB403).
    pub path: Option<String>,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditOut {
    pub span: Span,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixOut {
    pub title: String,
    pub edits: Vec<EditOut>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagOut {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub related: Vec<RelatedOut>,
    pub fixes: Vec<FixOut>,
}

/// What was found in one file, with positions resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    pub path: String,
    pub year: Option<u16>,
    pub format: Option<&'static str>,
    pub diagnostics: Vec<DiagOut>,
}

/// A file that could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// One PATH's outcome, in report order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Checked(FileReport),
    Failed(FileError),
}

/// Resolves a range in another file (NB403's related locations) by that
/// file's path.
pub type OtherSpans<'a> = dyn FnMut(&str, TextRange) -> Span + 'a;

impl FileReport {
    /// Resolves every range of `analysis` against `text`, taking its strings.
    /// Related locations in another file are resolved by `other`.
    pub fn new(path: &str, text: &str, analysis: Analysis, other: &mut OtherSpans) -> FileReport {
        let mut offsets = Vec::new();
        FileReport::offsets(&analysis, &mut offsets);
        FileReport::resolved(path, analysis, &Positions::new(text, offsets), other)
    }

    /// Adds the offsets of every range of `analysis` in its own file to `out`.
    pub fn offsets(analysis: &Analysis, out: &mut Vec<usize>) {
        let mut range = |r: TextRange| out.extend([r.start, r.end]);
        for d in &analysis.diagnostics {
            range(d.range);
            d.related.iter().filter(|r| r.path.is_none()).for_each(|r| range(r.range));
            d.fixes.iter().flat_map(|f| &f.edits).for_each(|e| range(e.range));
        }
    }

    /// [`FileReport::new`] with the positions of [`FileReport::offsets`]
    /// (and maybe more) resolved already.
    pub fn resolved(path: &str, analysis: Analysis, here: &Positions, other: &mut OtherSpans) -> FileReport {
        let diagnostics = analysis.diagnostics.into_iter().map(|d| diag_out(&|r| here.span(r), d, other)).collect();
        FileReport { path: path.to_owned(), year: analysis.year, format: analysis.format, diagnostics }
    }

    /// Adds diagnostics found after the file was checked (NB403, once last
    /// year's report is known), keeping the order by start, then code.
    /// `here` resolves ranges in this file, `other` those in another.
    pub fn add(&mut self, diagnostics: Vec<Diagnostic>, here: &dyn Fn(TextRange) -> Span, other: &mut OtherSpans) {
        if diagnostics.is_empty() {
            return;
        }
        self.diagnostics.extend(diagnostics.into_iter().map(|d| diag_out(here, d, other)));
        let key = |d: &DiagOut| (d.span.start.line, d.span.start.utf16, d.code, d.span.end.line, d.span.end.utf16);
        self.diagnostics.sort_by(|a, b| key(a).cmp(&key(b)));
    }
}

fn diag_out(here: &dyn Fn(TextRange) -> Span, d: Diagnostic, other: &mut OtherSpans) -> DiagOut {
    let related = d
        .related
        .into_iter()
        .map(|r| {
            let span = match &r.path {
                None => here(r.range),
                Some(p) => other(p, r.range),
            };
            RelatedOut { path: r.path, span, message: r.message }
        })
        .collect();
    let fixes = d
        .fixes
        .into_iter()
        .map(|f| FixOut {
            title: f.title,
            edits: f.edits.into_iter().map(|e| EditOut { span: here(e.range), new_text: e.new_text }).collect(),
        })
        .collect();
    DiagOut {
        code: d.code,
        severity: d.severity,
        message: d.message,
        span: here(d.range),
        expected: d.expected.filter(|s| !s.is_empty()),
        found: d.found.filter(|s| !s.is_empty()),
        related,
        fixes,
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        outcomes.iter().for_each(|o| s.add(o));
        s
    }

    /// Adds the counts of `other` (of other files).
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// Counts one more outcome (a file that could not be read counts nothing).
    pub fn add(&mut self, o: &Outcome) {
        let Outcome::Checked(f) = o else { return };
        self.files += 1;
        for d in &f.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

// ---------------------------------------------------------------- human

/// Appends `path:line:col: severity[CODE] message`, 1-based, columns in
/// characters; related locations below as `  path:line:col: note: message`.
/// Files that could not be read are not included: they go to stderr.
pub fn human_file(f: &FileReport, out: &mut Vec<u8>) {
    // `path:line:col: ` by hand: a `check` of a thousand reports writes tens
    // of thousands of these lines, and `write!` costs several times as much.
    let at = |out: &mut Vec<u8>, path: &str, p: Pos| {
        let mut n = itoa::Buffer::new();
        out.extend_from_slice(path.as_bytes());
        out.push(b':');
        out.extend_from_slice(n.format(p.line + 1).as_bytes());
        out.push(b':');
        out.extend_from_slice(n.format(p.chars + 1).as_bytes());
        out.extend_from_slice(b": ");
    };
    for d in &f.diagnostics {
        at(out, &f.path, d.span.start);
        for part in [d.severity.as_str(), "[", d.code, "] ", &d.message, "\n"] {
            out.extend_from_slice(part.as_bytes());
        }
        for r in &d.related {
            out.extend_from_slice(b"  ");
            at(out, r.path.as_deref().unwrap_or(&f.path), r.span.start);
            for part in ["note: ", &r.message, "\n"] {
                out.extend_from_slice(part.as_bytes());
            }
        }
    }
}

/// [`human_file`] as it was written with `writeln!`: the reference its
/// output is tested against.
#[cfg(test)]
fn human_file_by_format(f: &FileReport, out: &mut Vec<u8>) {
    use std::io::Write;
    for d in &f.diagnostics {
        let p = d.span.start;
        let (line, col, severity) = (p.line + 1, p.chars + 1, d.severity.as_str());
        let _ = writeln!(out, "{}:{line}:{col}: {severity}[{}] {}", f.path, d.code, d.message);
        for r in &d.related {
            let path = r.path.as_deref().unwrap_or(&f.path);
            let p = r.span.start;
            let _ = writeln!(out, "  {}:{}:{}: note: {}", path, p.line + 1, p.chars + 1, r.message);
        }
    }
}

/// The last line of the human format, e.g. `3 files: 1 error, 2 warnings, 0 infos`
/// or `共 3 个文件：1 个错误，2 个警告，0 个提示`.
pub fn human_summary(s: &Summary, unreadable: usize, locale: Locale) -> String {
    match locale {
        Locale::Zh => {
            let mut line =
                format!("共 {} 个文件：{} 个错误，{} 个警告，{} 个提示", s.files, s.errors, s.warnings, s.infos);
            if unreadable > 0 {
                line.push_str(&format!("；{unreadable} 个文件无法读取"));
            }
            line + "\n"
        }
        Locale::En => {
            let mut line = format!(
                "{}: {}, {}, {}",
                plural(s.files, "file", "files"),
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings"),
                plural(s.infos, "info", "infos"),
            );
            if unreadable > 0 {
                line.push_str(&format!("; {} could not be read", plural(unreadable, "file", "files")));
            }
            line + "\n"
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---------------------------------------------------------------- JSON

/// The top-level object's keys after `"files"`.
#[derive(Serialize)]
struct JsonTail<'a> {
    summary: Summary,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<JsonError<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    year: Option<u16>,
    format: Option<&'a str>,
    diagnostics: Vec<JsonDiag<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    range: JsonRange,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<JsonFix<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonRange {
    start: JsonPos,
    end: JsonPos,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonPos {
    line: u32,
    character: u32,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonRelated<'a> {
    range: JsonRange,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonEdit<'a> {
    range: JsonRange,
    #[serde(rename = "newText")]
    new_text: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

#[cfg(test)]
fn json_range(s: Span) -> JsonRange {
    let pos = |p: Pos| JsonPos { line: p.line, character: p.utf16 };
    JsonRange { start: pos(s.start), end: pos(s.end) }
}

/// The `--format json` object of product-spec §5, on one line, with a final
/// newline. `"errors"` is present only when a file could not be read.
///
/// `check` streams the same bytes: [`JSON_HEAD`], each file's [`json_file`]
/// separated by commas, then [`json_tail`]. The output is compact, not
/// pretty-printed: §5 fixes keys, order and omissions, not whitespace, and
/// indentation made it half again as large and slower to write and to read.
pub fn json(outcomes: &[Outcome]) -> String {
    let mut out = JSON_HEAD.as_bytes().to_vec();
    let mut errors = Vec::new();
    let mut first = true;
    for o in outcomes {
        match o {
            Outcome::Checked(f) => {
                if !std::mem::take(&mut first) {
                    out.push(b',');
                }
                json_file(f, &mut out);
            }
            Outcome::Failed(e) => errors.push(e.clone()),
        }
    }
    json_tail(&Summary::of(outcomes), &errors, &mut out);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// What the JSON output starts with, up to the first file.
pub const JSON_HEAD: &str = r#"{"version":1,"files":["#;

/// Appends one element of `"files"`. Written by hand, the same bytes as
/// serde_json writes for the derived structs ([`json_file_by_serde`], the
/// reference the tests compare it with): serde_json looks every byte of a
/// string up to see whether it needs escaping, which was most of the cost of
/// `check --format json`; here a string that needs none (nearly every one: a
/// report's text has no control characters, quotes or backslashes in its
/// messages) is copied whole.
pub fn json_file(f: &FileReport, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"path\":");
    json_str(out, &f.path);
    out.extend_from_slice(b",\"year\":");
    match f.year {
        Some(y) => out.extend_from_slice(itoa::Buffer::new().format(y).as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"format\":");
    match f.format {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"diagnostics\":");
    json_array(out, &f.diagnostics, json_diag_to);
    out.push(b'}');
}

/// `[…]`: each of `items` written by `each`, separated by commas.
fn json_array<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&T, &mut Vec<u8>)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(item, out);
    }
    out.push(b']');
}

/// One diagnostic of [`json_file`]: the keys of [`JsonDiag`], in its order,
/// with the same omissions.
fn json_diag_to(d: &DiagOut, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"code\":");
    json_str(out, d.code);
    out.extend_from_slice(b",\"severity\":");
    json_str(out, d.severity.as_str());
    out.extend_from_slice(b",\"message\":");
    json_str(out, &d.message);
    out.extend_from_slice(b",\"range\":");
    json_range_to(d.span, out);
    for (key, value) in [(&b",\"expected\":"[..], &d.expected), (b",\"found\":", &d.found)] {
        if let Some(v) = value {
            out.extend_from_slice(key);
            json_str(out, v);
        }
    }
    if !d.related.is_empty() {
        out.extend_from_slice(b",\"related\":");
        json_array(out, &d.related, |r, out| {
            out.extend_from_slice(b"{\"range\":");
            json_range_to(r.span, out);
            out.extend_from_slice(b",\"message\":");
            json_str(out, &r.message);
            if let Some(path) = &r.path {
                out.extend_from_slice(b",\"path\":");
                json_str(out, path);
            }
            out.push(b'}');
        });
    }
    if !d.fixes.is_empty() {
        out.extend_from_slice(b",\"fixes\":");
        json_array(out, &d.fixes, |f, out| {
            out.extend_from_slice(b"{\"title\":");
            json_str(out, &f.title);
            out.extend_from_slice(b",\"edits\":");
            json_array(out, &f.edits, |e, out| {
                out.extend_from_slice(b"{\"range\":");
                json_range_to(e.span, out);
                out.extend_from_slice(b",\"newText\":");
                json_str(out, &e.new_text);
                out.push(b'}');
            });
            out.push(b'}');
        });
    }
    out.push(b'}');
}

/// A [`JsonRange`]: `{"start":{"line":…,"character":…},"end":{…}}`.
fn json_range_to(s: Span, out: &mut Vec<u8>) {
    let mut n = itoa::Buffer::new();
    for (key, p) in [(&b"{\"start\":{\"line\":"[..], s.start), (b"},\"end\":{\"line\":", s.end)] {
        out.extend_from_slice(key);
        out.extend_from_slice(n.format(p.line).as_bytes());
        out.extend_from_slice(b",\"character\":");
        out.extend_from_slice(n.format(p.utf16).as_bytes());
    }
    out.extend_from_slice(b"}}");
}

/// A JSON string: copied whole between quotes unless a byte needs escaping
/// (a control character, `"` or `\\`), when serde_json escapes it.
fn json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // No early exit: the compiler vectorises the whole test.
    if bytes.iter().fold(false, |any, &b| any | (b < 0x20) | (b == b'"') | (b == b'\\')) {
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
        return;
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// [`json_file`] by serde_json from the derived structs: the reference.
#[cfg(test)]
fn json_file_by_serde(f: &FileReport, out: &mut Vec<u8>) {
    let file = JsonFile {
        path: &f.path,
        year: f.year,
        format: f.format,
        diagnostics: f.diagnostics.iter().map(json_diag).collect(),
    };
    // Serialising plain structs of strings and numbers into a Vec cannot fail.
    let _ = serde_json::to_writer(out, &file);
}

/// Appends what follows the last file: the summary, the errors (if any),
/// the closing brace and a newline.
pub fn json_tail(summary: &Summary, errors: &[FileError], out: &mut Vec<u8>) {
    let errors: Vec<JsonError> = errors.iter().map(|e| JsonError { path: &e.path, message: &e.message }).collect();
    let tail = JsonTail { summary: *summary, errors };
    out.extend_from_slice(b"],");
    let mut object = Vec::new();
    let _ = serde_json::to_writer(&mut object, &tail);
    // `{"summary":…}` without its opening brace continues the top-level object.
    out.extend_from_slice(&object[1..]);
    out.push(b'\n');
}

#[cfg(test)]
fn json_diag(d: &DiagOut) -> JsonDiag<'_> {
    JsonDiag {
        code: d.code,
        severity: d.severity.as_str(),
        message: &d.message,
        range: json_range(d.span),
        expected: d.expected.as_deref(),
        found: d.found.as_deref(),
        related: d
            .related
            .iter()
            .map(|r| JsonRelated { range: json_range(r.span), message: &r.message, path: r.path.as_deref() })
            .collect(),
        fixes: d
            .fixes
            .iter()
            .map(|f| JsonFix {
                title: &f.title,
                edits: f.edits.iter().map(|e| JsonEdit { range: json_range(e.span), new_text: &e.new_text }).collect(),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- SARIF

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF `uri`: a relative reference with `/` separators, or a
/// `file://` URI for absolute paths; bytes outside RFC 3986's unreserved set
/// (Chinese file names, spaces) are percent-encoded.
pub fn sarif_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let windows_drive = path.len() >= 2 && path.as_bytes()[0].is_ascii_alphabetic() && path.as_bytes()[1] == b':';
    if path.starts_with('/') {
        out.push_str("file://");
    } else if windows_drive {
        out.push_str("file:///");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep =
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') || (windows_drive && i == 1);
        if keep {
            out.push(b as char);
        } else if b == b'\\' && cfg!(windows) {
            out.push('/');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_region(s: Span) -> serde_json::Value {
    json!({
        "startLine": s.start.line + 1,
        "startColumn": s.start.utf16 + 1,
        "endLine": s.end.line + 1,
        "endColumn": s.end.utf16 + 1,
    })
}

fn sarif_location(path: &str, s: Span) -> serde_json::Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sarif_uri(path) },
            "region": sarif_region(s),
        }
    })
}

/// One SARIF 2.1.0 log with one run. Lines are 1-based, columns 1-based UTF-16
/// code units (SARIF's default `columnKind`, stated explicitly).
pub fn sarif(outcomes: &[Outcome], locale: Locale) -> String {
    let rules: Vec<serde_json::Value> = rules::RULES
        .iter()
        .map(|r| {
            let summary = match locale {
                Locale::Zh => r.summary_zh,
                Locale::En => r.summary_en,
            };
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": summary },
                "fullDescription": { "text": r.what },
                "help": { "text": rules::explain(r) },
                "defaultConfiguration": { "level": sarif_level(r.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Checked(f) => {
                for d in &f.diagnostics {
                    results.push(sarif_result(f, d));
                }
            }
            Outcome::Failed(e) => notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {}", e.path, e.message) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": sarif_uri(&e.path) } }
                }],
            })),
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "nianbao",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

fn sarif_result(f: &FileReport, d: &DiagOut) -> serde_json::Value {
    let mut result = json!({
        "ruleId": d.code,
        "level": sarif_level(d.severity),
        "message": { "text": d.message },
        "locations": [sarif_location(&f.path, d.span)],
    });
    if let Some(index) = rules::RULES.iter().position(|r| r.code == d.code) {
        result["ruleIndex"] = json!(index);
    }
    if !d.related.is_empty() {
        let related: Vec<_> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut loc = sarif_location(r.path.as_deref().unwrap_or(&f.path), r.span);
                loc["id"] = json!(i);
                loc["message"] = json!({ "text": r.message });
                loc
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    if !d.fixes.is_empty() {
        let fixes: Vec<_> = d
            .fixes
            .iter()
            .map(|fix| {
                json!({
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": sarif_uri(&f.path) },
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": sarif_region(e.span),
                            "insertedContent": { "text": e.new_text },
                        })).collect::<Vec<_>>(),
                    }],
                })
            })
            .collect();
        result["fixes"] = json!(fixes);
    }
    let mut props = serde_json::Map::new();
    if let Some(e) = &d.expected {
        props.insert("expected".into(), json!(e));
    }
    if let Some(found) = &d.found {
        props.insert("found".into(), json!(found));
    }
    if !props.is_empty() {
        result["properties"] = serde_json::Value::Object(props);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Fix, FixKind, Related, TextEdit};

    #[test]
    fn human_lines_written_by_hand_are_those_of_writeln() {
        let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let outcomes = sample_and_real();
        let mut checked = 0;
        for o in &outcomes {
            let Outcome::Checked(f) = o else { continue };
            let mut f = f.clone();
            // Positions past 9 and past 99 and at u32's end.
            for d in &mut f.diagnostics {
                d.span.start.line = (next() % 100_000) as u32;
                d.span.start.chars = [0, 8, 9, 98, 99, u32::MAX - 1][(next() % 6) as usize];
                for r in &mut d.related {
                    r.span.start.line = (next() % 1000) as u32;
                }
            }
            let (mut by_hand, mut by_format) = (Vec::new(), Vec::new());
            human_file(&f, &mut by_hand);
            human_file_by_format(&f, &mut by_format);
            assert_eq!(String::from_utf8(by_hand).unwrap(), String::from_utf8(by_format).unwrap());
            checked += f.diagnostics.iter().map(|d| 1 + d.related.len()).sum::<usize>();
        }
        assert!(checked > 80, "{checked} lines compared");
    }

    /// The JSON written by hand is serde_json's, byte for byte: on real
    /// reports' diagnostics (with related notes and fixes, in both
    /// languages) and on copies whose strings need escaping, whose optional
    /// keys are absent or present, and whose numbers are large.
    #[test]
    fn json_written_by_hand_is_serde_json() {
        let mut next = crate::text::xorshift(0x51f1_5eed_0000_1234u64);
        let outcomes = sample_and_real();
        let odd =
            ["", "\"", "\\", "\n", "\r\n", "\t", "\u{1}", "\u{1f}", "\u{7f}", "\u{85}", "𠮷", "'", "/", "a\"b\\c"];
        let mut pick = || odd[(next() % odd.len() as u64) as usize];
        let mut compared = 0;
        for o in &outcomes {
            let Outcome::Checked(f) = o else { continue };
            for round in 0..4 {
                let mut f = f.clone();
                if round > 0 {
                    f.path = format!("{}目录/{}", pick(), pick());
                    f.year = (round != 1).then_some(2024);
                    f.format = (round != 2).then_some("2021");
                    for d in &mut f.diagnostics {
                        d.message = format!("{}{}{}", pick(), d.message, pick());
                        d.expected = (round == 3).then(|| pick().to_string());
                        d.found = d.found.take().filter(|_| round != 2).map(|s| s + pick());
                        d.span.end.line = u32::MAX;
                        d.span.start.utf16 = 99_999 + round;
                        for r in &mut d.related {
                            r.message.push_str(pick());
                            r.path = (round == 3).then(|| pick().to_string());
                        }
                        for fix in &mut d.fixes {
                            fix.title.insert_str(0, pick());
                            for e in &mut fix.edits {
                                e.new_text.push_str(pick());
                            }
                        }
                    }
                }
                let (mut by_hand, mut by_serde) = (Vec::new(), Vec::new());
                json_file(&f, &mut by_hand);
                json_file_by_serde(&f, &mut by_serde);
                assert_eq!(String::from_utf8(by_hand).unwrap(), String::from_utf8(by_serde).unwrap());
                compared += f.diagnostics.len();
            }
        }
        let fixes = outcomes.iter().filter_map(|o| if let Outcome::Checked(f) = o { Some(f) } else { None });
        assert!(fixes.flat_map(|f| &f.diagnostics).any(|d| !d.fixes.is_empty() && !d.related.is_empty()));
        assert!(compared > 60, "{compared} diagnostics compared");
    }

    #[test]
    fn positions_from_the_lines_are_those_of_the_forward_pass() {
        let parts = ["\n", "\r", "\r\n", "a", "公开", "\t", "𠮷", " ", "１２", "\n\n", "表"];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        for _ in 0..3000 {
            let text: String = (0..next() % 30).map(|_| parts[(next() % parts.len() as u64) as usize]).collect();
            // Offsets anywhere, mid-character and past the end included.
            let offsets: Vec<usize> = (0..next() % 12).map(|_| (next() % (text.len() as u64 + 3)) as usize).collect();
            let lines = crate::report::split_lines(&text);
            let walked = Positions::new(&text, offsets.clone());
            let looked_up = Positions::of_lines(&text, &lines, offsets.clone());
            for &o in &offsets {
                assert_eq!(looked_up.pos(o), walked.pos(o), "{text:?} at {o}");
            }
        }
    }

    /// [`sample`] and a real report's diagnostics, with their notes and
    /// fixes, in both languages.
    fn sample_and_real() -> Vec<Outcome> {
        let mut outcomes = sample();
        for (i, text) in [include_str!("../../fixtures/corpus/018.txt"), TEXT].into_iter().enumerate() {
            for locale in [Locale::Zh, Locale::En] {
                let config = crate::Config { locale, ..crate::Config::default() };
                let analysis = crate::analyze(text, &config);
                outcomes.push(Outcome::Checked(FileReport::new(
                    &format!("报告{i}.txt"),
                    text,
                    analysis,
                    &mut |_, _| Span::default(),
                )));
            }
        }
        outcomes
    }

    const TEXT: &str = "标题\r\n𠮷 | 自然人 | 5 | 11\n";

    fn sample() -> Vec<Outcome> {
        let total = TEXT.find("11").unwrap();
        let five = TEXT.find('5').unwrap();
        let d = Diagnostic {
            code: "NB301",
            severity: Severity::Error,
            range: TextRange::new(total, total + 2),
            message: "总计应为 12，实际为 11".into(),
            expected: Some("12".into()),
            found: Some("11".into()),
            related: vec![Related { range: TextRange::new(five, five + 1), message: "自然人".into(), path: None }],
            fixes: vec![Fix {
                title: "改为 12".into(),
                kind: FixKind::Cell,
                edits: vec![TextEdit { range: TextRange::new(total, total + 2), new_text: "12".into() }],
            }],
        };
        let plain = Diagnostic {
            code: "NB404",
            severity: Severity::Info,
            range: TextRange::new(0, 6),
            message: "占位".into(),
            expected: None,
            found: Some(String::new()),
            related: vec![],
            fixes: vec![],
        };
        let analysis =
            Analysis { is_report: true, year: Some(2024), format: Some("2021"), diagnostics: vec![plain, d] };
        let mut none = |_: &str, _: TextRange| Span::default();
        vec![
            Outcome::Checked(FileReport::new("dir/a.txt", TEXT, analysis, &mut none)),
            Outcome::Failed(FileError { path: "dir/b.txt".into(), message: "binary file".into() }),
            Outcome::Checked(FileReport::new("dir/c.md", "", Analysis::default(), &mut none)),
        ]
    }

    #[test]
    fn positions_have_utf16_and_char_columns() {
        let Outcome::Checked(f) = &sample()[0] else { unreachable!() };
        // Line 1: 𠮷 is two UTF-16 units and one character.
        assert_eq!(f.diagnostics[1].span.start, Pos { line: 1, utf16: 15, chars: 14 });
    }

    fn human(f: &FileReport) -> Vec<u8> {
        let mut out = Vec::new();
        human_file(f, &mut out);
        out
    }

    #[test]
    fn human_format() {
        let outcomes = sample();
        let Outcome::Checked(f) = &outcomes[0] else { unreachable!() };
        expect_test::expect![[r#"
            dir/a.txt:1:1: info[NB404] 占位
            dir/a.txt:2:15: error[NB301] 总计应为 12，实际为 11
              dir/a.txt:2:11: note: 自然人
        "#]]
        .assert_eq(&String::from_utf8(human(f)).unwrap());
        let s = Summary::of(&outcomes);
        assert_eq!(
            human_summary(&s, 1, Locale::En),
            "2 files: 1 error, 0 warnings, 1 info; 1 file could not be read\n"
        );
        assert_eq!(human_summary(&s, 0, Locale::Zh), "共 2 个文件：1 个错误，0 个警告，1 个提示\n");
    }

    #[test]
    fn json_shape() {
        expect_test::expect![[r#"
            {"version":1,"files":[{"path":"dir/a.txt","year":2024,"format":"2021","diagnostics":[{"code":"NB404","severity":"info","message":"占位","range":{"start":{"line":0,"character":0},"end":{"line":0,"character":2}}},{"code":"NB301","severity":"error","message":"总计应为 12，实际为 11","range":{"start":{"line":1,"character":15},"end":{"line":1,"character":17}},"expected":"12","found":"11","related":[{"range":{"start":{"line":1,"character":11},"end":{"line":1,"character":12}},"message":"自然人"}],"fixes":[{"title":"改为 12","edits":[{"range":{"start":{"line":1,"character":15},"end":{"line":1,"character":17}},"newText":"12"}]}]}]},{"path":"dir/c.md","year":null,"format":null,"diagnostics":[]}],"summary":{"files":2,"errors":1,"warnings":0,"infos":1},"errors":[{"path":"dir/b.txt","message":"binary file"}]}
        "#]]
        .assert_eq(&json(&sample()));
    }

    #[test]
    fn json_without_errors_has_no_errors_key() {
        let outcomes: Vec<Outcome> = sample().into_iter().filter(|o| matches!(o, Outcome::Checked(_))).collect();
        let v: serde_json::Value = serde_json::from_str(&json(&outcomes)).unwrap();
        assert!(v.get("errors").is_none());
        let empty: serde_json::Value = serde_json::from_str(&json(&[])).unwrap();
        assert_eq!(empty["files"], serde_json::json!([]));
    }

    #[test]
    fn sarif_shape() {
        let v: serde_json::Value = serde_json::from_str(&sarif(&sample(), Locale::Zh)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "nianbao");
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), rules::RULES.len());
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(run["invocations"][0]["toolExecutionNotifications"][0]["level"], "error");
        let r = &run["results"][1];
        assert_eq!(r["ruleId"], "NB301");
        assert_eq!(r["level"], "error");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 2);
        assert_eq!(region["startColumn"], 16);
        assert_eq!(region["endColumn"], 18);
        assert_eq!(r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "12");
        assert_eq!(r["relatedLocations"][0]["message"]["text"], "自然人");
        assert_eq!(r["properties"]["expected"], "12");
        assert_eq!(run["results"][0]["level"], "note");
    }

    #[test]
    fn uris() {
        assert_eq!(sarif_uri("dir/a.txt"), "dir/a.txt");
        assert_eq!(sarif_uri("/tmp/a b.txt"), "file:///tmp/a%20b.txt");
        assert_eq!(sarif_uri("报告.txt"), "%E6%8A%A5%E5%91%8A.txt");
    }
}

//! PATH arguments → the files to check, in the order they are reported.
//!
//! Files named on the command line are taken whatever their extension; under a
//! directory only `.txt` and `.md` files are, and `.docx` for `check` (ASCII
//! case-insensitively, since Windows exports write `REPORT.TXT`; `fix`, which
//! never writes Word files, leaves them out), recursively, each directory's entries
//! sorted bytewise by name. The displayed path is the argument exactly as
//! given joined with `/` to the names below it, never canonicalised, so
//! reviewers see the paths they typed. Symbolic links are followed; a
//! directory already walked under the same argument (a symlink loop, or two
//! links to one place) is not walked again. Anything that cannot be listed or
//! is not a regular file becomes an error entry; the walk goes on.
//!
//! The walk does not open files: reading happens in the checker's workers.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

/// One file to check, or one path that could not be walked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path as shown in the output (`fixtures/a/b.txt`).
    pub display: String,
    /// The path to open.
    pub path: PathBuf,
    /// Set when the path could not be listed or is not a file we can read.
    pub error: Option<String>,
}

impl Entry {
    fn file(display: String, path: PathBuf) -> Entry {
        Entry { display, path, error: None }
    }

    fn error(display: String, path: PathBuf, message: impl Into<String>) -> Entry {
        Entry { display, path, error: Some(message.into()) }
    }
}

/// Whether a file under a directory is one we check (`.docx` too when `docx`).
pub fn is_checked_extension(name: &OsStr, docx: bool) -> bool {
    let name = name.to_string_lossy();
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md") || (docx && ext.eq_ignore_ascii_case("docx"))
}

/// Joins a displayed directory path and a name with `/`, without doubling a
/// separator the user already typed (`fixtures/` + `a.txt` → `fixtures/a.txt`).
pub fn join_display(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        return name.to_owned();
    }
    let sep_typed = dir.ends_with('/') || (cfg!(windows) && dir.ends_with('\\'));
    if sep_typed {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Every file to check under `args`, in report order; `.docx` files under
/// directories only when `docx`.
pub fn walk(args: &[PathBuf], docx: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    for arg in args {
        let display = arg.to_string_lossy().into_owned();
        match fs::metadata(arg) {
            Err(e) => out.push(Entry::error(display, arg.clone(), e.to_string())),
            Ok(meta) if meta.is_dir() => {
                let mut visited = HashSet::new();
                walk_dir(arg, &display, docx, &mut visited, &mut out);
            }
            Ok(meta) if meta.is_file() => out.push(Entry::file(display, arg.clone())),
            Ok(_) => out.push(Entry::error(display, arg.clone(), "not a regular file")),
        }
    }
    out
}

fn walk_dir(dir: &Path, display: &str, docx: bool, visited: &mut HashSet<PathBuf>, out: &mut Vec<Entry>) {
    // Canonical paths identify a directory however it was reached; if even
    // that fails, the directory cannot be listed reliably.
    match fs::canonicalize(dir) {
        Ok(canonical) => {
            if !visited.insert(canonical) {
                return;
            }
        }
        Err(e) => {
            out.push(Entry::error(display.to_owned(), dir.to_owned(), e.to_string()));
            return;
        }
    }
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) => {
            out.push(Entry::error(display.to_owned(), dir.to_owned(), e.to_string()));
            return;
        }
    };
    let mut names = Vec::new();
    for item in read {
        match item {
            // The type the directory lists (no `statx` of every file); a
            // symlink's target is looked up below.
            Ok(item) => names.push((item.file_name(), item.file_type().ok())),
            Err(e) => {
                out.push(Entry::error(display.to_owned(), dir.to_owned(), e.to_string()));
                return;
            }
        }
    }
    names.sort_by(|a, b| name_bytes(&a.0).cmp(&name_bytes(&b.0)));
    for (name, listed) in names {
        let path = dir.join(&name);
        let shown = join_display(display, &name.to_string_lossy());
        let kind = match listed {
            Some(t) if t.is_dir() || t.is_file() => Ok(t),
            _ => fs::metadata(&path).map(|m| m.file_type()),
        };
        match kind {
            Ok(t) if t.is_dir() => walk_dir(&path, &shown, docx, visited, out),
            Ok(t) if t.is_file() => {
                if is_checked_extension(&name, docx) {
                    out.push(Entry::file(shown, path));
                }
            }
            // A FIFO or device named *.txt would block or never end: report it.
            Ok(_) if is_checked_extension(&name, docx) => out.push(Entry::error(shown, path, "not a regular file")),
            Ok(_) => {}
            // A dangling symlink, or an entry we may not stat: an error only
            // when it would have been checked.
            Err(e) if is_checked_extension(&name, docx) => out.push(Entry::error(shown, path, e.to_string())),
            Err(_) => {}
        }
    }
}

#[cfg(unix)]
fn name_bytes(name: &OsStr) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(name.as_bytes())
}

#[cfg(not(unix))]
fn name_bytes(name: &OsStr) -> std::borrow::Cow<'_, [u8]> {
    // Bytewise order of the UTF-8 form equals code point order.
    std::borrow::Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_without_doubling_slashes() {
        assert_eq!(join_display("fixtures", "a"), "fixtures/a");
        assert_eq!(join_display("fixtures/", "a"), "fixtures/a");
        assert_eq!(join_display("./x", "报告.txt"), "./x/报告.txt");
        assert_eq!(join_display("/", "tmp"), "/tmp");
        assert_eq!(join_display("", "a"), "a");
    }

    #[test]
    fn extensions() {
        for docx in [false, true] {
            for yes in ["a.txt", "B.TXT", "报告.md", "x.nianbao.txt", ".txt"] {
                assert!(is_checked_extension(OsStr::new(yes), docx), "{yes}");
            }
            for no in ["txt", "a.txt.bak", "a.markdown", "a", "a.doc"] {
                assert!(!is_checked_extension(OsStr::new(no), docx), "{no}");
            }
            assert_eq!(is_checked_extension(OsStr::new("报告.DOCX"), docx), docx);
        }
    }
}
